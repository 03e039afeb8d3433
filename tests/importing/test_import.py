"""The import: a background task that checks every row again (telling the job as it goes), then makes every
client in one go, each as client_create would (public ID, who registered them, the lead, audit, events)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditEvent
from circles import public_id
from circles.models import Client
from importing import checking, services
from importing.models import ImportJob
from realtime.models import Event
from tests.conftest import signed_in
from tests.importing.conftest import csv_bytes

ROWS = (
    'Grace,Okafor,,14/03/1990,she/her,,\'+44 7700 900123,grace@mail.example,"1 High St\nNorthbridge",,'
    "alice@example.org,Family support worker,carol@example.org:Health visitor; bob@example.org",
    "Daniel,Okafor,Dan,2016-05-01,,,,,,,ALICE@example.org,,",
)


def test_a_checked_file_is_imported_by_the_task_with_every_invariant_of_client_create(
    adah, alice, bob, carol
):
    job, _checked = services.import_check(actor=adah, file_name="okafors.csv", content=csv_bytes(*ROWS))
    assert job.status == ImportJob.Status.CHECKED and job.row_count == 2 and job.member_count == 2
    assert Client.objects.count() == 0

    job = services.import_start(actor=adah, job=job)  # the task runs at once in tests

    assert job.status == ImportJob.Status.DONE and job.created_count == 2 and job.percent == 100
    assert ImportJob.objects.get(pk=job.pk).content == b"", "the file is not kept once imported"
    grace = Client.objects.get(given_name="Grace")
    public_id.normalise(grace.public_id)  # a real public ID, with its check character
    assert grace.created_by == adah
    assert (grace.phone, grace.address, grace.email) == (
        "+44 7700 900123",
        "1 High St\nNorthbridge",
        "grace@mail.example",
    )
    assert str(grace.date_of_birth) == "1990-03-14" and grace.stage == Client.Stage.INTAKE
    circle = {(m.user, m.role, m.is_lead, m.organisation_id, m.added_by) for m in grace.members.all()}
    assert circle == {
        (alice, "family_support", True, alice.organisation_id, adah),
        (carol, "health_visitor", False, carol.organisation_id, adah),
        (bob, "other", False, bob.organisation_id, adah),
    }
    # The record's events, numbered from 1 as publish() would: created, then the two who joined.
    assert list(Event.objects.filter(client=grace).values_list("seq", "type")) == [
        (1, "client.create"),
        (2, "circle.member_add"),
        (3, "circle.member_add"),
    ]
    assert grace.last_event_seq == 3
    # Audited as client_create and circle_member_add audit, by the admin, from the task; and the import.
    actions = sorted(AuditEvent.objects.filter(client=grace).values_list("action", "actor", "via"))
    assert actions == [
        ("circle.member_add", adah.pk, "task"),
        ("circle.member_add", adah.pk, "task"),
        ("circle.member_add", adah.pk, "task"),
        ("client.create", adah.pk, "task"),
    ]
    run = AuditEvent.objects.get(action="clients.import")
    assert run.actor == adah and run.object_id == str(job.pk)
    assert run.after == {
        "file_name": "okafors.csv",
        "rows": 2,
        "members": 2,
        "likely_duplicates": 0,
        "clients_created": 2,
    }
    assert AuditEvent.objects.filter(action="clients.import_check", actor=adah).count() == 1
    assert AuditEvent.objects.filter(action="clients.import_start", actor=adah).count() == 1
    # The lead sees their new clients; the admin, who is in no circle, does not.
    assert signed_in(alice).get(f"/clients/{grace.public_id}/").status_code == 200


def test_the_task_reports_its_progress_on_the_job_as_it_goes(adah, alice, monkeypatch):
    """What the page's bar reads, as the task wrote it: committed row counts while checking, then saving."""
    monkeypatch.setattr(checking, "PROGRESS_EVERY", 2)
    monkeypatch.setattr(services, "SAVE_CHUNK", 2)
    rows = [f"Client{n},Example,,,,,,,,,alice@example.org,," for n in range(5)]
    job, _checked = services.import_check(actor=adah, file_name="five.csv", content=csv_bytes(*rows))
    seen = []
    real_check = checking.check

    def check_and_watch(content, *, actor, progress=None):
        def watched(rows):
            progress(rows)
            fresh = ImportJob.objects.get(pk=job.pk)
            seen.append((fresh.status, fresh.rows_checked, fresh.percent))

        return real_check(content, actor=actor, progress=watched)

    monkeypatch.setattr(services.checking, "check", check_and_watch)
    real_register = services.clients_register_many

    def register_and_watch(**kwargs):
        fresh = ImportJob.objects.get(pk=job.pk)
        seen.append((fresh.status, fresh.rows_checked, fresh.percent))
        return real_register(**kwargs)

    monkeypatch.setattr(services, "clients_register_many", register_and_watch)

    services.import_start(actor=adah, job=job)

    # Saving goes two clients at a time, in the one transaction (told from outside it on PostgreSQL only:
    # test_saving_progress_is_seen_outside_the_import_transaction).
    assert seen == [
        ("checking", 2, 4),
        ("checking", 4, 8),
        ("checking", 5, 10),
        ("saving", 5, 10),
        ("saving", 5, 10),
        ("saving", 5, 10),
    ]
    done = ImportJob.objects.get(pk=job.pk)
    assert (done.percent, done.rows_saved, done.created_count, Client.objects.count()) == (100, 5, 5, 5)


