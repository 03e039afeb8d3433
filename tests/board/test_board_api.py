"""The board's API: cards with ETags and If-Match (412, 428), moves, closing, scales, all with plain errors."""

import pytest

from board.models import Card, Scale
from tests.board.conftest import api_url, next_step, worry
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def test_it_works(alice, grace):
    api = api_as(alice)
    response = api.post(
        api_url(grace, "cards/"), {"column": "worry", "text": "Arrears", "kind": "harm"}, format="json"
    )
    assert response.status_code == 201
    card = Card.objects.get()
    assert response["ETag"] == f'"card-{card.pk}-v1"'
    assert response.json()["author"] == "Alice Lead, Early Help"
    listed = api.get(api_url(grace, "cards/")).json()
    assert [c["id"] for c in listed] == [card.pk]


def test_it_checks_access(charlie, alice, grace):
    card = worry(alice, grace)
    api = api_as(charlie)
    assert api.get(api_url(grace, "cards/")).status_code == 404
    assert api.get(api_url(grace, f"cards/{card.pk}/")).status_code == 404
    assert api.post(api_url(grace, "scales/"), {"score": 3}, format="json").status_code == 404


def test_editing_needs_if_match_and_a_current_version(alice, bob, grace):
    card = worry(alice, grace)
    url = api_url(grace, f"cards/{card.pk}/")
    assert api_as(bob).patch(url, {"text": "x"}, format="json").status_code == 428
    saved = api_as(alice).patch(
        url, {"text": "Arrears of £900"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v1"'
    )
    assert saved.status_code == 200 and saved["ETag"] == f'"card-{card.pk}-v2"'

    stale = api_as(bob).patch(
        url, {"text": "Arrears of £1,000"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v1"'
    )

    assert stale.status_code == 412
    assert stale.json()["conflicts"]["text"]["current"] == "Arrears of £900"
    assert stale.json()["current"]["text"] == "Arrears of £900"
    # A different field from the same old version applies.
    other = api_as(bob).patch(url, {"kind": "harm"}, format="json", HTTP_IF_MATCH=f'"card-{card.pk}-v1"')
    assert other.status_code == 200 and other.json()["kind"] == "harm"


def test_bad_input_changes_nothing(alice, grace):
    card = worry(alice, grace)
    api = api_as(alice)
    assert (
        api.post(
            api_url(grace, "cards/"), {"column": "worry", "text": " ", "kind": "harm"}, format="json"
        ).status_code
        == 400
    )
    response = api.post(api_url(grace, f"cards/{card.pk}/move/"), {"column": "nowhere"}, format="json")
    assert response.status_code == 400 and "no such column" in response.json()["column"][0]
    assert api.post(api_url(grace, "scales/"), {"score": 11}, format="json").status_code == 400
    assert api.post(api_url(grace, "scales/"), {"score": -1}, format="json").status_code == 400
    card.refresh_from_db()
    assert card.version == 1 and Card.objects.count() == 1 and not Scale.objects.exists()


def test_move_close_link_to_plan_history_and_scales(alice, grace):
    api = api_as(alice)
    card = worry(alice, grace)
    step = next_step(alice, grace)
    moved = api.post(api_url(grace, f"cards/{card.pk}/move/"), {"column": "working_well"}, format="json")
    assert moved.status_code == 200 and moved.json()["column"] == "working_well"
    planned = api.post(api_url(grace, f"cards/{step.pk}/to-plan/"), {}, format="json")
    assert planned.status_code == 201 and planned.json()["card"]["goal_id"] == planned.json()["goal_id"]
    closed = api.post(api_url(grace, f"cards/{card.pk}/close/"), {"reason": "Done"}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_reason"] == "Done"
    history = api.get(api_url(grace, f"cards/{card.pk}/history/")).json()
    assert [row["field"] for row in history] == ["created", "column", "kind", "closed"]
    assert (
        api.post(api_url(grace, "scales/"), {"score": 6, "why": "Better"}, format="json").status_code == 201
    )
    lines = api.get(api_url(grace, "scales/")).json()
    assert lines[0]["latest"]["score"] == 6 and lines[0]["name"] == "Alice Lead"


def test_html_comes_back_as_it_was_typed(alice, grace):
    worry(alice, grace, "<script>alert(1)</script>")
    assert api_as(alice).get(api_url(grace, "cards/")).json()[0]["text"] == "<script>alert(1)</script>"
