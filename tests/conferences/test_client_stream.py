"""Putting a client on an agenda is told live on the client's own stream, so an open client page refreshes
"Next review or meeting" (static/js/client-page.js: a "meeting." event refreshes the truth panel). Only
those who may follow the client hear it; the portal hears it only when the family is invited."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from audit.models import AuditEvent
from conferences import services
from realtime.models import Event
from realtime.routing import websocket_urlpatterns
from tests.conftest import signed_in

TIMEOUT = 3


def test_the_agenda_is_announced_on_the_clients_stream(meeting, moira, grace, conference_consent):
    item = services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    event = Event.objects.get(client=grace, type="meeting.on_agenda")
    assert event.payload == {"meeting_id": meeting.pk, "item_id": item.pk}
    assert event.audience == {"client_visible": False}  # a risk panel: the family is not invited
    assert AuditEvent.objects.filter(action="meeting.on_agenda", client=grace, actor=moira).exists()


def test_the_client_pages_panel_shows_the_meeting_when_it_refreshes(
    meeting, moira, grace, alice, conference_consent
):
    truth = f"/clients/{grace.public_id}/now/"
    assert meeting.title not in signed_in(alice).get(truth).content.decode()
    services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    assert meeting.title in signed_in(alice).get(truth).content.decode()


async def listen(user, client):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/clients/{client.public_id}/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def next_event(communicator):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == "event":
            return message


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_client_page_hears_it_and_a_stranger_cannot_listen(
    meeting, moira, grace, alice, charlie, conference_consent
):
    page, connected, _ = await listen(alice, grace)
    assert connected
    stranger, connected, code = await listen(charlie, grace)  # a standing member: the pack, not the record
    assert not connected and code == 4403
    item = await database_sync_to_async(services.agenda_item_add)(
        actor=moira, meeting=meeting, client=grace, reason="School"
    )
    message = await next_event(page)
    assert message["event"] == "meeting.on_agenda"
    assert message["payload"] == {"meeting_id": meeting.pk, "item_id": item.pk}
    await page.disconnect()
