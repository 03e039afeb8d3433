"""The card PATCH checks access once, under the client's lock, and still answers in the same order as
every other write: 404 for someone who may not see the card before anything they sent is looked at,
then 400 (the body), 428 (no If-Match), 403 (may see but not change), 409 (closed), 412 (stale)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from board import services
from board.models import Card, CardChange
from circles.services import emergency_access_start
from realtime.models import Event
from tests.board.conftest import api_url, worry
from tests.conftest import api_as


def _nothing_written(card: Card, audit_before: int, events_before: int) -> None:
    card.refresh_from_db()
    assert card.version == 1
    assert not CardChange.objects.filter(card=card).exclude(field="created").exists()
    assert AuditEvent.objects.count() == audit_before
    assert Event.objects.count() == events_before


@pytest.mark.django_db
def test_an_outsider_hears_404_whatever_they_send(alice, charlie, grace):
    card = worry(alice, grace)
    audit_before, events_before = AuditEvent.objects.count(), Event.objects.count()
    url = api_url(grace, f"cards/{card.pk}/")
    api = api_as(charlie)

    for body, headers in [
        ({"text": " "}, {}),  # bad body, no If-Match
        ({"kind": "nonsense"}, {"HTTP_IF_MATCH": '"card-1-v9"'}),
        ({"text": "Taken over"}, {"HTTP_IF_MATCH": f'"card-{card.pk}-v1"'}),
    ]:
        assert api.patch(url, body, format="json", **headers).status_code == 404
    assert api.patch(api_url(grace, "cards/999999/"), {"text": " "}, format="json").status_code == 404
    _nothing_written(card, audit_before, events_before)


@pytest.mark.django_db
def test_a_member_who_may_not_see_the_card_hears_404(alice, carol, grace):
    # Alice's card for her organisation only (Early Help); Carol is in the circle for Health.
    card = worry(alice, grace, visibility="organisation")
    audit_before, events_before = AuditEvent.objects.count(), Event.objects.count()

    response = api_as(carol).patch(
        api_url(grace, f"cards/{card.pk}/"), {"text": " "}, format="json", HTTP_IF_MATCH='"card-1-v1"'
    )

    assert response.status_code == 404
    _nothing_written(card, audit_before, events_before)


@pytest.mark.django_db
def test_then_the_body_then_if_match_then_the_version(alice, bob, grace):
    card = worry(alice, grace)
    audit_before, events_before = AuditEvent.objects.count(), Event.objects.count()
    url = api_url(grace, f"cards/{card.pk}/")
    api = api_as(bob)

    bad = api.patch(url, {"text": " ", "kind": "nonsense"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) >= {"kind"}
    assert api.patch(url, {"text": "Arrears"}, format="json").status_code == 428
    future = api.patch(url, {"text": "Arrears"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v7"')
    assert future.status_code == 412 and future["ETag"] == f'"card-{card.pk}-v1"'
    _nothing_written(card, audit_before, events_before)


@pytest.mark.django_db
def test_emergency_access_may_look_but_not_change_the_board(alice, charlie, grace):
    card = worry(alice, grace)
    emergency_access_start(actor=charlie, client=grace, reason="Police welfare check tonight, urgent")
    url = api_url(grace, f"cards/{card.pk}/")
    assert api_as(charlie).get(url).status_code == 200  # (a read: audited)
    audit_before, events_before = AuditEvent.objects.count(), Event.objects.count()

    refused = api_as(charlie).patch(
        url, {"text": "Changed"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v1"'
    )

    assert refused.status_code == 403
    _nothing_written(card, audit_before, events_before)


@pytest.mark.django_db
def test_emergency_access_hears_403_not_412_for_a_version_that_does_not_exist(alice, charlie, grace):
    card = worry(alice, grace)
    emergency_access_start(actor=charlie, client=grace, reason="Police welfare check tonight, urgent")
    url = api_url(grace, f"cards/{card.pk}/")
    audit_before, events_before = AuditEvent.objects.count(), Event.objects.count()

    for tag in (f'"card-{card.pk}-v0"', f'"card-{card.pk}-v999"', '"nonsense"'):
        refused = api_as(charlie).patch(url, {"text": "Changed"}, format="json", HTTP_IF_MATCH=tag)
        assert refused.status_code == 403, tag
    _nothing_written(card, audit_before, events_before)


@pytest.mark.django_db
def test_a_closed_card_hears_409_before_412(alice, grace):
    card = services.card_close(actor=alice, card=worry(alice, grace), reason="Dealt with")

    response = api_as(alice).patch(
        api_url(grace, f"cards/{card.pk}/"),
        {"text": "Back again"},
        format="json",
        HTTP_IF_MATCH='"card-1-v999"',
    )

    assert response.status_code == 409


@pytest.mark.django_db
def test_a_clash_with_my_own_earlier_save_says_you(alice, bob, grace):
    card = worry(alice, grace)
    url = api_url(grace, f"cards/{card.pk}/")
    tag = f'"card-{card.pk}-v1"'
    assert (
        api_as(bob).patch(url, {"text": "Arrears of £900"}, format="json", HTTP_IF_MATCH=tag).status_code
        == 200
    )

    mine = api_as(bob).patch(url, {"text": "Arrears of £1,000"}, format="json", HTTP_IF_MATCH=tag)
    theirs = api_as(alice).patch(url, {"text": "Arrears of £1,100"}, format="json", HTTP_IF_MATCH=tag)

    assert mine.status_code == 412 and mine.json()["conflicts"]["text"]["by"] == "You"
    assert theirs.status_code == 412 and theirs.json()["conflicts"]["text"]["by"] == "Bob Same-Org"


@pytest.mark.django_db
def test_a_closed_card_is_not_edited(alice, grace):
    card = services.card_close(actor=alice, card=worry(alice, grace), reason="Dealt with")

    response = api_as(alice).patch(
        api_url(grace, f"cards/{card.pk}/"),
        {"text": "Back again"},
        format="json",
        HTTP_IF_MATCH=f'"card-{card.pk}-v{card.version}"',
    )

    assert response.status_code == 409
    card.refresh_from_db()
    assert card.text == "Rent arrears are growing"


@pytest.mark.django_db
def test_nothing_is_read_before_the_write_takes_its_locks(alice, bob, grace):
    card = worry(alice, grace)

    with CaptureQueriesContext(connection) as queries:
        response = api_as(bob).patch(
            api_url(grace, f"cards/{card.pk}/"),
            {"text": "Arrears of £900"},
            format="json",
            HTTP_IF_MATCH=f'"card-{card.pk}-v1"',
        )

    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    # In a test the transaction is a SAVEPOINT; the first read in it finds the client (and locks it).
    assert sql[0].startswith("SAVEPOINT")
    assert sql[1].startswith('SELECT "circles_client"') and "public_id" in sql[1]


def test_checked_must_be_the_actors_access_to_the_cards_client(alice, bob, grace, db):
    from circles.access import record_access

    card = worry(alice, grace)
    with pytest.raises(ValueError):
        services.card_update(
            actor=bob, card=card, changes={"text": "x"}, base_version=1, checked=record_access(alice, grace)
        )
