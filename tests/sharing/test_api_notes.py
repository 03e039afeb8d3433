"""/api/v1/clients/<id>/notes/: the notes a member may read, newest first; adding a note."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sharing.models import Note
from tests.conftest import api_as
from tests.factories import MemberFactory, NoteFactory, OrganisationFactory, UserFactory


def notes_url(client) -> str:
    return f"/api/v1/clients/{client.public_id}/notes/"


def note_url(note) -> str:
    return f"/api/v1/clients/{note.client.public_id}/notes/{note.pk}/"


def test_it_works(alice, bob, grace):
    now = timezone.now()
    older = NoteFactory(client=grace, author=bob, text="First", created_at=now - datetime.timedelta(days=1))
    newer = NoteFactory(client=grace, author=alice, text="Second", kind="phone_call", created_at=now)

    response = api_as(bob).get(notes_url(grace))

    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [row["id"] for row in response.data["results"]] == [newer.pk, older.pk]
    first = response.data["results"][0]
    assert {k: first[k] for k in ("kind", "text", "visibility", "author", "organisation")} == {
        "kind": "phone_call",
        "text": "Second",
        "visibility": "circle",
        "author": "Alice Lead",
        "organisation": "Early Help",
    }


def test_it_checks_access(charlie, grace, circle_note):
    assert api_as(charlie).get(notes_url(grace)).status_code == 404
    assert api_as(charlie).get(note_url(circle_note)).status_code == 404
    assert APIClient().get(notes_url(grace)).status_code in (401, 403)
    assert APIClient().get(note_url(circle_note)).status_code in (401, 403)


def test_one_note_can_be_read(carol, circle_note):
    response = api_as(carol).get(note_url(circle_note))
    assert response.status_code == 200
    assert (response.data["id"], response.data["text"]) == (circle_note.pk, circle_note.text)


def test_a_note_of_another_client_is_not_found_through_this_one(alice, grace):
    other = NoteFactory(author=alice)
    MemberFactory(client=other.client, user=alice, is_lead=True)
    assert api_as(alice).get(f"/api/v1/clients/{grace.public_id}/notes/{other.pk}/").status_code == 404


def test_adding_works(carol, grace):
    response = api_as(carol).post(
        notes_url(grace),
        {"kind": "visit", "text": "  Weighed baby.\r\nAll well.  ", "visibility": "organisation"},
        format="json",
    )

    assert response.status_code == 201
    note = Note.objects.get()
    assert response.data["id"] == note.pk
    assert response.data["text"] == note.text == "Weighed baby.\nAll well."
    assert (response.data["author"], response.data["organisation"]) == ("Carol Other-Org", "Community Health")
    assert (note.author, note.visibility, note.kind) == (carol, "organisation", "visit")


def test_adding_uses_sensible_defaults(bob, grace):
    response = api_as(bob).post(notes_url(grace), {"text": "Quick update."}, format="json")
    assert response.status_code == 201
    assert (response.data["kind"], response.data["visibility"]) == ("update", "circle")


def test_adding_checks_access(charlie, grace):
    body = {"text": "I should not be able to write this."}
    assert api_as(charlie).post(notes_url(grace), body, format="json").status_code == 404
    assert APIClient().post(notes_url(grace), body, format="json").status_code in (401, 403)
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({}, "text", "This field is required."),
        ({"text": ""}, "text", "This field may not be blank."),
        ({"text": "  \n "}, "text", "This field may not be blank."),
        ({"text": "\x01\x02"}, "text", "Write the note before saving it."),
        ({"text": "x" * 20_001}, "text", "Ensure this field has no more than 20000 characters."),
        ({"text": "ok", "kind": "gossip"}, "kind", '"gossip" is not a valid choice.'),
        ({"text": "ok", "visibility": "everyone"}, "visibility", '"everyone" is not a valid choice.'),
        ({"text": ["a", "list"]}, "text", "Not a valid string."),
    ],
)
def test_bad_input_gives_a_400_in_words_and_saves_nothing(alice, grace, body, field, message):
    response = api_as(alice).post(notes_url(grace), body, format="json")

    assert response.status_code == 400
    assert [str(error) for error in response.data[field]] == [message]
    assert not Note.objects.exists()


def test_a_note_of_exactly_20000_characters_is_fine(alice, grace):
    response = api_as(alice).post(notes_url(grace), {"text": "x" * 20_000}, format="json")
    assert response.status_code == 201
    assert len(response.data["text"]) == 20_000


def test_the_list_is_paged(alice, grace):
    for _ in range(3):
        NoteFactory(client=grace, author=alice)
    response = api_as(alice).get(notes_url(grace), {"limit": 2})
    assert response.data["count"] == 3
    assert len(response.data["results"]) == 2
    assert response.data["next"]


@pytest.mark.parametrize("notes", [1, 20])
def test_query_count_stays_flat(alice, grace, django_assert_num_queries, notes):
    for _ in range(notes):
        # Each note by someone new, from an organisation of their own.
        author = UserFactory(organisation=OrganisationFactory())
        MemberFactory(client=grace, user=author)
        NoteFactory(client=grace, author=author)
        NoteFactory(client=grace, author=author, visibility="organisation")  # not Alice's to read
    api = api_as(alice)

    # 1. the client by public ID, 2. Alice's membership, 3. does the client's consent share across
    # organisations, 4. count of the notes she may read (pagination), 5. the page of notes with author
    # and organisation, 6. the plan goals those notes refer to (one prefetch), 7. INSERT the note.list
    # audit row.
    with django_assert_num_queries(7):
        response = api.get(notes_url(grace))

    assert response.data["count"] == notes
    assert len(response.data["results"]) == notes
