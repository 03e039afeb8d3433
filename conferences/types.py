"""Meeting types as data, for configuration packs: what one looks like, checked field by field.

    {"name": "Team Around the Family", "family_invited": true, "minutes_due_working_days": 5,
     "standard_agenda": ["What is working well", "What we are worried about", "What needs to happen"]}

`type_errors` answers with one message per wrong field, by its path ("meeting_types[0].name"). Plain
Python: the services and the packs use it alike.
"""

from typing import Any

from network.text import clean_line

KEYS = {"name", "family_invited", "minutes_due_working_days", "standard_agenda"}
MAX_HEADINGS = 20


def type_errors(where: str, definition: Any) -> dict[str, str]:
    if not isinstance(definition, dict):
        return {where: "A meeting type is an object with a name."}
    errors: dict[str, str] = {}
    if set(definition) - KEYS:
        errors[where] = f"Unknown field {sorted(set(definition) - KEYS)[0]!r}."
    name = definition.get("name")
    if not (isinstance(name, str) and 1 <= len(clean_line(name)) <= 100):
        errors[f"{where}.name"] = "Give the meeting type a name (at most 100 characters)."
    if not isinstance(definition.get("family_invited", True), bool):
        errors[f"{where}.family_invited"] = "true (the client and family are invited) or false."
    days = definition.get("minutes_due_working_days", 5)
    if not (isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 60):
        errors[f"{where}.minutes_due_working_days"] = (
            "Working days to sign off the minutes: a whole number, 1 to 60."
        )
    agenda = definition.get("standard_agenda", [])
    if not isinstance(agenda, list) or len(agenda) > MAX_HEADINGS:
        errors[f"{where}.standard_agenda"] = (
            f"The standard agenda is a list of at most {MAX_HEADINGS} headings."
        )
    else:
        for n, heading in enumerate(agenda):
            if not (isinstance(heading, str) and 1 <= len(clean_line(heading)) <= 200):
                errors[f"{where}.standard_agenda[{n}]"] = (
                    "Each heading is a line of text (at most 200 characters)."
                )
    return errors


def type_normalised(definition: dict) -> dict:
    """A checked definition with its text cleaned and every default written out."""
    return {
        "name": clean_line(definition["name"]),
        "family_invited": definition.get("family_invited", True),
        "minutes_due_working_days": definition.get("minutes_due_working_days", 5),
        "standard_agenda": [clean_line(heading) for heading in definition.get("standard_agenda", [])],
    }


def type_definition(meeting_type: Any) -> dict:
    """A meeting type as a pack writes it."""
    return {
        "name": meeting_type.name,
        "family_invited": meeting_type.family_invited,
        "minutes_due_working_days": meeting_type.minutes_due_working_days,
        "standard_agenda": meeting_type.agenda_headings,
    }
