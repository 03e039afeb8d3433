"""Writes to what the circle shares: notes (notes.py), the plan (plans.py) and plan templates (templates.py)."""

from coedit import StaleEdit  # what goal_update and action_update raise: the co-editing engine's
from sharing.services.notes import NOTE_MAX_LENGTH, note_create, note_visibility_change
from sharing.services.plans import (
    action_add,
    action_done_by_client,
    action_remove,
    action_set_status,
    action_update,
    goal_add,
    goal_address_set,
    goal_comment_add,
    goal_remove,
    goal_update,
    plan_agree,
    plan_move,
)
from sharing.services.templates import plan_from_template, plan_template_save

__all__ = [
    "StaleEdit",
    "NOTE_MAX_LENGTH",
    "action_add",
    "action_done_by_client",
    "action_remove",
    "action_set_status",
    "action_update",
    "goal_add",
    "goal_address_set",
    "goal_comment_add",
    "goal_remove",
    "goal_update",
    "note_create",
    "note_visibility_change",
    "plan_agree",
    "plan_from_template",
    "plan_move",
    "plan_template_save",
]
