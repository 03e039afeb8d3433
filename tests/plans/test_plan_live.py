"""The plan page, live: every change to the plan reaches the open pages of the circle as a small JSON event;
who is on the plan page (and what they are editing) is shown to the others on it, apart from the record
page's presence."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from realtime.routing import websocket_urlpatterns
from sharing import services
from sharing.models import Goal
from tests.plans.conftest import membership

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


async def connect(user, client, *, page="plan", after=None):
    url = f"/ws/clients/{client.public_id}/?page={page}" + (f"&after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert connected, f"{user} was refused ({code})"
    return communicator


async def receive_until(communicator, message_type):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == message_type:
            return message


async def next_event(communicator):
    return await receive_until(communicator, "event")


async def presence_until(communicator, predicate):
    """Presence messages until one satisfies `predicate`; returns that one's people."""
    while True:
        message = await receive_until(communicator, "presence")
        if predicate(message["people"]):
            return message["people"]


async def presence_heard(communicator, timeout=0.5) -> list[list[dict]]:
    """Every presence list that arrives within `timeout` seconds (events are not expected here)."""
    heard = []
    while not await communicator.receive_nothing(timeout=timeout):
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == "presence":
            heard.append(message["people"])
    return heard


def names(people) -> list[str]:
    return [person["name"] for person in people]


add_goal = database_sync_to_async(services.goal_add)
update_goal = database_sync_to_async(services.goal_update)
add_action = database_sync_to_async(services.action_add)
set_status = database_sync_to_async(services.action_set_status)
remove_action = database_sync_to_async(services.action_remove)
move = database_sync_to_async(services.plan_move)
agree = database_sync_to_async(services.plan_agree)


@database_sync_to_async
def member_of(client, user):
    return membership(client, user)


@database_sync_to_async
def goal_now(pk):
    return Goal.objects.get(pk=pk)


async def test_a_member_sees_another_members_edit(alice, bob, grace):
    goal = await add_goal(actor=alice, client=grace, in_own_words="Keep our flat")
    as_bob = await connect(bob, grace)
    await receive_until(as_bob, "hello")

    await update_goal(
        actor=alice,
        goal=goal,
        changes={"in_own_words": "Keep our home", "review_on": "2030-01-31"},
        base_version=1,
    )

    event = await next_event(as_bob)
    # What went over the wire is small and plain JSON: ids, the version, which fields, who; never the text.
    assert json.loads(json.dumps(event)) == {
        "type": "event",
        "seq": 2,
        "event": "plan.goal_update",
        "payload": {
            "goal_id": goal.pk,
            "version": 2,
            "fields": ["in_own_words", "review_on"],
            "by": "Alice Lead",
        },
    }
    await as_bob.disconnect()


async def test_plan_events_reach_members_of_every_organisation(alice, bob, carol, grace):
    sockets = [await connect(user, grace) for user in (alice, bob, carol)]
    for socket in sockets:
        await receive_until(socket, "hello")

    goal = await add_goal(actor=bob, client=grace, in_own_words="See my sister")

    for socket in sockets:
        event = await next_event(socket)
        assert (event["event"], event["payload"]["goal_id"]) == ("plan.goal_add", goal.pk)
        await socket.disconnect()


async def test_every_kind_of_plan_change_is_announced(alice, bob, carol, grace):
    as_carol = await connect(carol, grace)
    await receive_until(as_carol, "hello")

    goal = await add_goal(actor=alice, client=grace, in_own_words="Keep our flat")
    second = await add_goal(actor=alice, client=grace, in_own_words="See my sister")
    action = await add_action(actor=bob, goal=goal, what="Call", owner=await member_of(grace, bob))
    await set_status(actor=bob, action=action, status="done")
    await move(actor=alice, item=second, direction="up")
    agreement = await agree(actor=alice, client=grace, participants=[await member_of(grace, alice)])
    await remove_action(actor=alice, action=action)

    received = [await next_event(as_carol) for _ in range(7)]
    assert [e["seq"] for e in received] == [1, 2, 3, 4, 5, 6, 7]
    assert [
        (e["event"], {k: v for k, v in e["payload"].items() if k != "plan_version"}) for e in received
    ] == [
        ("plan.goal_add", {"goal_id": goal.pk}),
        ("plan.goal_add", {"goal_id": second.pk}),
        ("plan.action_add", {"goal_id": goal.pk, "action_id": action.pk}),
        (
            "plan.action_update",
            {
                "action_id": action.pk,
                "goal_id": goal.pk,
                "version": 2,
                "fields": ["status"],
                "by": "Bob Same-Org",
            },
        ),
        ("plan.goal_move", {}),
        ("plan.agree", {"agreement_id": agreement.pk}),
        ("plan.action_remove", {"goal_id": goal.pk, "action_id": action.pk}),
    ]
    # Each structural change carries the plan's version, rising with each.
    plan_versions = [e["payload"]["plan_version"] for e in received if "plan_version" in e["payload"]]
    assert plan_versions == sorted(plan_versions) and len(set(plan_versions)) == len(plan_versions)
    await as_carol.disconnect()


