"""Co-editing: a writer says which version they started from. Someone else's newer change to the *same*
field refuses the write (StaleEdit, carrying what it says now and who changed it); changes to other fields
never conflict; writing the value that is already there is no conflict. Every accepted change is kept in
the plan's history with the version it made, and nothing refused is kept."""

import datetime

import pytest
from django.utils.dateparse import parse_datetime

from audit.models import AuditEvent
from sharing import services
from sharing.models import PlanChange
from tests.plans.conftest import changes_of, events_of, fresh, membership

pytestmark = pytest.mark.django_db


def test_the_same_field_changed_since_is_a_conflict(alice, bob, goal, grace):
    # Both opened the goal at version 1. Alice saves first.
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)

    with pytest.raises(services.StaleEdit) as stale:
        services.goal_update(
            actor=bob, goal=goal, changes={"in_own_words": "Stay in the flat"}, base_version=1
        )

    conflict = stale.value.conflicts
    assert list(conflict) == ["in_own_words"]
    assert conflict["in_own_words"]["current"] == "Keep our home"
    assert conflict["in_own_words"]["by"] == alice
    assert parse_datetime(conflict["in_own_words"]["at"]) is not None
    assert stale.value.item.pk == goal.pk
    # Nothing of Bob's was kept, and nobody was told of a change that did not happen.
    goal = fresh(goal)
    assert (goal.in_own_words, goal.version) == ("Keep our home", 2)
    assert [c.actor for c in changes_of(goal) if c.field == "in_own_words"] == [alice]
    assert len(events_of(grace, "plan.goal_update")) == 1
    assert not AuditEvent.objects.filter(action="plan.goal_update", actor=bob).exists()


def test_different_fields_never_conflict(alice, bob, carol, goal):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    # Bob and Carol still have version 1 open, and each changes a field Alice did not touch.
    services.goal_update(actor=bob, goal=goal, changes={"success_looks_like": "No arrears"}, base_version=1)
    services.goal_update(
        actor=carol, goal=goal, changes={"review_on": datetime.date(2030, 5, 1)}, base_version=1
    )

    goal = fresh(goal)
    assert goal.in_own_words == "Keep our home"
    assert goal.success_looks_like == "No arrears"
    assert goal.review_on == datetime.date(2030, 5, 1)
    assert goal.version == 4


def test_writing_the_value_already_there_is_not_a_conflict(alice, bob, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    # Bob, from version 1, makes the very same change: nothing to refuse, and nothing new to record.
    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)

    goal = fresh(goal)
    assert (goal.in_own_words, goal.version) == ("Keep our home", 2)
    assert [c.field for c in changes_of(goal)] == ["created", "in_own_words"]
    assert len(events_of(grace, "plan.goal_update")) == 1


def test_a_stale_edit_is_refused_whole(alice, bob, goal):
    """One clashing field refuses the write: Bob chooses what to keep, then saves it all again."""
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    with pytest.raises(services.StaleEdit) as stale:
        services.goal_update(
            actor=bob,
            goal=goal,
            changes={"in_own_words": "Stay in the flat", "success_looks_like": "No arrears"},
            base_version=1,
        )
    assert list(stale.value.conflicts) == ["in_own_words"]
    assert fresh(goal).success_looks_like == "Rent paid on time for six months"


def test_changes_before_my_version_do_not_conflict(alice, bob, goal):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    # Bob opened the goal after Alice's change (version 2).
    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Stay in our home"}, base_version=2)
    assert fresh(goal).in_own_words == "Stay in our home"


def test_the_conflict_names_whoever_changed_it_last(alice, bob, carol, goal):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.goal_update(actor=carol, goal=goal, changes={"in_own_words": "Keep a home"}, base_version=2)
    with pytest.raises(services.StaleEdit) as stale:
        services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Stay put"}, base_version=1)
    assert stale.value.conflicts["in_own_words"]["current"] == "Keep a home"
    assert stale.value.conflicts["in_own_words"]["by"] == carol


def test_changed_and_changed_back_is_still_a_conflict(alice, bob, goal):
    """Someone looked at this field since Bob started: he should see that before overwriting it."""
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our flat"}, base_version=2)
    with pytest.raises(services.StaleEdit) as stale:
        services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Stay put"}, base_version=1)
    assert stale.value.conflicts["in_own_words"]["current"] == "Keep our flat"


