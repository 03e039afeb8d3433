"""More of the cast, for "who may see what", and small helpers the access tests share.

Beside the fixed cast of tests/conftest.py (Alice leads Grace's circle in Early Help, Bob is in it from
Early Help, Carol from Health, Charlie is a Police practitioner outside it):

    Pat      a panel chair (Police): may not look anyone up
    Sam      the site administrator: a superuser in no organisation, sees no client content
    Gail     a portal user (kind "client"): professional pages and the API are not hers
    Mo       an agency manager in Early Help: the caseload, no notes
    Ada      Early Help's agency admin;  Hana  Health's;  Percy  Police's
"""

import datetime
import uuid
from html.parser import HTMLParser

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client as BrowserClient

from circles import public_id
from circles.models import CircleMember
from network.models import User
from realtime.routing import websocket_urlpatterns
from tests.factories import NoteFactory, UserFactory

GRACE_BORN = datetime.date(2016, 3, 14)
SOCKET_TIMEOUT = 3


@pytest.fixture
def panel_chair(police):
    return UserFactory(
        email="pat@example.org", full_name="Pat Panel-Chair", organisation=police, org_role="panel_chair"
    )


@pytest.fixture
def site_admin(db):
    return UserFactory(
        email="sam@example.org",
        full_name="Sam Site-Admin",
        organisation=None,
        is_superuser=True,
        is_staff=True,
    )


@pytest.fixture
def portal_user(db):
    return UserFactory(
        email="gail@example.net", full_name="Gail Portal", organisation=None, kind=User.Kind.CLIENT
    )


@pytest.fixture
def manager(early_help):
    return UserFactory(
        email="mo@example.org", full_name="Mo Manager", organisation=early_help, org_role="manager"
    )


@pytest.fixture
def eh_admin(early_help):
    return UserFactory(
        email="ada@example.org", full_name="Ada Admin", organisation=early_help, org_role="admin"
    )


@pytest.fixture
def health_admin(health):
    return UserFactory(
        email="hana@example.org", full_name="Hana Admin", organisation=health, org_role="admin"
    )


@pytest.fixture
def police_admin(police):
    return UserFactory(
        email="percy@example.org", full_name="Percy Admin", organisation=police, org_role="admin"
    )


def public_id_with(*, digits: bool) -> str:
    """A valid public ID that has (or has no) digits in it."""
    while True:
        candidate = public_id.generate()
        if any(symbol.isdigit() for symbol in candidate) is digits:
            return candidate


@pytest.fixture
def grace_born(grace):
    """Grace, with her date of birth on record (discovery by name needs it)."""
    grace.date_of_birth = GRACE_BORN
    grace.save(update_fields=["date_of_birth"])
    return grace


@pytest.fixture
def notes(grace, alice, bob, carol):
    """One note of each kind of reach, each with text that says whose it is, so leaks are easy to spot."""
    named = NoteFactory(client=grace, author=alice, visibility="named", text="ALICE-NAMED-FOR-BOB")
    named.named_people.set([bob])
    return {
        "alice_circle": NoteFactory(client=grace, author=alice, text="ALICE-CIRCLE"),
        "bob_circle": NoteFactory(client=grace, author=bob, text="BOB-CIRCLE"),
        "carol_circle": NoteFactory(client=grace, author=carol, text="CAROL-CIRCLE"),
        "alice_org": NoteFactory(
            client=grace, author=alice, visibility="organisation", text="ALICE-EARLY-HELP-ONLY"
        ),
        "alice_named": named,
    }


ALL_NOTE_TEXTS = {
    "ALICE-CIRCLE",
    "BOB-CIRCLE",
    "CAROL-CIRCLE",
    "ALICE-EARLY-HELP-ONLY",
    "ALICE-NAMED-FOR-BOB",
}


def note_texts_in(html: str) -> set[str]:
    """Which of the `notes` fixture's texts appear on a page."""
    return {text for text in ALL_NOTE_TEXTS if text in html}


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def anonymous() -> BrowserClient:
    return BrowserClient()


def unique_ip() -> str:
    """An address no other test (or run, with Redis) has used, for rate limits counted per IP."""
    value = uuid.uuid4().int
    return f"10.{value % 250 + 1}.{value // 250 % 250 + 1}.{value // 62500 % 250 + 1}"


# Pages.

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _ElementText(HTMLParser):
    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.found = False
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth:
            if tag not in _VOID:
                self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.found = True
            if tag in _VOID:
                self.done = True
            else:
                self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in _VOID:
            self.depth -= 1
            if not self.depth:
                self.done = True

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element_text(html: str | bytes, element_id: str) -> str | None:
    """The text inside the element with this id (whitespace squashed), or None if there is no such element."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _ElementText(element_id)
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split()) if parser.found else None


# Sockets.


async def socket(user, path: str):
    """A websocket as `user` (the auth middleware is tested with the full stack elsewhere)."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=SOCKET_TIMEOUT)
    return communicator, connected, code


async def client_socket(user, client):
    """The live socket of a client page, past its hello; fails the test if it is refused."""
    communicator, connected, code = await socket(user, f"/ws/clients/{client.public_id}/")
    assert connected, f"{user} was refused ({code})"
    await receive_until(communicator, "hello")
    return communicator


async def personal_socket(user):
    communicator, connected, code = await socket(user, "/ws/me/")
    assert connected, f"{user} was refused ({code})"
    return communicator


async def receive_until(communicator, message_type: str) -> dict:
    """Skip presence chatter; return the next message of `message_type`."""
    while True:
        message = await communicator.receive_json_from(timeout=SOCKET_TIMEOUT)
        if message["type"] == message_type:
            return message


async def next_message(communicator) -> dict:
    """The next message that is not presence chatter."""
    while True:
        message = await communicator.receive_json_from(timeout=SOCKET_TIMEOUT)
        if message["type"] != "presence":
            return message


async def no_events(communicator, timeout: float = 0.3) -> bool:
    """True if nothing but presence chatter arrives for `timeout` seconds (never cancels the socket)."""
    while not await communicator.receive_nothing(timeout=timeout):
        message = await communicator.receive_json_from(timeout=SOCKET_TIMEOUT)
        if message["type"] not in ("presence", "hello"):
            return False
    return True


async def messages_until_closed(communicator) -> tuple[list[dict], int]:
    """Every JSON message up to the close frame, and the close code."""
    import json

    received = []
    while True:
        output = await communicator.receive_output(timeout=SOCKET_TIMEOUT)
        if output["type"] == "websocket.close":
            return received, output.get("code")
        if output.get("text"):
            received.append(json.loads(output["text"]))
