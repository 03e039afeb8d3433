"""A websocket opens only from exactly our own origin: the same host on another port or scheme is refused."""

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import path

from network.origins import SameOriginValidator, origin_allowed


def scope(origin, host="alongside.example.org", scheme="wss", **headers):
    items = [(b"host", host.encode())] if host is not None else []
    if origin is not None:
        items.append((b"origin", origin.encode()))
    items += [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {"type": "websocket", "scheme": scheme, "headers": items}


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["alongside.example.org", "127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = []


def test_our_own_origin_is_accepted():
    assert origin_allowed(scope("https://alongside.example.org"))
    assert origin_allowed(scope("http://127.0.0.1:8000", host="127.0.0.1:8000", scheme="ws"))


def test_the_same_host_on_another_port_is_refused():
    assert not origin_allowed(scope("https://alongside.example.org:8443"))
    assert not origin_allowed(scope("http://127.0.0.1:9999", host="127.0.0.1:8000", scheme="ws"))


def test_the_same_host_on_another_scheme_is_refused():
    assert not origin_allowed(scope("http://alongside.example.org"))


def test_another_host_is_refused():
    assert not origin_allowed(scope("https://evil.example"))
    assert not origin_allowed(scope("https://alongside.example.org.evil.example"))


def test_a_host_we_do_not_serve_is_refused_even_if_origin_matches_it():
    assert not origin_allowed(scope("https://evil.example", host="evil.example"))


def test_no_origin_is_refused():
    assert not origin_allowed(scope(None))
    assert not origin_allowed(scope("null"))


def test_behind_a_tls_proxy_the_forwarded_scheme_counts(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope("https://alongside.example.org", scheme="ws", x_forwarded_proto="https"))
    assert not origin_allowed(scope("http://alongside.example.org", scheme="ws", x_forwarded_proto="https"))


def test_a_trusted_origin_is_accepted_exactly(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://care.example.org"]
    assert origin_allowed(scope("https://care.example.org"))
    assert not origin_allowed(scope("https://care.example.org:444"))


async def _accepting(scope, receive, send):
    await receive()
    await send({"type": "websocket.accept"})


async def test_the_middleware_refuses_and_lets_through(settings):
    app = SameOriginValidator(URLRouter([path("ws/", _accepting)]))
    refused = WebsocketCommunicator(
        app, "/ws/", headers=[(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8001")]
    )
    connected, _ = await refused.connect()
    assert not connected
    await refused.disconnect()
    accepted = WebsocketCommunicator(
        app, "/ws/", headers=[(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await accepted.connect()
    assert connected
    await accepted.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_the_site_uses_it(alice, grace):
    from channels.db import database_sync_to_async
    from django.conf import settings
    from django.test import Client as BrowserClient

    from alongside.asgi import application

    browser = BrowserClient()
    await database_sync_to_async(browser.force_login)(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    url = f"/ws/clients/{grace.public_id}/"
    for origin, expected in ((b"http://127.0.0.1:8001", False), (b"http://127.0.0.1:8000", True)):
        socket = WebsocketCommunicator(
            application, url, headers=[(b"host", b"127.0.0.1:8000"), (b"origin", origin), (b"cookie", cookie)]
        )
        connected, _ = await socket.connect(timeout=3)
        assert connected is expected, origin
        await socket.disconnect()
