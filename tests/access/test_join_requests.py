"""Asking to join a circle: a practitioner outside it gives a reason, the lead is told at once and decides,
the asker is told. A request nobody decides lapses after JOIN_REQUEST_DAYS, and may then be made again."""

import datetime

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from audit.models import AuditEvent
from circles import services
from circles.models import CircleMember, JoinRequest
from realtime.models import Notification
from tests.access.conftest import element_text, no_events, note_texts_in, personal_socket, receive_until
from tests.conftest import api_as, signed_in

REASON = "I met Grace at the housing office today; she is about to be evicted."


def page(client) -> str:
    return f"/clients/{client.public_id}/"


def ask(user, client, reason=REASON, role="police_officer"):
    return services.join_request_create(actor=user, client=client, reason=reason, role=role)


# Asking.


def test_it_works(alice, charlie, grace):
    browser = signed_in(charlie)
    assert browser.get(page(grace) + "join/").status_code == 200

    response = browser.post(page(grace) + "join/", {"role": "police_officer", "reason": REASON})

    assert response.status_code == 302 and response["Location"] == page(grace)
    request = JoinRequest.objects.get(client=grace, requester=charlie)
    assert (request.status, request.reason, request.organisation_id) == (
        "pending",
        REASON,
        charlie.organisation_id,
    )
    told = Notification.objects.get(user=alice)
    assert told.kind == "join_request.created"
    assert "Charlie Outsider" in told.text
    assert told.url == page(grace) + "#join-requests"
    # The asker's discovery page now says they asked, instead of offering to ask again.
    discover = browser.get(page(grace)).content.decode()
    assert "You asked to join" in discover
    assert page(grace) + "join/" not in discover


def test_the_lead_sees_it_on_the_client_page(alice, bob, charlie, grace):
    ask(charlie, grace)

    waiting = element_text(signed_in(alice).get(page(grace)).content, "join-requests")
    assert "Charlie Outsider" in waiting and REASON in waiting and "Police" in waiting
    # Nobody else in the circle sees requests to join.
    assert element_text(signed_in(bob).get(page(grace)).content, "join-requests") is None
    panel = signed_in(bob).get(page(grace) + "join-requests/")
    assert panel.status_code == 200 and "Charlie Outsider" not in panel.content.decode()
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/join-requests/").status_code == 403


def test_the_api_works(alice, charlie, grace):
    response = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "police_officer", "reason": REASON}
    )
    assert response.status_code == 201
    listed = api_as(alice).get(f"/api/v1/clients/{grace.public_id}/join-requests/")
    assert [(r["requester"], r["reason"], r["status"]) for r in listed.data] == [
        ("Charlie Outsider", REASON, "pending")
    ]


@pytest.mark.parametrize("who", ["manager", "police_admin"])
def test_managers_and_admins_may_ask_too(who, request, grace):
    user = request.getfixturevalue(who)
    response = signed_in(user).post(page(grace) + "join/", {"role": "key_worker", "reason": REASON})
    assert response.status_code == 302
    assert JoinRequest.objects.filter(client=grace, requester=user, status="pending").exists()


@pytest.mark.parametrize("who", ["panel_chair", "site_admin", "portal_user"])
def test_it_checks_who_may_ask(who, request, alice, grace):
    user = request.getfixturevalue(who)

    assert signed_in(user).get(page(grace) + "join/").status_code in (403, 404)
    assert signed_in(user).post(
        page(grace) + "join/", {"role": "key_worker", "reason": REASON}
    ).status_code in (403, 404)
    response = api_as(user).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "key_worker", "reason": REASON}
    )
    assert response.status_code in (403, 404)
    assert not JoinRequest.objects.exists()
    assert not Notification.objects.filter(user=alice).exists()


def test_it_checks_sign_in(client, grace):
    response = client.post(page(grace) + "join/", {"role": "key_worker", "reason": REASON})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    api = client.post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "key_worker", "reason": REASON}
    )
    assert api.status_code in (401, 403)
    assert not JoinRequest.objects.exists()


