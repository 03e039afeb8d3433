"""All or nothing: an import that fails at any point leaves no client, membership, audit row or event."""

from audit.models import AuditEvent
from circles.models import CircleMember, Client
from importing import changes as c
from importing import services
from importing.models import ImportJob
from realtime.models import Event
from tests.importing.conftest import csv_bytes

ROWS = [f"Client{n},Example,,,,,,,,,alice@example.org,,bob@example.org:Key worker" for n in range(50)]


def _record():
    return (Client.objects.count(), CircleMember.objects.count(), Event.objects.count())


def test_a_failure_while_saving_leaves_nothing_behind(adah, alice, bob, monkeypatch):
    job, _checked = services.import_check(actor=adah, file_name="fifty.csv", content=csv_bytes(*ROWS))
    before, audit_before = _record(), AuditEvent.objects.count()

    real_record = services.record

    def fails_after_the_clients_are_written(**kwargs):
        if kwargs["change"] is not c.IMPORT_RUN:
            return real_record(**kwargs)
        assert Client.objects.count() == 50  # written, inside the import's transaction…
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "record", fails_after_the_clients_are_written)
    services.import_start(actor=adah, job=job)

    assert _record() == before, "…and gone with it"
    assert AuditEvent.objects.count() == audit_before + 1  # only the start, which was committed before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.created_count == 0 and job.content == b""
    assert job.problems[0]["text"].startswith(
        "Nothing was imported: something went wrong while saving (RuntimeError)."
    )


def test_a_directory_change_since_the_dry_run_fails_the_import_with_its_row(adah, alice, bob):
    job, _checked = services.import_check(actor=adah, file_name="fifty.csv", content=csv_bytes(*ROWS))
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    before = _record()

    services.import_start(actor=adah, job=job)

    assert _record() == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.problem_count == 50
    assert job.problems[0]["text"] == "Row 2, other members: bob@example.org's account is switched off."
    assert not AuditEvent.objects.filter(action__in=["clients.import", "client.create"]).exists()


def test_an_admin_who_is_no_longer_one_imports_nothing(adah, alice):
    job, _checked = services.import_check(
        actor=adah, file_name="one.csv", content=csv_bytes(ROWS[0].split(",bob")[0] + ",")
    )
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    adah.org_role = "practitioner"
    adah.save(update_fields=["org_role"])

    services.import_run(job_id=job.pk)

    job.refresh_from_db()
    assert (
        job.status == "failed" and job.problems[0]["text"] == "Adah Admin is no longer an agency admin here."
    )
    assert Client.objects.count() == 0


def test_a_job_is_run_once_whoever_else_picks_it_up(adah, alice):
    job, _checked = services.import_check(
        actor=adah, file_name="one.csv", content=csv_bytes(ROWS[0].split(",bob")[0] + ",")
    )
    services.import_start(actor=adah, job=job)
    assert services.import_run(job_id=job.pk) == {"job": job.pk, "claimed": False}
    assert Client.objects.count() == 1
