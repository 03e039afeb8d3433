"""coedit.edits: a versioned write refuses a stale change of the same field, applies changes of other
fields, writes one history row per changed field and raises the version by one."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from circles.models import Client
from coedit import StaleEdit, lock_in_order
from sharing.models import Goal, Plan
from tests.coedit.conftest import edit, rows

pytestmark = pytest.mark.django_db


def fresh(goal: Goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def test_a_stale_edit_of_the_same_field_is_refused_with_both_values(alice, bob, goal):
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)

    with pytest.raises(StaleEdit) as stale:
        edit(goal, bob, {"in_own_words": "Stay in the flat"}, base_version=1)

    assert stale.value.theirs == {"in_own_words": "Keep our home"}
    assert stale.value.mine == {"in_own_words": "Stay in the flat"}
    assert stale.value.conflicts["in_own_words"]["by"] == alice  # the account: pages and the API name it
    assert stale.value.item.pk == goal.pk
    # Nothing of Bob's was written.
    assert (fresh(goal).in_own_words, fresh(goal).version) == ("Keep our home", 2)
    assert rows(goal) == [("in_own_words", "Keep our flat", "Keep our home", 2, "Alice Lead")]


def test_the_values_in_a_stale_edit_are_as_history_keeps_them(alice, bob, goal):
    edit(goal, alice, {"review_on": datetime.date(2030, 5, 1)}, base_version=1)
    with pytest.raises(StaleEdit) as stale:
        edit(goal, bob, {"review_on": datetime.date(2030, 6, 1)}, base_version=1)
    assert stale.value.theirs == {"review_on": "2030-05-01"}
    assert stale.value.mine == {"review_on": "2030-06-01"}


def test_an_edit_of_a_different_field_is_applied(alice, bob, goal):
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)

    applied = edit(goal, bob, {"success_looks_like": "No arrears"}, base_version=1)

    assert applied.before == {"success_looks_like": "Rent paid on time"}
    assert applied.after == {"success_looks_like": "No arrears"}
    goal = fresh(goal)
    assert (goal.in_own_words, goal.success_looks_like, goal.version) == ("Keep our home", "No arrears", 3)


def test_one_history_row_per_changed_field_and_one_version(alice, goal):
    applied = edit(
        goal,
        alice,
        {"in_own_words": "Keep our home", "review_on": "2030-05-01", "shared_with_client": True},
        base_version=1,
    )

    # shared_with_client was already True: not a change, so not in the history.
    assert applied.after == {"in_own_words": "Keep our home", "review_on": "2030-05-01"}
    assert fresh(goal).version == 2
    assert rows(goal) == [
        ("in_own_words", "Keep our flat", "Keep our home", 2, "Alice Lead"),
        ("review_on", None, "2030-05-01", 2, "Alice Lead"),
    ]


def test_each_edit_raises_the_version_by_one(alice, bob, goal):
    for n, words in enumerate(["One", "Two", "Three"], start=1):
        edit(goal, alice if n % 2 else bob, {"in_own_words": words}, base_version=n)
    assert fresh(goal).version == 4
    assert [row[3] for row in rows(goal)] == [2, 3, 4]


def test_nothing_to_change_writes_nothing(alice, goal):
    assert edit(goal, alice, {"in_own_words": "Keep our flat"}, base_version=1) is None
    assert fresh(goal).version == 1
    assert rows(goal) == []


def test_the_same_value_from_a_stale_version_is_no_conflict(alice, bob, goal):
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)
    assert edit(goal, bob, {"in_own_words": "Keep our home"}, base_version=1) is None
    assert fresh(goal).version == 2


@pytest.mark.parametrize("base_version", [0, 2, "1"])
def test_a_version_that_does_not_exist_is_refused(alice, goal, base_version):
    with pytest.raises(ValidationError) as error:
        edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=base_version)
    assert "version" in error.value.message_dict
    assert fresh(goal).version == 1


def test_lock_in_order_locks_the_first_row_then_the_middle_then_the_item(goal, grace):
    order = []

    def then(client):
        order.append(("then", client.pk))
        return Plan.objects.get(client=client)

    client, plan, item = lock_in_order(Goal, goal.pk, first=Client, path="plan__goals", then=then)

    assert (client.pk, plan.pk, item.pk) == (grace.pk, goal.plan_id, goal.pk)
    assert order == [("then", grace.pk)]


def test_lock_in_order_says_the_item_does_not_exist(goal):
    with pytest.raises(Goal.DoesNotExist):
        lock_in_order(Goal, goal.pk + 100, first=Client, path="plan__goals", then=lambda client: None)
