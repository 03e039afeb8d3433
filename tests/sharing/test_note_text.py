"""What is typed into a note is kept as typed (markup is data), less invisible control characters."""

from sharing.models import Note
from tests.conftest import api_as

SCRIPT = '<script>alert("hi")</script> & <b>bold</b>'
ESCAPED = "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


def test_markup_is_escaped_on_the_page(alice, as_alice, as_carol, grace):
    as_alice.post(
        f"/clients/{grace.public_id}/notes/new/", {"kind": "update", "text": SCRIPT, "visibility": "circle"}
    )
    note = Note.objects.get()
    assert note.text == SCRIPT  # stored as typed

    for html in (
        as_carol.get(f"/clients/{grace.public_id}/").content.decode(),
        as_carol.get(f"/clients/{grace.public_id}/notes/{note.pk}/").content.decode(),
    ):
        assert "<script>alert" not in html
        assert "<b>bold</b>" not in html
        assert ESCAPED in html


def test_markup_is_escaped_in_the_htmx_fragment(as_alice, grace):
    response = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/",
        {"kind": "update", "text": SCRIPT, "visibility": "circle"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<script>alert" not in html and ESCAPED in html


def test_markup_is_data_in_the_api(alice, bob, grace):
    created = api_as(alice).post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": SCRIPT}, format="json")
    assert created.status_code == 201
    assert created.data["text"] == SCRIPT
    assert created["Content-Type"] == "application/json"

    listed = api_as(bob).get(f"/api/v1/clients/{grace.public_id}/notes/")
    assert listed.data["results"][0]["text"] == SCRIPT
    assert listed.json()["results"][0]["text"] == SCRIPT


CONTROL = "Visit\x01 at\x7f home.\x1b[31m\r\nAll\twell.\x0b\x0c\x08"
CLEANED = "Visit at home.[31m\nAll\twell."


def test_control_characters_are_removed_on_the_page(as_alice, grace):
    response = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/", {"kind": "update", "text": CONTROL, "visibility": "circle"}
    )
    assert response.status_code == 302
    assert Note.objects.get().text == CLEANED


def test_control_characters_are_removed_in_the_api(alice, grace):
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/notes/", {"text": CONTROL}, format="json"
    )
    assert response.status_code == 201
    assert response.data["text"] == CLEANED
    assert Note.objects.get().text == CLEANED


def test_nul_is_removed_on_the_page(as_alice, grace):
    response = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/",
        {"kind": "update", "text": "Phoned\x00 Grace.", "visibility": "circle"},
    )
    assert response.status_code == 302
    assert Note.objects.get().text == "Phoned Grace."


def test_nul_is_removed_in_the_api(alice, grace):
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/notes/", {"text": "Phoned\x00 Grace."}, format="json"
    )
    assert response.status_code == 201
    assert response.data["text"] == "Phoned Grace."


def test_nul_is_never_a_server_error(alice, as_alice, grace):
    # Whatever the app decides about NUL, PostgreSQL cannot store it: it must never reach the database.
    page = as_alice.post(
        f"/clients/{grace.public_id}/notes/new/", {"kind": "update", "text": "a\x00b", "visibility": "circle"}
    )
    api = api_as(alice).post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "a\x00b"}, format="json")
    assert page.status_code in (302, 400)
    assert api.status_code in (201, 400)
    assert all("\x00" not in text for text in Note.objects.values_list("text", flat=True))
