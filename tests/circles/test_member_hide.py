"""The lead hides a member (with a reason the circle sees) or stops hiding them; audited and live."""

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from circles import services
from circles.models import CircleMember
from tests.access.conftest import client_socket, element_text, receive_until
from tests.conftest import api_as, signed_in

REASON = "Domestic abuse adviser: Grace's safety depends on it"


def place(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def test_it_works(alice, carol, grace):
    member = services.circle_member_hide(
        actor=alice, client=grace, member=place(grace, carol), hidden=True, reason=REASON
    )

    assert (member.is_hidden, member.hidden_reason) == (True, REASON)
    audit = AuditEvent.objects.get(action="circle.member_hide")
    assert (audit.actor, audit.before, audit.after) == (
        alice,
        {"is_hidden": False, "hidden_reason": ""},
        {"is_hidden": True, "hidden_reason": REASON},
    )
    shown = services.circle_member_hide(actor=alice, client=grace, member=member, hidden=False)
    assert (shown.is_hidden, shown.hidden_reason) == (False, "")
    assert AuditEvent.objects.filter(action="circle.member_hide").count() == 2


def test_hiding_needs_a_reason(alice, carol, grace):
    with pytest.raises(ValidationError) as refused:
        services.circle_member_hide(actor=alice, client=grace, member=place(grace, carol), hidden=True)
    assert "reason" in refused.value.message_dict
    assert not place(grace, carol).is_hidden


@pytest.mark.parametrize("who", ["bob", "carol", "charlie"])
def test_it_checks_access(who, request, grace, carol):
    with pytest.raises(PermissionDenied):
        services.circle_member_hide(
            actor=request.getfixturevalue(who),
            client=grace,
            member=place(grace, carol),
            hidden=True,
            reason="x",
        )
    assert not AuditEvent.objects.filter(action="circle.member_hide").exists()


def test_the_circle_sees_who_is_hidden_and_why(alice, bob, carol, grace):
    services.circle_member_hide(
        actor=alice, client=grace, member=place(grace, carol), hidden=True, reason=REASON
    )

    circle = element_text(signed_in(bob).get(f"/clients/{grace.public_id}/").content, "circle-members")
    assert "Carol Other-Org" in circle and "Hidden" in circle and REASON in circle
    listed = {m["name"]: m for m in api_as(bob).get(f"/api/v1/clients/{grace.public_id}/members/").data}
    assert (listed["Carol Other-Org"]["is_hidden"], listed["Carol Other-Org"]["hidden_reason"]) == (
        True,
        REASON,
    )


def test_the_lead_hides_from_the_page(alice, carol, grace):
    member = place(grace, carol)
    page = signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    url = reverse("circles:member_hide", args=[grace.public_id, member.pk])
    assert url in page  # the control in the circle panel

    assert signed_in(alice).post(url, {"hidden": "yes", "reason": ""}).status_code == 400
    response = signed_in(alice).post(url, {"hidden": "yes", "reason": REASON})
    assert response.status_code == 302
    assert place(grace, carol).is_hidden
    assert "Stop hiding" in signed_in(alice).get(f"/clients/{grace.public_id}/").content.decode()
    signed_in(alice).post(url, {"hidden": "no"})
    assert not place(grace, carol).is_hidden


def test_the_page_control_is_for_the_lead_only(bob, carol, grace):
    member = place(grace, carol)
    url = reverse("circles:member_hide", args=[grace.public_id, member.pk])
    assert url not in signed_in(bob).get(f"/clients/{grace.public_id}/").content.decode()
    assert signed_in(bob).post(url, {"hidden": "yes", "reason": REASON}).status_code == 403


def test_the_api(alice, bob, carol, grace):
    member = place(grace, carol)
    url = f"/api/v1/clients/{grace.public_id}/members/{member.pk}/hidden/"

    assert api_as(bob).post(url, {"hidden": True, "reason": REASON}).status_code == 403
    assert api_as(alice).post(url, {"hidden": True}).status_code == 400
    response = api_as(alice).post(url, {"hidden": True, "reason": REASON}, format="json")
    assert response.status_code == 200
    assert (response.data["is_hidden"], response.data["hidden_reason"]) == (True, REASON)


def test_once_hidden_outsiders_no_longer_see_them(alice, carol, charlie, grace):
    services.circle_member_hide(
        actor=alice, client=grace, member=place(grace, carol), hidden=True, reason=REASON
    )

    page = signed_in(charlie).get(f"/clients/{grace.public_id}/").content.decode()
    assert "Alice Lead" in page and "Carol Other-Org" not in page


@pytest.mark.django_db(transaction=True)
async def test_it_is_live(alice, bob, carol, charlie, grace):
    await database_sync_to_async(services.emergency_access_start)(
        actor=charlie, client=grace, reason="Grace is in A&E and cannot speak"
    )
    as_bob = await client_socket(bob, grace)
    as_charlie = await client_socket(charlie, grace)
    member = await database_sync_to_async(place)(grace, carol)
    try:
        await database_sync_to_async(services.circle_member_hide)(
            actor=alice, client=grace, member=member, hidden=True, reason=REASON
        )
        heard = await receive_until(as_bob, "event")
        assert (heard["event"], heard["payload"]["member_id"]) == ("circle.member_hide", member.pk)
        # The emergency reader is not told that someone became hidden (nor reloaded, which would tell it).
        while not await as_charlie.receive_nothing(timeout=0.3):
            message = await as_charlie.receive_json_from()
            assert message["type"] == "presence", message
            assert "Carol Other-Org" not in str(message)
    finally:
        await as_bob.disconnect()
        await as_charlie.disconnect()
