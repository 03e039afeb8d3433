"""The portal's live socket: who may follow a client live from the portal, and what reaches them.

Portal viewers (the client, and family with the client's consent) must hear only of things shared with the
client; anything else must not reach them, not even as a doorbell with an id.
"""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from circles import services as circle_services
from circles.models import CircleMember, Consent, PortalAccess
from network.models import User
from realtime.models import Event
from realtime.routing import websocket_urlpatterns
from sharing import services as sharing_services
from sharing.models import Note
from tests.factories import ClientFactory, ConsentFactory, FamilyMemberFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


# Fixtures (synchronous: set up before the event loop runs the test).


def portal_account(client, email, *, member=None):
    """A portal account as accepting an invitation makes one (portal/services.invitation_accept, tested in
    test_portal.py), made directly so these socket tests do not depend on it."""
    kind = User.Kind.FAMILY if member else User.Kind.CLIENT
    user = User.objects.create_user(
        email, None, full_name=member.name if member else client.full_name, kind=kind
    )
    PortalAccess.objects.create(user=user, client=client, member=member)
    return user


@pytest.fixture
def grace_portal(grace):
    return portal_account(grace, "grace@example.org")


@pytest.fixture
def sister(grace):
    return FamilyMemberFactory(client=grace, name="Ama Okafor")


@pytest.fixture
def family_consent(alice, grace, sister):
    return ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)


@pytest.fixture
def ama_portal(grace, sister, family_consent):
    return portal_account(grace, "ama@example.org", member=sister)


@pytest.fixture
def shared_goal(alice, grace):
    return sharing_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")


@pytest.fixture
def private_goal(alice, grace):
    return sharing_services.goal_add(
        actor=alice, client=grace, in_own_words="Safeguarding review", shared_with_client=False
    )


# Helpers.


async def connect(user, client, *, page="portal"):
    url = f"/ws/clients/{client.public_id}/?page={page}"
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def receive_until(communicator, message_type):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == message_type:
            return message


async def open_socket(user, client, *, page="portal"):
    communicator, connected, code = await connect(user, client, page=page)
    assert connected, f"{user} could not subscribe (code {code})"
    await receive_until(communicator, "hello")
    return communicator


async def events_until(communicator, sentinel_event):
    """Every event delivered up to and including the first `sentinel_event` (presence chatter skipped)."""
    events = []
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] in ("revoked", "reload"):
            events.append((message["type"], None))
        if message["type"] != "event":
            continue
        events.append((message["event"], message["payload"]))
        if message["event"] == sentinel_event:
            return events


def sync(fn):
    return database_sync_to_async(fn)


# Who may subscribe.


async def test_the_client_follows_their_own_portal_live(grace_portal, grace):
    communicator, connected, code = await connect(grace_portal, grace)
    assert connected, code
    hello = await receive_until(communicator, "hello")
    assert hello["type"] == "hello" and hello["presence"] == []
    await communicator.disconnect()


async def test_the_client_may_not_follow_another_client(grace_portal, early_help):
    other = await sync(ClientFactory)(given_name="Someone", family_name="Else")
    communicator, connected, code = await connect(grace_portal, other)
    assert not connected
    assert code == 4403
    await communicator.disconnect()


async def test_anonymous_is_refused(grace):
    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/clients/{grace.public_id}/?page=portal"
    )
    communicator.scope["user"] = AnonymousUser()
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert not connected and code == 4401
    await communicator.disconnect()


async def test_a_family_member_with_consent_may_follow(ama_portal, grace):
    communicator, connected, code = await connect(ama_portal, grace)
    assert connected, code
    await communicator.disconnect()


async def test_a_family_member_without_consent_is_refused(alice, grace, sister, ama_portal, family_consent):
    await sync(circle_services.consent_withdraw)(
        actor=alice, consent=await sync(Consent.objects.get)(pk=family_consent.pk)
    )
    communicator, connected, code = await connect(ama_portal, grace)
    assert not connected
    assert code == 4403
    await communicator.disconnect()


async def test_a_family_member_who_was_never_given_consent_is_refused(grace, sister):
    # A portal account linked to a family member, but no family-portal consent was ever recorded.
    user = await sync(UserFactory)(email="cousin@example.org", organisation=None, kind="family")
    await sync(PortalAccess.objects.create)(user=user, client=grace, member=sister)
    communicator, connected, code = await connect(user, grace)
    assert not connected and code == 4403
    await communicator.disconnect()


async def test_a_family_member_may_not_follow_with_a_client_kind_grant(grace, sister):
    # A family account whose grant is the client's own (no member) is not the client: refused.
    user = await sync(UserFactory)(email="wrong-kind@example.org", organisation=None, kind="family")
    await sync(PortalAccess.objects.create)(user=user, client=grace, member=None)
    communicator, connected, _ = await connect(user, grace)
    assert not connected
    await communicator.disconnect()


# What reaches the portal.


