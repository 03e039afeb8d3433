"""Need to know on the meeting's socket: each person hears only about the agenda items they may read,
and names reach them through the policy's person_label (a hidden member they may not know is never named,
nor shown as present).

The cast (scenario 4): Sam Reilly is on the risk panel's agenda beside Grace. Hester, an independent
domestic violence adviser, is a hidden member of Sam's circle and takes the minutes. Tina leads Sam's
circle. Bob is in Grace's circle only; Charlie is a standing member of the panel; Moira chairs.
"""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from circles.access import HIDDEN_LABEL
from conferences import services
from conferences.models import Contribution
from conferences.routing import websocket_urlpatterns
from tests.factories import ClientFactory, ConsentFactory, MemberFactory, UserFactory

from .conftest import meeting_type, tomorrow_at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TIMEOUT = 3


async def connect(user, meeting, *, after=None, page="meeting"):
    url = f"/ws/meetings/{meeting.pk}/?page={page}" + (f"&after={after}" if after is not None else "")
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, _code = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def next_of(communicator, kind):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == kind:
            return message


async def no_event(communicator):
    """Nothing but presence arrives for a moment (the socket is quiet about anything else)."""
    while not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        assert message["type"] == "presence", message
    return True


async def presence_with(communicator, name):
    """The first presence list naming `name` (each socket's list grows as others say they are here)."""
    while True:
        people = [p["name"] for p in (await next_of(communicator, "presence"))["people"]]
        if name in people:
            return people


@pytest.fixture
def cast(moira, panel, grace, alice, conference_consent):
    hester = UserFactory(full_name="Hester Hidden-Worker", email="hester@example.org")
    tina = UserFactory(full_name="Tina Lead", email="tina@example.org")
    sam = ClientFactory(given_name="Sam", family_name="Reilly")
    MemberFactory(client=sam, user=tina, is_lead=True)
    MemberFactory(client=sam, user=hester, is_hidden=True)
    ConsentFactory(client=sam, scope="conference", recorded_by=tina)
    meeting = services.meeting_create(
        actor=moira,
        type=meeting_type("Risk panel"),
        title="Risk panel, December",
        starts_at=tomorrow_at(),
        panel=panel,
        place="Town Hall, room 2",
        minute_taker=hester,
    )
    graces = services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    sams = services.agenda_item_add(actor=moira, meeting=meeting, client=sam, reason="SAM-REASON")
    meeting = services.meeting_open(actor=moira, meeting=meeting)
    return {"meeting": meeting, "graces": graces, "sams": sams, "hester": hester, "tina": tina, "sam": sam}


def sams_item_is_discussed(cast, moira):
    meeting, sams = cast["meeting"], cast["sams"]
    services.meeting_item_move(actor=moira, meeting=meeting, item=sams)
    services.minutes_update(actor=moira, item=sams, minutes="SAM-MINUTES", base_version=sams.version)
    services.contribution_add(actor=moira, item=sams, kind=Contribution.Kind.AGENCY_REPORT, facts="SAM-FACTS")
    services.decision_record(actor=moira, item=sams, text="SAM-DECISION", agreed_by=["Moira Lane"])


