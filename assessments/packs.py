"""Instrument packs: instruments as JSON, to ship with Alongside and to share between agencies.

A pack is `{"format": "alongside-instruments/1", "scales": {...}, "instruments": [...]}`. Each instrument
names one of the pack's scales; once read, an instrument's definition carries its scale inline, so a stored
version stands on its own (`definition_from_pack`) and an export puts the scales back (`pack_from`).

`pack_errors` checks everything and answers with one message per wrong field, by its path in the pack
("instruments[0].items[2].code"), so a bad pack changes nothing and says exactly what is wrong. This module
is plain Python (no models): migrations and the editor use it alike.
"""

import json
import re
from pathlib import Path
from typing import Any

from network.text import whole_number

FORMAT = "alongside-instruments/1"
PACKS_DIR = Path(__file__).parent / "packs"
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
ITEM_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
SCORINGS = ("sum", "each")  # sum: one total with bands; each: every item scored and banded on its own
DIRECTIONS = ("higher_is_better", "lower_is_better")
NARRATIVE = ("none", "optional", "required")
WHO = ("practitioner", "client", "together")
MAX_TEXT = 500
MAX_LICENCE = 2000
MAX_ITEMS = 60
INSTRUMENT_KEYS = {
    "code",
    "name",
    "summary",
    "question",
    "scale",
    "scoring",
    "direction",
    "items",
    "bands",
    "meaningful_change",
    "flags",
    "completed_by",
    "reassess_days",
    "licence",
}
ITEM_KEYS = {"code", "text", "narrative", "direction", "bands"}


