"""Every service write also appends to the client's outbox: events numbered 1, 2, 3… with no gaps."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from circles import services as circle_services
from circles.models import CircleMember, Client
from realtime.models import Event
from sharing import services as sharing_services
from tests.conftest import api_as, signed_in


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def events(client) -> list[tuple[int, str]]:
    return list(Event.objects.filter(client=client).order_by("seq").values_list("seq", "type"))


def test_it_works(alice, bob, carol, charlie, grace):
    sharing_services.note_create(actor=bob, client=grace, text="One.")
    member = circle_services.circle_member_add(
        actor=alice, client=grace, kind="professional", role="police_officer", user=charlie
    )
    circle_services.circle_member_remove(actor=alice, client=grace, member=member)
    circle_services.circle_lead_change(actor=alice, client=grace, member=membership(grace, carol))
    circle_services.client_stage_change(
        actor=carol, client=grace, stage="assessment", reason="Time to assess"
    )
    sharing_services.note_create(actor=carol, client=grace, text="Two.", visibility="organisation")

    assert events(grace) == [
        (1, "note.create"),
        (2, "circle.member_add"),
        (3, "circle.member_remove"),
        (4, "circle.lead_change"),
        (5, "client.stage_change"),
        (6, "note.create"),
    ]
    grace.refresh_from_db()
    assert grace.last_event_seq == 6


def test_refused_writes_take_no_number(alice, bob, carol, charlie, grace):
    sharing_services.note_create(actor=alice, client=grace, text="One.")
    with pytest.raises(PermissionDenied):
        circle_services.circle_member_add(
            actor=bob, client=grace, kind="professional", role="gp", user=charlie
        )
    with pytest.raises(PermissionDenied):
        sharing_services.note_create(actor=charlie, client=grace, text="Not mine.")
    with pytest.raises(ValidationError):
        circle_services.circle_member_remove(actor=alice, client=grace, member=membership(grace, alice))
    with pytest.raises(ValidationError):
        circle_services.circle_member_add(
            actor=alice, client=grace, kind="professional", role="gp", user=carol
        )
    sharing_services.note_create(actor=alice, client=grace, text="Two.")

    assert [seq for seq, _ in events(grace)] == [1, 2]


def test_each_client_counts_on_its_own(alice, grace):
    other = circle_services.client_create(actor=alice, given_name="Amara", family_name="Mensah")
    sharing_services.note_create(actor=alice, client=grace, text="Grace 1.")
    sharing_services.note_create(actor=alice, client=other, text="Amara 2.")
    sharing_services.note_create(actor=alice, client=grace, text="Grace 2.")

    assert events(other) == [(1, "client.create"), (2, "note.create")]
    assert [seq for seq, _ in events(grace)] == [1, 2]


def test_writes_through_pages_and_the_api_are_numbered_too(alice, as_alice, charlie, grace):
    as_alice.post(
        f"/clients/{grace.public_id}/notes/new/", {"kind": "update", "text": "a", "visibility": "circle"}
    )
    api_as(alice).post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "b"}, format="json")
    as_alice.post(
        f"/clients/{grace.public_id}/circle/add/", {"kind": "professional", "user": charlie.pk, "role": "gp"}
    )
    api_as(alice).delete(f"/api/v1/clients/{grace.public_id}/members/{membership(grace, charlie).pk}/")
    # Reads and refused writes add nothing.
    signed_in(alice).get(f"/clients/{grace.public_id}/")
    api_as(charlie).post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "c"}, format="json")

    assert [seq for seq, _ in events(grace)] == [1, 2, 3, 4]


def test_events_are_small_json_with_the_right_audience(alice, carol, charlie, grace):
    circle_note = sharing_services.note_create(actor=alice, client=grace, text="Whole circle.")
    org_note = sharing_services.note_create(
        actor=carol, client=grace, text="Health only.", visibility="organisation"
    )
    member = circle_services.circle_member_add(
        actor=alice, client=grace, kind="professional", role="gp", user=charlie
    )

    messages = [event.as_message() for event in Event.objects.filter(client=grace).order_by("seq")]

    assert json.loads(json.dumps(messages)) == messages
    assert messages == [
        {
            "seq": 1,
            "type": "note.create",
            "payload": {"note_id": circle_note.pk},
            "audience": {
                "organisation": alice.organisation_id,
                "visibility": "circle",
                "author": alice.pk,
                "client_visible": False,
            },
        },
        {
            "seq": 2,
            "type": "note.create",
            "payload": {"note_id": org_note.pk},
            "audience": {
                "organisation": carol.organisation_id,
                "visibility": "organisation",
                "author": carol.pk,
                "client_visible": False,
            },
        },
        {
            "seq": 3,
            "type": "circle.member_add",
            "payload": {"member_id": member.pk, "user_id": charlie.pk},
            "audience": {"client_visible": True},  # the client sees who is helping (never hidden members)
        },
    ]
    # No note text travels in an event: sockets fetch what their person may read.
    assert "Health only." not in json.dumps(messages)


def test_a_write_marks_the_clients_latest_activity(alice, grace):
    before = Client.objects.get(pk=grace.pk).last_activity_at
    sharing_services.note_create(actor=alice, client=grace, text="x")
    event = Event.objects.get(client=grace, seq=1)
    assert Client.objects.get(pk=grace.pk).last_activity_at == event.created_at > before
