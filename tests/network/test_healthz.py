"""/healthz: 200 when the database and the channel layer both answer, 503 (saying which) when not."""

import asyncio

from channels.layers import get_channel_layer
from django.db import connection
from django.test import Client as BrowserClient

from tests.conftest import signed_in


def test_it_works(db):
    response = BrowserClient().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_it_needs_no_sign_in_and_shows_nothing_private(alice, grace):
    anonymous = BrowserClient().get("/healthz")
    signed = signed_in(alice).get("/healthz")
    assert anonymous.status_code == signed.status_code == 200
    assert anonymous.content == signed.content
    assert b"Grace" not in anonymous.content


def test_it_says_503_when_the_channel_layer_fails(db, monkeypatch):
    async def refuse(*args, **kwargs):
        raise ConnectionError("channel layer down")

    monkeypatch.setattr(get_channel_layer(), "send", refuse)

    response = BrowserClient().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "channel_layer": "unavailable"}


def test_it_says_503_when_the_channel_layer_hangs(db, monkeypatch):
    async def never_answers(channel):
        await asyncio.sleep(30)

    monkeypatch.setattr(get_channel_layer(), "receive", never_answers)

    response = BrowserClient().get("/healthz")

    assert response.status_code == 503
    assert response.json()["channel_layer"] == "unavailable"


def test_it_says_503_when_the_database_fails(db):
    def refuse(execute, sql, params, many, context):
        raise ConnectionError("database down")

    with connection.execute_wrapper(refuse):
        response = BrowserClient().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "channel_layer": "ok"}
