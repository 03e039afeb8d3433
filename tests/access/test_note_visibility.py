"""Who can read a note: the whole circle, my organisation only, named people only, or the circle and the
client. The author may change it; widening is audited as "note.visibility_widen", narrowing as
"note.visibility_narrow"."""

import pytest

from audit.models import AuditEvent
from circles import services as circle_services
from sharing.models import Note
from sharing.services import note_create, note_visibility_change
from tests.access.conftest import membership
from tests.conftest import api_as, signed_in


def note_url(note) -> str:
    return f"/clients/{note.client.public_id}/notes/{note.pk}/"


def readers(note, *users) -> set[str]:
    """Which of `users` can read the note, as the API answers them."""
    can = set()
    for user in users:
        response = api_as(user).get(f"/api/v1/clients/{note.client.public_id}/notes/{note.pk}/")
        assert response.status_code in (200, 404), response.status_code
        if response.status_code == 200:
            can.add(user.full_name.split()[0])
    return can


def last_change(note) -> AuditEvent:
    return AuditEvent.objects.filter(
        object_type="Note", object_id=str(note.pk), action__startswith="note.visibility"
    ).latest("id")


@pytest.fixture
def everyone(alice, bob, carol, charlie):
    return alice, bob, carol, charlie


def test_it_works(alice, bob, carol, grace, everyone):
    note = note_create(actor=alice, client=grace, text="Hello circle")
    assert readers(note, *everyone) == {"Alice", "Bob", "Carol"}

    response = signed_in(alice).post(note_url(note) + "visibility/", {"visibility": "organisation"})

    assert response.status_code == 302
    assert Note.objects.get(pk=note.pk).visibility == "organisation"
    assert readers(note, *everyone) == {"Alice", "Bob"}
    row = last_change(note)
    assert (row.action, row.actor, row.client) == ("note.visibility_narrow", alice, grace)
    assert (row.before["visibility"], row.after["visibility"]) == ("circle", "organisation")


def test_the_api_works(alice, bob, carol, grace, everyone):
    note = note_create(actor=alice, client=grace, text="Early Help only", visibility="organisation")

    response = api_as(alice).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "circle"}, format="json"
    )

    assert response.status_code == 200 and response.data["visibility"] == "circle"
    assert readers(note, *everyone) == {"Alice", "Bob", "Carol"}
    assert last_change(note).action == "note.visibility_widen"


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        ("organisation", "circle", "note.visibility_widen"),
        ("circle", "client", "note.visibility_widen"),
        ("organisation", "client", "note.visibility_widen"),
        ("client", "circle", "note.visibility_narrow"),
        ("circle", "organisation", "note.visibility_narrow"),
        ("client", "organisation", "note.visibility_narrow"),
    ],
)
def test_widening_and_narrowing_are_told_apart(before, after, action, alice, grace):
    note = note_create(actor=alice, client=grace, text="A note", visibility=before)
    note_visibility_change(actor=alice, note=note, visibility=after)
    row = last_change(note)
    assert row.action == action
    assert (row.before["visibility"], row.after["visibility"]) == (before, after)


def test_naming_more_people_widens_and_fewer_narrows(alice, bob, carol, grace, everyone):
    note = note_create(actor=alice, client=grace, text="For Bob", visibility="named", named_people=[bob])
    assert readers(note, *everyone) == {"Alice", "Bob"}

    note_visibility_change(actor=alice, note=note, visibility="named", named_people=[bob, carol])
    assert last_change(note).action == "note.visibility_widen"
    assert last_change(note).after["named"] == sorted([bob.pk, carol.pk])
    assert readers(note, *everyone) == {"Alice", "Bob", "Carol"}

    note_visibility_change(actor=alice, note=note, visibility="named", named_people=[carol])
    assert last_change(note).action == "note.visibility_narrow"
    assert readers(note, *everyone) == {"Alice", "Carol"}


def test_naming_someone_from_another_organisation_widens_an_organisation_note(alice, carol, grace, everyone):
    note = note_create(actor=alice, client=grace, text="Early Help only", visibility="organisation")
    note_visibility_change(actor=alice, note=note, visibility="named", named_people=[carol])
    assert last_change(note).action == "note.visibility_widen"
    assert readers(note, *everyone) == {"Alice", "Carol"}


@pytest.mark.parametrize("before", ["circle", "client", "organisation"])
def test_keeping_a_note_to_people_who_could_already_read_it_is_narrowing(before, alice, bob, grace, everyone):
    note = note_create(actor=alice, client=grace, text="A note", visibility=before)
    note_visibility_change(actor=alice, note=note, visibility="named", named_people=[bob])
    assert readers(note, *everyone) == {"Alice", "Bob"}
    assert last_change(note).action == "note.visibility_narrow"


def test_named_people_only_reaches_only_the_named(alice, bob, carol, grace, everyone):
    note = note_create(actor=alice, client=grace, text="For Carol", visibility="named", named_people=[carol])
    # Bob is in Alice's own organisation, and still may not read it.
    assert readers(note, *everyone) == {"Alice", "Carol"}
    assert "For Carol" not in signed_in(bob).get(f"/clients/{grace.public_id}/").content.decode()


def test_an_organisation_note_never_leaves_its_organisation(alice, grace, everyone):
    note = note_create(actor=alice, client=grace, text="Early Help only", visibility="organisation")
    assert readers(note, *everyone) == {"Alice", "Bob"}


