"""Presence is best effort: a channel-layer (Redis) error never closes a socket or skips its clean-up.

The layer's group_send is made to fail as it does while Redis is unreachable; both modes.
(tests/realtime/test_redis_faults.py does the same against a real Redis that is stopped.)
"""

import contextlib
from types import SimpleNamespace
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from redis.exceptions import ConnectionError as RedisConnectionError

from realtime.consumers import OutboxSocket
from realtime.publish import client_group, user_group
from sharing import services as note_services
from tests.realtime.test_client_socket import connect, next_event, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

add_note = database_sync_to_async(note_services.note_create)


def presence_fails():
    """group_send raises for presence messages (doorbells from services still ring)."""
    layer = get_channel_layer()
    real_group_send = layer.group_send

    async def group_send(group, message):
        if message["type"].startswith("presence."):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        await real_group_send(group, message)

    return mock.patch.object(layer, "group_send", side_effect=group_send)


@contextlib.contextmanager
def presence_send_fails():
    """A socket's own "presence" message to its page fails, as it does when that page has just gone (many
    pages closing at once); every other message goes out. Yields a record whose `failed` counts the failures."""
    record = SimpleNamespace(failed=0)

    async def send_json(self, content, close=False):
        if content.get("type") == "presence":
            record.failed += 1
            raise RuntimeError("Unexpected ASGI message 'websocket.send', after sending 'websocket.close'.")
        await AsyncJsonWebsocketConsumer.send_json(self, content, close)

    with mock.patch.object(OutboxSocket, "send_json", send_json):
        yield record


async def test_a_presence_error_on_connect_does_not_refuse_the_page(bob, grace):
    with presence_fails():
        communicator, connected, _ = await connect(bob, grace)
        assert connected
        assert (await receive_until(communicator, "hello"))["seq"] == 0
    await communicator.disconnect()


async def test_presence_errors_on_ping_and_focus_leave_the_page_open(alice, bob, grace):
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    with presence_fails():
        await communicator.send_json_to({"type": "ping"})
        await communicator.send_json_to({"type": "focus", "label": "Keep our flat"})
        note = await add_note(actor=alice, client=grace, text="Still live")
        # Still open, still delivering.
        assert (await next_event(communicator))["payload"] == {"note_id": note.pk}
    await communicator.disconnect()


async def test_a_presence_error_on_disconnect_still_leaves_the_groups(bob, grace):
    layer = get_channel_layer()
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    with presence_fails(), mock.patch.object(layer, "group_discard", wraps=layer.group_discard) as discard:
        await communicator.disconnect()

    assert sorted(call.args[0] for call in discard.call_args_list) == sorted(
        [client_group(grace.pk), user_group(bob.pk)]
    )


async def test_a_failing_presence_send_does_not_end_the_socket(alice, bob, grace):
    page, _, _ = await connect(bob, grace)
    await receive_until(page, "hello")
    with presence_send_fails() as sends:
        other, _, _ = await connect(alice, grace)
        await receive_until(other, "hello")
        note = await add_note(actor=alice, client=grace, text="Still live")
        # Bob's socket heard Alice join (its presence send failed) and still delivers.
        assert (await next_event(page))["payload"] == {"note_id": note.pk}
    assert sends.failed
    await other.disconnect()
    await page.disconnect()