async def test_a_reader_hears_nothing_about_an_item_that_is_not_theirs(cast, moira, bob, charlie):
    meeting, graces, sams = cast["meeting"], cast["graces"], cast["sams"]
    bobs = await connect(bob, meeting)
    bob_hello = await next_of(bobs, "hello")
    charlies = await connect(charlie, meeting)
    await next_of(charlies, "hello")

    await database_sync_to_async(sams_item_is_discussed)(cast, moira)
    await database_sync_to_async(services.minutes_update)(
        actor=moira, item=graces, minutes="GRACE-MINUTES", base_version=graces.version
    )

    # Charlie, a standing member within the window, hears every item.
    heard = [await next_of(charlies, "event") for _ in range(5)]
    assert [m["event"] for m in heard] == [
        "meeting.item_move",
        "meeting.minutes_update",
        "meeting.contribution_add",
        "meeting.decision",
        "meeting.minutes_update",
    ]
    assert {m["payload"]["item_id"] for m in heard} == {sams.pk, graces.pk}

    # Bob, in Grace's circle only, follows the meeting on without hearing where, then hears Grace's minutes.
    moved = await next_of(bobs, "event")
    assert moved["event"] == "meeting.item_move"
    assert moved["payload"] == {"meeting_id": meeting.pk, "item_id": None, "elsewhere": True}
    graces_minutes = await next_of(bobs, "event")
    assert graces_minutes["event"] == "meeting.minutes_update"
    assert graces_minutes["payload"]["item_id"] == graces.pk
    assert await no_event(bobs)

    # A page that reconnects catches up from the outbox by the same rule.
    await bobs.disconnect()
    bobs = await connect(bob, meeting, after=bob_hello["seq"])
    replayed = []
    while True:
        message = await bobs.receive_json_from(timeout=TIMEOUT)
        if message["type"] == "hello":
            break
        replayed.append(message)
    assert [m["payload"].get("item_id") for m in replayed if m["type"] == "event"] == [None, graces.pk]
    assert "SAM" not in str(replayed)
    await bobs.disconnect()
    await charlies.disconnect()


async def test_an_item_added_while_the_page_is_open_reaches_only_those_who_may_read_it(
    cast, moira, bob, charlie, alice
):
    meeting = cast["meeting"]
    bobs, charlies = await connect(bob, meeting), await connect(charlie, meeting)
    await next_of(bobs, "hello")
    await next_of(charlies, "hello")

    def another_client():
        ruth = ClientFactory(given_name="Ruth", family_name="Other")
        ConsentFactory(client=ruth, scope="conference", recorded_by=alice)
        return services.agenda_item_add(actor=moira, meeting=meeting, client=ruth, reason="Housing")

    added = await database_sync_to_async(another_client)()
    message = await next_of(charlies, "event")
    assert message["event"] == "meeting.agenda_add" and message["payload"]["item_id"] == added.pk
    assert await no_event(bobs)
    await bobs.disconnect()
    await charlies.disconnect()


async def test_names_on_the_socket_go_through_the_policy(cast, moira, charlie):
    meeting, sams, hester, tina = cast["meeting"], cast["sams"], cast["hester"], cast["tina"]
    charlies = await connect(charlie, meeting)
    await next_of(charlies, "hello")
    tinas = await connect(tina, meeting)
    await next_of(tinas, "hello")
    await presence_with(charlies, "Tina Lead")
    hesters = await connect(hester, meeting)
    await next_of(hesters, "hello")

    # Tina (in Sam's circle) sees Hester in the meeting; Charlie does not, nor hears that anyone came.
    assert "Hester Hidden-Worker" in await presence_with(tinas, "Hester Hidden-Worker")
    assert await no_event(charlies)
    while not await charlies.receive_nothing(timeout=0.2):
        people = [p["name"] for p in (await charlies.receive_json_from())["people"]]
        assert people == ["Tina Lead"]

    await database_sync_to_async(services.minutes_update)(
        actor=hester, item=sams, minutes="Written by the minute-taker", base_version=sams.version
    )
    by_tina = await next_of(tinas, "event")
    by_charlie = await next_of(charlies, "event")
    assert by_tina["payload"]["by"] == "Hester Hidden-Worker"
    assert by_charlie["payload"]["by"] == HIDDEN_LABEL
    for socket in (charlies, tinas, hesters):
        await socket.disconnect()


async def test_presence_is_kept_to_the_same_page_of_the_stream(cast, moira, bob):
    meeting = cast["meeting"]
    on_meeting = await connect(bob, meeting)
    await next_of(on_meeting, "hello")
    on_pack = await connect(moira, meeting, page="pack")
    hello = await next_of(on_pack, "hello")
    assert hello["presence"] == []
    assert await on_meeting.receive_nothing(timeout=0.3)  # not even presence
    await on_pack.disconnect()
    await on_meeting.disconnect()
