"""The case's stages: intake → assessment → planning → support → review → closed, with a reason each time;
loops allowed; closing records an outcome; a closed case is reopened with a reason. On the timeline, in the
audit and live."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from circles.models import Client, StageChange
from circles.services import client_reopen, client_stage_change
from realtime.models import Event
from tests.conftest import api_as, signed_in


def test_the_lead_moves_the_case_on_with_a_reason_from_the_page(alice, grace):
    browser = signed_in(alice)
    assert "Change stage" in browser.get(f"/clients/{grace.public_id}/").content.decode()
    response = browser.post(
        f"/clients/{grace.public_id}/stage/change/", {"stage": "assessment", "reason": "First visit done"}
    )
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.stage == "assessment"
    step = StageChange.objects.get()
    assert (step.from_stage, step.to_stage, step.reason, step.by) == (
        "intake",
        "assessment",
        "First visit done",
        alice,
    )
    event = Event.objects.get(type="client.stage_change")
    assert event.payload == {"stage": "assessment"}
    assert AuditEvent.objects.filter(action="client.stage_change", client=grace).count() == 1


def test_a_change_without_a_reason_is_refused_and_changes_nothing(alice, grace):
    response = signed_in(alice).post(f"/clients/{grace.public_id}/stage/change/", {"stage": "assessment"})
    assert response.status_code == 400
    assert "Say why the case is moving on" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        client_stage_change(actor=alice, client=grace, stage="assessment", reason="  ")
    assert list(error.value.message_dict) == ["reason"]
    grace.refresh_from_db()
    assert grace.stage == "intake" and not StageChange.objects.exists()


def test_closing_records_an_outcome(alice, grace):
    with pytest.raises(ValidationError) as error:
        client_stage_change(actor=alice, client=grace, stage="closed", reason="Finished")
    assert list(error.value.message_dict) == ["outcome"]
    with pytest.raises(ValidationError):
        client_stage_change(actor=alice, client=grace, stage="closed", reason="Finished", outcome="unknown")
    client_stage_change(actor=alice, client=grace, stage="closed", reason="Finished", outcome="partly_met")
    grace.refresh_from_db()
    assert (grace.stage, grace.outcome) == ("closed", "partly_met")


def test_the_case_may_loop(alice, grace):
    for stage in ("assessment", "planning", "support", "review", "assessment"):
        client_stage_change(actor=alice, client=grace, stage=stage, reason=f"On to {stage}")
    assert list(StageChange.objects.order_by("at", "pk").values_list("to_stage", flat=True)) == [
        "assessment",
        "planning",
        "support",
        "review",
        "assessment",
    ]


def test_a_closed_case_is_reopened_with_a_reason(alice, grace):
    client_stage_change(actor=alice, client=grace, stage="closed", reason="Moved", outcome="moved_away")
    with pytest.raises(ValidationError):
        client_stage_change(actor=alice, client=grace, stage="support", reason="Back")  # reopen instead
    browser = signed_in(alice)
    assert browser.get(f"/clients/{grace.public_id}/stage/change/").url.endswith("/stage/reopen/")
    refused = browser.post(f"/clients/{grace.public_id}/stage/reopen/", {"stage": "assessment", "reason": ""})
    assert refused.status_code == 400
    response = browser.post(
        f"/clients/{grace.public_id}/stage/reopen/", {"stage": "assessment", "reason": "Back in the area"}
    )
    assert response.status_code == 302
    grace.refresh_from_db()
    assert (grace.stage, grace.outcome) == ("assessment", "")
    assert StageChange.objects.filter(is_reopening=True, reason="Back in the area").exists()
    assert Event.objects.filter(type="client.reopen").exists()


def test_reopening_an_open_case_is_refused(alice, grace):
    with pytest.raises(ValidationError) as error:
        client_reopen(actor=alice, client=grace, reason="Why not")
    assert error.value.message_dict == {"stage": ["This case is open already."]}
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/stage/reopen/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 409 and "stage" in response.data


def test_only_the_lead(bob, grace):
    assert signed_in(bob).get(f"/clients/{grace.public_id}/stage/change/").status_code == 403
    response = api_as(bob).post(
        f"/api/v1/clients/{grace.public_id}/stage/", {"stage": "support", "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_the_api(alice, bob, grace):
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/stage/",
        {"stage": "planning", "reason": "Assessed"},
        format="json",
    )
    assert response.status_code == 200 and response.data["stage"] == "planning"
    history = api_as(bob).get(f"/api/v1/clients/{grace.public_id}/stage/")
    assert [(h["from_stage"], h["to_stage"], h["reason"]) for h in history.data["history"]] == [
        ("intake", "planning", "Assessed")
    ]
    no_reason = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/stage/", {"stage": "support"}, format="json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.data


def test_stage_changes_are_on_the_timeline(alice, grace):
    client_stage_change(actor=alice, client=grace, stage="review", reason="Three months in")
    client_stage_change(actor=alice, client=grace, stage="closed", reason="All done", outcome="goals_met")
    page = signed_in(alice).get(f"/clients/{grace.public_id}/timeline/").content.decode()
    assert "Stage: Intake → Review" in page and "Three months in" in page
    assert "Case closed: goals met" in page


def test_the_migration_maps_the_old_stages():
    migration = importlib.import_module("circles.migrations.0004_stages")
    a, b, c, d = (
        Client.objects.create(public_id=f"TEST-000{n}", given_name="A", family_name="B") for n in range(4)
    )
    Client.objects.filter(pk=a.pk).update(stage="first_contact")
    Client.objects.filter(pk=b.pk).update(stage="closing")
    Client.objects.filter(pk=c.pk).update(stage="closed")
    Client.objects.filter(pk=d.pk).update(stage="support")
    migration.forwards(django_apps, None)
    assert [
        (x.stage, x.outcome) for x in Client.objects.filter(pk__in=[a.pk, b.pk, c.pk, d.pk]).order_by("pk")
    ] == [
        ("intake", ""),
        ("review", ""),
        ("closed", "unknown"),
        ("support", ""),
    ]


pytestmark = pytest.mark.django_db
