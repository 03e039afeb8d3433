"""What kind of account someone has and their role in their organisation: facts of the directory.

The access policy (circles/access.py) builds on these and re-exports them; the directory's own pages
(agency admins managing their people) ask here, since the directory never imports the client record.
"""

from typing import Any

from network.models import User


def is_professional(user: "User | Any") -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.kind == User.Kind.PROFESSIONAL)


def is_agency_admin(user: "User | Any") -> bool:
    return is_professional(user) and bool(user.organisation_id) and user.org_role == User.OrgRole.ADMIN


def is_agency_manager(user: "User | Any") -> bool:
    return (
        is_professional(user)
        and bool(user.organisation_id)
        and user.org_role in (User.OrgRole.MANAGER, User.OrgRole.ADMIN)
    )


def is_partnership_lead(user: "User | Any") -> bool:
    return is_professional(user) and user.org_role == User.OrgRole.PARTNERSHIP_LEAD
