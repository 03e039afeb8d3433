"""Notes marked for the pack: a member of the client's circle puts one of the client's notes into the pack
for an upcoming meeting (page and API, audited, live on the meeting's stream), and the pack shows each
marked note only to readers the note's own visibility lets read it.

The cast: Grace's circle is Alice (Early Help, lead), Bob (Early Help) and Carol (Community Health); Grace
agreed to share with the whole circle. Moira (Early Help) chairs; Charlie (Police) is a standing member.
"""

import datetime

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from audit.models import AuditEvent
from circles.access import HIDDEN_LABEL
from circles.models import Visibility
from conferences import services
from conferences.models import PackNote
from conferences.routing import websocket_urlpatterns
from realtime.models import Event
from sharing import services as sharing_services
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory, UserFactory


def pack_url(item):
    return f"/meetings/{item.meeting_id}/items/{item.pk}/pack/"


def choose_url(item):
    return f"/meetings/{item.meeting_id}/items/{item.pk}/pack/notes/"


def api_url(item, note=None):
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/pack-notes/"
    return f"{url}{note.pk}/" if note else url


@pytest.fixture
def notes(grace, alice, bob):
    """Three notes by Alice: for the circle, for Early Help only, and for Bob by name."""
    return {
        "circle": sharing_services.note_create(actor=alice, client=grace, text="CIRCLE-NOTE about rent"),
        "early_help": sharing_services.note_create(
            actor=alice, client=grace, text="EARLY-HELP-ONLY note", visibility=Visibility.ORGANISATION
        ),
        "named": sharing_services.note_create(
            actor=alice, client=grace, text="FOR-BOB note", visibility=Visibility.NAMED, named_people=[bob]
        ),
    }


def test_a_circle_member_marks_a_note_from_the_page_and_the_pack_shows_it(item, notes, bob, charlie, moira):
    browser = signed_in(bob)
    page = browser.get(choose_url(item)).content.decode()
    assert "CIRCLE-NOTE about rent" in page and "Put in the pack" in page
    response = browser.post(choose_url(item), {"note": notes["circle"].pk, "action": "add"})
    assert response.status_code == 302
    assert "In the pack" in browser.get(choose_url(item)).content.decode()
    for reader in (bob, charlie, moira):
        assert "CIRCLE-NOTE about rent" in signed_in(reader).get(pack_url(item)).content.decode(), reader
    mark = AuditEvent.objects.get(action="meeting.pack_note_add")
    assert mark.actor == bob and mark.client == item.client and mark.after["note_id"] == notes["circle"].pk
    event = Event.objects.get(stream=item.meeting.stream, type="meeting.pack_note_add")
    assert event.payload == {"meeting_id": item.meeting_id, "item_id": item.pk, "note_id": notes["circle"].pk}
    assert event.audience["visibility"] == "circle"

    browser.post(choose_url(item), {"note": notes["circle"].pk, "action": "remove"})
    assert "CIRCLE-NOTE" not in signed_in(charlie).get(pack_url(item)).content.decode()
    assert AuditEvent.objects.filter(action="meeting.pack_note_remove", actor=bob).exists()
    assert PackNote.objects.get().removed_at is not None  # the mark's row is kept


def test_each_reader_sees_only_the_marked_notes_they_may_read(item, notes, alice, bob, carol, charlie, moira):
    for note in notes.values():
        services.pack_note_add(actor=alice, item=item, note=note)
    expected = {
        # reader: (circle note, Early Help only, named for Bob)
        alice: (True, True, True),  # the author
        bob: (True, True, True),  # Early Help, and named
        carol: (True, False, False),  # in the circle, Community Health
        moira: (True, True, False),  # the chair, Early Help, outside the circle
        charlie: (True, False, False),  # a standing member, Police
    }
    for reader, (circle, early_help, named) in expected.items():
        page = signed_in(reader).get(pack_url(item)).content.decode()
        assert ("CIRCLE-NOTE" in page, "EARLY-HELP-ONLY" in page, "FOR-BOB" in page) == (
            circle,
            early_help,
            named,
        ), reader.full_name
        shown = {row["text"] for row in api_as(reader).get(api_url(item)).json()}
        assert ("CIRCLE-NOTE about rent" in shown, "EARLY-HELP-ONLY note" in shown) == (circle, early_help)


