"""Consent: the lead records what the client agreed to, and withdraws it when they say so.

Information crosses from one organisation to another only with a current "share with the circle" consent,
or a "share with a named organisation" consent naming the reader's organisation; without it each
organisation sees what its own people wrote, and authors always see their own notes. Withdrawal takes
effect at once: on the next request, and on pages already open (a "reload", or "revoked" and close 4403
for someone left with no access at all)."""

import datetime

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from audit.models import AuditEvent
from circles import services
from circles.models import Consent, EmergencyAccess
from sharing.services import note_create
from tests.access.conftest import (
    client_socket,
    element_text,
    messages_until_closed,
    no_events,
    note_texts_in,
    receive_until,
)
from tests.conftest import api_as, signed_in
from tests.factories import ConsentFactory

EVERY_CIRCLE_NOTE = {"ALICE-CIRCLE", "BOB-CIRCLE", "CAROL-CIRCLE"}


def page(client) -> str:
    return f"/clients/{client.public_id}/"


def notes_api(user, client) -> set[str]:
    response = api_as(user).get(f"/api/v1/clients/{client.public_id}/notes/")
    assert response.status_code == 200
    return {note["text"] for note in response.data["results"]}


def seen_on_page(user, client) -> set[str]:
    return note_texts_in(signed_in(user).get(page(client)).content.decode())


@pytest.fixture
def consent(grace):
    return Consent.objects.get(client=grace)


@pytest.fixture
def no_consent(grace, consent):
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    return grace


# Recording.