async def test_the_client_hears_only_of_what_is_shared_with_them(
    grace_portal, alice, bob, carol, charlie, grace, shared_goal, private_goal, health
):
    portal = await open_socket(grace_portal, grace)
    professional = await open_socket(alice, grace, page="plan")
    add_goal = sync(sharing_services.goal_add)
    add_action = sync(sharing_services.action_add)
    add_note = sync(sharing_services.note_create)

    # Not shared with the client: none of these may reach the portal.
    hidden_goal = await add_goal(
        actor=alice, client=grace, in_own_words="Police liaison", shared_with_client=False
    )
    hidden_in_shared = await add_action(
        actor=alice, goal=shared_goal, what="Check the police log", shared_with_client=False
    )
    in_hidden_goal = await add_action(
        actor=alice, goal=private_goal, what="Strategy meeting"
    )  # shared flag, hidden goal
    await sync(sharing_services.goal_update)(
        actor=alice, goal=private_goal, changes={"success_looks_like": "Children safe"}, base_version=1
    )
    await sync(sharing_services.action_update)(
        actor=alice, action=hidden_in_shared, changes={"what": "Check the police log again"}, base_version=1
    )
    await sync(sharing_services.action_set_status)(actor=alice, action=in_hidden_goal, status="done")
    await sync(sharing_services.goal_remove)(actor=alice, goal=hidden_goal)
    await add_note(actor=alice, client=grace, text="Circle only", visibility=Note.Visibility.CIRCLE)
    await add_note(actor=alice, client=grace, text="Org only", visibility=Note.Visibility.ORGANISATION)
    await add_note(
        actor=alice, client=grace, text="Named only", visibility=Note.Visibility.NAMED, named_people=[bob]
    )
    await sync(circle_services.circle_member_add)(
        actor=alice, client=grace, kind="professional", role="advocate", user=charlie, is_hidden=True
    )
    await sync(circle_services.consent_record)(
        actor=alice,
        client=grace,
        scope="organisation",
        method="verbal",
        given_by="Grace",
        organisation=health,
    )
    outsider = await sync(UserFactory)(email="dana@example.org", full_name="Dana Outside")
    await sync(circle_services.join_request_create)(
        actor=outsider, client=grace, reason="I am her housing officer.", role="housing_officer"
    )

    # Shared with the client: each of these reaches the portal, in order.
    new_goal = await add_goal(actor=alice, client=grace, in_own_words="Get back to college")
    new_action = await add_action(
        actor=alice, goal=shared_goal, what="Call the landlord", owner_is_client=True
    )
    await sync(sharing_services.goal_update)(
        actor=alice, goal=private_goal, changes={"shared_with_client": True}, base_version=2
    )
    shared_note = await add_note(
        actor=alice, client=grace, text="The rent is sorted", visibility=Note.Visibility.CLIENT
    )

    received = await events_until(portal, "note.create")
    assert [event for event, _ in received] == [
        "plan.goal_add",
        "plan.action_add",
        "plan.goal_update",
        "note.create",
    ], f"the portal heard of things not shared with the client: {received}"
    assert received[0][1]["goal_id"] == new_goal.pk
    assert received[1][1]["action_id"] == new_action.pk
    assert received[2][1]["goal_id"] == private_goal.pk and received[2][1]["fields"] == ["shared_with_client"]
    assert received[3][1] == {"note_id": shared_note.pk}
    assert await portal.receive_nothing(timeout=0.3)

    # The professional on the plan page did hear of the hidden goal (the filter is the portal's, not a lost bell).
    first = await receive_until(professional, "event")
    assert first["event"] == "plan.goal_add" and first["payload"]["goal_id"] == hidden_goal.pk

    await portal.disconnect()
    await professional.disconnect()


async def test_a_goal_taken_out_of_the_portal_is_heard_once_then_never(
    grace_portal, alice, grace, shared_goal
):
    portal = await open_socket(grace_portal, grace)
    unshared = await sync(sharing_services.goal_update)(
        actor=alice, goal=shared_goal, changes={"shared_with_client": False}, base_version=1
    )
    # The portal must hear that it went (so the page drops it)...
    event = await receive_until(portal, "event")
    assert event["event"] == "plan.goal_update" and event["payload"]["goal_id"] == shared_goal.pk
    # ...and nothing about it after that.
    await sync(sharing_services.goal_update)(
        actor=alice, goal=unshared, changes={"success_looks_like": "Secret"}, base_version=unshared.version
    )
    assert await portal.receive_nothing(timeout=0.5)
    await portal.disconnect()


async def test_a_family_member_hears_shared_things_too(ama_portal, alice, grace, shared_goal):
    family = await open_socket(ama_portal, grace)
    await sync(sharing_services.goal_add)(
        actor=alice, client=grace, in_own_words="Hidden", shared_with_client=False
    )
    note = await sync(sharing_services.note_create)(
        actor=alice, client=grace, text="For Grace and Ama", visibility=Note.Visibility.CLIENT
    )
    event = await receive_until(family, "event")
    assert event["event"] == "note.create" and event["payload"] == {"note_id": note.pk}
    await family.disconnect()


