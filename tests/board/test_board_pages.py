"""The board's pages: three columns, one click plus typing to add, the merge flow on a clash."""

import re

import pytest

from audit.models import AuditEvent
from board.models import Card
from tests.board.conftest import board_url, next_step, strength, worry
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_it_works(as_alice, alice, grace):
    worry(alice, grace, "Rent arrears")
    strength(alice, grace, "Walks the children to school")

    response = as_alice.get(board_url(grace))

    assert response.status_code == 200
    html = response.content.decode()
    for title in ("What are we worried about?", "What&#x27;s working well?", "What needs to happen?"):
        assert title in html
    assert "Rent arrears" in html and "Walks the children to school" in html
    assert "Alice Lead, Early Help" in html
    assert "10 means everyone agrees the worries are dealt with and the case can close" in html
    assert AuditEvent.objects.filter(action="board.view", actor=alice).count() == 1


def test_it_checks_access(as_charlie, client, grace):
    assert as_charlie.get(board_url(grace)).status_code == 404
    assert client.get(board_url(grace)).status_code == 302


def test_adding_a_card_in_one_click(as_bob, bob, grace):
    response = as_bob.post(
        board_url(grace, "cards/new/"),
        {
            "column": "worry",
            "add-worry-text": "The boiler is broken",
            "add-worry-kind": "danger",
            "add-worry-visibility": "circle",
        },
    )
    card = Card.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#card-{card.pk}")
    assert (card.text, card.kind, card.author) == ("The boiler is broken", "danger", bob)


def test_adding_with_htmx_returns_the_card(as_bob, grace):
    response = as_bob.post(
        board_url(grace, "cards/new/"),
        {
            "column": "working_well",
            "add-working_well-text": "Grandma helps",
            "add-working_well-visibility": "circle",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'class="app-card app-card--working_well"' in response.content.decode()


def test_an_empty_card_is_refused_with_a_message(as_bob, grace):
    response = as_bob.post(
        board_url(grace, "cards/new/"),
        {"column": "working_well", "add-working_well-text": "  ", "add-working_well-visibility": "circle"},
    )
    assert response.status_code == 400
    assert "Write what the card says." in response.content.decode()
    assert not Card.objects.exists()


def test_a_card_for_a_column_that_does_not_exist(as_bob, grace):
    response = as_bob.post(board_url(grace, "cards/new/"), {"column": "maybe", "add-maybe-text": "x"})
    assert response.status_code == 400
    assert "There is no such column" in response.content.decode()
    response = as_bob.post(
        board_url(grace, f"cards/{strength(grace.members.first().user, grace).pk}/move/"), {"column": "maybe"}
    )
    assert response.status_code == 400


def test_html_in_a_card_is_shown_as_text(as_alice, alice, grace):
    worry(alice, grace, '<img src=x onerror="alert(1)">')
    html = as_alice.get(board_url(grace)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_a_clash_shows_both_and_nothing_is_lost(alice, bob, grace):
    card = worry(alice, grace, "Rent arrears")
    bob_page = signed_in(bob)
    form = bob_page.get(board_url(grace, f"cards/{card.pk}/edit/")).content.decode()
    assert 'name="base_version" value="1"' in form
    signed_in(alice).post(
        board_url(grace, f"cards/{card.pk}/edit/"),
        {
            "base_version": 1,
            "original_text": "Rent arrears",
            "original_kind": "danger",
            "original_visibility": "circle",
            f"card{card.pk}-text": "Arrears of £900",
            f"card{card.pk}-kind": "danger",
            f"card{card.pk}-visibility": "circle",
        },
    )

    response = bob_page.post(
        board_url(grace, f"cards/{card.pk}/edit/"),
        {
            "base_version": 1,
            "original_text": "Rent arrears",
            "original_kind": "danger",
            "original_visibility": "circle",
            f"card{card.pk}-text": "Arrears of £1,000",
            f"card{card.pk}-kind": "danger",
            f"card{card.pk}-visibility": "circle",
        },
    )

    html = response.content.decode()
    assert "Someone changed this while you were editing" in html
    assert "Keep theirs: “Arrears of £900”" in html and "Keep mine: “Arrears of £1,000”" in html
    assert "Alice Lead saved this at" in html
    card.refresh_from_db()
    assert card.text == "Arrears of £900"
    response = bob_page.post(
        board_url(grace, f"cards/{card.pk}/edit/"),
        {
            "base_version": 2,
            "original_text": "Arrears of £900",
            "original_kind": "danger",
            "original_visibility": "circle",
            f"card{card.pk}-text": "Arrears of £1,000",
            f"card{card.pk}-kind": "danger",
            f"card{card.pk}-visibility": "circle",
            "resolve_text": "mine",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.text == "Arrears of £1,000" and card.version == 3


@pytest.mark.parametrize("version", [None, "abc", "\u00b2", "1" + "0" * 30])
def test_an_edit_without_the_version_it_was_opened_at_saves_nothing(alice, grace, version):
    card = worry(alice, grace, "Rent arrears")
    data = {
        "original_text": "Rent arrears",
        "original_kind": "danger",
        "original_visibility": "circle",
        f"card{card.pk}-text": "Arrears of £900",
        f"card{card.pk}-kind": "danger",
        f"card{card.pk}-visibility": "circle",
    }
    if version is not None:
        data["base_version"] = version

    response = signed_in(alice).post(board_url(grace, f"cards/{card.pk}/edit/"), data)

    assert response.status_code == 200
    assert "Reload the page and make your change again" in response.content.decode()
    card.refresh_from_db()
    assert (card.text, card.version) == ("Rent arrears", 1)


def test_closing_and_making_a_goal(as_alice, alice, grace):
    card = worry(alice, grace)
    assert "No longer a worry" in as_alice.get(board_url(grace, f"cards/{card.pk}/close/")).content.decode()
    assert (
        as_alice.post(
            board_url(grace, f"cards/{card.pk}/close/"), {"reason": "No longer a worry"}
        ).status_code
        == 302
    )
    step = next_step(alice, grace)
    response = as_alice.post(board_url(grace, f"cards/{step.pk}/to-plan/"))
    step.refresh_from_db()
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{step.goal_id}")
    html = as_alice.get(board_url(grace)).content.decode()
    assert "On the plan as the goal" in html
    assert re.search(r"Closed \(1\)", html)


def test_scales(as_alice, as_bob, grace):
    assert (
        as_alice.post(board_url(grace, "scales/"), {"score": "4", "why": "Arrears still growing"}).status_code
        == 302
    )
    assert as_bob.post(board_url(grace, "scales/"), {"score": "11", "why": ""}).status_code == 400
    html = as_bob.get(board_url(grace)).content.decode()
    assert "Arrears still growing" in html and "Alice Lead, Early Help" in html


def test_linking_a_worry_to_a_goal_and_notes(as_alice, alice, grace):
    from sharing.services import goal_add, note_create

    card = worry(alice, grace)
    goal = goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    note = note_create(actor=alice, client=grace, text="The arrears letter came")
    page = as_alice.get(board_url(grace, f"cards/{card.pk}/link/")).content.decode()
    assert "The arrears letter came" in page and "Keep our flat" in page
    response = as_alice.post(
        board_url(grace, f"cards/{card.pk}/link/"), {"addressed_by": goal.pk, "evidence": [note.pk]}
    )
    assert response.status_code == 302
    html = as_alice.get(board_url(grace)).content.decode()
    assert "Addressed by the goal" in html and "1 note as evidence" in html
