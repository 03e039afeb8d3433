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
    plan_services.action_add(  # the overdue one ("1 overdue" below)
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
    # Numbers no id can be (past 64 bits, negative, "²", 5,000 digits) filter nothing, and are never a 500.
    everything = {"About the flat", "Saw them at home", "Rang about rent"}
    for number in ("1" + "0" * 30, str(2**63), "-1", "\u00b2", "9" * 5000):
        for name in ("author", "organisation", "goal"):
            assert shown(f"?{name}={number}") == everything, (name, number[:40])
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


def test_the_plan_figures_over_several_goals(as_alice, alice, grace):
    """Done, total, overdue and the next action due, read with the goals in one query: counted over every
    goal, leaving out dropped and removed actions and removed goals; the next due is the soonest from today
    on over all goals (the first made on a tie), as ordering the plan's actions by date would give."""
    today = timezone.localdate()

    def day(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    first = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    second = plan_services.goal_add(actor=alice, client=grace, in_own_words="Get to school")
    empty = plan_services.goal_add(actor=alice, client=grace, in_own_words="Nothing yet")
    gone = plan_services.goal_add(actor=alice, client=grace, in_own_words="Removed goal")
    plan_services.action_add(actor=alice, goal=first, what="Later in the first", due_on=day(9))
    plan_services.action_add(actor=alice, goal=first, what="Late in the first", due_on=day(-3))
    plan_services.action_add(actor=alice, goal=second, what="Soonest, made first", due_on=day(4))
    plan_services.action_add(actor=alice, goal=first, what="Soonest, made second", due_on=day(4))
    plan_services.action_set_status(
        actor=alice, action=plan_services.action_add(actor=alice, goal=second, what="Done"), status="done"
    )
    plan_services.action_set_status(
        actor=alice,
        action=plan_services.action_add(actor=alice, goal=second, what="Dropped soon", due_on=day(1)),
        status="dropped",
        dropped_reason="Not needed",
    )
    plan_services.action_remove(
        actor=alice, action=plan_services.action_add(actor=alice, goal=first, what="Removed", due_on=day(0))
    )
    plan_services.action_add(actor=alice, goal=gone, what="On a removed goal", due_on=day(0))
    plan_services.goal_remove(actor=alice, goal=gone)

    truth = as_alice.get(url(grace)).context["truth"]

    assert (truth.plan.done, truth.plan.total, truth.plan.overdue) == (1, 5, 1)
    assert truth.plan.next_due.what == "Soonest, made first" and truth.plan.next_due.due_on == day(4)
    assert [goal.pk for goal in truth.goals] == [first.pk, second.pk, empty.pk]
