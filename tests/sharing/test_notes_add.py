"""Adding a note from the client page: the full page and the htmx form."""

import pytest

from circles.models import CircleMember
from circles.services import circle_member_remove
from sharing.models import Note
from tests.conftest import signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}
GOOD = {"kind": "visit", "text": "Home visit: Grace is settling in well.", "visibility": "circle"}


def url(client) -> str:
    return f"/clients/{client.public_id}/notes/new/"


def test_it_works(alice, as_alice, grace):
    response = as_alice.post(url(grace), GOOD)

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{grace.public_id}/"
    note = Note.objects.get()
    assert (note.client, note.author, note.organisation) == (grace, alice, alice.organisation)
    assert (note.kind, note.text, note.visibility) == ("visit", GOOD["text"], "circle")
    page = as_alice.get(response["Location"]).content.decode()
    assert "Your note has been added." in page
    assert f'id="note-{note.pk}"' in page and GOOD["text"] in page


def test_it_checks_access(client, as_charlie, grace):
    assert as_charlie.get(url(grace)).status_code == 404
    assert as_charlie.post(url(grace), GOOD).status_code == 404
    assert as_charlie.post(url(grace), GOOD, **HTMX).status_code == 404
    response = client.post(url(grace), GOOD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Note.objects.exists()


def test_every_member_can_add_notes(as_bob, as_carol, grace):
    assert as_bob.post(url(grace), GOOD).status_code == 302
    assert as_carol.post(url(grace), GOOD | {"visibility": "organisation"}).status_code == 302
    assert sorted(Note.objects.values_list("organisation__name", flat=True)) == [
        "Community Health",
        "Early Help",
    ]


def test_a_removed_member_cannot_add_notes(alice, bob, grace):
    as_bob = signed_in(bob)
    circle_member_remove(actor=alice, client=grace, member=CircleMember.objects.get(client=grace, user=bob))
    assert as_bob.post(url(grace), GOOD).status_code == 404
    assert not Note.objects.exists()


def test_the_form_page_works(as_alice, grace):
    response = as_alice.get(url(grace))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Add a note for Grace Okafor" in html and "<html" in html
    assert 'name="text"' in html


def test_the_htmx_form_is_a_fragment(as_alice, grace):
    response = as_alice.get(url(grace), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="note-form"' in html and "<html" not in html


def test_it_works_with_htmx(alice, as_alice, grace):
    response = as_alice.post(url(grace), GOOD, **HTMX)

    assert response.status_code == 200
    note = Note.objects.get()
    html = response.content.decode()
    assert "<html" not in html
    assert "Your note has been added." in html
    # The note goes straight to the top of the list on the page (out of band).
    assert '<div hx-swap-oob="afterbegin:#notes-list">' in html
    assert f'id="note-{note.pk}"' in html and GOOD["text"] in html


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"text": ""}, "text", "Write the note before saving it."),
        ({"text": "   \n\t  "}, "text", "Write the note before saving it."),
        ({"text": "\x01\x02\x1b"}, "text", "Write the note before saving it."),
        ({"text": "x" * 20_001}, "text", "Ensure this value has at most 20000 characters (it has 20001)."),
        ({"kind": "gossip"}, "kind", "Select a valid choice. gossip is not one of the available choices."),
        ({"kind": ""}, "kind", "This field is required."),
        (
            {"visibility": "everyone"},
            "visibility",
            "Select a valid choice. everyone is not one of the available choices.",
        ),
        ({"visibility": ""}, "visibility", "This field is required."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_bad_input_is_explained_and_nothing_is_saved(as_alice, grace, change, field, message, htmx):
    response = as_alice.post(url(grace), GOOD | change, **(HTMX if htmx else {}))

    # The full page says 400; htmx only swaps a 2xx, so its fragment with the errors comes as a 200.
    assert response.status_code == (200 if htmx else 400)
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert "There is a problem" in html
    assert ("<html" in html) is not htmx
    assert not Note.objects.exists()


def test_a_note_of_exactly_20000_characters_is_fine(as_alice, grace):
    assert as_alice.post(url(grace), GOOD | {"text": "x" * 20_000}).status_code == 302
    assert len(Note.objects.get().text) == 20_000