def test_it_works(alice, grace, no_consent, health):
    response = signed_in(alice).post(
        page(grace) + "consent/new/",
        {
            "scope": "organisation",
            "organisation": health.pk,
            "method": "verbal",
            "given_by": "Grace Okafor",
            "given_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )

    assert response.status_code == 302
    recorded = Consent.objects.get(client=grace, withdrawn_at=None)
    assert (recorded.scope, recorded.organisation, recorded.recorded_by) == ("organisation", health, alice)
    assert AuditEvent.objects.filter(action="consent.record", actor=alice, client=grace).exists()
    listed = element_text(signed_in(alice).get(page(grace)).content, "consent")
    assert "Share information with a named organisation: Community Health" in listed


def test_the_api_works(alice, grace, no_consent):
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/consents/",
        {"scope": "circle", "method": "written", "given_by": "Grace Okafor"},
        format="json",
    )
    assert response.status_code == 201 and response.data["is_current"] is True
    assert [
        c["scope"]
        for c in api_as(alice).get(f"/api/v1/clients/{grace.public_id}/consents/").data
        if c["is_current"]
    ] == ["circle"]


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_only_the_lead_records_or_withdraws(who, request, grace, consent):
    user = request.getfixturevalue(who)
    form = {"scope": "circle", "method": "written", "given_by": "Grace", "given_on": "01/01/2026"}

    assert signed_in(user).get(page(grace) + "consent/new/").status_code == 403
    assert signed_in(user).post(page(grace) + "consent/new/", form).status_code == 403
    assert signed_in(user).post(page(grace) + f"consent/{consent.pk}/withdraw/").status_code == 403
    api = api_as(user)
    assert api.post(f"/api/v1/clients/{grace.public_id}/consents/", form).status_code == 403
    assert api.post(f"/api/v1/clients/{grace.public_id}/consents/{consent.pk}/withdraw/").status_code == 403
    # Members may read the consent records, but not change them.
    assert api.get(f"/api/v1/clients/{grace.public_id}/consents/").status_code == 200
    assert element_text(signed_in(user).get(page(grace)).content, "consent") is not None
    assert Consent.objects.count() == 1
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize(
    "who", ["charlie", "manager", "eh_admin", "panel_chair", "site_admin", "portal_user"]
)
def test_outsiders_neither_see_nor_change_consent(who, request, grace, consent):
    user = request.getfixturevalue(who)
    form = {"scope": "circle", "method": "written", "given_by": "Grace", "given_on": "01/01/2026"}

    assert signed_in(user).post(page(grace) + "consent/new/", form).status_code in (403, 404)
    assert signed_in(user).post(page(grace) + f"consent/{consent.pk}/withdraw/").status_code in (403, 404)
    api = api_as(user)
    assert api.get(f"/api/v1/clients/{grace.public_id}/consents/").status_code in (403, 404)
    assert api.post(f"/api/v1/clients/{grace.public_id}/consents/{consent.pk}/withdraw/").status_code in (
        403,
        404,
    )
    discover = signed_in(user).get(page(grace))
    if discover.status_code == 200:
        assert element_text(discover.content, "consent") is None
    consent.refresh_from_db()
    assert consent.withdrawn_at is None and Consent.objects.count() == 1


def test_anonymous_cannot_withdraw(client, grace, consent):
    assert client.post(page(grace) + f"consent/{consent.pk}/withdraw/").status_code == 302
    assert client.post(f"/api/v1/clients/{grace.public_id}/consents/{consent.pk}/withdraw/").status_code in (
        401,
        403,
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_emergency_access_does_not_let_anyone_change_consent(charlie, grace, consent):
    EmergencyAccess.objects.create(
        client=grace,
        user=charlie,
        reason="Urgent: A&E",
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert signed_in(charlie).post(page(grace) + f"consent/{consent.pk}/withdraw/").status_code == 403
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_consent_belongs_to_its_client(alice, grace, consent):
    other = services.client_create(actor=alice, given_name="Hope", family_name="Mensah")
    assert (
        signed_in(alice).post(f"/clients/{other.public_id}/consent/{consent.pk}/withdraw/").status_code == 404
    )
    assert (
        api_as(alice).post(f"/api/v1/clients/{other.public_id}/consents/{consent.pk}/withdraw/").status_code
        == 404
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# What consent lets across.


def test_with_circle_consent_every_member_reads_every_circle_note(alice, bob, carol, grace, notes):
    assert notes_api(carol, grace) == EVERY_CIRCLE_NOTE
    assert seen_on_page(alice, grace) == EVERY_CIRCLE_NOTE | {"ALICE-EARLY-HELP-ONLY", "ALICE-NAMED-FOR-BOB"}
    assert element_text(signed_in(carol).get(page(grace)).content, "no-sharing-consent") is None


def test_without_consent_each_organisation_reads_its_own(alice, bob, carol, no_consent, notes):
    grace = no_consent
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}
    assert notes_api(alice, grace) == {
        "ALICE-CIRCLE",
        "BOB-CIRCLE",
        "ALICE-EARLY-HELP-ONLY",
        "ALICE-NAMED-FOR-BOB",
    }
    assert notes_api(bob, grace) == {
        "ALICE-CIRCLE",
        "BOB-CIRCLE",
        "ALICE-EARLY-HELP-ONLY",
        "ALICE-NAMED-FOR-BOB",
    }
    carol_page = signed_in(carol).get(page(grace))
    assert element_text(carol_page.content, "no-sharing-consent") is not None
    assert signed_in(carol).get(page(grace) + f"notes/{notes['alice_circle'].pk}/").status_code == 404


def test_a_consent_naming_an_organisation_lets_across_only_to_it(
    alice, carol, grace, no_consent, notes, health
):
    ConsentFactory(client=grace, scope="organisation", organisation=health, recorded_by=alice)

    assert notes_api(carol, grace) == EVERY_CIRCLE_NOTE
    # Health may read Early Help's notes; nobody said Early Help may read Health's.
    assert "CAROL-CIRCLE" not in notes_api(alice, grace)


def test_a_consent_naming_another_organisation_does_not_help(alice, carol, grace, no_consent, notes, police):
    ConsentFactory(client=grace, scope="organisation", organisation=police, recorded_by=alice)
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}


@pytest.mark.parametrize("scope", ["family_portal", "conference"])
def test_other_kinds_of_consent_do_not_share_notes(scope, alice, carol, grace, no_consent, notes):
    from tests.factories import FamilyMemberFactory

    family = FamilyMemberFactory(client=grace)
    ConsentFactory(client=grace, scope=scope, family_member=family, recorded_by=alice)
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}


def test_a_consent_past_its_end_date_no_longer_shares(alice, carol, grace, consent, notes):
    today = timezone.localdate()
    Consent.objects.filter(pk=consent.pk).update(
        given_on=today - datetime.timedelta(days=30), expires_on=today
    )
    assert notes_api(carol, grace) == EVERY_CIRCLE_NOTE  # the last day still counts

    Consent.objects.filter(pk=consent.pk).update(expires_on=today - datetime.timedelta(days=1))
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}


def test_organisation_only_and_named_notes_stay_put_even_with_consent(carol, grace, notes):
    assert "ALICE-EARLY-HELP-ONLY" not in notes_api(carol, grace)
    assert "ALICE-NAMED-FOR-BOB" not in notes_api(carol, grace)


