"""Break a real Redis on purpose: stale connections, Redis stopped and started, /healthz's cost.

Each test starts its own redis-server on a free port (never the machine's shared one) and points the
channel layer at it, with the connection options the settings give production. They run in the
PostgreSQL + Redis mode of .ci/run.
"""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.test import AsyncClient

from sharing import services as note_services
from tests.private_services import needs_redis_server, private_redis, services_mode
from tests.realtime.test_client_socket import connect, receive_until

pytestmark = [
    pytest.mark.redis,
    services_mode,
    needs_redis_server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
]

add_note = database_sync_to_async(note_services.note_create)


@pytest.fixture
def redis_server(settings):
    """A private Redis, with the channel layer (as the settings configure it) pointed at it."""
    with private_redis() as server:
        layer = settings.CHANNEL_LAYERS["default"]
        host = dict(layer["CONFIG"]["hosts"][0], address=server.url)
        settings.CHANNEL_LAYERS = {
            "default": {**layer, "CONFIG": {**layer["CONFIG"], "hosts": [host], "prefix": "faults"}}
        }
        yield server


async def open_pages(*users_and_clients):
    pages = []
    for user, client in users_and_clients:
        communicator, connected, _ = await connect(user, client)
        assert connected
        await receive_until(communicator, "hello")
        pages.append(communicator)
    return pages


async def next_event_or_none(communicator, timeout: float):
    """The next event on this socket, or None if none comes within `timeout` (presence skipped)."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await communicator.receive_json_from(timeout=timeout)
                if message["type"] == "event":
                    return message
    except TimeoutError:
        return None


async def test_stale_redis_connections_do_not_drop_the_next_doorbell(redis_server, alice, bob, carol, grace):
    """Redis (or a proxy) closed the idle connections; the next note still reaches all four pages at once,
    without a ping: the connection is checked and the send retried."""
    pages = await open_pages((alice, grace), (bob, grace), (carol, grace), (bob, grace))

    assert redis_server.close_idle_connections() >= 1
    note = await add_note(actor=alice, client=grace, text="After the quiet spell")

    for page in pages:
        event = await next_event_or_none(page, timeout=10)
        assert event is not None, "the doorbell was dropped"
        assert event["payload"] == {"note_id": note.pk}
    for page in pages:
        await page.disconnect()


async def test_while_redis_is_down_pages_stay_open_and_pings_deliver_from_the_outbox(
    redis_server, alice, bob, carol, grace
):
    pages = await open_pages((bob, grace), (carol, grace))

    redis_server.stop()
    notes = [await add_note(actor=alice, client=grace, text=f"During the outage {n}") for n in range(3)]
    for page in pages:
        await page.send_json_to({"type": "ping"})  # presence cannot be sent: never mind
        await page.send_json_to({"type": "focus", "label": "Keep our flat"})
        events = [await next_event_or_none(page, timeout=10) for _ in notes]
        assert [e and e["payload"]["note_id"] for e in events] == [note.pk for note in notes]

    # Redis comes back: doorbells ring again once the layer has reconnected (bounded by attempts).
    redis_server.start()
    page = pages[0]
    for _attempt in range(30):
        note = await add_note(actor=alice, client=grace, text="After the outage")
        event = await next_event_or_none(page, timeout=1)
        while event is not None and event["payload"]["note_id"] != note.pk:
            event = await next_event_or_none(page, timeout=1)  # earlier ones, found by the gap
        if event is not None:
            break
    else:
        pytest.fail("doorbells never rang again after Redis came back")
    for page in pages:
        await page.disconnect()


async def test_a_page_closing_while_redis_is_down_leaves_without_error(redis_server, bob, grace):
    (page,) = await open_pages((bob, grace))
    redis_server.stop()
    await page.disconnect()  # presence.leave cannot be sent; the consumer still finishes cleanly


async def test_healthz_costs_nothing_lasting(redis_server):
    client = AsyncClient()
    assert (await client.get("/healthz")).status_code == 200
    layer = get_channel_layer()._get_layer()
    channels_before = len(layer.channels)
    subscriptions_before = len(redis_server.client().pubsub_channels())

    for _ in range(20):
        assert (await client.get("/healthz")).status_code == 200

    assert len(layer.channels) == channels_before
    assert len(redis_server.client().pubsub_channels()) == subscriptions_before


async def test_healthz_says_when_redis_is_down(redis_server):
    client = AsyncClient()
    assert (await client.get("/healthz")).status_code == 200
    redis_server.stop()

    response = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["channel_layer"] == "unavailable"
