"""The changes to what the circle shares (notes and the plan), each by one name for its audit row and event."""

from typing import TypedDict

from changes.catalogue import Change, register


class NoteChanged(TypedDict):
    note_id: int


class GoalAddedOrRemoved(TypedDict):
    goal_id: int
    plan_version: int


class ActionAddedOrRemoved(TypedDict):
    goal_id: int
    action_id: int
    plan_version: int


class GoalUpdated(TypedDict):
    goal_id: int
    version: int
    fields: list[str]
    by: str


class ActionUpdated(TypedDict):
    action_id: int
    goal_id: int
    version: int
    fields: list[str]
    by: str


class GoalAddressed(TypedDict):
    goal_id: int


class PlanReordered(TypedDict):
    plan_version: int


class CommentAdded(TypedDict):
    goal_id: int
    by: str


class PlanAgreed(TypedDict):
    agreement_id: int


NOTE_CREATE = Change("note.create", "A progress note is written", NoteChanged)
NOTE_VISIBILITY_WIDEN = Change(
    "note.visibility_widen", "A note's author lets more people read it", NoteChanged
)
NOTE_VISIBILITY_NARROW = Change(
    "note.visibility_narrow", "A note's author lets fewer people read it", NoteChanged
)
GOAL_ADD = Change("plan.goal_add", "A goal is added to the plan", GoalAddedOrRemoved)
GOAL_UPDATE = Change("plan.goal_update", "Some fields of a goal are changed", GoalUpdated)
GOAL_ADDRESS = Change(
    "plan.goal_address", "A goal is linked to the assessment area it addresses (or unlinked)", GoalAddressed
)
GOAL_REMOVE = Change("plan.goal_remove", "A goal is taken off the plan", GoalAddedOrRemoved)
GOAL_MOVE = Change("plan.goal_move", "A goal moves up or down the plan", PlanReordered)
ACTION_ADD = Change("plan.action_add", "An action is added under a goal", ActionAddedOrRemoved)
ACTION_UPDATE = Change(
    "plan.action_update", "Some fields of an action (or its status) are changed", ActionUpdated
)
ACTION_REMOVE = Change("plan.action_remove", "An action is taken off the plan", ActionAddedOrRemoved)
ACTION_MOVE = Change("plan.action_move", "An action moves up or down under its goal", PlanReordered)
COMMENT_ADD = Change("plan.comment_add", "The client adds their own words to a goal", CommentAdded)
PLAN_AGREE = Change("plan.agree", "The lead marks the plan as it stands agreed", PlanAgreed)
# Starting from a template: each goal and action it adds is its own plan.goal_add / plan.action_add (so the
# plan page and the portal hear of them live); this row says which template they came from.
PLAN_FROM_TEMPLATE = Change("plan.from_template", "The lead adds a plan template's goals and actions")
PLAN_TEMPLATE_CREATE = Change("plan_template.create", "An agency brings in a plan template")
PLAN_TEMPLATE_UPDATE = Change("plan_template.update", "An agency's plan template is changed")

NOTE_VIEW = Change("note.view", "Someone reads one note", is_read=True)
NOTE_LIST = Change("note.list", "Someone lists the client's notes (API)", is_read=True)
CLIENT_TIMELINE = Change("client.timeline", "Someone reads the client's timeline", is_read=True)
PLAN_VIEW = Change("plan.view", "Someone reads the plan, a goal or an action", is_read=True)
PLAN_HISTORY = Change("plan.history", "Someone reads a goal's or action's history", is_read=True)

register(
    NOTE_CREATE,
    NOTE_VISIBILITY_WIDEN,
    NOTE_VISIBILITY_NARROW,
    GOAL_ADD,
    GOAL_UPDATE,
    GOAL_ADDRESS,
    GOAL_REMOVE,
    GOAL_MOVE,
    ACTION_ADD,
    ACTION_UPDATE,
    ACTION_REMOVE,
    ACTION_MOVE,
    COMMENT_ADD,
    PLAN_AGREE,
    PLAN_FROM_TEMPLATE,
    PLAN_TEMPLATE_CREATE,
    PLAN_TEMPLATE_UPDATE,
    NOTE_VIEW,
    NOTE_LIST,
    CLIENT_TIMELINE,
    PLAN_VIEW,
    PLAN_HISTORY,
)