def test_retrying_from_the_version_the_conflict_showed_succeeds(alice, bob, goal):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    with pytest.raises(services.StaleEdit) as stale:
        services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Stay put"}, base_version=1)
    services.goal_update(
        actor=bob, goal=goal, changes={"in_own_words": "Stay put"}, base_version=stale.value.item.version
    )
    assert fresh(goal).in_own_words == "Stay put"


# Actions follow the same rule.


def test_actions_conflict_on_the_same_field_only(alice, bob, carol, action, grace):
    services.action_update(
        actor=alice, action=action, changes={"what": "Ring the housing officer"}, base_version=1
    )
    services.action_update(actor=carol, action=action, changes={"due_on": "2030-04-01"}, base_version=1)
    with pytest.raises(services.StaleEdit) as stale:
        services.action_update(
            actor=bob, action=action, changes={"what": "Email the officer"}, base_version=1
        )
    assert stale.value.conflicts["what"]["current"] == "Ring the housing officer"
    assert stale.value.conflicts["what"]["by"] == alice
    action = fresh(action)
    assert (action.what, action.due_on, action.version) == (
        "Ring the housing officer",
        datetime.date(2030, 4, 1),
        3,
    )


def test_an_owner_conflict_carries_the_current_owner(alice, bob, carol, action, grace):
    services.action_update(actor=alice, action=action, changes={"owner": "client"}, base_version=1)
    with pytest.raises(services.StaleEdit) as stale:
        services.action_update(
            actor=bob, action=action, changes={"owner": membership(grace, carol)}, base_version=1
        )
    assert stale.value.conflicts == {
        "owner": {"current": "client", "by": alice, "at": stale.value.conflicts["owner"]["at"]}
    }


# The history: every accepted change, with the version it made.


def test_every_accepted_change_is_in_the_history_with_its_version(alice, bob, carol, goal):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.goal_update(
        actor=bob,
        goal=goal,
        changes={"success_looks_like": "No arrears", "review_on": "2030-05-01"},
        base_version=1,
    )
    with pytest.raises(services.StaleEdit):
        services.goal_update(actor=carol, goal=goal, changes={"in_own_words": "Refused"}, base_version=1)
    services.goal_update(actor=carol, goal=goal, changes={"shared_with_client": False}, base_version=1)

    rows = [
        (c.field, c.old_value, c.new_value, c.version, c.actor.full_name)
        for c in changes_of(goal)
        if c.field != "created"
    ]
    assert sorted(rows, key=lambda r: (r[3], r[0])) == [
        ("in_own_words", "Keep our flat", "Keep our home", 2, "Alice Lead"),
        ("review_on", None, "2030-05-01", 3, "Bob Same-Org"),
        ("success_looks_like", "Rent paid on time for six months", "No arrears", 3, "Bob Same-Org"),
        ("shared_with_client", True, False, 4, "Carol Other-Org"),
    ]
    assert fresh(goal).version == 4
    assert not PlanChange.objects.filter(new_value="Refused").exists()


def test_replaying_the_history_gives_the_item_as_it_is(alice, bob, action, grace, carol):
    """Old state + accepted changes == the state now (as Zulip's verify_action checks for events)."""
    services.action_update(actor=alice, action=action, changes={"what": "Ring them"}, base_version=1)
    services.action_update(
        actor=bob, action=action, changes={"owner": membership(grace, carol)}, base_version=1
    )
    services.action_set_status(actor=carol, action=action, status="dropped", dropped_reason="Not needed")
    services.action_update(actor=alice, action=action, changes={"due_on": "2030-07-01"}, base_version=3)

    history = changes_of(action)
    state = dict(history[0].new_value)
    for change in history[1:]:
        assert state[change.field] == change.old_value, change.field
        state[change.field] = change.new_value
    action = fresh(action)
    assert state == {
        "what": "Ring them",
        "owner": membership(grace, carol).pk,
        "due_on": "2030-07-01",
        "status": "dropped",
        "dropped_reason": "Not needed",
        "shared_with_client": True,
    }
    assert max(c.version for c in history) == action.version == 5
