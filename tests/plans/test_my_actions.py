"""My actions: the open actions a professional owns, across the circles they are in now; overdue first
(most overdue at the top), then by date, then those with no date."""

import pytest

from circles import services as circle_services
from network.models import User
from sharing import selectors, services
from tests.factories import ClientFactory, MemberFactory, UserFactory
from tests.plans.conftest import days_from_today, membership

pytestmark = pytest.mark.django_db


def whats(user) -> list[str]:
    return [action.what for action in selectors.actions_owned_by(user)]


def test_it_works(alice, bob, goal, grace):
    mine = membership(grace, bob)
    for what, days in [
        ("In a week", 7),
        ("Undated", None),
        ("Yesterday", -1),
        ("Tomorrow", 1),
        ("Last month", -30),
    ]:
        services.action_add(
            actor=alice,
            goal=goal,
            what=what,
            owner=mine,
            due_on=None if days is None else days_from_today(days),
        )
    started = services.action_add(
        actor=alice, goal=goal, what="Started", owner=mine, due_on=days_from_today(3)
    )
    services.action_set_status(actor=bob, action=started, status="in_progress")

    assert whats(bob) == ["Last month", "Yesterday", "Tomorrow", "Started", "In a week", "Undated"]
    assert [a.is_overdue for a in selectors.actions_owned_by(bob)] == [True, True, False, False, False, False]


def test_it_checks_ownership(alice, bob, carol, goal, grace):
    services.action_add(actor=alice, goal=goal, what="Bob's", owner=membership(grace, bob))
    services.action_add(actor=alice, goal=goal, what="The client's", owner_is_client=True)
    services.action_add(actor=alice, goal=goal, what="Nobody's")
    assert whats(carol) == []
    assert whats(alice) == []
    assert whats(bob) == ["Bob's"]


def test_finished_and_taken_off_actions_are_left_out(alice, bob, goal, grace):
    mine = membership(grace, bob)
    done = services.action_add(actor=alice, goal=goal, what="Done", owner=mine)
    dropped = services.action_add(actor=alice, goal=goal, what="Dropped", owner=mine)
    removed = services.action_add(actor=alice, goal=goal, what="Removed", owner=mine)
    services.action_add(actor=alice, goal=goal, what="Still to do", owner=mine)
    services.action_set_status(actor=bob, action=done, status="done")
    services.action_set_status(actor=bob, action=dropped, status="dropped", dropped_reason="Not needed")
    services.action_remove(actor=bob, action=removed)

    assert whats(bob) == ["Still to do"]


def test_actions_under_a_goal_taken_off_are_left_out(alice, bob, goal, grace):
    services.action_add(actor=alice, goal=goal, what="Under a goal that goes", owner=membership(grace, bob))
    services.goal_remove(actor=alice, goal=goal)
    assert whats(bob) == []


def test_it_spans_every_circle_i_am_in(alice, bob, goal, grace):
    services.action_add(
        actor=alice, goal=goal, what="For Grace", owner=membership(grace, bob), due_on=days_from_today(2)
    )
    other = ClientFactory(given_name="Sam")
    MemberFactory(client=other, user=alice, is_lead=True)
    MemberFactory(client=other, user=bob)
    their_goal = services.goal_add(actor=alice, client=other, in_own_words="Back to school")
    services.action_add(
        actor=alice, goal=their_goal, what="For Sam", owner=membership(other, bob), due_on=days_from_today(-1)
    )

    actions = selectors.actions_owned_by(bob)
    assert [(a.what, a.goal.plan.client.given_name) for a in actions] == [
        ("For Sam", "Sam"),
        ("For Grace", "Grace"),
    ]


def test_leaving_a_circle_takes_its_actions_off_my_list(alice, bob, goal, grace):
    services.action_add(actor=alice, goal=goal, what="Bob's", owner=membership(grace, bob))
    circle_services.circle_member_remove(actor=alice, client=grace, member=membership(grace, bob))
    assert whats(bob) == []


def test_people_who_are_not_professionals_have_none(db):
    portal_user = UserFactory(organisation=None, kind=User.Kind.CLIENT)
    assert selectors.actions_owned_by(portal_user) == []