def test_authors_always_read_their_own_notes(carol, no_consent, notes, police):
    """Carol moves from Health to the Police: what she wrote for Health is still hers to read."""
    carol.organisation = police
    carol.save(update_fields=["organisation"])

    assert notes_api(carol, no_consent) == {"CAROL-CIRCLE"}
    assert signed_in(carol).get(page(no_consent) + f"notes/{notes['carol_circle'].pk}/").status_code == 200


# Withdrawal takes effect at once.


def test_withdrawing_on_the_page_takes_effect_on_the_next_request(alice, carol, grace, consent, notes):
    assert seen_on_page(carol, grace) == EVERY_CIRCLE_NOTE

    response = signed_in(alice).post(
        page(grace) + f"consent/{consent.pk}/withdraw/", {"note": "Grace rang to say so."}
    )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == alice
    assert consent.withdrawal_note == "Grace rang to say so."
    assert seen_on_page(carol, grace) == {"CAROL-CIRCLE"}
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}
    assert "Withdrawn" in element_text(signed_in(alice).get(page(grace)).content, f"consent-{consent.pk}")
    row = AuditEvent.objects.get(action="consent.withdraw", client=grace)
    assert row.actor == alice and row.before["withdrawn_at"] is None and row.after["withdrawn_at"]


def test_withdrawing_through_the_api_takes_effect_on_the_next_request(alice, carol, grace, consent, notes):
    assert notes_api(carol, grace) == EVERY_CIRCLE_NOTE

    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/consents/{consent.pk}/withdraw/", {"note": ""}
    )

    assert response.status_code == 200 and response.data["is_current"] is False
    assert notes_api(carol, grace) == {"CAROL-CIRCLE"}
    assert (
        api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/{notes['bob_circle'].pk}/").status_code
        == 404
    )


def test_withdrawing_twice_is_refused(alice, grace, consent):
    services.consent_withdraw(actor=alice, consent=consent)
    response = api_as(alice).post(f"/api/v1/clients/{grace.public_id}/consents/{consent.pk}/withdraw/")
    assert response.status_code == 409
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1


@pytest.mark.django_db(transaction=True)
async def test_withdrawing_reloads_open_pages_and_stops_what_no_longer_crosses(alice, bob, carol, grace):
    consent = await database_sync_to_async(Consent.objects.get)(client=grace)
    as_bob = await client_socket(bob, grace)
    as_carol = await client_socket(carol, grace)

    await database_sync_to_async(services.consent_withdraw)(actor=alice, consent=consent)

    assert (await receive_until(as_carol, "reload"))["type"] == "reload"
    assert (await receive_until(as_bob, "reload"))["type"] == "reload"  # Bob no longer reads Carol's notes
    for communicator in (as_bob, as_carol):
        assert (await receive_until(communicator, "event"))["event"] == "consent.withdraw"

    # From now on Alice's notes for the circle stay in Early Help: Bob hears of them, Carol does not.
    note = await database_sync_to_async(note_create)(actor=alice, client=grace, text="After withdrawal")
    assert (await receive_until(as_bob, "event"))["payload"] == {"note_id": note.pk}
    assert await no_events(as_carol)
    await as_bob.disconnect()
    await as_carol.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_recording_consent_reloads_open_pages(alice, carol, grace):
    await database_sync_to_async(Consent.objects.filter(client=grace).update)(withdrawn_at=timezone.now())
    as_carol = await client_socket(carol, grace)

    await database_sync_to_async(services.consent_record)(
        actor=alice, client=grace, scope="circle", method="verbal", given_by="Grace Okafor"
    )

    assert (await receive_until(as_carol, "reload"))["type"] == "reload"
    assert (await receive_until(as_carol, "event"))["event"] == "consent.record"
    note = await database_sync_to_async(note_create)(actor=alice, client=grace, text="Now shared")
    assert (await receive_until(as_carol, "event"))["payload"] == {"note_id": note.pk}
    await as_carol.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_someone_left_with_no_access_is_revoked_and_closed(alice, charlie, grace):
    """Charlie's emergency access ran out while his page was open; the withdrawal makes the page check."""
    consent = await database_sync_to_async(Consent.objects.get)(client=grace)
    grant = await database_sync_to_async(EmergencyAccess.objects.create)(
        client=grace,
        user=charlie,
        reason="Urgent: A&E",
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    as_charlie = await client_socket(charlie, grace)
    await database_sync_to_async(EmergencyAccess.objects.filter(pk=grant.pk).update)(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    await database_sync_to_async(services.consent_withdraw)(actor=alice, consent=consent)

    received, code = await messages_until_closed(as_charlie)
    assert {"type": "revoked"} in received
    assert code == 4403
    assert not any(message["type"] == "event" for message in received)
