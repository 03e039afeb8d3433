"""Reads for configuration packs: what an agency's pack holds, and what bringing one in would change.

The preview changes nothing. Each part is compared by the app that owns it (assessments for instruments,
sharing for plan templates, conferences for meeting types), with that app's own rules: an instrument
that differs becomes a new version; a template or meeting type that differs is replaced in place.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from assessments import selectors as assessment_selectors
from assessments.models import InstrumentVersion
from circles.access import is_agency_admin
from conferences import selectors as meeting_selectors
from conferences.models import MeetingType
from conferences.types import type_definition, type_normalised
from packs.format import instrument_part, pack_errors
from sharing import selectors as plan_selectors
from sharing.plan_templates import template_normalised

if TYPE_CHECKING:
    from network.models import User

Kind = Literal["instrument", "plan template", "meeting type"]
Outcome = Literal["new", "changed", "unchanged"]


@dataclass(frozen=True)
class Item:
    kind: Kind
    name: str
    change: Outcome
    words: str  # what will happen to it, in plain words


@dataclass(frozen=True)
class Preview:
    items: list[Item]
    digest: str  # of the pack and what it would change: applying checks nothing moved since the preview
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Contents:
    instruments: list[dict]  # current definitions, with their scales inline
    plan_templates: list[dict]
    meeting_types: list[dict]


def admin_organisation_id(actor: "User") -> int:
    """The agency admin's organisation; PermissionDenied for anyone else."""
    if not is_agency_admin(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only an agency admin brings in or writes out configuration packs.")
    return actor.organisation_id


def pack_contents(*, actor: "User") -> Contents:
    """What the person's agency keeps: its instruments (their current versions), plan templates and
    meeting types, in name order. Three queries."""
    organisation_id = admin_organisation_id(actor)
    versions = InstrumentVersion.objects.filter(
        instrument__organisation_id=organisation_id,
        instrument__is_active=True,
        number=F("instrument__current_version"),
    ).order_by("instrument__code")
    templates = plan_selectors.plan_templates_kept_by(organisation_id)
    types = MeetingType.objects.filter(organisation_id=organisation_id).order_by("name")
    return Contents(
        instruments=[version.definition for version in versions],
        plan_templates=[{"name": t.name, "description": t.description, "goals": t.goals} for t in templates],
        meeting_types=[type_definition(kind) for kind in types],
    )


def pack_preview(*, actor: "User", pack: Any) -> Preview:
    """What bringing this pack in would do, item by item, changing nothing.

    PermissionDenied unless the person is an agency admin; ValidationError (by field path) for a bad pack,
    a pack from a newer version, or an item kept by another agency that the pack would change.
    """
    organisation_id = admin_organisation_id(actor)
    errors = pack_errors(pack)
    if errors:
        raise ValidationError(errors)
    items: list[Item] = []
    if pack.get("instruments"):
        for row in assessment_selectors.pack_preview(actor=actor, pack=instrument_part(pack)):
            items.append(_instrument_item(row))
    for template in pack.get("plan_templates", []):
        definition = template_normalised(template)
        outcome = plan_selectors.plan_template_compare(organisation_id=organisation_id, definition=definition)
        items.append(_template_item(definition, outcome))
    for n, raw in enumerate(pack.get("meeting_types", [])):
        definition = type_normalised(raw)
        try:
            outcome = meeting_selectors.meeting_type_compare(actor=actor, definition=definition)
        except ValidationError as exc:
            raise ValidationError({f"meeting_types[{n}].name": exc.message_dict["name"]}) from None
        items.append(_type_item(definition, outcome))
    counts = {
        outcome: sum(1 for item in items if item.change == outcome)
        for outcome in ("new", "changed", "unchanged")
    }
    fingerprint = json.dumps(
        {"pack": pack, "items": [(i.kind, i.name, i.change) for i in items]}, sort_keys=True, default=str
    )
    return Preview(items=items, digest=hashlib.sha256(fingerprint.encode()).hexdigest()[:32], counts=counts)


def _instrument_item(row: dict) -> Item:
    name = f"{row['name']} ({row['code']})"
    if row["change"] == "new":
        return Item("instrument", name, "new", "New: it is added, kept by your agency.")
    if row["change"] == "unchanged":
        return Item("instrument", name, "unchanged", "Unchanged: already here, the same as in the pack.")
    return Item(
        "instrument",
        name,
        "changed",
        f"Changed: it becomes {row['change'].removeprefix('new ')}; assessments already done keep the "
        "version they were done with.",
    )


def _template_item(definition: dict, outcome: Outcome) -> Item:
    goals = len(definition["goals"])
    actions = sum(len(goal["actions"]) for goal in definition["goals"])
    size = f"{goals} goal{'s' if goals != 1 else ''} and {actions} action{'s' if actions != 1 else ''}"
    words = {
        "new": f"New: {size}; leads in your agency can start a plan from it.",
        "changed": f"Changed: it will have {size}; plans already started from it stay as they are.",
        "unchanged": "Unchanged: your agency has it already, the same as in the pack.",
    }[outcome]
    return Item("plan template", definition["name"], outcome, words)


def _type_item(definition: dict, outcome: Outcome) -> Item:
    if outcome == "new":
        words = "New: chairs can choose it when they arrange a meeting."
    elif outcome == "unchanged":
        words = "Unchanged: already here, the same as in the pack."
    else:
        current = type_definition(MeetingType.objects.get(name=definition["name"]))
        words = (
            "Changed, for meetings arranged from now on: "
            + "; ".join(_type_differences(current, definition))
            + "."
        )
    return Item("meeting type", definition["name"], outcome, words)


def _type_differences(old: dict, new: dict) -> list[str]:
    said = []
    if old["family_invited"] != new["family_invited"]:
        said.append(
            "the client and family are invited"
            if new["family_invited"]
            else "the client and family are not invited"
        )
    if old["minutes_due_working_days"] != new["minutes_due_working_days"]:
        said.append(
            f"minutes due in {new['minutes_due_working_days']} working days (was {old['minutes_due_working_days']})"
        )
    if old["standard_agenda"] != new["standard_agenda"]:
        said.append(f"a new standard agenda of {len(new['standard_agenda'])} headings")
    return said
