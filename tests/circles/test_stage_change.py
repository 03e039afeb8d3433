"""The lead moves the client to another stage of their support, with a reason (the service)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from circles.services import client_stage_change
from realtime.models import Event
from tests.conftest import signed_in


def test_it_works(alice, grace):
    client_stage_change(
        actor=alice, client=grace, stage="assessment", reason="Ready to look at what is going on"
    )

    grace.refresh_from_db()
    assert grace.stage == "assessment"
    assert "Assessment" in signed_in(alice).get("/clients/").content.decode()


def test_it_checks_access(bob, charlie, grace):
    for person in (bob, charlie):
        with pytest.raises(PermissionDenied):
            client_stage_change(actor=person, client=grace, stage="support", reason="Plan agreed")
    grace.refresh_from_db()
    assert grace.stage == "intake"
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()


def test_an_unknown_stage_is_refused(alice, grace):
    with pytest.raises(ValidationError) as error:
        client_stage_change(actor=alice, client=grace, stage="finished", reason="Done")
    assert error.value.message_dict == {"stage": ["Choose a stage."]}
    grace.refresh_from_db()
    assert grace.stage == "intake"


def test_the_same_stage_again_changes_nothing(alice, grace):
    client_stage_change(actor=alice, client=grace, stage="intake")
    assert not AuditEvent.objects.exists()
    assert not Event.objects.exists()