async def test_a_page_that_was_away_catches_up_on_plan_changes(alice, bob, grace):
    goal = await add_goal(actor=alice, client=grace, in_own_words="Keep our flat")  # seq 1, seen
    await update_goal(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    await update_goal(actor=alice, goal=goal, changes={"success_looks_like": "No arrears"}, base_version=2)

    as_bob = await connect(bob, grace, after=1)
    missed = [await next_event(as_bob), await next_event(as_bob)]

    # Old state + the events missed == the state now: the last version announced is the goal's version.
    assert [e["payload"]["fields"] for e in missed] == [["in_own_words"], ["success_looks_like"]]
    assert missed[-1]["payload"]["version"] == (await goal_now(goal.pk)).version == 3
    assert (await receive_until(as_bob, "hello"))["seq"] == 3
    await as_bob.disconnect()


async def test_presence_on_the_plan_page_is_apart_from_the_record_page(alice, bob, carol, grace):
    on_plan = await connect(alice, grace, page="plan")
    assert (await receive_until(on_plan, "hello"))["presence"] == []
    on_record = await connect(bob, grace, page="record")
    assert (await receive_until(on_record, "hello"))["presence"] == []
    also_on_plan = await connect(carol, grace, page="plan")
    await receive_until(also_on_plan, "hello")

    # Alice and Carol see each other; neither sees Bob, and Bob, on the record, sees neither.
    assert names(await presence_until(on_plan, lambda people: people)) == ["Carol Other-Org"]
    assert names(await presence_until(also_on_plan, lambda people: people)) == ["Alice Lead"]
    assert all(people == [] for people in await presence_heard(on_record))
    assert "Bob Same-Org" not in str(await presence_heard(on_plan))

    for socket in (on_plan, on_record, also_on_plan):
        await socket.disconnect()


async def test_what_someone_is_editing_shows_in_the_others_presence(alice, bob, carol, grace):
    editing = await connect(alice, grace, page="plan")
    await receive_until(editing, "hello")
    watching = await connect(bob, grace, page="plan")
    await receive_until(watching, "hello")
    on_record = await connect(carol, grace, page="record")
    await receive_until(on_record, "hello")
    await presence_until(watching, lambda people: people)

    await editing.send_json_to({"type": "focus", "label": "Keep our flat"})
    people = await presence_until(watching, lambda people: people and people[0].get("focus"))
    assert people == [{"user_id": alice.pk, "name": "Alice Lead", "focus": "Keep our flat"}]

    await editing.send_json_to({"type": "focus", "label": None})
    people = await presence_until(watching, lambda people: people and "focus" not in people[0])
    assert people == [{"user_id": alice.pk, "name": "Alice Lead"}]

    # Carol, on the record page, hears nothing of what Alice edits on the plan page.
    assert "Keep our flat" not in str(await presence_heard(on_record))
    for socket in (editing, watching, on_record):
        await socket.disconnect()


@pytest.mark.parametrize("label, shown", [("x" * 300, "x" * 200), (42, None), ({"a": 1}, None), ("", None)])
async def test_a_focus_label_is_kept_short_and_plain(label, shown, alice, bob, grace):
    editing = await connect(alice, grace, page="plan")
    await receive_until(editing, "hello")
    watching = await connect(bob, grace, page="plan")
    await receive_until(watching, "hello")
    await presence_until(watching, lambda people: people)

    await editing.send_json_to({"type": "focus", "label": "Something first"})
    await presence_until(watching, lambda people: people and people[0].get("focus") == "Something first")
    await editing.send_json_to({"type": "focus", "label": label})

    people = await presence_until(
        watching, lambda people: people and people[0].get("focus") != "Something first"
    )
    assert people[0].get("focus") == shown
    for socket in (editing, watching):
        await socket.disconnect()