def shipped_packs() -> dict[str, dict]:
    """The packs that ship with Alongside, by file name."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(PACKS_DIR.glob("*.json"))}


def pack_errors(pack: Any) -> dict[str, str]:
    """Every problem with a pack, by field path; empty if the pack is good."""
    errors: dict[str, str] = {}
    if not isinstance(pack, dict):
        return {"pack": "A pack is a JSON object."}
    if pack.get("format") != FORMAT:
        errors["format"] = f"This is not an Alongside instrument pack (the format should be {FORMAT!r})."
    unknown = set(pack) - {"format", "scales", "instruments"}
    if unknown:
        errors["pack"] = f"Unknown field {sorted(unknown)[0]!r}."
    scales = pack.get("scales")
    if not isinstance(scales, dict):
        errors["scales"] = "List the pack's scales as an object."
        scales = {}
    for name, scale in scales.items():
        errors |= _scale_errors(f"scales.{name}", scale)
    instruments = pack.get("instruments")
    if not isinstance(instruments, list) or not instruments:
        errors["instruments"] = "A pack has at least one instrument."
        return errors
    seen: dict[str, int] = {}
    for n, instrument in enumerate(instruments):
        where = f"instruments[{n}]"
        errors |= instrument_errors(where, instrument, scales)
        code = instrument.get("code") if isinstance(instrument, dict) else None
        if isinstance(code, str):
            if code in seen:
                errors[f"{where}.code"] = (
                    f"Two instruments are coded {code!r} (also instruments[{seen[code]}])."
                )
            seen.setdefault(code, n)
    return errors


def _scale_errors(where: str, scale: Any) -> dict[str, str]:
    if not isinstance(scale, dict):
        return {where: "A scale is an object with min, max and labels."}
    errors: dict[str, str] = {}
    low, high = scale.get("min"), scale.get("max")
    if (
        not isinstance(low, int)
        or not isinstance(high, int)
        or not _is_int(low)
        or not 0 <= low < high <= 100
    ):
        return {where: "A scale runs from a whole number min to a larger max, within 0 to 100."}
    labels = scale.get("labels", {})
    if not isinstance(labels, dict):
        return {f"{where}.labels": "Labels are an object of score: words."}
    for key, label in labels.items():
        score = whole_number(key)  # not int(): "²" is a digit to isdigit(), and no number to int()
        if score is None or not low <= score <= high:
            errors[f"{where}.labels.{key}"] = f"{key!r} is not a score on this scale ({low} to {high})."
        elif not _is_text(label, 100):
            errors[f"{where}.labels.{key}"] = "Each label is a few words (at most 100 characters)."
    if set(scale) - {"min", "max", "labels", "code"}:
        errors[where] = f"Unknown field {sorted(set(scale) - {'min', 'max', 'labels', 'code'})[0]!r}."
    return errors


def instrument_errors(where: str, instrument: Any, scales: dict[str, Any]) -> dict[str, str]:
    """The problems with one instrument as written in a pack (its scale named, from `scales`)."""
    if not isinstance(instrument, dict):
        return {where: "An instrument is an object."}
    errors: dict[str, str] = {}
    unknown = set(instrument) - INSTRUMENT_KEYS
    if unknown:
        errors[where] = f"Unknown field {sorted(unknown)[0]!r}."
    code = instrument.get("code")
    if not (isinstance(code, str) and CODE.match(code)):
        errors[f"{where}.code"] = "A code is lower-case letters, digits and hyphens (at most 40)."
    if not _is_text(instrument.get("name"), 100, required=True):
        errors[f"{where}.name"] = "Give the instrument a name (at most 100 characters)."
    for field in ("summary", "question"):
        if not _is_text(instrument.get(field, ""), MAX_TEXT):
            errors[f"{where}.{field}"] = f"At most {MAX_TEXT} characters of text."
    if not _is_text(instrument.get("licence", ""), MAX_LICENCE):
        errors[f"{where}.licence"] = f"At most {MAX_LICENCE} characters of text."
    scale_name = instrument.get("scale")
    scale = scales.get(scale_name) if isinstance(scale_name, str) else None
    if scale is None:
        errors[f"{where}.scale"] = f"Unknown scale {scale_name!r}: name one of the pack's scales."
    elif _scale_errors("", scale):
        scale = None  # reported under scales.<name>
    scoring = instrument.get("scoring")
    if scoring not in SCORINGS:
        errors[f"{where}.scoring"] = "Scoring is 'sum' (one total) or 'each' (every item on its own)."
    if instrument.get("direction", "higher_is_better") not in DIRECTIONS:
        errors[f"{where}.direction"] = "Direction is 'higher_is_better' or 'lower_is_better'."
    items = instrument.get("items")
    codes: list[str] = []
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        errors[f"{where}.items"] = f"An instrument has 1 to {MAX_ITEMS} items."
        items = []
    for n, item in enumerate(items):
        at = f"{where}.items[{n}]"
        if not isinstance(item, dict):
            errors[at] = "An item is an object."
            continue
        if set(item) - ITEM_KEYS:
            errors[at] = f"Unknown field {sorted(set(item) - ITEM_KEYS)[0]!r}."
        item_code = item.get("code")
        if not (isinstance(item_code, str) and ITEM_CODE.match(item_code)):
            errors[f"{at}.code"] = "An item's code is lower-case letters, digits and hyphens (at most 30)."
        elif item_code in codes:
            errors[f"{at}.code"] = f"Two items are coded {item_code!r}."
        else:
            codes.append(item_code)
        if not _is_text(item.get("text"), MAX_TEXT, required=True):
            errors[f"{at}.text"] = f"Write the item's words (at most {MAX_TEXT} characters)."
        if item.get("narrative", "none") not in NARRATIVE:
            errors[f"{at}.narrative"] = "Narrative is 'none', 'optional' or 'required'."
        if item.get("direction", "higher_is_better") not in DIRECTIONS:
            errors[f"{at}.direction"] = "Direction is 'higher_is_better' or 'lower_is_better'."
        if "bands" in item:
            if scoring != "each":
                errors[f"{at}.bands"] = "Only instruments scored item by item have bands per item."
            elif scale is not None:
                errors |= _band_errors(f"{at}.bands", item["bands"], scale["min"], scale["max"])
    if scale is not None and scoring in SCORINGS and items:
        low, high = (
            (scale["min"] * len(items), scale["max"] * len(items))
            if scoring == "sum"
            else (scale["min"], scale["max"])
        )
        errors |= _band_errors(f"{where}.bands", instrument.get("bands"), low, high)
    change = instrument.get("meaningful_change")
    if not (isinstance(change, int) and _is_int(change) and change >= 1):
        errors[f"{where}.meaningful_change"] = (
            "The smallest change that matters is a whole number, 1 or more."
        )
    flags = instrument.get("flags", [])
    if not isinstance(flags, list):
        errors[f"{where}.flags"] = "Flags are a list."
        flags = []
    for n, flag in enumerate(flags):
        at = f"{where}.flags[{n}]"
        if not isinstance(flag, dict) or set(flag) != {"item", "above", "message"}:
            errors[at] = "A flag has an item, a score it must be above, and a message."
        elif flag["item"] not in codes:
            errors[f"{at}.item"] = f"No item is coded {flag['item']!r}."
        elif not _is_int(flag["above"]):
            errors[f"{at}.above"] = "A whole number."
        elif scale is not None and flag["above"] >= scale["max"]:
            errors[f"{at}.above"] = (
                f"No answer is above {flag['above']} (the highest score is {scale['max']}), so this flag "
                f"would never be raised: choose a score from {scale['min']} to {scale['max'] - 1}."
            )
        elif scale is not None and flag["above"] < scale["min"]:
            errors[f"{at}.above"] = (
                f"Every answer is above {flag['above']} (the lowest score is {scale['min']}): choose a score "
                f"from {scale['min']} to {scale['max'] - 1}."
            )
        elif not _is_text(flag["message"], MAX_TEXT, required=True):
            errors[f"{at}.message"] = f"Say what to do (at most {MAX_TEXT} characters)."
    who = instrument.get("completed_by")
    if not (isinstance(who, list) and who and all(w in WHO for w in who) and len(set(who)) == len(who)):
        errors[f"{where}.completed_by"] = "Choose who may complete it: practitioner, client, together."
    days = instrument.get("reassess_days", 0)
    if not (_is_int(days) and 0 <= days <= 3650):
        errors[f"{where}.reassess_days"] = "Days between assessments: a whole number from 0 to 3650."
    return errors


def _band_errors(where: str, bands: Any, low: int, high: int) -> dict[str, str]:
    """Bands cover every possible score from `low` to `high`, in order, with no gap or overlap."""
    if not isinstance(bands, list) or not bands:
        return {where: f"Give score bands covering {low} to {high}."}
    expected = low
    for n, band in enumerate(bands):
        at = f"{where}[{n}]"
        if not isinstance(band, dict) or set(band) != {"from", "to", "label"}:
            return {at: "A band has from, to and a label."}
        if not (_is_int(band["from"]) and _is_int(band["to"])) or band["from"] > band["to"]:
            return {at: "A band runs from a whole number to one at least as large."}
        if band["from"] != expected:
            if n == 0:
                why = f"the first band starts at the lowest score, {low}"
            elif band["from"] > expected:
                why = f"this band leaves a gap after the one before: {expected} is in no band"
            else:
                why = f"this band overlaps the one before, which ends at {expected - 1}"
            return {f"{at}.from": f"Expected {expected}: {why}. Bands cover {low} to {high}, in order."}
        if not _is_text(band["label"], 100, required=True):
            return {f"{at}.label": "Each band has a label in plain words (at most 100 characters)."}
        expected = band["to"] + 1
    if expected != high + 1:
        if expected > high:
            why = f"no score is above {high}"
        else:
            why = f"{expected} is in no band" if expected == high else f"{expected} to {high} are in no band"
        return {
            f"{where}[{len(bands) - 1}].to": f"Expected {high}: the last band ends at the highest score ({why})."
        }
    return {}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any, limit: int, *, required: bool = False) -> bool:
    return isinstance(value, str) and len(value) <= limit and (bool(value.strip()) or not required)


def definition_from_pack(instrument: dict, scales: dict[str, dict]) -> dict:
    """One instrument of a checked pack, with its scale inline and every default written out."""
    scale = scales[instrument["scale"]]
    return {
        "code": instrument["code"],
        "name": instrument["name"],
        "summary": instrument.get("summary", ""),
        "question": instrument.get("question", ""),
        "scale": {
            "code": instrument["scale"],
            "min": scale["min"],
            "max": scale["max"],
            "labels": {
                str(k): v for k, v in sorted(scale.get("labels", {}).items(), key=lambda kv: int(kv[0]))
            },
        },
        "scoring": instrument["scoring"],
        "direction": instrument.get("direction", "higher_is_better"),
        "items": [
            {
                "code": item["code"],
                "text": item["text"],
                "narrative": item.get("narrative", "none"),
                **({"direction": item["direction"]} if "direction" in item else {}),
                **({"bands": item["bands"]} if "bands" in item else {}),
            }
            for item in instrument["items"]
        ],
        "bands": instrument["bands"],
        "meaningful_change": instrument["meaningful_change"],
        "flags": instrument.get("flags", []),
        "completed_by": instrument["completed_by"],
        "reassess_days": instrument.get("reassess_days", 0),
        "licence": instrument.get("licence", ""),
    }


def definitions_from_pack(pack: dict) -> list[dict]:
    """A checked pack's instruments as self-standing definitions (raise ValueError on a bad pack)."""
    errors = pack_errors(pack)
    if errors:
        raise ValueError(errors)
    return [definition_from_pack(instrument, pack["scales"]) for instrument in pack["instruments"]]


def pack_from(definitions: list[dict]) -> dict:
    """A pack holding these definitions, their scales gathered back out (the inverse of the above)."""
    scales: dict[str, dict] = {}
    instruments = []
    for definition in definitions:
        scale = dict(definition["scale"])
        code = scale.pop("code")
        scales[code] = scale
        instruments.append({**definition, "scale": code})
    return {"format": FORMAT, "scales": scales, "instruments": instruments}
