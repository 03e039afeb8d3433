"""Plan templates as data: what one looks like, checked field by field, and the ones Alongside ships.

A template is

    {"name": "Team Around the Family plan", "description": "…",
     "goals": [{"in_own_words": "Keep our home", "success_looks_like": "…", "review_in_days": 42,
                "shared_with_client": true,
                "actions": [{"what": "Ask the housing office for a repayment plan", "due_in_days": 7,
                             "owner": "client" | null, "shared_with_client": true}]}]}

Days are counted from the day the lead starts the plan from the template; an action's owner is the
client or nobody yet (the lead chooses people, who differ from circle to circle). `template_errors`
answers with one message per wrong field, by its path ("plan_templates[0].goals[1].actions[0].what"), so
a bad template changes nothing and says exactly what is wrong. Plain Python (no models): the data
migration, the packs and the services use it alike.
"""

import json
from pathlib import Path
from typing import Any

from network.text import clean_line, clean_text

SHIPPED = Path(__file__).parent / "shipped_plan_templates.json"
MAX_GOALS = 20
MAX_ACTIONS = 20
MAX_DAYS = 3650
TEMPLATE_KEYS = {"name", "description", "goals"}
GOAL_KEYS = {"in_own_words", "success_looks_like", "review_in_days", "shared_with_client", "actions"}
ACTION_KEYS = {"what", "due_in_days", "owner", "shared_with_client"}
OWNERS = (None, "client")


def shipped_templates() -> list[dict]:
    """The templates that ship with Alongside, as checked and normalised definitions."""
    templates = json.loads(SHIPPED.read_text())
    for n, template in enumerate(templates):
        errors = template_errors(f"[{n}]", template)
        if errors:
            raise ValueError(errors)
    return [template_normalised(template) for template in templates]


def template_errors(where: str, template: Any) -> dict[str, str]:
    """Every problem with one template, by field path; empty if it is good."""
    if not isinstance(template, dict):
        return {where: "A plan template is an object with a name and goals."}
    errors: dict[str, str] = {}
    unknown = set(template) - TEMPLATE_KEYS
    if unknown:
        errors[where] = f"Unknown field {sorted(unknown)[0]!r}."
    if not _line(template.get("name"), 100, required=True):
        errors[f"{where}.name"] = "Give the template a name (at most 100 characters)."
    if not _line(template.get("description", ""), 500):
        errors[f"{where}.description"] = "A description is at most 500 characters of text."
    goals = template.get("goals")
    if not isinstance(goals, list) or not 1 <= len(goals) <= MAX_GOALS:
        errors[f"{where}.goals"] = f"A plan template has 1 to {MAX_GOALS} goals."
        return errors
    for n, goal in enumerate(goals):
        errors |= _goal_errors(f"{where}.goals[{n}]", goal)
    return errors


def _goal_errors(where: str, goal: Any) -> dict[str, str]:
    if not isinstance(goal, dict):
        return {where: "A goal is an object."}
    errors: dict[str, str] = {}
    if set(goal) - GOAL_KEYS:
        errors[where] = f"Unknown field {sorted(set(goal) - GOAL_KEYS)[0]!r}."
    if not _line(goal.get("in_own_words"), 500, required=True):
        errors[f"{where}.in_own_words"] = "Write the goal, as a client might say it (at most 500 characters)."
    success = goal.get("success_looks_like", "")
    if not (isinstance(success, str) and len(clean_text(success)) <= 5000):
        errors[f"{where}.success_looks_like"] = "What success looks like is at most 5,000 characters of text."
    if not _days(goal.get("review_in_days"), low=1):
        errors[f"{where}.review_in_days"] = (
            f"Days until the goal is reviewed: a whole number, 1 to {MAX_DAYS}, or null."
        )
    if not isinstance(goal.get("shared_with_client", True), bool):
        errors[f"{where}.shared_with_client"] = "true or false."
    actions = goal.get("actions", [])
    if not isinstance(actions, list) or len(actions) > MAX_ACTIONS:
        errors[f"{where}.actions"] = f"A goal has a list of at most {MAX_ACTIONS} actions."
        return errors
    for n, action in enumerate(actions):
        at = f"{where}.actions[{n}]"
        if not isinstance(action, dict):
            errors[at] = "An action is an object."
            continue
        if set(action) - ACTION_KEYS:
            errors[at] = f"Unknown field {sorted(set(action) - ACTION_KEYS)[0]!r}."
        if not _line(action.get("what"), 500, required=True):
            errors[f"{at}.what"] = "Say what needs to happen (at most 500 characters)."
        if not _days(action.get("due_in_days"), low=0):
            errors[f"{at}.due_in_days"] = f"Days until it is due: a whole number, 0 to {MAX_DAYS}, or null."
        if action.get("owner") not in OWNERS:
            errors[f"{at}.owner"] = 'The owner is "client" (the client does it) or null (the lead chooses).'
        if not isinstance(action.get("shared_with_client", True), bool):
            errors[f"{at}.shared_with_client"] = "true or false."
    return errors


def template_normalised(template: dict) -> dict:
    """A checked template with its text cleaned and every default written out (so two can be compared)."""
    return {
        "name": clean_line(template["name"]),
        "description": clean_line(template.get("description", "")),
        "goals": [
            {
                "in_own_words": clean_line(goal["in_own_words"]),
                "success_looks_like": clean_text(goal.get("success_looks_like", "")),
                "review_in_days": goal.get("review_in_days"),
                "shared_with_client": goal.get("shared_with_client", True),
                "actions": [
                    {
                        "what": clean_line(action["what"]),
                        "due_in_days": action.get("due_in_days"),
                        "owner": action.get("owner"),
                        "shared_with_client": action.get("shared_with_client", True),
                    }
                    for action in goal.get("actions", [])
                ],
            }
            for goal in template["goals"]
        ],
    }


def _line(value: Any, limit: int, *, required: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    cleaned = clean_line(value)
    return len(cleaned) <= limit and (bool(cleaned) or not required)


def _days(value: Any, *, low: int) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_DAYS
    )


def load_shipped(template_model: Any) -> None:
    """Each shipped template, if missing (the data migration, with its historical model, and tests whose
    database is emptied between tests)."""
    for template in shipped_templates():
        template_model.objects.get_or_create(
            organisation=None,
            name=template["name"],
            defaults={"description": template["description"], "goals": template["goals"]},
        )