async def test_moving_things_hidden_from_the_client_does_not_reach_the_portal(grace_portal, alice, grace):
    await sync(sharing_services.goal_add)(
        actor=alice, client=grace, in_own_words="Hidden one", shared_with_client=False
    )
    second = await sync(sharing_services.goal_add)(
        actor=alice, client=grace, in_own_words="Hidden two", shared_with_client=False
    )
    portal = await open_socket(grace_portal, grace)
    await sync(sharing_services.plan_move)(actor=alice, item=second, direction="up")
    note = await sync(sharing_services.note_create)(
        actor=alice, client=grace, text="Sentinel", visibility=Note.Visibility.CLIENT
    )
    received = await events_until(portal, "note.create")
    assert received == [("note.create", {"note_id": note.pk})], received
    assert await sync(Event.objects.filter(type="plan.goal_move").exists)()  # the move did happen, unheard
    await portal.disconnect()


# Revocation.


async def test_withdrawing_family_portal_consent_closes_the_family_members_open_socket(
    ama_portal, grace_portal, alice, grace, family_consent
):
    family = await open_socket(ama_portal, grace)
    client_socket = await open_socket(grace_portal, grace)

    await sync(circle_services.consent_withdraw)(
        actor=alice, consent=await sync(Consent.objects.get)(pk=family_consent.pk)
    )

    assert await receive_until(family, "revoked") == {"type": "revoked"}
    assert await family.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4403}
    # The client's own socket stays open and is not sent the consent event.
    note = await sync(sharing_services.note_create)(
        actor=alice, client=grace, text="Still here", visibility=Note.Visibility.CLIENT
    )
    received = await events_until(client_socket, "note.create")
    assert received == [("note.create", {"note_id": note.pk})], received
    # And Ama may not reconnect.
    again, connected, code = await connect(ama_portal, grace)
    assert not connected and code == 4403
    await again.disconnect()
    await client_socket.disconnect()


async def test_removing_the_family_member_from_the_circle_closes_their_socket(
    ama_portal, alice, grace, sister
):
    family = await open_socket(ama_portal, grace)
    await sync(circle_services.circle_member_remove)(
        actor=alice, client=grace, member=await sync(CircleMember.objects.get)(pk=sister.pk)
    )
    assert await receive_until(family, "revoked") == {"type": "revoked"}
    assert await family.receive_output(timeout=TIMEOUT) == {"type": "websocket.close", "code": 4403}


# The client's own words and ticks reach the team.


async def test_the_clients_own_words_reach_a_professionals_plan_socket(
    grace_portal, alice, grace, shared_goal
):
    plan_socket = await open_socket(alice, grace, page="plan")
    await sync(sharing_services.goal_comment_add)(
        user=grace_portal, goal=shared_goal, text="I rang them today."
    )
    event = await receive_until(plan_socket, "event")
    assert event["event"] == "plan.comment_add"
    assert event["payload"] == {"goal_id": shared_goal.pk, "by": grace_portal.full_name}
    await plan_socket.disconnect()


async def test_the_clients_tick_reaches_a_professionals_plan_socket(grace_portal, alice, grace, shared_goal):
    action = await sync(sharing_services.action_add)(
        actor=alice, goal=shared_goal, what="Open the post", owner_is_client=True
    )
    plan_socket = await open_socket(alice, grace, page="plan")
    await sync(sharing_services.action_done_by_client)(user=grace_portal, action=action)
    event = await receive_until(plan_socket, "event")
    assert event["event"] == "plan.action_update"
    assert event["payload"]["action_id"] == action.pk and event["payload"]["fields"] == ["status"]
    assert event["payload"]["by"] == grace_portal.full_name
    await plan_socket.disconnect()


# Presence: the portal's page kind is the server's to decide (issue 17, item 2).


async def test_a_portal_socket_asking_for_the_plan_hears_no_professional_presence(
    alice, grace_portal, grace, private_goal
):
    as_alice = await open_socket(alice, grace, page="plan")
    await as_alice.send_json_to({"type": "focus", "label": "Safeguarding review"})
    nosy = await open_socket(grace_portal, grace, page="plan")
    try:
        heard = []
        while not await nosy.receive_nothing(timeout=0.5):
            heard.append(await nosy.receive_json_from(timeout=TIMEOUT))
        assert "Safeguarding review" not in str(heard)
        assert "Alice Lead" not in str(heard)  # she is on the plan page; the portal socket is on "portal"
    finally:
        await as_alice.disconnect()
        await nosy.disconnect()


async def test_presence_sent_to_the_portal_carries_no_focus(alice, grace_portal, grace, private_goal):
    # A professional on the portal page (say, looking at what Grace sees) while editing elsewhere.
    as_alice = await open_socket(alice, grace, page="portal")
    portal = await open_socket(grace_portal, grace)
    try:
        await as_alice.send_json_to({"type": "focus", "label": "Safeguarding review"})
        heard = []
        while not await portal.receive_nothing(timeout=0.5):
            heard.append(await portal.receive_json_from(timeout=TIMEOUT))
        assert any(m["type"] == "presence" and m["people"] for m in heard)  # Grace sees Alice is here
        assert "Safeguarding review" not in str(heard)
    finally:
        await as_alice.disconnect()
        await portal.disconnect()
