"""With Redis, a note written through one server process reaches a page open on another."""

import asyncio
import json
import os
import urllib.request

import pytest
import websockets
from django.conf import settings
from django.test import Client as BrowserClient

from tests.factories import api_key_for
from tests.servers import running_server

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
        reason="needs REDIS_URL and DATABASE_URL: two processes share Redis and PostgreSQL",
    ),
]


def post_note(base: str, token: str, public_id: str, text: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback test server)
        f"{base}/api/v1/clients/{public_id}/notes/",
        data=json.dumps({"text": text}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


def test_a_note_posted_to_one_process_reaches_a_socket_on_the_other(alice, bob, grace):
    token = api_key_for(alice)
    browser = BrowserClient()
    browser.force_login(bob)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    with running_server() as writer, running_server() as reader:
        assert writer != reader

        async def scenario() -> dict:
            url = reader.replace("http", "ws") + f"/ws/clients/{grace.public_id}/"
            async with websockets.connect(
                url,
                origin=reader,
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
            ) as socket:
                hello = json.loads(await asyncio.wait_for(socket.recv(), 10))
                assert hello["type"] == "hello"
                note = await asyncio.to_thread(post_note, writer, token, grace.public_id, "Written via A")
                while True:
                    message = json.loads(await asyncio.wait_for(socket.recv(), 10))
                    if message["type"] == "event":
                        return {"note": note, "event": message}

        result = asyncio.run(scenario())

    assert result["event"]["event"] == "note.create"
    assert result["event"]["payload"] == {"note_id": result["note"]["id"]}
