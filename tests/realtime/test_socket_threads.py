"""Many pages opening at once: the sockets' database reads (the sign-in, the access check, catch-up) run side
by side on a few threads of their own (realtime.db), not one after another on Channels' one database thread.

The soak (bench/soak.py) found 1,000 pages opening at once queued behind that one thread for longer than
daphne waits for a handshake, and refused. Here two pages open at once and each one's read waits, on its
database thread, until the other's has started too (a barrier): on a single thread the second could never
start, the barrier breaks and the pages are refused.
"""

import asyncio
import threading
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client as BrowserClient

from network.backends import ModelBackend
from realtime import selectors
from tests.realtime.test_client_socket import connect, receive_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 10


def side_by_side(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, made to wait until a second call has started too."""
    barrier = threading.Barrier(2, timeout=TIMEOUT / 2)

    def waiting(*args: Any, **kwargs: Any) -> Any:
        barrier.wait()
        return function(*args, **kwargs)

    return waiting


async def test_two_pages_have_their_access_checked_side_by_side(alice, bob, grace):
    with mock.patch("realtime.selectors.subscription_for", side_by_side(selectors.subscription_for)):
        opened = await asyncio.gather(connect(alice, grace), connect(bob, grace))

    for communicator, connected, _ in opened:
        assert connected
        await receive_until(communicator, "hello")
        await communicator.disconnect()


async def test_two_pages_have_their_sign_in_read_side_by_side(alice, bob, grace):
    from alongside.asgi import application

    def signed_in_socket(user) -> WebsocketCommunicator:
        browser = BrowserClient()
        browser.force_login(user, backend="network.backends.ModelBackend")
        cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers = [
            (b"host", b"127.0.0.1:8000"),
            (b"origin", b"http://127.0.0.1:8000"),
            (b"cookie", cookie.encode()),
        ]
        return WebsocketCommunicator(application, f"/ws/clients/{grace.public_id}/", headers=headers)

    sockets = [await database_sync_to_async(signed_in_socket)(user) for user in (alice, bob)]
    with mock.patch.object(ModelBackend, "get_user", side_by_side(ModelBackend.get_user)):
        opened = await asyncio.gather(*(socket.connect(timeout=TIMEOUT) for socket in sockets))

    assert [connected for connected, _ in opened] == [True, True]
    for socket in sockets:
        await socket.disconnect()