def test_a_member_is_not_offered_to_ask(carol, grace):
    response = signed_in(carol).post(page(grace) + "join/", {"role": "nurse", "reason": REASON})
    assert response.status_code == 302
    api = api_as(carol).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "nurse", "reason": REASON}
    )
    assert api.status_code == 409
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("reason", ["", "   \n\t  ", "\x00\x01"])
def test_it_needs_a_reason(reason, charlie, grace):
    response = signed_in(charlie).post(page(grace) + "join/", {"role": "police_officer", "reason": reason})
    assert response.status_code == 200
    assert 'id="id_reason-error"' in response.content.decode()  # "Say why…" (or, for NUL, "Null characters…")
    api = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "police_officer", "reason": reason}
    )
    assert api.status_code == 400
    assert not JoinRequest.objects.exists()


@pytest.mark.parametrize("role", ["lead_professional", "family_member", "carer", "nonsense"])
def test_it_refuses_roles_an_asker_cannot_take(role, charlie, grace):
    api = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": role, "reason": REASON}
    )
    assert api.status_code == 400
    assert not JoinRequest.objects.exists()


def test_one_request_at_a_time(alice, charlie, grace):
    ask(charlie, grace)
    again = api_as(charlie).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/", {"role": "police_officer", "reason": REASON}
    )
    assert again.status_code == 409
    assert JoinRequest.objects.filter(requester=charlie).count() == 1
    assert Notification.objects.filter(user=alice).count() == 1


# Deciding.


def test_approving_lets_them_in_and_tells_them(alice, charlie, grace, notes):
    request = ask(charlie, grace)

    response = signed_in(alice).post(page(grace) + f"join-requests/{request.pk}/approve/")

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", alice)
    member = CircleMember.objects.get(client=grace, user=charlie, until=None)
    assert (member.role, member.organisation_id, member.is_lead) == (
        "police_officer",
        charlie.organisation_id,
        False,
    )
    told = Notification.objects.get(user=charlie)
    assert told.kind == "join_request.approved" and told.url == page(grace)
    # Charlie now has the record, with what the circle shares (Grace consented to share with the circle).
    record = signed_in(charlie).get(page(grace))
    assert [t.name for t in record.templates][0] == "circles/client_detail.html"
    assert note_texts_in(record.content.decode()) == {"ALICE-CIRCLE", "BOB-CIRCLE", "CAROL-CIRCLE"}
    assert AuditEvent.objects.filter(
        action="join_request.decide", actor=alice, after__status="approved"
    ).exists()


def test_declining_tells_them_why_and_keeps_them_out(alice, charlie, grace):
    request = ask(charlie, grace)

    signed_in(alice).post(
        page(grace) + f"join-requests/{request.pk}/decline/", {"note": "Police are not needed yet."}
    )

    request.refresh_from_db()
    assert request.status == "declined"
    assert not CircleMember.objects.filter(client=grace, user=charlie).exists()
    told = Notification.objects.get(user=charlie)
    assert told.kind == "join_request.declined" and "Police are not needed yet." in told.text
    assert signed_in(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    # Declined is decided: the lead's page stops showing it.
    assert "Charlie Outsider" not in (
        element_text(signed_in(alice).get(page(grace)).content, "join-requests") or ""
    )


def test_the_api_decides_too(alice, charlie, grace):
    request = ask(charlie, grace)
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/{request.pk}/decision/",
        {"approve": True},
        format="json",
    )
    assert response.status_code == 200 and response.data["status"] == "approved"
    assert CircleMember.objects.filter(client=grace, user=charlie, until=None).exists()


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_lead_decides(who, request, charlie, grace):
    user = request.getfixturevalue(who)
    join_request = ask(charlie, grace)

    assert signed_in(user).post(page(grace) + f"join-requests/{join_request.pk}/approve/").status_code == 403
    api = api_as(user).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/{join_request.pk}/decision/",
        {"approve": True},
        format="json",
    )
    assert api.status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert not CircleMember.objects.filter(client=grace, user=charlie).exists()


