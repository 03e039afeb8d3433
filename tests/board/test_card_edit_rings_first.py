"""A card edit through the API commits, and so rings everyone's socket, before its answer is built; the
answer is exactly what the edit saved (its body and ETag), read without reading the card again; the
edit's queries are few and do not grow with the board."""

import pytest
from django.db import transaction

from board import selectors
from board.models import Card
from realtime import publish
from tests.board.conftest import api_url, worry
from tests.conftest import api_as
from tests.factories import NoteFactory


@pytest.mark.django_db(transaction=True)
def test_the_socket_rings_before_the_answer_is_built(alice, bob, grace, monkeypatch):
    card = worry(alice, grace)
    happened: list[str] = []
    real_ring, real_answer = publish.ring, selectors.card_as_saved

    def ring(group, message):
        happened.append(f"ring {message['event']['type']}")
        return real_ring(group, message)

    def answer(record, saved):
        # Committed already: nothing of this write is left to roll back, and the doorbell has gone.
        assert not transaction.get_connection().in_atomic_block
        happened.append("answer")
        return real_answer(record, saved)

    monkeypatch.setattr(publish, "ring", ring)
    monkeypatch.setattr(selectors, "card_as_saved", answer)

    response = api_as(bob).patch(
        api_url(grace, f"cards/{card.pk}/"),
        {"text": "Arrears of £900"},
        format="json",
        HTTP_IF_MATCH=f'"card-{card.pk}-v1"',
    )

    assert response.status_code == 200
    assert happened == ["ring board.card_update", "answer"]


@pytest.mark.django_db
def test_the_answer_is_what_the_edit_saved_and_what_a_read_shows(alice, bob, carol, grace):
    card = worry(alice, grace)
    evidence = NoteFactory(client=grace, author=bob, text="Letter from the landlord")
    hidden = NoteFactory(client=grace, author=bob, visibility="organisation", text="Early Help only")
    card.evidence.set([evidence, hidden])
    url = api_url(grace, f"cards/{card.pk}/")

    # Carol (Health) edits: she may read one of the two evidence notes.
    saved = api_as(carol).patch(url, {"kind": "harm"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v1"')
    read = api_as(carol).get(url)

    assert saved.status_code == 200
    assert saved["ETag"] == read["ETag"] == f'"card-{card.pk}-v2"'
    assert saved.json() == read.json()
    assert saved.json()["kind"] == "harm"
    assert saved.json()["author"] == "Alice Lead, Early Help"
    assert saved.json()["evidence_count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("cards", [1, 200])
def test_an_edit_reads_little_whatever_the_board(alice, grace, cards, django_assert_num_queries):
    Card.objects.bulk_create(
        Card(
            client=grace,
            column="working_well",
            text=f"Card {n}",
            author=alice,
            organisation=alice.organisation,
            position=n,
        )
        for n in range(cards)
    )
    card = Card.objects.filter(client=grace).first()
    api = api_as(alice)
    # Access is checked once, under the lock. 1. BEGIN (in a test, a SAVEPOINT): 2. find and lock the
    # client, 3. Alice's membership, 4. consent, 5. lock the card if she may see it, 6. UPDATE the card,
    # 7. its history row, 8. the audit row, 9. the client's next event number, 10. the event, 11. COMMIT
    # (RELEASE). After the commit, the answer: 12. the author and organisation, with the count of the
    # evidence she may read.
    with django_assert_num_queries(12):
        response = api.patch(
            api_url(grace, f"cards/{card.pk}/"),
            {"text": "Walks the children to school"},
            format="json",
            HTTP_IF_MATCH=f'"card-{card.pk}-v1"',
        )
    assert response.status_code == 200
