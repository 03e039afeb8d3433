"""The meeting's socket: the chair moves to the next item and every open page hears it, in order, with
catch-up from the outbox after a reconnect; only people in the meeting may listen."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from conferences import services
from conferences.routing import websocket_urlpatterns
from tests.factories import ClientFactory, ConsentFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


async def connect(user, meeting, *, after=None):
    url = f"/ws/meetings/{meeting.pk}/" + (f"?after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def next_of(communicator, kind):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == kind:
            return message


@pytest.fixture
def running(item, moira, alice):
    other = ClientFactory(given_name="Tom")
    ConsentFactory(client=other, scope="conference", recorded_by=alice)
    second = services.agenda_item_add(actor=moira, meeting=item.meeting, client=other, reason="Housing")
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    return meeting, item, second


async def test_attendees_follow_the_chair(running, moira, bob, charlie):
    meeting, _first, second = running
    pages = []
    for person in (bob, charlie):
        communicator, connected, _ = await connect(person, meeting)
        assert connected
        await next_of(communicator, "hello")
        pages.append(communicator)
    await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=second)
    heard = [await next_of(communicator, "event") for communicator in pages]
    assert all(message["event"] == "meeting.item_move" for message in heard)
    # Charlie, a standing member, reads every item; Bob, in Grace's circle and not Tom's, follows the
    # meeting on to "another client's item" without hearing which.
    assert heard[1]["payload"]["item_id"] == second.pk
    assert heard[0]["payload"] == {"meeting_id": meeting.pk, "item_id": None, "elsewhere": True}
    await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=_first)
    assert (await next_of(pages[0], "event"))["payload"]["item_id"] == _first.pk
    for communicator in pages:
        await communicator.disconnect()


async def test_presence_shows_who_is_in_the_meeting(running, moira, bob):
    meeting = running[0]
    chair, _, _ = await connect(moira, meeting)
    await next_of(chair, "hello")
    attendee, _, _ = await connect(bob, meeting)
    hello = await next_of(attendee, "hello")
    people = (await next_of(chair, "presence"))["people"]
    assert [p["name"] for p in people] == ["Bob Same-Org"]
    assert hello["presence"] == [] or [p["name"] for p in hello["presence"]] == ["Moira Lane"]
    await attendee.disconnect()
    await chair.disconnect()


async def test_a_page_that_reconnects_gets_what_it_missed(running, moira, charlie):
    meeting, first, second = running
    communicator, _, _ = await connect(charlie, meeting)
    hello = await next_of(communicator, "hello")
    await communicator.disconnect()
    await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=second)
    await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=first)
    communicator, _, _ = await connect(charlie, meeting, after=hello["seq"])
    heard = [await next_of(communicator, "event") for _ in range(2)]
    assert [m["payload"]["item_id"] for m in heard] == [second.pk, first.pk]
    assert heard[1]["seq"] == heard[0]["seq"] + 1
    await communicator.disconnect()


async def test_people_outside_the_meeting_may_not_listen(running, db):
    from tests.factories import UserFactory

    stranger = await database_sync_to_async(UserFactory)()
    communicator, connected, code = await connect(stranger, running[0])
    assert not connected and code == 4403


async def test_a_standing_member_is_let_go_when_their_window_closes(running, charlie):
    meeting = running[0]
    communicator, connected, _ = await connect(charlie, meeting)
    assert connected
    await next_of(communicator, "hello")

    def long_ago():
        import datetime

        from django.utils import timezone

        type(meeting).objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=60)
        )

    await database_sync_to_async(long_ago)()
    await communicator.send_json_to({"type": "ping"})
    assert (await next_of(communicator, "revoked"))["type"] == "revoked"
    await communicator.disconnect()


async def test_a_doorbell_while_the_database_is_down_loses_nothing(running, moira, charlie):
    """As for a client's page (tests/realtime/test_catch_up.py): the event met by the outage is not counted as
    delivered, so the next ping reads it back from the outbox."""
    from unittest import mock

    from django.db import OperationalError

    meeting, _first, second = running
    communicator, _, _ = await connect(charlie, meeting)
    hello = await next_of(communicator, "hello")

    outage = OperationalError("couldn't get a connection after 3.00 sec")
    with mock.patch("realtime.consumers.session_alive", side_effect=outage):
        await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=second)
        assert await communicator.receive_nothing(timeout=0.3)

    await communicator.send_json_to({"type": "ping"})
    event = await next_of(communicator, "event")
    assert (event["seq"], event["payload"]["item_id"]) == (hello["seq"] + 1, second.pk)
    await communicator.disconnect()


async def test_a_failing_presence_send_does_not_end_the_socket(running, moira, bob):
    """Presence is best effort: a page closing as others come and go must not end its socket in a traceback
    (the send is made to fail; tests/realtime/test_presence_faults.py does the same for a client's page)."""
    from tests.realtime.test_presence_faults import presence_send_fails

    meeting, _first, second = running
    chair, _, _ = await connect(moira, meeting)
    await next_of(chair, "hello")
    with presence_send_fails() as sends:
        attendee, _, _ = await connect(bob, meeting)
        await next_of(attendee, "hello")
        await database_sync_to_async(services.meeting_item_move)(actor=moira, meeting=meeting, item=second)
        # The chair heard Bob join (its presence send failed) and still delivers.
        assert (await next_of(chair, "event"))["event"] == "meeting.item_move"
    assert sends.failed
    await attendee.disconnect()
    await chair.disconnect()
