"""Reads of what the circle shares: notes (notes.py), the plan (plans.py) and plan templates (templates.py)."""

from sharing.selectors.notes import goals_for_notes, note_get_for, note_list_flagging_goals, note_list_for
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
from sharing.selectors.templates import (
    goal_count_for,
    plan_template_compare,
    plan_template_get_for,
    plan_templates_for,
    plan_templates_kept_by,
)

__all__ = [
    "PlanView",
    "action_get_for",
    "actions_owned_by",
    "agreement_differences",
    "agreement_get_for",
    "agreements_for",
    "goal_count_for",
    "goal_get_for",
    "goal_notes",
    "history_rows",
    "item_history",
    "note_get_for",
    "note_list_for",
    "note_list_flagging_goals",
    "goals_for_notes",
    "owner_choices",
    "plan_compare",
    "plan_for",
    "plan_snapshot",
    "plan_template_compare",
    "plan_template_get_for",
    "plan_templates_for",
    "plan_templates_kept_by",
    "snapshot_for",
]