@pytest.mark.django_db(transaction=True)
def test_saving_progress_is_seen_outside_the_import_transaction(adah):
    """While the import's one transaction is open, the count of clients saved is committed by another
    connection, so the page's bar can move; SQLite has one writer, so there it says nothing until the end."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the count appears when the import commits")
    job = ImportJob.objects.create(
        organisation=adah.organisation, created_by=adah, file_name="x.csv", row_count=1000, status="saving"
    )

    def read_from_elsewhere() -> int:
        try:
            return ImportJob.objects.get(pk=job.pk).rows_saved
        finally:
            connections.close_all()

    with transaction.atomic():
        with services._saving_progress(job.pk) as tell:
            tell(500)
        with ThreadPoolExecutor(max_workers=1) as other:
            assert other.submit(read_from_elsewhere).result() == 500
        assert ImportJob.objects.get(pk=job.pk).percent == 55


def test_the_job_page_shows_the_check_then_a_progress_bar_that_polls_then_the_result(adah, alice):
    browser = signed_in(adah)
    job, _checked = services.import_check(actor=adah, file_name="okafors.csv", content=csv_bytes(ROWS[1]))
    page = browser.get(f"/organisation/imports/{job.pk}/").content.decode()
    assert "Every row is ready: 1 client." in page and "Import 1 client" in page

    ImportJob.objects.filter(pk=job.pk).update(status="checking", row_count=1000, rows_checked=500)
    panel = browser.get(f"/organisation/imports/{job.pk}/progress/").content.decode()
    assert "Checked 500 of 1,000 rows" in panel
    assert 'value="5"' in panel and 'hx-trigger="every 1s"' in panel

    ImportJob.objects.filter(pk=job.pk).update(status="saving", rows_checked=1000, rows_saved=500)
    panel = browser.get(f"/organisation/imports/{job.pk}/progress/").content.decode()
    assert "Saved 500 of 1,000 clients" in panel and 'value="55"' in panel

    ImportJob.objects.filter(pk=job.pk).update(status="checked", row_count=1, rows_checked=0)
    response = browser.post(f"/organisation/imports/{job.pk}/start/")
    assert response.status_code == 302
    panel = browser.get(f"/organisation/imports/{job.pk}/progress/").content.decode()
    assert "1 client imported" in panel and "hx-trigger" not in panel
    # Starting it again says why not, and changes nothing.
    browser.post(f"/organisation/imports/{job.pk}/start/")
    assert "This import is finished." in browser.get(f"/organisation/imports/{job.pk}/").content.decode()
    assert Client.objects.count() == 1


def test_the_upload_page_leads_to_the_job(adah, alice, bob, carol):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("okafors.csv", csv_bytes(*ROWS), content_type="text/csv")
    response = signed_in(adah).post("/organisation/imports/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organisation/imports/{job.pk}/"
    assert job.file_name == "okafors.csv" and job.created_by == adah


def test_only_agency_admins_import_and_only_their_organisations_imports(adah, alice, charlie, police):
    from tests.factories import UserFactory

    job, _checked = services.import_check(actor=adah, file_name="a.csv", content=csv_bytes(ROWS[1]))
    assert signed_in(alice).get("/organisation/imports/").status_code == 403
    assert signed_in(alice).post(f"/organisation/imports/{job.pk}/start/").status_code == 403
    police_admin = UserFactory(organisation=police, org_role="admin")
    assert signed_in(police_admin).get(f"/organisation/imports/{job.pk}/").status_code == 404
    assert signed_in(police_admin).post(f"/organisation/imports/{job.pk}/start/").status_code == 404
    assert ImportJob.objects.get(pk=job.pk).status == "checked"
