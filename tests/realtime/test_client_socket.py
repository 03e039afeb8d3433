"""The live socket of a client page: who may subscribe, what they receive, catch-up, removal, presence."""

import json
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from circles import services as circle_services
from circles.models import CircleMember
from realtime.routing import websocket_urlpatterns
from sharing import services as note_services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


async def connect(user, client, *, after=None, path=None):
    """A socket to the client's page as `user` (the auth middleware's job is tested separately)."""
    url = path or f"/ws/clients/{client.public_id}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def receive_until(communicator, message_type):
    """Skip presence chatter; return the next message of `message_type`."""
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == message_type:
            return message


async def next_event(communicator):
    return await receive_until(communicator, "event")


add_note = database_sync_to_async(note_services.note_create)
remove_member = database_sync_to_async(circle_services.circle_member_remove)


async def test_a_member_subscribes_and_is_told_the_latest_seq(alice, grace):
    communicator, connected, _ = await connect(alice, grace)
    assert connected
    hello = await receive_until(communicator, "hello")
    assert hello["seq"] == 0
    assert hello["presence"] == []
    await communicator.disconnect()


@pytest.mark.parametrize("who", ["charlie", "anonymous"])
async def test_it_refuses_outsiders_and_anonymous(who, charlie, grace):
    from django.contrib.auth.models import AnonymousUser

    user = charlie if who == "charlie" else AnonymousUser()
    communicator, connected, code = await connect(user, grace)
    assert not connected
    assert code in (4401, 4403)
    await communicator.disconnect()


async def test_it_refuses_a_mistyped_public_id(alice, grace):
    typo = grace.public_id[:-1] + ("0" if grace.public_id[-1] != "0" else "1")
    communicator, connected, _ = await connect(alice, grace, path=f"/ws/clients/{typo}/")
    assert not connected
    await communicator.disconnect()


async def test_a_new_note_reaches_every_member(alice, bob, carol, grace):
    sockets = []
    for user in (alice, bob, carol):
        communicator, connected, _ = await connect(user, grace)
        assert connected
        await receive_until(communicator, "hello")
        sockets.append(communicator)

    note = await add_note(actor=bob, client=grace, text="Visited today.")

    for communicator in sockets:
        event = await next_event(communicator)
        # What went over the wire is plain JSON: ids, never content.
        assert json.loads(json.dumps(event)) == {
            "type": "event",
            "seq": 1,
            "event": "note.create",
            "payload": {"note_id": note.pk},
        }
        await communicator.disconnect()


async def test_an_organisation_only_note_reaches_only_that_organisation(alice, bob, carol, grace):
    as_bob, _, _ = await connect(bob, grace)
    as_carol, _, _ = await connect(carol, grace)
    await receive_until(as_bob, "hello")
    await receive_until(as_carol, "hello")

    secret = await add_note(actor=alice, client=grace, text="Early Help only", visibility="organisation")
    open_note = await add_note(actor=alice, client=grace, text="For everyone")

    assert (await next_event(as_bob))["payload"] == {"note_id": secret.pk}
    assert (await next_event(as_bob))["payload"] == {"note_id": open_note.pk}
    # Carol (another organisation) hears only about the note for the whole circle.
    event = await next_event(as_carol)
    assert event["payload"] == {"note_id": open_note.pk}
    assert event["seq"] == 2
    assert await as_carol.receive_nothing(timeout=0.3)
    await as_bob.disconnect()
    await as_carol.disconnect()


async def test_removal_from_the_circle_closes_the_open_page(alice, bob, grace):
    as_bob, _, _ = await connect(bob, grace)
    as_alice, _, _ = await connect(alice, grace)
    await receive_until(as_bob, "hello")
    await receive_until(as_alice, "hello")
    membership = await database_sync_to_async(CircleMember.objects.get)(client=grace, user=bob, until=None)

    await remove_member(actor=alice, client=grace, member=membership)

    assert await receive_until(as_bob, "revoked") == {"type": "revoked"}
    closed = await as_bob.receive_output(timeout=TIMEOUT)
    assert closed == {"type": "websocket.close", "code": 4403}
    # The lead is told, so her page refreshes the circle.
    assert (await next_event(as_alice))["event"] == "circle.member_remove"
    # After a later note, Bob hears nothing more (his socket is gone) and may not reconnect.
    communicator, connected, _ = await connect(bob, grace)
    assert not connected
    await as_alice.disconnect()


