"""The client page leads with what is true now; notes follow, with filters; skip links reach both."""

import datetime

import pytest
from django.utils import timezone

from board import services as board_services
from sharing import services as plan_services
from tests.board.conftest import strength, worry
from tests.conftest import signed_in
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def url(client) -> str:
    return f"/clients/{client.public_id}/"


def test_it_leads_with_what_is_true_now(as_alice, alice, bob, grace):
    goal = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Keep our flat",
        review_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    plan_services.action_add(
        actor=alice,
        goal=goal,
        what="Ring the landlord",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    late = plan_services.action_add(
        actor=alice, goal=goal, what="Send the form", due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    plan_services.action_set_status(
        actor=alice, action=plan_services.action_add(actor=alice, goal=goal, what="Done one"), status="done"
    )
    for n in range(5):
        worry(alice, grace, f"Worry {n}")
    strength(bob, grace, "Walks the children to school")
    board_services.scale_add(actor=bob, client=grace, score=4, why="Arrears still growing")
    NoteFactory(client=grace, author=alice, text="A note")

    html = as_alice.get(url(grace)).content.decode()

    truth, notes = html.index('id="truth-heading"'), html.index('id="notes-heading"')
    assert truth < notes
    assert html.index('href="#truth-heading"') < truth and 'href="#involved"' in html
    section = html[truth:notes]
    assert (
        "1 of 3</strong> things done" in section and "1 overdue" in section and "Ring the landlord" in section
    )
    assert "Worries (5 open)" in section and "Worry 2" in section and "Worry 3" not in section
    assert "Walks the children to school" in section
    assert "<strong>4</strong> Bob Same-Org, Early Help" in section
    assert "Plan review on" in section
    assert "Alice Lead (lead)" in section
    assert late.pk


def test_notes_filter_by_kind_author_organisation_and_goal(as_alice, alice, carol, grace):
    goal = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    about = plan_services.note_create(actor=alice, client=grace, text="About the flat", goals=[goal])
    visit = NoteFactory(
        client=grace, author=carol, organisation=carol.organisation, kind="visit", text="Saw them at home"
    )
    NoteFactory(client=grace, author=alice, kind="phone_call", text="Rang about rent")

    def shown(query: str) -> set[str]:
        html = as_alice.get(url(grace) + query).content.decode()
        return {text for text in ("About the flat", "Saw them at home", "Rang about rent") if text in html}

    assert shown("") == {"About the flat", "Saw them at home", "Rang about rent"}
    assert shown("?kind=visit") == {"Saw them at home"}
    assert shown(f"?author={carol.pk}") == {"Saw them at home"}
    assert shown(f"?organisation={alice.organisation_id}") == {"About the flat", "Rang about rent"}
    assert shown(f"?goal={goal.pk}") == {"About the flat"}
    assert shown("?kind=nonsense&author=x") == {"About the flat", "Saw them at home", "Rang about rent"}
    assert about.pk and visit.pk


def test_html_in_cards_is_text_here_too(as_alice, alice, grace):
    worry(alice, grace, "<script>alert(1)</script>")
    html = as_alice.get(url(grace)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_live_panel_is_for_the_circle(as_alice, as_charlie, grace):
    assert as_alice.get(url(grace) + "now/").status_code == 200
    assert as_charlie.get(url(grace) + "now/").status_code == 404


def test_my_organisation_only_cards_stay_out_of_other_organisations_summary(alice, carol, grace):
    worry(alice, grace, "Early Help only", visibility="organisation")
    assert "Early Help only" not in signed_in(carol).get(url(grace)).content.decode()
    assert "Early Help only" in signed_in(alice).get(url(grace)).content.decode()
