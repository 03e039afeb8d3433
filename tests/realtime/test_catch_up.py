"""No event is lost: long gaps are read back in full, and a lost last doorbell is found by the next ping.

Doorbells are dropped by patching `realtime.publish.ring`, as a Redis outage would drop them; the outbox
rows are written all the same. Runs in both modes.
"""

from unittest import mock

import pytest
from channels.db import database_sync_to_async
from django.db import transaction

from realtime.publish import publish
from realtime.publish import ring as real_ring
from sharing import services as note_services
from tests.realtime.test_client_socket import connect, next_event, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

add_note = database_sync_to_async(note_services.note_create)


@database_sync_to_async
def write_events(client, count: int) -> None:
    """`count` events for `client`, as a busy spell of writes would leave them in the outbox."""
    with transaction.atomic():
        for number in range(count):
            publish(client=client, type="note.create", payload={"note_id": number})


async def events_until(communicator, seq: int) -> list[dict]:
    """Every message the socket sends up to the event numbered `seq` (presence chatter skipped)."""
    received = []
    while not received or received[-1].get("seq") != seq:
        message = await communicator.receive_json_from(timeout=10)
        if message["type"] != "presence":
            received.append(message)
    return received


async def test_an_open_socket_receives_every_event_after_a_long_gap(alice, bob, grace):
    """602 doorbells lost while Redis was down; the next one arrives: all 603 reach the page, in order."""
    communicator, connected, _ = await connect(bob, grace)
    assert connected
    await receive_until(communicator, "hello")

    with mock.patch("realtime.publish.ring"):
        await write_events(grace, 602)
    await add_note(actor=alice, client=grace, text="The first doorbell after the outage")

    received = await events_until(communicator, 603)
    assert [message["type"] for message in received] == ["event"] * 603
    assert [message["seq"] for message in received] == list(range(1, 604))
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_connecting_far_behind_catches_up_on_everything_before_hello(bob, grace):
    await write_events(grace, 602)

    communicator, connected, _ = await connect(bob, grace, after=1)
    assert connected

    received = await events_until(communicator, 602)
    assert [message["seq"] for message in received] == list(range(2, 603))
    hello = await receive_until(communicator, "hello")
    assert hello["seq"] == 602
    await communicator.disconnect()


async def test_a_page_too_far_behind_is_told_to_reload(settings, bob, grace):
    settings.REALTIME_RELOAD_AFTER = 30
    await write_events(grace, 45)

    communicator, connected, _ = await connect(bob, grace, after=10)
    assert connected

    # 35 behind, more than 30: replaying would cost more than reloading the page.
    assert await communicator.receive_json_from(timeout=10) == {"type": "reload", "seq": 45}
    hello = await receive_until(communicator, "hello")
    assert hello["seq"] == 45
    await communicator.disconnect()


async def test_a_page_just_within_the_limit_is_replayed_in_full(settings, bob, grace):
    settings.REALTIME_RELOAD_AFTER = 30
    await write_events(grace, 40)

    communicator, connected, _ = await connect(bob, grace, after=10)
    received = await events_until(communicator, 40)
    assert [message["seq"] for message in received] == list(range(11, 41))
    await communicator.disconnect()


async def test_a_lost_last_doorbell_is_delivered_on_the_next_ping(alice, bob, grace):
    """Nothing is written after the lost ones, so no gap is ever seen: the ping looks at the outbox."""
    communicator, connected, _ = await connect(bob, grace)
    assert connected
    await receive_until(communicator, "hello")

    with mock.patch("realtime.publish.ring"):
        notes = [await add_note(actor=alice, client=grace, text=f"Lost {n}") for n in range(3)]
    assert await communicator.receive_nothing(timeout=0.2)

    await communicator.send_json_to({"type": "ping"})

    events = [await next_event(communicator) for _ in notes]
    assert [(e["seq"], e["payload"]["note_id"]) for e in events] == [
        (n + 1, note.pk) for n, note in enumerate(notes)
    ]
    await communicator.disconnect()


async def test_a_ping_with_nothing_new_sends_nothing(alice, bob, grace):
    await add_note(actor=alice, client=grace, text="Seen")
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    await communicator.send_json_to({"type": "ping"})

    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_an_event_arriving_by_doorbell_after_the_ping_read_it_is_not_sent_twice(alice, bob, grace):
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")
    with mock.patch("realtime.publish.ring") as ring:
        note = await add_note(actor=alice, client=grace, text="Late doorbell")
    (group, message), _ = ring.call_args

    await communicator.send_json_to({"type": "ping"})
    assert (await next_event(communicator))["payload"] == {"note_id": note.pk}

    await database_sync_to_async(real_ring)(group, message)  # the doorbell turns up after all

    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_ping_while_the_database_is_down_leaves_the_page_open(alice, bob, grace):
    from django.db import OperationalError

    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    with mock.patch(
        "realtime.selectors.latest_seq", side_effect=OperationalError("server closed the connection")
    ):
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_nothing(timeout=0.3)

    note = await add_note(actor=alice, client=grace, text="After the database came back")
    assert (await next_event(communicator))["payload"] == {"note_id": note.pk}
    await communicator.disconnect()


async def test_a_doorbell_while_the_database_is_down_leaves_the_page_open_and_the_ping_delivers(
    alice, bob, grace
):
    """The soak found pages closed with 1011 when a doorbell's delivery met the database restarting."""
    from django.db import OperationalError

    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    outage = OperationalError("couldn't get a connection after 3.00 sec")
    with mock.patch("realtime.consumers.session_alive", side_effect=outage):
        note = await add_note(actor=alice, client=grace, text="While the database restarts")
        assert await communicator.receive_nothing(timeout=0.3)

    await communicator.send_json_to({"type": "ping"})
    event = await next_event(communicator)
    assert (event["seq"], event["payload"]) == (1, {"note_id": note.pk})
    await communicator.disconnect()


async def test_a_doorbell_after_a_gap_while_the_database_is_down_loses_nothing(alice, bob, grace):
    from django.db import OperationalError

    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    with mock.patch("realtime.publish.ring"):
        first = await add_note(actor=alice, client=grace, text="Its doorbell is lost")
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("realtime.selectors.events_after", side_effect=outage):
        second = await add_note(actor=alice, client=grace, text="Rings while the database restarts")
        assert await communicator.receive_nothing(timeout=0.3)

    await communicator.send_json_to({"type": "ping"})
    received = await events_until(communicator, 2)
    assert [(m["seq"], m["payload"]) for m in received] == [
        (1, {"note_id": first.pk}),
        (2, {"note_id": second.pk}),
    ]
    await communicator.disconnect()
