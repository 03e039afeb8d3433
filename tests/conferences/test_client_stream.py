"""Putting a client on an agenda is told live on the client's own stream, so an open client page refreshes
"Next review or meeting" (static/js/client-page.js: a "meeting." event refreshes the truth panel); so are
the meeting's opening and ending. Only those who may follow the client hear it; the portal hears it only
when the family is invited."""

import datetime
import json

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from circles import services as circle_services
from circles.access import may_receive, viewer_for
from circles.models import CircleMember, PortalAccess
from conferences import services
from realtime.models import Event
from realtime.routing import websocket_urlpatterns
from tests.conftest import signed_in
from tests.factories import ClientFactory, ConsentFactory, UserFactory

from .conftest import meeting_type, tomorrow_at

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


# Opening and ending the meeting: told on each agenda client's own stream, in the same transaction, so an
# open client page moves "Next review or meeting" on ("under way", then the next one or none).

ANNOUNCE = "meeting.client_status"


def announcements(client):
    return list(Event.objects.filter(client=client, type=ANNOUNCE).order_by("seq"))


def close_every_item(meeting, moira):
    for agenda_item in meeting.items.all():
        services.item_close(
            actor=moira, item=agenda_item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
        )


@pytest.fixture
def tom(meeting, moira, alice):
    tom = ClientFactory(given_name="Tom", family_name="Reilly")
    ConsentFactory(client=tom, scope="conference", recorded_by=alice)
    services.agenda_item_add(actor=moira, meeting=meeting, client=tom, reason="Housing")
    return tom


def test_opening_and_ending_are_told_on_each_agenda_clients_stream(item, tom, moira, grace):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    tom_item = meeting.items.get(client=tom)
    for client, on in ((grace, item), (tom, tom_item)):
        (event,) = announcements(client)
        assert event.payload == {"meeting_id": meeting.pk, "item_id": on.pk, "status": "in_progress"}
        assert event.audience == {"client_visible": False}  # a risk panel: the family is not invited
        assert AuditEvent.objects.filter(action=ANNOUNCE, client=client, actor=moira).count() == 1
    close_every_item(meeting, moira)
    services.meeting_end(actor=moira, meeting=meeting)
    for client in (grace, tom):
        assert [e.payload["status"] for e in announcements(client)] == ["in_progress", "ended"]
    # Each meeting-level change is still told once on the meeting's own stream, naming no client.
    assert Event.objects.filter(stream=meeting.stream, type__in=["meeting.open", "meeting.end"]).count() == 2


def test_the_announcement_is_part_of_the_write(item, moira, grace, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):  # an item still open: the meeting cannot end
        services.meeting_end(actor=moira, meeting=services.meeting_open(actor=moira, meeting=item.meeting))
    assert [e.payload["status"] for e in announcements(grace)] == ["in_progress"]  # the end left nothing
    seq = Event.objects.get(client=grace, type=ANNOUNCE).seq
    grace.refresh_from_db()
    assert grace.last_event_seq == seq  # numbered on the client's own counter, gap-free


def test_the_announcement_names_no_one(item, moira, grace, alice, bob, carol):
    member = CircleMember.objects.get(client=grace, user=carol)
    circle_services.circle_member_hide(
        actor=alice, client=grace, member=member, hidden=True, reason="Domestic abuse adviser"
    )
    services.meeting_open(actor=moira, meeting=item.meeting)
    (event,) = announcements(grace)
    told = json.dumps(event.payload) + json.dumps(event.audience)
    for person in (moira, alice, bob, carol):
        assert person.full_name not in told and person.email not in told
    assert grace.given_name not in told and grace.family_name not in told


def test_the_portal_hears_it_only_when_the_family_is_invited(moira, grace, alice, bob, conference_consent):
    portal_user = UserFactory(organisation=None, kind="client")
    PortalAccess.objects.create(user=portal_user, client=grace)
    in_portal, in_circle = viewer_for(portal_user, grace), viewer_for(bob, grace)
    for kind, family in (("Risk panel", False), ("Team Around the Family", True)):
        meeting = services.meeting_create(
            actor=moira, type=meeting_type(kind), title=kind, starts_at=tomorrow_at(), place="Town Hall"
        )
        services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
        services.meeting_open(actor=moira, meeting=meeting)
        event = Event.objects.filter(client=grace, type=ANNOUNCE).latest("seq")
        assert event.payload["meeting_id"] == meeting.pk
        assert may_receive(in_circle, event.audience)
        assert may_receive(in_portal, event.audience) is family, kind
        on_agenda = Event.objects.filter(client=grace, type="meeting.on_agenda").latest("seq")
        assert on_agenda.audience == event.audience  # the same people as were told of the agenda


def test_the_truth_panel_shows_the_meeting_under_way_then_moves_on(item, moira, grace, alice):
    truth = f"/clients/{grace.public_id}/now/"
    later = services.meeting_create(
        actor=moira,
        type=meeting_type("Risk panel"),
        title="Risk panel, January",
        starts_at=tomorrow_at() + datetime.timedelta(days=30),
        place="Town Hall",
    )
    services.agenda_item_add(actor=moira, meeting=later, client=grace, reason="Follow up")
    page = signed_in(alice).get(truth).content.decode()
    assert "Meeting on" in page and item.meeting.title in page
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    page = signed_in(alice).get(truth).content.decode()
    assert "Meeting under way" in page and meeting.title in page
    close_every_item(meeting, moira)
    services.meeting_end(actor=moira, meeting=meeting)
    page = signed_in(alice).get(truth).content.decode()
    assert "under way" not in page and meeting.title not in page and later.title in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_client_page_hears_the_meeting_open_and_end(
    meeting, moira, grace, alice, conference_consent
):
    item = await database_sync_to_async(services.agenda_item_add)(
        actor=moira, meeting=meeting, client=grace, reason="School"
    )
    page, connected, _ = await listen(alice, grace)
    assert connected
    await database_sync_to_async(services.meeting_open)(actor=moira, meeting=meeting)
    message = await next_event(page)
    assert message["event"] == ANNOUNCE
    assert message["payload"] == {"meeting_id": meeting.pk, "item_id": item.pk, "status": "in_progress"}

    def close_and_end():
        close_every_item(meeting, moira)
        services.meeting_end(actor=moira, meeting=meeting)

    await database_sync_to_async(close_and_end)()
    message = await next_event(page)
    while message["event"] != ANNOUNCE:  # closing the item changes the plan's review date first
        message = await next_event(page)
    assert message["payload"]["status"] == "ended"
    await page.disconnect()


def test_the_client_page_refreshes_the_truth_panel_on_these_events():
    """The client page maps an event to a panel by the first part of its name (static/js/client-page.js)."""
    script = (settings.BASE_DIR / "static" / "js" / "client-page.js").read_text()
    assert ANNOUNCE.split(".")[0] == "meeting" and 'meeting: "truth-changed"' in script
    panel = (settings.BASE_DIR / "templates" / "overview" / "_truth.html").read_text()
    assert "truth-changed from:body" in panel
