"""Reads of what the circle shares: notes (notes.py) and the plan (plans.py)."""

from sharing.selectors.notes import note_get_for, note_list_for
from sharing.selectors.plans import (
    PlanView,
    action_get_for,
    actions_owned_by,
    agreement_differences,
    agreement_get_for,
    agreements_for,
    goal_get_for,
    goal_notes,
    history_rows,
    item_history,
    owner_choices,
    plan_compare,
    plan_for,
    plan_snapshot,
    snapshot_for,
)

__all__ = [
    "PlanView",
    "action_get_for",
    "actions_owned_by",
    "agreement_differences",
    "agreement_get_for",
    "agreements_for",
    "goal_get_for",
    "goal_notes",
    "history_rows",
    "item_history",
    "note_get_for",
    "note_list_for",
    "owner_choices",
    "plan_compare",
    "plan_for",
    "plan_snapshot",
    "snapshot_for",
]