@pytest.mark.parametrize("who", ["charlie", "panel_chair", "site_admin", "portal_user", "manager"])
def test_outsiders_cannot_decide(who, request, charlie, grace):
    user = request.getfixturevalue(who)
    join_request = ask(charlie, grace)

    assert signed_in(user).post(page(grace) + f"join-requests/{join_request.pk}/approve/").status_code in (
        403,
        404,
    )
    api = api_as(user).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/{join_request.pk}/decision/",
        {"approve": True},
        format="json",
    )
    assert api.status_code in (403, 404)
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_anonymous_cannot_decide(client, charlie, grace):
    join_request = ask(charlie, grace)
    assert client.post(page(grace) + f"join-requests/{join_request.pk}/approve/").status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_a_request_belongs_to_its_client(alice, charlie, grace):
    """Alice leads another client too; a request made to Grace's circle cannot be approved through it."""
    other = services.client_create(actor=alice, given_name="Hope", family_name="Mensah")
    join_request = ask(charlie, grace)

    assert (
        signed_in(alice)
        .post(f"/clients/{other.public_id}/join-requests/{join_request.pk}/approve/")
        .status_code
        == 404
    )
    api = api_as(alice).post(
        f"/api/v1/clients/{other.public_id}/join-requests/{join_request.pk}/decision/",
        {"approve": True},
        format="json",
    )
    assert api.status_code == 404
    assert not CircleMember.objects.filter(user=charlie).exists()


def test_a_decided_request_cannot_be_decided_again(alice, charlie, grace):
    join_request = ask(charlie, grace)
    services.join_request_decide(actor=alice, request=join_request, approve=False)

    api = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/join-requests/{join_request.pk}/decision/",
        {"approve": True},
        format="json",
    )
    assert api.status_code == 409
    assert not CircleMember.objects.filter(user=charlie).exists()


# Lapsing.


def test_a_request_lapses_after_the_configured_days(settings, charlie, grace):
    settings.JOIN_REQUEST_DAYS = 3
    before = timezone.now()
    join_request = ask(charlie, grace)
    assert (
        before + datetime.timedelta(days=3)
        <= join_request.expires_at
        <= timezone.now() + datetime.timedelta(days=3)
    )


def test_a_lapsed_request_is_not_shown_and_cannot_be_approved(alice, charlie, grace):
    join_request = ask(charlie, grace)
    JoinRequest.objects.filter(pk=join_request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert "Charlie Outsider" not in (
        element_text(signed_in(alice).get(page(grace)).content, "join-requests") or ""
    )
    assert api_as(alice).get(f"/api/v1/clients/{grace.public_id}/join-requests/").data == []
    signed_in(alice).post(page(grace) + f"join-requests/{join_request.pk}/approve/")
    assert not CircleMember.objects.filter(user=charlie).exists()


def test_a_lapsed_request_may_be_made_again(alice, charlie, grace):
    first = ask(charlie, grace)
    JoinRequest.objects.filter(pk=first.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    browser = signed_in(charlie)
    assert f'href="{page(grace)}join/"' in browser.get(page(grace)).content.decode()

    response = browser.post(
        page(grace) + "join/", {"role": "police_officer", "reason": "Asking again, please."}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "expired"
    second = JoinRequest.objects.get(requester=charlie, status="pending")
    assert second.reason == "Asking again, please."
    assert "Asking again, please." in element_text(signed_in(alice).get(page(grace)).content, "join-requests")


# Live.


@pytest.mark.django_db(transaction=True)
async def test_the_lead_is_told_live(alice, bob, charlie, grace):
    as_alice = await personal_socket(alice)
    as_bob = await personal_socket(bob)

    await database_sync_to_async(ask)(charlie, grace)

    message = await receive_until(as_alice, "notification")
    assert message["notification"]["kind"] == "join_request.created"
    assert "Charlie Outsider" in message["notification"]["text"]
    assert message["notification"]["url"] == page(grace) + "#join-requests"
    assert await no_events(as_bob)
    await as_alice.disconnect()
    await as_bob.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_asker_is_told_live(alice, charlie, grace):
    join_request = await database_sync_to_async(ask)(charlie, grace)
    as_charlie = await personal_socket(charlie)

    await database_sync_to_async(services.join_request_decide)(
        actor=alice, request=join_request, approve=True
    )

    message = await receive_until(as_charlie, "notification")
    assert message["notification"]["kind"] == "join_request.approved"
    assert message["notification"]["url"] == page(grace)
    await as_charlie.disconnect()
