"""The audit trail as CSV: one row per event, emergency access marked, values as JSON."""

import csv
import json
from collections.abc import Iterable
from typing import IO

from audit.models import AuditEvent

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


def _safe(value: str) -> str:
    # Spreadsheet programs run cells that start with these as formulas; a leading ' keeps them as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def write_audit_csv(out: IO[str], rows: Iterable[AuditEvent]) -> None:
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        actor = row.actor
        writer.writerow(
            [
                row.at.isoformat(),
                _safe(actor.full_name if actor else "system"),
                _safe(str(actor.organisation) if actor and actor.organisation_id else ""),
                row.action,
                row.object_type,
                row.object_id,
                "yes" if row.emergency else "",
                row.via,
                row.ip_address or "",
                _safe(json.dumps(row.before)) if row.before is not None else "",
                _safe(json.dumps(row.after)) if row.after is not None else "",
            ]
        )
