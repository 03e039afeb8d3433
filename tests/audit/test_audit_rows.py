"""Every write leaves an audit row: who, what, on which client and object, and before/after."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from circles import services as circle_services
from circles.models import CircleMember, Client
from sharing import services as sharing_services
from tests.conftest import api_as, signed_in


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def test_client_create(alice):
    client = circle_services.client_create(
        actor=alice, given_name="Amara", family_name="Mensah", date_of_birth=datetime.date(2016, 3, 14)
    )

    created = only("client.create")
    assert (created.actor, created.client, created.object_type, created.object_id) == (
        alice,
        client,
        "Client",
        str(client.pk),
    )
    assert created.before is None
    assert created.after == {
        "public_id": client.public_id,
        "given_name": "Amara",
        "family_name": "Mensah",
        "preferred_name": "",
        "date_of_birth": "2016-03-14",
        "stage": "intake",
    }
    lead = only("circle.member_add")
    assert (lead.actor, lead.client, lead.object_type) == (alice, client, "CircleMember")
    assert lead.after["user_id"] == alice.pk and lead.after["is_lead"] is True
    assert created.via == "command"  # called directly, not from a request


def test_circle_member_add(alice, charlie, grace):
    member = circle_services.circle_member_add(
        actor=alice, client=grace, kind="professional", role="police_officer", user=charlie
    )

    row = only("circle.member_add")
    assert (row.actor, row.client, row.object_type, row.object_id) == (
        alice,
        grace,
        "CircleMember",
        str(member.pk),
    )
    assert row.before is None
    assert row.after == {
        "kind": "professional",
        "user_id": charlie.pk,
        "name": "Charlie Outsider",
        "organisation_id": charlie.organisation_id,
        "role": "police_officer",
        "is_lead": False,
        "is_hidden": False,
        "since": member.since.isoformat(),
        "until": None,
    }


def test_circle_member_add_family(alice, grace):
    member = circle_services.circle_member_add(
        actor=alice, client=grace, kind="family", role="carer", name="Mary Okafor", relationship="Mother"
    )
    row = only("circle.member_add")
    assert row.object_id == str(member.pk)
    assert (row.after["kind"], row.after["name"], row.after["user_id"]) == ("family", "Mary Okafor", None)


def test_circle_member_remove(alice, bob, grace):
    member = circle_services.circle_member_remove(actor=alice, client=grace, member=membership(grace, bob))

    row = only("circle.member_remove")
    assert (row.actor, row.client, row.object_id) == (alice, grace, str(member.pk))
    assert row.before["until"] is None
    assert row.after["until"] == member.until.isoformat()
    assert row.before | {"until": None} == row.after | {"until": None}


def test_circle_lead_change(alice, bob, grace):
    old, new = membership(grace, alice), membership(grace, bob)

    circle_services.circle_lead_change(actor=alice, client=grace, member=new)

    row = only("circle.lead_change")
    assert (row.actor, row.client, row.object_id) == (alice, grace, str(new.pk))
    assert (row.before, row.after) == ({"lead_member_id": old.pk}, {"lead_member_id": new.pk})


def test_client_stage_change(alice, grace):
    circle_services.client_stage_change(actor=alice, client=grace, stage="support", reason="Plan agreed")

    row = only("client.stage_change")
    assert (row.actor, row.client, row.object_type, row.object_id) == (alice, grace, "Client", str(grace.pk))
    step = grace.stage_changes.get()
    assert (row.before, row.after) == (
        {"stage": "intake"},
        {"stage": "support", "reason": "Plan agreed", "outcome": "", "stage_change_id": step.pk},
    )


def test_note_create(carol, grace):
    note = sharing_services.note_create(
        actor=carol, client=grace, text="Weighed baby.", kind="visit", visibility="organisation"
    )

    row = only("note.create")
    assert (row.actor, row.client, row.object_type, row.object_id) == (carol, grace, "Note", str(note.pk))
    # The text itself is not kept in the append-only trail, only its fingerprint (tests/security).
    assert {key: row.after[key] for key in ("kind", "visibility", "text_sha256", "text_length", "named")} == {
        "kind": "visit",
        "visibility": "organisation",
        "text_sha256": hashlib.sha256(b"Weighed baby.").hexdigest(),
        "text_length": len("Weighed baby."),
        "named": [],
    }


def test_refused_writes_leave_no_row(bob, carol, charlie, grace):
    with pytest.raises(PermissionDenied):
        circle_services.circle_member_add(
            actor=bob, client=grace, kind="professional", role="gp", user=charlie
        )
    with pytest.raises(PermissionDenied):
        circle_services.circle_member_remove(actor=bob, client=grace, member=membership(grace, carol))
    with pytest.raises(PermissionDenied):
        sharing_services.note_create(actor=charlie, client=grace, text="Not mine to write.")
    with pytest.raises(ValidationError):
        sharing_services.note_create(actor=bob, client=grace, text="")
    with pytest.raises(ValidationError):
        circle_services.client_create(actor=bob, given_name="", family_name="")

    assert not AuditEvent.objects.exists()
    assert Client.objects.count() == 1


def test_writes_from_a_page_say_so(alice, as_alice, grace):
    as_alice.post(
        f"/clients/{grace.public_id}/notes/new/",
        {"kind": "update", "text": "From the page.", "visibility": "circle"},
        HTTP_USER_AGENT="Mozilla/5.0 (tests)",
    )
    row = only("note.create")
    assert (row.actor, row.via, row.ip_address, row.user_agent) == (
        alice,
        "web",
        "127.0.0.1",
        "Mozilla/5.0 (tests)",
    )


def test_writes_from_the_api_say_so(alice, grace):
    api_as(alice).post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "From the API."}, format="json")
    row = only("note.create")
    assert (row.actor, row.via, row.ip_address) == (alice, "api", "127.0.0.1")


def test_a_long_or_odd_user_agent_is_kept_short_and_clean(alice, grace):
    signed_in(alice).get(f"/clients/{grace.public_id}/", HTTP_USER_AGENT="Bot\x07/1.0 " + "x" * 500)
    row = only("client.view")
    assert row.user_agent.startswith("Bot/1.0 x")
    assert len(row.user_agent) == 300


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; SQLite relies on code"
)
def test_the_trail_is_append_only_on_postgresql(alice, grace):
    circle_services.client_stage_change(actor=alice, client=grace, stage="support", reason="Plan agreed")
    row = only("client.stage_change")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()

    assert AuditEvent.objects.get(pk=row.pk).action == "client.stage_change"
