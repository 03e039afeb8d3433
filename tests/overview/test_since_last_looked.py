"""Since you last looked: the outbox after a person's last visit, filtered by what they may receive, without
their own changes. Old state + the events since == a fresh load."""

import pytest
from django.http import Http404
from django.utils import timezone

from board import selectors as board_selectors
from board import services as board_services
from circles import access
from circles.models import Consent
from overview import selectors
from overview.models import Visit
from sharing import services as plan_services
from tests.board.conftest import strength, worry
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory

pytestmark = pytest.mark.django_db


def url(client) -> str:
    return f"/clients/{client.public_id}/"


def board_state(user, client) -> dict[int, tuple]:
    record = access.record_access(user, client)
    return {
        card.pk: (card.text, card.column, card.closed_at is not None)
        for card in board_selectors.cards_for(record)
    }


def since_for(user, client):
    client.refresh_from_db()
    record = access.record_access(user, client)
    return selectors.since_last_looked(record, selectors.last_visit(record))


def test_first_visit_then_nothing_new(as_bob, grace):
    assert "This is your first visit" in as_bob.get(url(grace)).content.decode()
    assert "Nothing new since you last looked" in as_bob.get(url(grace)).content.decode()


def test_old_state_plus_events_is_a_fresh_load(alice, bob, carol, grace):
    kept = worry(alice, grace, "Arrears")
    closing = strength(alice, grace, "Grandma helps")
    browser = signed_in(bob)
    browser.get(url(grace))
    seen = board_state(bob, grace)

    new = worry(alice, grace, "Boiler broken")
    board_services.card_update(actor=carol, card=kept, changes={"text": "Arrears of £900"}, base_version=1)
    board_services.card_move(actor=alice, card=kept, column="next_step")
    board_services.card_close(actor=alice, card=closing, reason="No longer true")
    worry(alice, grace, "Early Help only", visibility="organisation")
    note = plan_services.note_create(actor=carol, client=grace, text="Home visit today")
    worry(bob, grace, "Bob's own")  # one's own change is not news

    since = since_for(bob, grace)
    # Apply the events as the page does: fetch each card they name, as Bob may see it now.
    record = access.record_access(bob, grace)
    for card_id in since.card_ids():
        try:
            card = board_selectors.card_get_for(record, card_id)
            seen[card.pk] = (card.text, card.column, card.closed_at is not None)
        except Http404:  # a card Bob may no longer see (the only way a named card can be missing)
            seen.pop(card_id, None)
    fresh = board_state(bob, grace)
    own = {pk for pk, (text, _c, _x) in fresh.items() if text == "Bob's own"}
    assert {pk: v for pk, v in seen.items()} | {pk: fresh[pk] for pk in own} == fresh
    assert since.note_ids() == {note.pk}
    assert new.pk in since.card_ids() and all(fresh[pk][0] != "Bob's own" for pk in since.card_ids())
    assert since.count == 6  # add, update, move, close, "Early Help only" (Bob's organisation), the note
    html = browser.get(url(grace)).content.decode()
    assert "Since you last looked" in html and "5 board changes" in html and "1 new or changed note" in html
    assert "Nothing new since you last looked" in browser.get(url(grace)).content.decode()


def test_what_someone_may_not_see_is_not_counted(alice, carol, grace):
    signed_in(carol).get(url(grace))
    worry(alice, grace, "Early Help only", visibility="organisation")
    assert since_for(carol, grace).count == 0
    Consent.objects.filter(client=grace).update(withdrawn_at=timezone.now())
    worry(alice, grace, "Circle-wide, but no consent")
    assert since_for(carol, grace).count == 0


def test_new_items_are_marked_where_they_appear(alice, bob, grace):
    browser = signed_in(bob)
    browser.get(url(grace))
    worry(alice, grace, "Boiler broken")
    plan_services.note_create(actor=alice, client=grace, text="New note")
    html = browser.get(url(grace)).content.decode()
    assert html.count(">New</strong>") == 1  # the worry in "what is true now"
    assert html.count("New since you last looked</strong>") == 1  # the note


