"""Who may produce and read subject access exports, over the policy (circles/access.py).

- Only agency admins, and only for a client their organisation works or worked with: someone from it in
  the circle, now or before (circles.access.may_export_audit, the audit export's rule). That is what
  "the client's organisation" means here: a client may have several (the lead's, the school's, the
  health trust's), and each answers for what it holds.
- An export is its organisation's: every agency admin of that organisation may follow and download it;
  nobody else learns that it exists.
- Saying "not one your organisation works with" to an admin of another organisation tells them nothing
  new: agency admins may look any client up by ID already (discovery, circles.access.DISCOVERY_ROLES).
  Everyone else is refused before the client is looked up, so the answer never depends on whether the
  client exists.
"""

from typing import Any

from circles import access
from circles.models import Client
from subject_access.models import SubjectAccessExport

ADMINS_ONLY = "Only agency admins can produce a subject access export."
NOT_OURS = (
    "This client is not one your organisation works with, so your organisation cannot produce their "
    "subject access export. Ask an organisation in their circle."
)


def may_export(user: Any, client: Client) -> bool:
    return access.may_export_audit(user, client)


def may_see_export(user: Any, export: SubjectAccessExport) -> bool:
    return access.is_agency_admin(user) and export.organisation_id == user.organisation_id
