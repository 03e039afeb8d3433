"""Actions: what, who (a current member of the circle, or the client themself), by when, and how it is
going. Status is one click; dropping needs a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from circles import services as circle_services
from sharing import services
from sharing.models import Action, PlanChange
from tests.factories import ClientFactory, FamilyMemberFactory, MemberFactory
from tests.plans.conftest import changes_of, days_from_today, events_of, fresh, membership

pytestmark = pytest.mark.django_db


def test_it_works(alice, bob, goal, grace):
    action = services.action_add(
        actor=alice,
        goal=goal,
        what="Call the\nhousing officer ",
        owner=membership(grace, bob),
        due_on=datetime.date(2030, 3, 1),
        shared_with_client=False,
    )

    action = fresh(action)
    assert action.what == "Call the housing officer"
    assert action.owner == membership(grace, bob)
    assert action.owner_is_client is False
    assert action.due_on == datetime.date(2030, 3, 1)
    assert action.status == Action.Status.NOT_STARTED
    assert action.shared_with_client is False
    assert (action.version, action.goal, action.created_by) == (1, goal, alice)
    [created] = changes_of(action)
    assert (created.field, created.version, created.actor) == ("created", 1, alice)
    assert created.new_value["owner"] == membership(grace, bob).pk
    [event] = events_of(grace, "plan.action_add")
    assert event.payload["goal_id"] == goal.pk
    assert event.payload["action_id"] == action.pk
    assert AuditEvent.objects.filter(action="plan.action_add", object_id=str(action.pk), actor=alice).exists()


def test_it_checks_ownership(charlie, goal):
    with pytest.raises(PermissionDenied):
        services.action_add(actor=charlie, goal=goal, what="Not mine to add")
    assert not Action.objects.exists()


def test_new_actions_go_at_the_end_of_their_goal(alice, goal, grace):
    other = services.goal_add(actor=alice, client=grace, in_own_words="Other goal")
    services.action_add(actor=alice, goal=other, what="Elsewhere")
    for what in ("First", "Second", "Third"):
        services.action_add(actor=alice, goal=goal, what=what)
    actions = Action.objects.filter(goal=goal).order_by("position")
    assert [(a.what, a.position) for a in actions] == [("First", 1), ("Second", 2), ("Third", 3)]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"what": "  "}, "what"),
        ({"what": "x" * 501}, "what"),
        ({"what": "Fine", "due_on": "tomorrow"}, "due_on"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(fields, field, alice, goal, grace):
    with pytest.raises(ValidationError) as refused:
        services.action_add(actor=alice, goal=goal, **fields)
    assert field in refused.value.message_dict
    assert not Action.objects.exists()
    assert not events_of(grace, "plan.action_add")


# Who does it.


def test_the_client_can_own_an_action(alice, goal):
    action = services.action_add(actor=alice, goal=goal, what="Bring the rent book", owner_is_client=True)
    assert (fresh(action).owner, fresh(action).owner_is_client) == (None, True)


def test_a_family_member_in_the_circle_can_own_an_action(alice, goal, grace):
    sister = FamilyMemberFactory(client=grace, name="Ruth Okafor")
    action = services.action_add(actor=alice, goal=goal, what="Help with forms", owner=sister)
    assert fresh(action).owner == sister


def test_the_owner_must_be_in_this_circle(alice, bob, goal):
    elsewhere = MemberFactory(client=ClientFactory(), user=bob)
    with pytest.raises(ValidationError) as refused:
        services.action_add(actor=alice, goal=goal, what="Call", owner=elsewhere)
    assert "owner" in refused.value.message_dict
    assert not Action.objects.exists()


def test_the_owner_must_be_in_the_circle_now(alice, bob, goal, grace):
    bobs_place = membership(grace, bob)
    circle_services.circle_member_remove(actor=alice, client=grace, member=bobs_place)
    with pytest.raises(ValidationError) as refused:
        services.action_add(actor=alice, goal=goal, what="Call", owner=fresh(bobs_place))
    assert "owner" in refused.value.message_dict


def test_changing_the_owner_is_checked_the_same_way(alice, bob, carol, action, grace):
    elsewhere = MemberFactory(client=ClientFactory(), user=carol)
    with pytest.raises(ValidationError):
        services.action_update(actor=alice, action=action, changes={"owner": elsewhere}, base_version=1)
    assert fresh(action).owner == membership(grace, bob)

    services.action_update(
        actor=alice, action=action, changes={"owner": membership(grace, carol)}, base_version=1
    )
    assert fresh(action).owner == membership(grace, carol)
    services.action_update(actor=alice, action=action, changes={"owner": "client"}, base_version=2)
    assert (fresh(action).owner, fresh(action).owner_is_client) == (None, True)
    services.action_update(actor=alice, action=action, changes={"owner": None}, base_version=3)
    assert (fresh(action).owner, fresh(action).owner_is_client) == (None, False)
    assert [(c.old_value, c.new_value) for c in changes_of(action) if c.field == "owner"] == [
        (membership(grace, bob).pk, membership(grace, carol).pk),
        (membership(grace, carol).pk, "client"),
        ("client", None),
    ]


# Status: one click.


@pytest.mark.parametrize("status", ["in_progress", "done", "not_started"])
def test_status_is_one_click(status, bob, action, grace):
    if status == "not_started":
        services.action_set_status(actor=bob, action=action, status="done")
    services.action_set_status(actor=bob, action=action, status=status)
    assert fresh(action).status == status
    last = events_of(grace, "plan.action_update")[-1]
    assert last.payload == {
        "action_id": action.pk,
        "goal_id": action.goal_id,
        "version": fresh(action).version,
        "fields": ["status"],
        "by": "Bob Same-Org",
    }


def test_a_status_click_applies_to_the_latest_version(alice, bob, action):
    # Alice changed the wording after Bob's page was drawn; Bob's click is about now, and still lands.
    services.action_update(
        actor=alice, action=action, changes={"what": "Ring the housing officer"}, base_version=1
    )
    services.action_set_status(actor=bob, action=action, status="done")
    action = fresh(action)
    assert (action.what, action.status, action.version) == ("Ring the housing officer", "done", 3)


def test_a_status_click_lands_even_if_the_status_changed_between_its_read_and_its_lock(
    alice, bob, action, monkeypatch
):
    # Alice's click lands after Bob's click has read the action and before it takes its locks: Bob's is
    # still a decision about now, so it is applied on top of hers, not refused as a clash.
    real = services.plans.lock_in_order
    pending = [lambda: services.action_set_status(actor=alice, action=action, status="in_progress")]

    def lock_in_order(*args, **kwargs):
        while pending:
            pending.pop()()
        return real(*args, **kwargs)

    monkeypatch.setattr(services.plans, "lock_in_order", lock_in_order)
    services.action_set_status(actor=bob, action=action, status="done")
    action = fresh(action)
    assert (action.status, action.version) == ("done", 3)
    assert [c.actor for c in action.changes.filter(field="status").order_by("version")] == [alice, bob]


def test_an_unknown_status_is_refused(bob, action):
    with pytest.raises(ValidationError) as refused:
        services.action_set_status(actor=bob, action=action, status="finished-ish")
    assert "status" in refused.value.message_dict
    assert fresh(action).status == "not_started"


@pytest.mark.parametrize("reason", ["", "   "])
def test_dropping_needs_a_reason(reason, bob, action):
    with pytest.raises(ValidationError) as refused:
        services.action_set_status(actor=bob, action=action, status="dropped", dropped_reason=reason)
    assert "dropped_reason" in refused.value.message_dict
    assert fresh(action).status == "not_started"
    assert [c.field for c in changes_of(action)] == ["created"]


def test_dropping_with_a_reason_keeps_the_reason(bob, action):
    services.action_set_status(
        actor=bob, action=action, status="dropped", dropped_reason="Moved to a new flat"
    )
    action = fresh(action)
    assert (action.status, action.dropped_reason) == ("dropped", "Moved to a new flat")
    assert not action.is_open
    assert sorted(c.field for c in changes_of(action) if c.field != "created") == ["dropped_reason", "status"]


def test_dropping_by_editing_also_needs_a_reason(alice, action):
    with pytest.raises(ValidationError):
        services.action_update(actor=alice, action=action, changes={"status": "dropped"}, base_version=1)
    assert fresh(action).status == "not_started"


def test_status_clicks_are_for_members_only(charlie, action):
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=charlie, action=action, status="done")
    assert fresh(action).status == "not_started"


def test_overdue_means_open_and_past_its_date(alice, goal):
    late = services.action_add(actor=alice, goal=goal, what="Late", due_on=days_from_today(-1))
    today = services.action_add(actor=alice, goal=goal, what="Today", due_on=days_from_today(0))
    undated = services.action_add(actor=alice, goal=goal, what="Whenever")
    assert [late.is_overdue, today.is_overdue, undated.is_overdue] == [True, False, False]
    services.action_set_status(actor=alice, action=late, status="done")
    assert not fresh(late).is_overdue


# Taking off.


def test_taking_an_action_off_keeps_its_history(alice, action, grace):
    services.action_remove(actor=alice, action=action)
    action = fresh(action)
    assert action.removed_at is not None
    assert [c.field for c in changes_of(action)] == ["created", "removed"]
    [event] = events_of(grace, "plan.action_remove")
    assert event.payload["action_id"] == action.pk
    assert event.payload["goal_id"] == action.goal_id
    with pytest.raises(ValidationError):
        services.action_remove(actor=alice, action=action)
    with pytest.raises(ValidationError):
        services.action_set_status(actor=alice, action=action, status="done")


def test_taking_an_action_off_is_for_members_only(charlie, action):
    with pytest.raises(PermissionDenied):
        services.action_remove(actor=charlie, action=action)
    assert fresh(action).removed_at is None
    assert PlanChange.objects.filter(action=action, field="removed").count() == 0
