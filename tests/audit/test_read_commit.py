"""On PostgreSQL what a read records of itself (its audit row, the reader's last visit) is committed without
waiting for the disk (see audit.services.read_transaction); writes, and their audit rows, still wait."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_read
from circles import access
from overview.models import Visit
from sharing.services import note_create
from tests.conftest import signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="asynchronous commit is PostgreSQL's"),
]

ASYNC = "SET LOCAL synchronous_commit TO OFF"


def test_a_page_read_is_audited_with_an_asynchronous_commit(alice, grace):
    browser = signed_in(alice)
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(f"/clients/{grace.public_id}/")

    assert response.status_code == 200
    assert ASYNC in [query["sql"] for query in captured.captured_queries]
    assert AuditEvent.objects.filter(action="client.view", client=grace, actor=alice).count() == 1


def test_the_client_page_records_its_read_and_the_visit_in_one_asynchronous_commit(alice, grace):
    """The audit row and the "last visit" mark: one transaction with synchronous_commit off, so the page
    waits for no flush of the write-ahead log (a synchronous commit costs ~4 ms on this machine)."""
    statements: list[tuple[str, bool]] = []

    def remember(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append((sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    browser = signed_in(alice)
    browser.get(f"/clients/{grace.public_id}/")  # the first visit (an INSERT); this one updates it
    with connection.execute_wrapper(remember):
        response = browser.get(f"/clients/{grace.public_id}/")

    assert response.status_code == 200
    sqls = [sql for sql, _atomic in statements]
    start = sqls.index(ASYNC)
    audit = next(i for i, sql in enumerate(sqls) if sql.startswith('INSERT INTO "audit_auditevent"'))
    visit = next(i for i, sql in enumerate(sqls) if sql.startswith('UPDATE "overview_visit"'))
    assert start < audit < visit
    assert all(atomic for _sql, atomic in statements[start : visit + 1])  # no commit in between
    assert sqls.count(ASYNC) == 1
    assert Visit.objects.get(user=alice, client=grace).seq == grace.last_event_seq


def test_a_write_commits_synchronously(alice, grace):
    with CaptureQueriesContext(connection) as captured:
        note_create(actor=alice, client=grace, text="Written, and on disk before anyone is told")

    assert ASYNC not in [query["sql"] for query in captured.captured_queries]
    assert AuditEvent.objects.filter(action="note.create", client=grace).count() == 1


def test_inside_an_outer_transaction_the_outer_one_decides(alice, grace):
    with transaction.atomic():
        audit_read(record=access.record_access(alice, grace), action="client.view")
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
