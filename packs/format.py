"""The configuration pack: one JSON file with an agency's instruments, plan templates and meeting types.

    {"format": "alongside-pack", "version": 1, "organisation": "Northbridge Council Early Help",
     "exported_at": "2026-12-01T10:00:00+00:00",
     "scales": {…}, "instruments": […],      as in an instrument pack (assessments.packs)
     "plan_templates": […],                  as sharing.plan_templates checks them
     "meeting_types": […]}                   as conferences.types checks them

`version` is the version of this format. A pack of a newer version than this code reads is refused
whole, with a message saying so: its fields may mean something this version cannot know. Each part is
checked by the app that owns it, so the rules are written once; every error is keyed by its path in the
pack ("plan_templates[0].goals[1].what"). Plain Python, no models.
"""

from typing import Any

from assessments import packs as instrument_packs
from conferences.types import type_errors, type_normalised
from sharing.plan_templates import template_errors, template_normalised

FORMAT = "alongside-pack"
VERSION = 1
KEYS = {
    "format",
    "version",
    "organisation",
    "exported_at",
    "scales",
    "instruments",
    "plan_templates",
    "meeting_types",
}
MAX_TEMPLATES = 100
MAX_TYPES = 100


def pack_errors(pack: Any) -> dict[str, str]:
    """Every problem with a pack, by field path; empty if the pack is good."""
    if not isinstance(pack, dict):
        return {"pack": "A pack is a JSON object: { … }."}
    if pack.get("format") != FORMAT:
        if pack.get("format") == instrument_packs.FORMAT:
            return {"format": "This is a pack of instruments only: bring it in on the Instruments page."}
        return {"format": f"This is not an Alongside configuration pack (its format should be {FORMAT!r})."}
    version = pack.get("version")
    if not (isinstance(version, int) and not isinstance(version, bool) and version >= 1):
        return {"version": "The pack does not say which version of the pack format it is (a whole number)."}
    if version > VERSION:
        return {
            "version": f"This pack was made by a newer version of Alongside (pack format {version}); this one "
            f"reads format {VERSION} and older. Nothing has changed. Ask for it to be exported again once "
            "both use the same version."
        }
    errors: dict[str, str] = {}
    unknown = set(pack) - KEYS
    if unknown:
        errors["pack"] = f"Unknown field {sorted(unknown)[0]!r}."
    for field in ("organisation", "exported_at"):
        if not (isinstance(pack.get(field, ""), str) and len(pack.get(field, "")) <= 200):
            errors[field] = "At most 200 characters of text."
    instruments = pack.get("instruments", [])
    if not isinstance(instruments, list):
        errors["instruments"] = "List the pack's instruments: [ … ]."
        instruments = []
    if instruments:
        errors |= instrument_packs.pack_errors(instrument_part(pack))
    elif not isinstance(pack.get("scales", {}), dict):
        errors["scales"] = "List the pack's scales as an object."
    templates = _list(pack, "plan_templates", MAX_TEMPLATES, errors)
    names: dict[str, int] = {}
    for n, template in enumerate(templates):
        found = template_errors(f"plan_templates[{n}]", template)
        errors |= found
        if not found:
            _no_second(names, template_normalised(template)["name"], f"plan_templates[{n}]", errors)
    types = _list(pack, "meeting_types", MAX_TYPES, errors)
    names = {}
    for n, definition in enumerate(types):
        found = type_errors(f"meeting_types[{n}]", definition)
        errors |= found
        if not found:
            _no_second(names, type_normalised(definition)["name"], f"meeting_types[{n}]", errors)
    if not (errors or instruments or templates or types):
        errors["pack"] = (
            "The pack holds nothing to bring in: no instruments, plan templates or meeting types."
        )
    return errors


def instrument_part(pack: dict) -> dict:
    """The pack's instruments as an instrument pack, for assessments to check and bring in."""
    return {
        "format": instrument_packs.FORMAT,
        "scales": pack.get("scales", {}),
        "instruments": pack.get("instruments", []),
    }


def _list(pack: dict, field: str, limit: int, errors: dict[str, str]) -> list:
    value = pack.get(field, [])
    if not isinstance(value, list) or len(value) > limit:
        errors[field] = f"A list of at most {limit}: [ … ]."
        return []
    return value


def _no_second(seen: dict[str, int], name: str, where: str, errors: dict[str, str]) -> None:
    if name.casefold() in seen:
        first = seen[name.casefold()]
        errors[f"{where}.name"] = f"Two are called {name!r} (also the one at position {first + 1})."
    seen.setdefault(name.casefold(), int(where.rsplit("[", 1)[1].rstrip("]")))
