"""Goals: added in the client's own words at the end of the plan, changed field by field, taken off with
their history kept. Every write is checked, versioned, recorded in the plan's history and the audit, and
announced to open pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from sharing import selectors, services
from sharing.models import Goal, Plan, PlanChange
from tests.plans.conftest import changes_of, events_of, fresh

pytestmark = pytest.mark.django_db


def test_it_works(alice, grace):
    goal = services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="  Keep our\nflat ",
        success_looks_like="Rent paid",
        review_on=datetime.date(2030, 6, 1),
        shared_with_client=False,
    )

    goal = fresh(goal)
    assert goal.in_own_words == "Keep our flat"  # one line, trimmed
    assert (goal.success_looks_like, goal.review_on, goal.shared_with_client) == (
        "Rent paid",
        datetime.date(2030, 6, 1),
        False,
    )
    assert goal.version == 1
    assert goal.created_by == alice
    assert goal.plan.client == grace


def test_it_checks_ownership(charlie, grace):
    with pytest.raises(PermissionDenied):
        services.goal_add(actor=charlie, client=grace, in_own_words="Not mine to write")
    assert not Goal.objects.exists()
    assert not Plan.objects.exists()


def test_every_member_may_add_one(bob, carol, grace):
    services.goal_add(actor=bob, client=grace, in_own_words="From Bob")
    services.goal_add(actor=carol, client=grace, in_own_words="From Carol")
    assert sorted(Goal.objects.values_list("in_own_words", flat=True)) == ["From Bob", "From Carol"]


def test_the_plan_is_made_when_first_used(alice, grace):
    assert not Plan.objects.filter(client=grace).exists()
    services.goal_add(actor=alice, client=grace, in_own_words="First")
    services.goal_add(actor=alice, client=grace, in_own_words="Second")
    assert Plan.objects.filter(client=grace).count() == 1


def test_new_goals_go_at_the_end(alice, grace):
    for words in ("One", "Two", "Three"):
        services.goal_add(actor=alice, client=grace, in_own_words=words)
    goals = Goal.objects.filter(plan__client=grace).order_by("position")
    assert [g.in_own_words for g in goals] == ["One", "Two", "Three"]
    assert [g.position for g in goals] == [1, 2, 3]


def test_each_structural_change_raises_the_plan_version(alice, grace):
    first = services.goal_add(actor=alice, client=grace, in_own_words="One")
    after_first = Plan.objects.get(client=grace).version
    services.goal_add(actor=alice, client=grace, in_own_words="Two")
    assert Plan.objects.get(client=grace).version == after_first + 1
    services.goal_remove(actor=alice, goal=first)
    assert Plan.objects.get(client=grace).version == after_first + 2


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"in_own_words": "   "}, "in_own_words"),
        ({"in_own_words": "x" * 501}, "in_own_words"),
        ({"in_own_words": "Fine", "success_looks_like": "y" * 5001}, "success_looks_like"),
        ({"in_own_words": "Fine", "review_on": "31/12/2030"}, "review_on"),
        ({"in_own_words": "Fine", "review_on": "2030-02-30"}, "review_on"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(fields, field, alice, grace):
    with pytest.raises(ValidationError) as refused:
        services.goal_add(actor=alice, client=grace, **fields)
    assert field in refused.value.message_dict
    assert not Goal.objects.exists()
    assert not PlanChange.objects.exists()
    assert not events_of(grace, "plan.goal_add")


def test_adding_is_recorded_in_history_audit_and_outbox(alice, grace):
    goal = services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")

    [created] = changes_of(goal)
    assert (created.field, created.old_value, created.version, created.actor) == ("created", None, 1, alice)
    assert created.new_value == {
        "in_own_words": "Keep our flat",
        "success_looks_like": "",
        "review_on": None,
        "shared_with_client": True,
    }
    audit = AuditEvent.objects.get(action="plan.goal_add")
    assert (audit.actor, audit.client, audit.object_id) == (alice, grace, str(goal.pk))
    [event] = events_of(grace, "plan.goal_add")
    assert event.payload == {"goal_id": goal.pk, "plan_version": Plan.objects.get(client=grace).version}


def test_a_change_is_saved_versioned_and_announced(alice, bob, goal, grace):
    updated = services.goal_update(
        actor=bob,
        goal=goal,
        changes={"success_looks_like": "Rent paid for a year", "review_on": "2030-09-01"},
        base_version=1,
    )

    assert updated.version == 2
    goal = fresh(goal)
    assert goal.success_looks_like == "Rent paid for a year"
    assert goal.review_on == datetime.date(2030, 9, 1)
    assert goal.in_own_words == "Keep our flat"  # untouched
    [event] = events_of(grace, "plan.goal_update")
    assert event.payload == {
        "goal_id": goal.pk,
        "version": 2,
        "fields": ["review_on", "success_looks_like"],
        "by": "Bob Same-Org",
    }
    audit = AuditEvent.objects.get(action="plan.goal_update")
    assert audit.actor == bob
    assert audit.before == {"success_looks_like": "Rent paid on time for six months", "review_on": None}
    assert audit.after == {"success_looks_like": "Rent paid for a year", "review_on": "2030-09-01"}


def test_a_change_by_an_outsider_is_refused(charlie, goal):
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=charlie, goal=goal, changes={"in_own_words": "Mine now"}, base_version=1)
    goal = fresh(goal)
    assert (goal.in_own_words, goal.version) == ("Keep our flat", 1)
    assert [c.field for c in changes_of(goal)] == ["created"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"in_own_words": ""}, "in_own_words"),
        ({"colour": "blue"}, "colour"),
        ({"review_on": "not a date"}, "review_on"),
    ],
)
def test_a_bad_change_is_refused(changes, field, alice, goal):
    with pytest.raises(ValidationError) as refused:
        services.goal_update(actor=alice, goal=goal, changes=changes, base_version=1)
    assert field in refused.value.message_dict
    assert fresh(goal).version == 1


def test_an_empty_change_is_refused(alice, goal):
    with pytest.raises(ValidationError):
        services.goal_update(actor=alice, goal=goal, changes={}, base_version=1)


@pytest.mark.parametrize("base_version", [0, -1, 2, 99])
def test_a_version_that_never_existed_is_refused(base_version, alice, goal):
    with pytest.raises(ValidationError) as refused:
        services.goal_update(
            actor=alice, goal=goal, changes={"in_own_words": "New"}, base_version=base_version
        )
    assert "version" in refused.value.message_dict
    assert fresh(goal).in_own_words == "Keep our flat"


def test_saving_what_is_already_there_changes_nothing(alice, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our flat"}, base_version=1)
    assert fresh(goal).version == 1
    assert [c.field for c in changes_of(goal)] == ["created"]
    assert not events_of(grace, "plan.goal_update")


def test_taking_a_goal_off_keeps_its_history(alice, bob, goal, action, grace):
    services.goal_remove(actor=bob, goal=goal)

    goal = fresh(goal)
    assert goal.removed_at is not None
    assert goal.version == 2
    assert [c.field for c in changes_of(goal)] == ["created", "removed"]
    assert changes_of(goal)[-1].actor == bob
    [event] = events_of(grace, "plan.goal_remove")
    assert event.payload["goal_id"] == goal.pk
    # Off the plan as people see it, with its actions.
    from circles.access import record_access

    view = selectors.plan_for(record_access(alice, grace))
    assert view.goals == []
    assert view.actions == []


def test_a_goal_cannot_be_taken_off_twice_or_changed_afterwards(alice, goal):
    services.goal_remove(actor=alice, goal=goal)
    with pytest.raises(ValidationError):
        services.goal_remove(actor=alice, goal=goal)
    with pytest.raises(ValidationError):
        services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Back"}, base_version=2)
    with pytest.raises(ValidationError):
        services.action_add(actor=alice, goal=goal, what="Too late")


def test_taking_off_is_for_members_only(charlie, goal):
    with pytest.raises(PermissionDenied):
        services.goal_remove(actor=charlie, goal=goal)
    assert fresh(goal).removed_at is None