def test_named_people_in_another_organisation_still_need_consent(alice, carol, grace, everyone):
    from circles.models import Consent

    Consent.objects.filter(client=grace).delete()
    note = note_create(actor=alice, client=grace, text="For Carol", visibility="named", named_people=[carol])
    assert readers(note, *everyone) == {"Alice"}


def test_the_author_always_reads_their_note(alice, bob, grace, everyone):
    note = note_create(actor=bob, client=grace, text="Bob's only", visibility="named", named_people=[alice])
    note_visibility_change(actor=bob, note=note, visibility="named", named_people=[alice])
    assert "Bob" in readers(note, *everyone)


# Access.


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_author_changes_it(who, request, alice, grace):
    user = request.getfixturevalue(who)
    note = note_create(actor=alice, client=grace, text="Alice's note")

    assert signed_in(user).get(note_url(note) + "visibility/").status_code == 404
    assert (
        signed_in(user).post(note_url(note) + "visibility/", {"visibility": "organisation"}).status_code
        == 404
    )
    api = api_as(user).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "organisation"}, format="json"
    )
    assert api.status_code == 403
    assert Note.objects.get(pk=note.pk).visibility == "circle"
    assert not AuditEvent.objects.filter(action__startswith="note.visibility").exists()


def test_nobody_can_widen_a_note_they_cannot_read(alice, carol, grace):
    note = note_create(actor=alice, client=grace, text="Early Help only", visibility="organisation")
    api = api_as(carol).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "circle"}, format="json"
    )
    assert api.status_code == 404
    assert Note.objects.get(pk=note.pk).visibility == "organisation"


@pytest.mark.parametrize(
    "who", ["charlie", "manager", "eh_admin", "panel_chair", "site_admin", "portal_user"]
)
def test_outsiders_cannot_change_it(who, request, alice, grace):
    user = request.getfixturevalue(who)
    note = note_create(actor=alice, client=grace, text="Alice's note", visibility="organisation")

    assert signed_in(user).post(note_url(note) + "visibility/", {"visibility": "client"}).status_code in (
        403,
        404,
    )
    api = api_as(user).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "client"}, format="json"
    )
    assert api.status_code in (403, 404)
    assert Note.objects.get(pk=note.pk).visibility == "organisation"


def test_anonymous_cannot_change_it(client, alice, grace):
    note = note_create(actor=alice, client=grace, text="Alice's note")
    assert client.post(note_url(note) + "visibility/", {"visibility": "organisation"}).status_code == 302
    api = client.patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/",
        {"visibility": "organisation"},
        content_type="application/json",
    )
    assert api.status_code in (401, 403)
    assert Note.objects.get(pk=note.pk).visibility == "circle"


def test_an_author_who_left_the_circle_cannot_change_it(alice, bob, grace):
    note = note_create(actor=bob, client=grace, text="Bob's note", visibility="organisation")
    circle_services.circle_member_remove(actor=alice, client=grace, member=membership(grace, bob))

    assert signed_in(bob).post(note_url(note) + "visibility/", {"visibility": "circle"}).status_code == 404
    api = api_as(bob).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "circle"}, format="json"
    )
    assert api.status_code == 404
    assert Note.objects.get(pk=note.pk).visibility == "organisation"


def test_only_people_in_the_circle_can_be_named(alice, charlie, grace):
    note = note_create(actor=alice, client=grace, text="A note")
    api = api_as(alice).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/",
        {"visibility": "named", "named_people": [charlie.pk]},
        format="json",
    )
    assert api.status_code == 400
    note.refresh_from_db()
    assert note.visibility == "circle" and not note.named_people.exists()


def test_a_note_of_another_client_cannot_be_changed_through_this_one(alice, grace):
    other = circle_services.client_create(actor=alice, given_name="Hope", family_name="Mensah")
    note = note_create(actor=alice, client=other, text="Hope's note", visibility="organisation")

    assert (
        signed_in(alice)
        .post(f"/clients/{grace.public_id}/notes/{note.pk}/visibility/", {"visibility": "client"})
        .status_code
        == 404
    )
    api = api_as(alice).patch(
        f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/", {"visibility": "client"}, format="json"
    )
    assert api.status_code == 404
    assert Note.objects.get(pk=note.pk).visibility == "organisation"


@pytest.mark.django_db(transaction=True)
async def test_open_pages_hear_only_of_notes_they_may_read(alice, bob, carol, grace):
    from channels.db import database_sync_to_async

    from tests.access.conftest import client_socket, no_events, receive_until

    as_bob = await client_socket(bob, grace)
    as_carol = await client_socket(carol, grace)
    create = database_sync_to_async(note_create)

    kept = await create(actor=alice, client=grace, text="Early Help only", visibility="organisation")
    assert (await receive_until(as_bob, "event"))["payload"] == {"note_id": kept.pk}
    assert await no_events(as_carol)

    for_carol = await create(
        actor=alice, client=grace, text="For Carol", visibility="named", named_people=[carol]
    )
    assert (await receive_until(as_carol, "event"))["payload"] == {"note_id": for_carol.pk}
    assert await no_events(as_bob)

    await as_bob.disconnect()
    await as_carol.disconnect()
