"""Notes kept to one organisation: its members in the circle read them; the rest of the circle does not."""

import pytest

from circles.services import consent_withdraw
from sharing.services import note_create
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, ConsentFactory, MemberFactory


def page(client) -> str:
    return f"/clients/{client.public_id}/"


def note_page(note) -> str:
    return f"/clients/{note.client.public_id}/notes/{note.pk}/"


def note_api(note) -> str:
    return f"/api/v1/clients/{note.client.public_id}/notes/{note.pk}/"


def api_list(user, client) -> list[int]:
    return [
        row["id"] for row in api_as(user).get(f"/api/v1/clients/{client.public_id}/notes/").data["results"]
    ]


def test_it_works(alice, bob, grace, early_help_note, circle_note):
    for person in (alice, bob):
        html = signed_in(person).get(page(grace)).content.decode()
        assert early_help_note.text in html
        assert "Early Help only</strong>" in html  # tagged, so nobody mistakes it for a circle note
        assert api_list(person, grace) == [circle_note.pk, early_help_note.pk]
        assert api_as(person).get(note_api(early_help_note)).data["text"] == early_help_note.text
        assert signed_in(person).get(note_page(early_help_note)).status_code == 200


def test_it_checks_access(carol, grace, early_help_note, circle_note):
    as_carol = signed_in(carol)
    html = as_carol.get(page(grace)).content.decode()
    assert circle_note.text in html
    assert early_help_note.text not in html
    assert f'id="note-{early_help_note.pk}"' not in html
    assert api_list(carol, grace) == [circle_note.pk]
    assert api_as(carol).get(note_api(early_help_note)).status_code == 404
    assert as_carol.get(note_page(early_help_note)).status_code == 404
    # The count on the list does not give the hidden note away either.
    assert api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/").data["count"] == 1


def test_it_works_the_other_way_round(alice, bob, carol, grace):
    health_note = note_create(
        actor=carol, client=grace, text="Health only: medication review.", visibility="organisation"
    )

    assert api_list(carol, grace) == [health_note.pk]
    for person in (alice, bob):
        assert api_list(person, grace) == []
        assert health_note.text not in signed_in(person).get(page(grace)).content.decode()
        assert api_as(person).get(note_api(health_note)).status_code == 404


def test_circle_notes_are_read_by_the_whole_circle(alice, bob, carol, circle_note):
    for person in (alice, bob, carol):
        assert api_as(person).get(note_api(circle_note)).status_code == 200
        assert signed_in(person).get(note_page(circle_note)).status_code == 200


def test_nobody_outside_the_circle_reads_either_kind(charlie, early_help_note, circle_note):
    for note in (early_help_note, circle_note):
        assert api_as(charlie).get(note_api(note)).status_code == 404
        assert signed_in(charlie).get(note_page(note)).status_code == 404


@pytest.mark.parametrize("note_id", ["999999", "0"])
def test_an_unknown_note_is_not_found(alice, grace, note_id):
    assert api_as(alice).get(f"/api/v1/clients/{grace.public_id}/notes/{note_id}/").status_code == 404
    assert signed_in(alice).get(f"/clients/{grace.public_id}/notes/{note_id}/").status_code == 404


@pytest.fixture
def ruth(alice, bob, carol):
    """A client in the same circle as Grace's, who has not agreed to share across organisations."""
    client = ClientFactory(given_name="Ruth", family_name="Example")
    MemberFactory(client=client, user=alice, is_lead=True)
    MemberFactory(client=client, user=bob)
    MemberFactory(client=client, user=carol)
    return client


def test_without_consent_each_organisation_reads_only_its_own(alice, bob, carol, ruth):
    early_help = note_create(actor=bob, client=ruth, text="Early Help visit.")
    health = note_create(actor=carol, client=ruth, text="Health visit.")

    assert api_list(alice, ruth) == [early_help.pk]
    assert api_list(carol, ruth) == [health.pk]
    assert api_as(carol).get(note_api(early_help)).status_code == 404
    assert early_help.text not in signed_in(carol).get(page(ruth)).content.decode()


def test_consent_naming_an_organisation_lets_it_read_the_circles_notes(alice, bob, carol, health, ruth):
    early_help = note_create(actor=bob, client=ruth, text="Early Help visit.")
    kept = note_create(actor=bob, client=ruth, text="Early Help only.", visibility="organisation")
    consent = ConsentFactory(client=ruth, scope="organisation", organisation=health, recorded_by=alice)

    assert api_list(carol, ruth) == [early_help.pk]  # never the organisation-only note

    consent_withdraw(actor=alice, consent=consent)
    assert api_list(carol, ruth) == []
    assert kept.pk in api_list(alice, ruth)


def test_named_notes_reach_only_the_named_people(alice, bob, carol, grace):
    named = note_create(
        actor=alice, client=grace, text="For Carol only.", visibility="named", named_people=[carol]
    )

    assert named.pk in api_list(alice, grace)  # the author
    assert named.pk in api_list(carol, grace)
    assert named.pk not in api_list(bob, grace)
    assert api_as(bob).get(note_api(named)).status_code == 404
    assert named.text not in signed_in(bob).get(page(grace)).content.decode()
