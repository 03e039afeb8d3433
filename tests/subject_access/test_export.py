"""A subject access export holds every kind of record Alongside keeps about the client, never names a
hidden member, and lists what it left out and why."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from subject_access import services
from subject_access.models import SubjectAccessExport
from tests.conftest import signed_in
from tests.subject_access.conftest import IDA_EMAIL, IDA_NAME


def _files(export: SubjectAccessExport) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(bytes(export.file))) as archive:
        return {name.rsplit("/", 1)[-1]: archive.read(name).decode() for name in archive.namelist()}


def _exported(erin, grace, django_capture_on_commit_callbacks) -> SubjectAccessExport:
    with django_capture_on_commit_callbacks(execute=True):
        export, new = services.export_start(actor=erin, client=grace)
    assert new
    export.refresh_from_db()
    return export


@pytest.fixture
def exported(erin, grace, grace_record, django_capture_on_commit_callbacks):
    return _exported(erin, grace, django_capture_on_commit_callbacks)


def test_it_contains_every_kind_of_record(exported, grace_record, grace):
    assert exported.status == SubjectAccessExport.Status.DONE
    files = _files(exported)
    assert set(files) == {"export.html", "export.json", "redactions.json", "README.txt"}
    document = json.loads(files["export.json"])
    sections = document["sections"]
    assert sections["record"]["record"]["public_id"] == grace.public_id
    assert {m["name"] for m in sections["circle"]["members"]} >= {"Alice Lead", "Bob Same-Org", "Len Leaver"}
    left = next(m for m in sections["circle"]["members"] if m["name"] == "Len Leaver")
    assert left["left"] is not None
    assert "Rent arrears down to £300." in sections["notes"]["notes"][0]["text"]
    assert [g["goal"] for g in sections["plan"]["goals"]] == ["Keep our flat"]
    assert "Call the housing office" in [a["what"] for a in sections["plan"]["actions"]]
    assert any(
        h["what_changed"] == "Status" and h["after"] == "In progress" for h in sections["plan"]["history"]
    )
    assert sections["assessments"]["assessments"][0]["instrument"].startswith("PHQ-9")
    assert any(a["in_words"] == "Sleeping better this week." for a in sections["assessments"]["answers"])
    assert "Rent arrears since March" in [c["text"] for c in sections["board"]["cards"]]
    assert [m["why_discussed"] for m in sections["meetings"]["meetings"]] == ["The tenancy"]
    assert sections["meetings"]["decisions"][0]["decision"] == "Ask the landlord for a repayment plan"
    assert sections["referrals"]["referrals"][0]["service"] == "Youth diversion"
    assert {c["scope"] for c in sections["consents"]["consents"]} >= {
        "Share information with everyone in the circle",
        "Discuss at a case conference",
    }
    assert sections["stages"]["stage_changes"][0]["reason"] == "Starting the assessment"
    assert sections["portal"]["portal_access"][0]["who"] == "Grace (the client)"
    assert any(r["who"] == "Alice Lead" for r in sections["who_looked"]["reads"])
    html = files["export.html"]
    for words in (
        "Keep our flat",
        "Rent arrears since March",
        "Ask the landlord",
        "Youth diversion",
        "Len Leaver",
    ):
        assert words in html
    assert "<style>" in html and "@media print" in html and "<script" not in html


def test_no_hidden_member_is_named_anywhere(exported):
    files = _files(exported)
    for name, text in files.items():
        assert IDA_NAME.lower() not in text.lower(), name
        assert IDA_EMAIL not in text, name
        assert "Safe Haven" not in text, name  # nor her organisation
    document = json.loads(files["export.json"])
    # What she wrote and did is there, unnamed.
    assert any(
        n["by"] == "A member of the circle (name withheld)"
        and n["text"] == "Safety plan reviewed with Grace."
        for n in document["sections"]["notes"]["notes"]
    )
    action = next(
        a for a in document["sections"]["plan"]["actions"] if a["what"] == "Call the housing office"
    )
    assert action["who"] == "A member of the circle (name withheld)"
    assert (
        "A member of the circle (name withheld)"
        in document["sections"]["meetings"]["decisions"][0]["agreed_by"]
    )
    # Her mention in Alice's note is blanked too.
    assert (
        "Spoke to A member of the circle (name withheld) about"
        in document["sections"]["notes"]["notes"][0]["text"]
    )
    reasons = {(r["section"], r["reason"]) for r in json.loads(files["redactions.json"])["redactions"]}
    assert ("circle", "hidden_member") in reasons
    assert ("notes", "hidden_member") in reasons
    assert "whose identity the circle keeps from everyone outside it" in files["export.html"]


def test_third_parties_are_left_out_and_listed(exported):
    files = _files(exported)
    document = json.loads(files["export.json"])
    # Olu, discussed at the same meeting, is not in Grace's export.
    assert "Olu" not in files["export.html"] and "Olu's school place" not in files["export.json"]
    # Ama's contact details are not, though she is named as Grace's sister.
    assert "07700 900555" not in files["export.json"] and "ama@example.org" not in files["export.json"]
    assert any(m["name"] == "Ama Okafor" for m in document["sections"]["circle"]["members"])
    # Carol's "my organisation only" note is Community Health's to disclose, not Early Help's.
    assert "Health visitor's own note" not in files["export.json"]
    redactions = {(r["section"], r["reason"]): r["count"] for r in document["redactions"]}
    assert redactions[("meetings", "other_client")] == 1
    assert redactions[("circle", "family_contact")] == 1
    assert redactions[("notes", "other_organisation")] == 1
    assert exported.redaction_count == sum(r["count"] for r in document["redactions"])


def test_the_task_reports_its_progress_step_by_step(
    erin, grace, grace_record, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    real_step = services._step

    def watching(export_id):
        real_step(export_id)
        row = SubjectAccessExport.objects.defer("file").get(pk=export_id)
        seen.append((row.status, row.steps_done, row.steps_total))

    monkeypatch.setattr(services, "_step", watching)
    export = _exported(erin, grace, django_capture_on_commit_callbacks)
    total = services.STEPS_TOTAL
    assert seen == [("running", n, total) for n in range(1, total)]
    assert (export.status, export.steps_done, export.steps_total) == ("done", total, total)
    assert export.percent == 100


def test_starting_finishing_and_downloading_are_audited(
    erin, grace, grace_record, django_capture_on_commit_callbacks
):
    browser = signed_in(erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("subject_access:start", args=[grace.public_id]))
    export = SubjectAccessExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "subject_access:export", args=[export.pk]
    )
    page = browser.get(response["Location"])
    assert b"Download the export" in page.content
    download = browser.get(reverse("subject_access:download", args=[export.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download.content == bytes(SubjectAccessExport.objects.get().file)
    actions = list(
        AuditEvent.objects.filter(client=grace, action__startswith="subject_access.")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("subject_access.start", erin.pk),
        ("subject_access.finish", erin.pk),
        ("subject_access.download", erin.pk),
    ]


def test_the_progress_page_polls_until_done(erin, grace, grace_record):
    export, _ = services.export_start(actor=erin, client=grace)  # not committed: still waiting
    response = signed_in(erin).get(reverse("subject_access:progress", args=[export.pk]))
    assert b'hx-trigger="every 2s"' in response.content
    assert b"0 of 13 steps done" in response.content
    services.export_build(export.pk)
    response = signed_in(erin).get(reverse("subject_access:progress", args=[export.pk]))
    assert b"hx-trigger" not in response.content
    assert reverse("subject_access:download", args=[export.pk]).encode() in response.content


def test_asking_twice_while_it_is_being_put_together_makes_one(erin, grace):
    first, new = services.export_start(actor=erin, client=grace)
    again, new_again = services.export_start(actor=erin, client=grace)
    assert new and not new_again and again.pk == first.pk


def test_an_expired_export_cannot_be_downloaded(
    erin, grace, grace_record, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    export = _exported(erin, grace, django_capture_on_commit_callbacks)
    assert services.exports_purge_expired(timezone.now() + datetime.timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == "expired" and export.file is None
    response = signed_in(erin).get(reverse("subject_access:download", args=[export.pk]), follow=True)
    assert b"deleted after 7 days" in response.content


def test_the_build_reads_in_a_fixed_number_of_queries(erin, grace, alice, grace_record):
    """More notes, cards and plan changes do not mean more queries: each section is a few queries."""
    from board import services as board_services
    from sharing import services as sharing_services

    def queries_to_build() -> int:
        export, _ = services.export_start(actor=erin, client=grace)
        with CaptureQueriesContext(connection) as queries:
            assert services.export_build(export.pk) == "done"
        return len(queries.captured_queries)

    before = queries_to_build()
    for n in range(20):
        sharing_services.note_create(actor=alice, client=grace, text=f"Note {n}")
        board_services.card_add(actor=alice, client=grace, column="worry", kind="harm", text=f"Worry {n}")
    sharing_services.goal_add(actor=alice, client=grace, in_own_words="Daniel at school every day")
    assert queries_to_build() == before