def test_a_visit_never_moves_back(alice, bob, grace):
    signed_in(bob).get(url(grace))
    worry(alice, grace)
    grace.refresh_from_db()
    Visit.objects.filter(user=bob).update(seq=grace.last_event_seq + 5)
    signed_in(bob).get(url(grace))
    assert Visit.objects.get(user=bob).seq == grace.last_event_seq + 5


def test_my_clients_counts_and_sorts(alice, bob, grace, django_assert_num_queries):
    other = ClientFactory(given_name="Harold")
    MemberFactory(client=other, user=bob)
    MemberFactory(client=other, user=alice, is_lead=True)
    browser = signed_in(bob)
    browser.get(url(grace))
    browser.get(url(other))
    worry(alice, grace, "One")
    for n in range(3):
        worry(alice, other, f"Harold {n}")

    html = browser.get("/clients/?sort=new").content.decode()
    assert html.index("Harold") < html.index("Grace")
    assert f'id="new-{other.public_id}"><strong class="govuk-tag govuk-tag--yellow">3 new' in html
    assert f'id="new-{grace.public_id}"><strong class="govuk-tag govuk-tag--yellow">1 new' in html
    from tests.conftest import api_as

    listed = api_as(bob).get("/api/v1/my-clients/new/?sort=new").json()
    assert [(row["name"], row["new"]) for row in listed] == [("Harold Example", 3), ("Grace Okafor", 1)]
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/since/").json()["count"] == 1


@pytest.mark.parametrize("clients", [1, 20])
def test_my_clients_query_count_stays_flat_with_news(bob, alice, clients, django_assert_num_queries):
    for _ in range(clients):
        client = ClientFactory()
        MemberFactory(client=client, user=bob)
        MemberFactory(client=client, user=alice, is_lead=True)
        worry(alice, client)
    browser = signed_in(bob)
    browser.get("/clients/")
    # 1. the session, 2. the user, 3. my clients, 4. their leads, 5. my last visits to them, 6. the events I
    # have not seen on any of them (one query), 7. which of them share across organisations (consents),
    # 8. unread notifications (page header).
    with django_assert_num_queries(8):
        response = browser.get("/clients/")
    assert all(client.new_count == 1 for client in response.context["clients"])


def test_opening_the_board_is_a_visit(alice, bob, grace):
    """The board page records a visit as the client page does (through board.hooks, which the overview
    registers with: the board never imports the overview); My clients counts from it too."""
    browser = signed_in(bob)
    browser.get(url(grace))
    worry(alice, grace, "Boiler broken")
    plan_services.note_create(actor=alice, client=grace, text="Home visit today")
    assert since_for(bob, grace).count == 2
    assert selectors.new_counts_for(bob, [grace])[grace.pk] == 2

    board = browser.get(f"/clients/{grace.public_id}/board/")
    assert board.status_code == 200
    new = [card for column in board.context["board"].columns for card in column.cards if card.is_new]
    assert [card.text for card in new] == ["Boiler broken"]  # marked where it appears
    assert board.content.decode().count("New since you last looked") == 1

    grace.refresh_from_db()
    assert Visit.objects.get(user=bob, client=grace).seq == grace.last_event_seq
    assert since_for(bob, grace).count == 0
    assert selectors.new_counts_for(bob, [grace])[grace.pk] == 0
    # A change after the board was opened is news again.
    worry(alice, grace, "Letter from the landlord")
    assert since_for(bob, grace).count == 1


def test_a_first_look_at_the_board_is_a_first_visit(alice, bob, grace):
    worry(alice, grace, "Boiler broken")
    assert not Visit.objects.filter(user=bob, client=grace).exists()
    signed_in(bob).get(f"/clients/{grace.public_id}/board/")
    grace.refresh_from_db()
    assert Visit.objects.get(user=bob, client=grace).seq == grace.last_event_seq


def test_someone_who_may_not_open_the_board_leaves_no_visit(charlie, grace):
    assert signed_in(charlie).get(f"/clients/{grace.public_id}/board/").status_code == 404
    assert not Visit.objects.filter(user=charlie).exists()
