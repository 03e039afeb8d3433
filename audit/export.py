"""The audit trail as CSV: one row per event, emergency access marked, values as JSON."""

import csv
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from audit.models import AuditEvent

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

HEADER = [
    "when",
    "who",
    "organisation",
    "action",
    "object",
    "object id",
    "emergency",
    "via",
    "from",
    "before",
    "after",
]

# What a change was, without what it said: the trail is for accounting, not a second way to read notes,
# reasons or names the exporting organisation could not read in Alongside itself.
SAFE_KEYS = {
    "kind",
    "visibility",
    "role",
    "status",
    "scope",
    "method",
    "stage",
    "is_lead",
    "is_hidden",
    "since",
    "until",
    "organisation_id",
    "user_id",
    "version",
    "position",
    "results",
    "require_two_factor",
    "org_role",
    "is_active",
    "expires_at",
    "withdrawn_at",
    "given_on",
    "expires_on",
    "review_on",
    "due_on",
    "shared_with_client",
    "lead_member_id",
    "named",
    "goals",
    "actions",
}


def _safe(value: str) -> str:
    # Spreadsheet programs run cells that start with these as formulas; a leading ' keeps them as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _safe_values(values: dict | None) -> str:
    if values is None:
        return ""
    kept = {key: value for key, value in values.items() if key in SAFE_KEYS}
    return _safe(json.dumps(kept, sort_keys=True))


def write_audit_csv(
    out: "SupportsWrite[str]",
    rows: Iterable[AuditEvent],
    *,
    hidden_user_ids: frozenset[int] = frozenset(),
    hidden_member_ids: frozenset[int] = frozenset(),
) -> None:
    """Write the rows; hidden members the reader may not know of (as the access policy lists them: their
    accounts and memberships) are unnamed, whether they acted or were acted on."""
    writer = csv.writer(out)
    writer.writerow(HEADER)
    hidden_members = {str(pk) for pk in hidden_member_ids}
    for row in rows:
        actor = row.actor
        hidden_actor = actor is not None and actor.pk in hidden_user_ids
        about_hidden = row.object_type == "CircleMember" and row.object_id in hidden_members
        if hidden_actor:
            who, organisation = "a member of the circle", ""
        else:
            who = _safe(actor.full_name if actor else "system")
            organisation = _safe(str(actor.organisation) if actor and actor.organisation_id else "")
        untold = hidden_actor or about_hidden  # what, of whom, from where: nothing that points at them
        writer.writerow(
            [
                row.at.isoformat(),
                who,
                organisation,
                row.action,
                row.object_type,
                "" if untold else row.object_id,
                "yes" if row.emergency else "",
                row.via,
                "" if hidden_actor else row.ip_address or "",
                "" if untold else _safe_values(row.before),
                "" if untold else _safe_values(row.after),
            ]
        )
