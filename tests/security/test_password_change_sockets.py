"""Changing one's password in one place closes the open live pages of every other session at once, and
their cookies open nothing afterwards."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client as BrowserClient

from network.sessions import session_is_current
from tests.access.conftest import SOCKET_TIMEOUT, messages_until_closed

NEW_PASSWORD = "a-new-long-passphrase-2"


def _headers(browser):
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    return [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)]


@pytest.mark.django_db(transaction=True)
async def test_a_password_change_elsewhere_closes_open_sockets(alice, grace):
    from alongside.asgi import application

    laptop, phone = BrowserClient(), BrowserClient()
    await database_sync_to_async(laptop.force_login)(alice)
    await database_sync_to_async(phone.force_login)(alice)
    on_phone = WebsocketCommunicator(application, "/ws/me/", headers=_headers(phone))
    connected, _ = await on_phone.connect(timeout=SOCKET_TIMEOUT)
    assert connected

    response = await database_sync_to_async(laptop.post)(
        "/accounts/password/change/",
        {"oldpassword": "password-for-tests", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    _, code = await messages_until_closed(on_phone)
    assert code == 4401
    again = WebsocketCommunicator(application, f"/ws/clients/{grace.public_id}/", headers=_headers(phone))
    connected, _ = await again.connect(timeout=SOCKET_TIMEOUT)
    assert not connected
    await again.disconnect()


def test_the_session_check_sees_a_password_change(alice):
    browser = BrowserClient()
    browser.force_login(alice)
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert session_is_current(key)
    alice.set_password(NEW_PASSWORD)
    alice.save()
    assert not session_is_current(key)


def test_the_session_check_sees_signing_out_and_switching_off(alice, bob):
    browser = BrowserClient()
    browser.force_login(alice)
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    browser.post("/accounts/logout/")
    assert not session_is_current(key)

    other = BrowserClient()
    other.force_login(bob)
    key = other.cookies[settings.SESSION_COOKIE_NAME].value
    bob.is_active = False
    bob.save()
    assert not session_is_current(key)