async def test_reconnecting_catches_up_on_everything_missed(alice, bob, grace):
    first = await add_note(actor=alice, client=grace, text="One")
    second = await add_note(actor=alice, client=grace, text="Two")
    third = await add_note(actor=alice, client=grace, text="Three")

    # Bob's page last saw seq 1 (the first note) before his laptop lid closed.
    communicator, connected, _ = await connect(bob, grace, after=1)
    assert connected
    missed = [await next_event(communicator), await next_event(communicator)]
    assert [e["payload"]["note_id"] for e in missed] == [second.pk, third.pk]
    hello = await receive_until(communicator, "hello")
    assert hello["seq"] == 3
    assert first.pk not in [e["payload"]["note_id"] for e in missed]
    await communicator.disconnect()


async def test_resume_on_an_open_socket_sends_what_came_after(alice, bob, grace):
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")
    note = await add_note(actor=alice, client=grace, text="One")
    await next_event(communicator)

    await communicator.send_json_to({"type": "resume", "after": 0})

    again = await next_event(communicator)
    assert again["payload"] == {"note_id": note.pk}
    await communicator.disconnect()


async def test_a_lost_doorbell_is_noticed_and_read_from_the_outbox(alice, bob, grace):
    communicator, _, _ = await connect(bob, grace)
    await receive_until(communicator, "hello")

    with mock.patch("realtime.publish.ring"):  # the channel layer drops this one
        lost = await add_note(actor=alice, client=grace, text="Lost in transit")
    assert await communicator.receive_nothing(timeout=0.2)
    later = await add_note(actor=alice, client=grace, text="Arrives")

    events = [await next_event(communicator), await next_event(communicator)]
    assert [(e["seq"], e["payload"]["note_id"]) for e in events] == [(1, lost.pk), (2, later.pk)]
    await communicator.disconnect()


async def test_presence_shows_who_else_is_here(alice, bob, grace):
    as_alice, _, _ = await connect(alice, grace)
    await receive_until(as_alice, "hello")
    as_bob, _, _ = await connect(bob, grace)
    await receive_until(as_bob, "hello")

    assert (await receive_until(as_alice, "presence"))["people"] == [
        {"user_id": bob.pk, "name": bob.full_name}
    ]
    assert (await receive_until(as_bob, "presence"))["people"] == [
        {"user_id": alice.pk, "name": alice.full_name}
    ]

    await as_bob.disconnect()
    assert (await receive_until(as_alice, "presence"))["people"] == []
    await as_alice.disconnect()


async def test_the_full_stack_needs_a_session_and_an_allowed_origin(alice, grace):
    from django.conf import settings
    from django.test import Client as BrowserClient

    from alongside.asgi import application

    browser = BrowserClient()
    await database_sync_to_async(browser.force_login)(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    path = f"/ws/clients/{grace.public_id}/"

    foreign = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)]
    )
    connected, _ = await foreign.connect(timeout=TIMEOUT)
    assert not connected
    await foreign.disconnect()

    host = (b"host", b"127.0.0.1:8000")  # the origin must be exactly the site's own (network.origins)
    no_session = WebsocketCommunicator(
        application, path, headers=[host, (b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await no_session.connect(timeout=TIMEOUT)
    assert not connected
    await no_session.disconnect()

    signed_in = WebsocketCommunicator(
        application, path, headers=[host, (b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)]
    )
    connected, _ = await signed_in.connect(timeout=TIMEOUT)
    assert connected
    assert (await signed_in.receive_json_from(timeout=TIMEOUT))["type"] == "hello"
    await signed_in.disconnect()


@pytest.mark.skipif(
    "channels_redis" not in __import__("django.conf").conf.settings.CHANNEL_LAYERS["default"]["BACKEND"],
    reason="Redis's socket timeout: only with REDIS_URL",
)
async def test_an_idle_page_still_hears_after_longer_than_the_redis_timeouts(alice, bob, grace):
    """redis-py's default socket timeout (5 s) once cut idle listeners off: a page left alone for a few
    seconds then heard nothing. The settings give Redis connections a longer one."""
    import asyncio

    communicator, connected, _ = await connect(alice, grace)
    assert connected
    await receive_until(communicator, "hello")

    await asyncio.sleep(7)
    await add_note(actor=bob, client=grace, text="After a quiet spell")

    assert (await next_event(communicator))["event"] == "note.create"
    await communicator.disconnect()
