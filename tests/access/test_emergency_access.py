"""Emergency access ("break the glass"): a practitioner outside the circle gives a reason (10 characters or
more) and sees what the circle shares until EMERGENCY_ACCESS_MINUTES are up. The lead is told at once,
and every read under it is marked in the audit."""

import datetime

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from audit.models import AuditEvent
from circles import services
from circles.models import EmergencyAccess
from realtime.models import Notification
from sharing.services import note_create
from tests.access.conftest import (
    client_socket,
    element_text,
    next_message,
    note_texts_in,
    personal_socket,
    receive_until,
)
from tests.conftest import api_as, signed_in

REASON = "Grace is in A&E and cannot tell us her medication."


def page(client) -> str:
    return f"/clients/{client.public_id}/"


def expire(grant) -> None:
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_it_works(settings, alice, charlie, grace, notes):
    settings.EMERGENCY_ACCESS_MINUTES = 15
    browser = signed_in(charlie)
    assert "I need to see the record now" in browser.get(page(grace)).content.decode()

    response = browser.post(page(grace) + "emergency/", {"reason": REASON})

    assert response.status_code == 302 and response["Location"] == page(grace)
    grant = EmergencyAccess.objects.get(client=grace, user=charlie)
    assert grant.reason == REASON
    assert abs((grant.expires_at - grant.started_at) - datetime.timedelta(minutes=15)) < datetime.timedelta(
        seconds=1
    )
    record = browser.get(page(grace))
    assert [t.name for t in record.templates][0] == "circles/client_detail.html"
    assert element_text(record.content, "emergency-banner") is not None
    # What the circle shares; never what is kept to Early Help or to named people.
    assert note_texts_in(record.content.decode()) == {"ALICE-CIRCLE", "BOB-CIRCLE", "CAROL-CIRCLE"}
    assert element_text(record.content, "add-note") is None


def test_the_api_works(charlie, grace, notes):
    response = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": REASON}
    )
    assert response.status_code == 201
    listed = api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/")
    assert {n["text"] for n in listed.data["results"]} == {"ALICE-CIRCLE", "BOB-CIRCLE", "CAROL-CIRCLE"}
    hidden_away = notes["alice_org"].pk
    assert api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/{hidden_away}/").status_code == 404


@pytest.mark.parametrize(
    "reason", ["", "too short", "   short   ", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b"]
)
def test_it_needs_a_real_reason(reason, alice, charlie, grace):
    response = signed_in(charlie).post(page(grace) + "emergency/", {"reason": reason})
    assert response.status_code == 200
    assert 'id="id_reason-error"' in response.content.decode()
    api = api_as(charlie).post(f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": reason})
    assert api.status_code == 400
    assert not EmergencyAccess.objects.exists()
    assert not Notification.objects.filter(user=alice).exists()
    assert signed_in(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404


def test_ten_characters_are_enough(charlie, grace):
    response = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": "  A&E now!!!  "}
    )
    assert response.status_code == 201


def test_the_lead_is_told_and_sees_it_on_the_page(alice, bob, charlie, grace):
    services.emergency_access_start(actor=charlie, client=grace, reason=REASON)

    told = Notification.objects.get(user=alice)
    assert told.kind == "emergency.started"
    assert "Charlie Outsider" in told.text and REASON in told.text
    assert not Notification.objects.filter(user=bob).exists()
    emergency = element_text(signed_in(alice).get(page(grace)).content, "emergency")
    assert "Charlie Outsider" in emergency and REASON in emergency
    assert element_text(signed_in(bob).get(page(grace)).content, "emergency") is None


def test_starting_again_while_it_runs_changes_nothing(alice, charlie, grace):
    first = services.emergency_access_start(actor=charlie, client=grace, reason=REASON)
    again = services.emergency_access_start(actor=charlie, client=grace, reason="Another reason entirely")
    assert again.pk == first.pk
    assert Notification.objects.filter(user=alice).count() == 1


def test_reads_under_it_are_marked_in_the_audit(charlie, bob, grace, notes):
    services.emergency_access_start(actor=charlie, client=grace, reason=REASON)

    signed_in(charlie).get(page(grace))
    api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/")
    api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/{notes['bob_circle'].pk}/")
    signed_in(bob).get(page(grace))

    charlie_rows = AuditEvent.objects.filter(actor=charlie, client=grace)
    assert sorted(charlie_rows.values_list("action", flat=True)) == sorted(
        ["emergency.start", "client.view", "note.list", "note.view"]
    )
    assert all(charlie_rows.values_list("emergency", flat=True))
    start = charlie_rows.get(action="emergency.start")
    assert start.after["reason"] == REASON
    # A member's reads are ordinary ones.
    assert AuditEvent.objects.get(actor=bob, action="client.view").emergency is False


def test_it_ends_when_the_time_is_up(charlie, grace, notes):
    grant = services.emergency_access_start(actor=charlie, client=grace, reason=REASON)
    expire(grant)

    response = signed_in(charlie).get(page(grace))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "circles/client_discover.html"
    assert note_texts_in(response.content.decode()) == set()
    assert api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    assert (
        api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/{notes['bob_circle'].pk}/").status_code
        == 404
    )
    assert signed_in(charlie).get(page(grace) + "circle/").status_code == 404


def test_it_gives_no_power_to_change_anything(alice, charlie, grace):
    services.emergency_access_start(actor=charlie, client=grace, reason=REASON)
    api = api_as(charlie)

    assert api.post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "Hello"}).status_code == 403
    assert (
        signed_in(charlie)
        .post(page(grace) + "notes/new/", {"kind": "update", "text": "Hello", "visibility": "circle"})
        .status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/clients/{grace.public_id}/consents/",
            {"scope": "circle", "method": "verbal", "given_by": "x"},
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/clients/{grace.public_id}/members/",
            {"kind": "professional", "role": "key_worker", "user_id": charlie.pk},
        ).status_code
        == 403
    )
    assert signed_in(charlie).get(page(grace) + "consent/new/").status_code == 403