def test_without_consent_to_share_a_note_stays_in_its_organisation(item, notes, alice, charlie, moira):
    from circles.models import Consent

    services.pack_note_add(actor=alice, item=item, note=notes["circle"])
    Consent.objects.filter(client=item.client, scope=Consent.Scope.CIRCLE).update(withdrawn_at=timezone.now())
    assert "CIRCLE-NOTE" not in signed_in(charlie).get(pack_url(item)).content.decode()  # Police
    assert "CIRCLE-NOTE" in signed_in(moira).get(pack_url(item)).content.decode()  # Early Help, as Alice


def test_a_hidden_author_is_not_named_in_the_pack(item, grace, alice, charlie):
    hester = UserFactory(full_name="Hester Hidden-Worker")
    MemberFactory(client=grace, user=hester, is_hidden=True)
    note = sharing_services.note_create(actor=hester, client=grace, text="HIDDEN-AUTHORS note")
    services.pack_note_add(actor=alice, item=item, note=note)
    page = signed_in(charlie).get(pack_url(item)).content.decode()
    assert "HIDDEN-AUTHORS note" in page and HIDDEN_LABEL in page and "Hester" not in page
    assert api_as(charlie).get(api_url(item)).json()[0]["author"] == HIDDEN_LABEL


def test_who_may_not_mark_cannot(item, notes, carol, charlie, moira):
    for outsider in (charlie, moira):  # in the meeting, not in the circle
        assert signed_in(outsider).get(choose_url(item)).status_code == 404
        response = api_as(outsider).post(api_url(item), {"note": notes["circle"].pk}, format="json")
        assert response.status_code == 404
    # Carol is in the circle but may not read the Early Help note: it is not hers to put in the pack.
    response = api_as(carol).post(api_url(item), {"note": notes["early_help"].pk}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = signed_in(carol).post(choose_url(item), {"note": notes["early_help"].pk, "action": "add"})
    assert response.status_code == 400
    assert "EARLY-HELP-ONLY" not in signed_in(carol).get(choose_url(item)).content.decode()
    assert not PackNote.objects.exists()


def test_the_api_marks_and_unmarks_with_conflicts_said_plainly(item, notes, bob):
    api = api_as(bob)
    response = api.post(api_url(item), {"note": notes["circle"].pk}, format="json")
    assert response.status_code == 201 and response.json()["text"] == "CIRCLE-NOTE about rent"
    assert api.post(api_url(item), {"note": notes["circle"].pk}, format="json").status_code == 409
    assert api.post(api_url(item), {"note": 999999}, format="json").status_code == 400
    assert api.delete(api_url(item, notes["circle"])).status_code == 204
    assert api.delete(api_url(item, notes["circle"])).status_code == 409
    assert api.get(api_url(item)).json() == []
    reads = AuditEvent.objects.filter(action="meeting.pack_view", actor=bob)
    assert reads.count() == 1 and reads.get().after["meeting_id"] == item.meeting_id


def test_a_pack_closes_to_new_notes_when_the_meeting_ends(item, notes, moira, bob):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.meeting_end(actor=moira, meeting=meeting)
    response = api_as(bob).post(api_url(item), {"note": notes["circle"].pk}, format="json")
    assert response.status_code == 409 and "ended" in str(response.json())
    page = signed_in(bob).get(choose_url(item)).content.decode()
    assert "its pack is closed" in page and "Put in the pack" not in page


async def connect(user, item):
    url = f"/ws/meetings/{item.meeting_id}/?page=pack"
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), url)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    while (await communicator.receive_json_from(timeout=3))["type"] != "hello":
        pass
    return communicator


async def events_heard(communicator):
    heard = []
    while not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_json_from()
        if message["type"] == "event":
            heard.append((message["event"], message["payload"]["note_id"]))
    return heard


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_open_pack_hears_of_a_marked_note_only_if_its_reader_may_read_it(
    item, notes, alice, charlie, moira
):
    charlies, moiras = await connect(charlie, item), await connect(moira, item)
    for note in (notes["circle"], notes["early_help"]):
        await database_sync_to_async(services.pack_note_add)(actor=alice, item=item, note=note)
    circle, early_help = notes["circle"].pk, notes["early_help"].pk
    assert await events_heard(charlies) == [("meeting.pack_note_add", circle)]
    assert await events_heard(moiras) == [
        ("meeting.pack_note_add", circle),
        ("meeting.pack_note_add", early_help),
    ]
    await charlies.disconnect()
    await moiras.disconnect()
