"""Moving a goal (within the plan) or an action (within its goal) one place up or down."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sharing import services
from sharing.models import Action, Goal, Plan, PlanChange
from tests.plans.conftest import events_of, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_goals(alice, grace):
    return [services.goal_add(actor=alice, client=grace, in_own_words=w) for w in ("One", "Two", "Three")]


def order(grace) -> list[str]:
    return list(
        Goal.objects.filter(plan__client=grace, removed_at=None)
        .order_by("position", "pk")
        .values_list("in_own_words", flat=True)
    )


def test_it_works(bob, three_goals, grace):
    one, two, three = three_goals
    services.plan_move(actor=bob, item=three, direction="up")
    assert order(grace) == ["One", "Three", "Two"]
    services.plan_move(actor=bob, item=one, direction="down")
    assert order(grace) == ["Three", "One", "Two"]

    [first, second] = PlanChange.objects.filter(field="position").order_by("pk")
    assert (first.goal, first.old_value, first.new_value, first.actor) == (three, 3, 2, bob)
    assert (second.goal, second.old_value, second.new_value) == (one, 1, 2)
    events = events_of(grace, "plan.goal_move")
    assert len(events) == 2
    assert events[-1].payload == {"plan_version": Plan.objects.get(client=grace).version}


def test_it_checks_ownership(charlie, three_goals, grace):
    with pytest.raises(PermissionDenied):
        services.plan_move(actor=charlie, item=three_goals[2], direction="up")
    assert order(grace) == ["One", "Two", "Three"]


@pytest.mark.parametrize("index, direction", [(0, "up"), (2, "down")])
def test_moving_past_either_end_changes_nothing(index, direction, alice, three_goals, grace):
    services.plan_move(actor=alice, item=three_goals[index], direction=direction)
    assert order(grace) == ["One", "Two", "Three"]
    assert not PlanChange.objects.filter(field="position").exists()
    assert not events_of(grace, "plan.goal_move")


@pytest.mark.parametrize("direction", ["left", "", "UP", None])
def test_only_up_or_down(direction, alice, three_goals, grace):
    with pytest.raises(ValidationError):
        services.plan_move(actor=alice, item=three_goals[1], direction=direction)
    assert order(grace) == ["One", "Two", "Three"]


def test_goals_taken_off_are_skipped(alice, three_goals, grace):
    one, two, three = three_goals
    services.goal_remove(actor=alice, goal=two)
    services.plan_move(actor=alice, item=three, direction="up")
    assert order(grace) == ["Three", "One"]


def test_actions_move_within_their_goal_only(alice, three_goals, grace):
    one, two, _ = three_goals
    a, b = (services.action_add(actor=alice, goal=one, what=w) for w in ("A", "B"))
    elsewhere = services.action_add(actor=alice, goal=two, what="Elsewhere")

    services.plan_move(actor=alice, item=b, direction="up")

    assert list(Action.objects.filter(goal=one).order_by("position").values_list("what", flat=True)) == [
        "B",
        "A",
    ]
    assert fresh(elsewhere).position == 1
    assert PlanChange.objects.get(field="position").action == b


def test_moving_something_just_taken_off_is_a_validation_error(alice, bob, three_goals, grace):
    two = three_goals[1]
    services.goal_remove(actor=alice, goal=two)
    with pytest.raises(ValidationError):
        services.plan_move(actor=bob, item=two, direction="up")