def test_members_do_not_need_it(bob, grace):
    response = signed_in(bob).post(page(grace) + "emergency/", {"reason": REASON})
    assert response.status_code == 302
    api = api_as(bob).post(f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": REASON})
    assert api.status_code == 409
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("who", ["panel_chair", "site_admin", "portal_user"])
def test_it_checks_who_may_use_it(who, request, alice, grace, notes):
    user = request.getfixturevalue(who)

    assert signed_in(user).post(page(grace) + "emergency/", {"reason": REASON}).status_code in (403, 404)
    api = api_as(user).post(f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": REASON})
    assert api.status_code in (403, 404)
    assert not EmergencyAccess.objects.exists()
    assert not Notification.objects.filter(user=alice).exists()
    assert signed_in(user).get(page(grace)).status_code in (403, 404)


@pytest.mark.parametrize("who", ["manager", "police_admin"])
def test_managers_and_admins_cannot_break_the_glass(who, request, grace, notes):
    user = request.getfixturevalue(who)
    api = api_as(user).post(f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": REASON})
    assert api.status_code in (403, 404)
    assert note_texts_in(signed_in(user).get(page(grace)).content.decode()) == set()


def test_anonymous_cannot_use_it(client, grace):
    response = client.post(page(grace) + "emergency/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(
        f"/api/v1/clients/{grace.public_id}/emergency-access/", {"reason": REASON}
    ).status_code in (401, 403)
    assert not EmergencyAccess.objects.exists()


# Live.


@pytest.mark.django_db(transaction=True)
async def test_the_lead_is_told_live(alice, charlie, grace):
    as_alice = await personal_socket(alice)

    await database_sync_to_async(services.emergency_access_start)(actor=charlie, client=grace, reason=REASON)

    message = await receive_until(as_alice, "notification")
    assert message["notification"]["kind"] == "emergency.started"
    assert REASON in message["notification"]["text"]
    assert message["notification"]["url"] == page(grace) + "#emergency"
    await as_alice.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_open_page_follows_while_it_runs(alice, charlie, grace):
    await database_sync_to_async(services.emergency_access_start)(actor=charlie, client=grace, reason=REASON)
    as_charlie = await client_socket(charlie, grace)

    note = await database_sync_to_async(note_create)(actor=alice, client=grace, text="Update")

    assert (await receive_until(as_charlie, "event"))["payload"] == {"note_id": note.pk}
    await as_charlie.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_open_page_closes_when_the_time_is_up(alice, charlie, grace):
    grant = await database_sync_to_async(services.emergency_access_start)(
        actor=charlie, client=grace, reason=REASON
    )
    as_charlie = await client_socket(charlie, grace)
    await database_sync_to_async(expire)(grant)

    await database_sync_to_async(note_create)(actor=alice, client=grace, text="After the time was up")

    assert await next_message(as_charlie) == {"type": "revoked"}
    assert (await as_charlie.receive_output(timeout=3))["code"] == 4403
