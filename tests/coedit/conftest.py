"""The engine's tests use the plan's Goal as their co-edited model (any model with a `version` would do)
and PlanChange as its history, but call the engine directly, not sharing's services."""

import pytest
from django.db import transaction

from coedit import History, edit_apply
from sharing import services
from sharing.models import Goal, PlanChange


@pytest.fixture
def goal(alice, grace) -> Goal:
    return services.goal_add(
        actor=alice, client=grace, in_own_words="Keep our flat", success_looks_like="Rent paid on time"
    )


def history(goal: Goal) -> History:
    return History(PlanChange, item={"goal": goal}, also={"plan": goal.plan})


def edit(goal: Goal, actor, values: dict, base_version: int):
    """One edit as a service would make it: the item re-read (and locked) inside a transaction."""
    with transaction.atomic():
        item = Goal.objects.select_for_update().get(pk=goal.pk)
        return edit_apply(
            item,
            fields=Goal.EDITABLE,
            values=values,
            base_version=base_version,
            actor=actor,
            history=history(item),
        )


def rows(goal: Goal) -> list[tuple]:
    return [
        (c.field, c.old_value, c.new_value, c.version, c.actor.full_name)
        for c in PlanChange.objects.filter(goal=goal).exclude(field="created").order_by("pk")
    ]
