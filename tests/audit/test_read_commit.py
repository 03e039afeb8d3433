"""On PostgreSQL a read's audit row is committed without waiting for the disk (see
audit.services._read_event_transaction); writes, and their audit rows, still wait."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_read
from circles import access
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
