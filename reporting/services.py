"""Reporting writes nothing but its own rows: the audit rows of who looked at which figures, and an
organisation's agreement to a partnership (joining and leaving, each audited)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from changes.services import record
from network.models import User
from reporting import access
from reporting import changes as c
from reporting.figures import Selection
from reporting.models import Partnership, PartnershipMember


def _what(selection: Selection, partnership: Partnership | None) -> dict[str, Any]:
    return {
        "organisations": [o.pk for o in selection.organisations],
        "team_id": selection.team.pk if selection.team else None,
        "from": selection.period.start.isoformat(),
        "to": selection.period.end.isoformat(),
        "partnership_id": partnership.pk if partnership else None,
    }


def dashboard_viewed(*, actor: User, selection: Selection, partnership: Partnership | None) -> None:
    """Audit a look at the dashboard's figures (page or API): which organisations, team and period."""
    with transaction.atomic():
        record(change=c.DASHBOARD_VIEW, actor=actor, client=None, after=_what(selection, partnership))


def dashboard_downloaded(
    *, actor: User, selection: Selection, partnership: Partnership | None, table: str
) -> None:
    """Audit a table downloaded as CSV."""
    with transaction.atomic():
        record(
            change=c.DASHBOARD_DOWNLOAD,
            actor=actor,
            client=None,
            after={**_what(selection, partnership), "table": table},
        )


def partnership_join(*, actor: User, partnership: Partnership) -> PartnershipMember:
    """An agency admin agrees to their organisation's figures being seen in the partnership."""
    if not access.is_agency_admin(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only an agency admin can agree for their organisation.")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=partnership.pk)
        current = PartnershipMember.objects.filter(
            partnership=partnership, organisation_id=actor.organisation_id, until=None
        ).first()
        if current is not None:
            raise ValidationError("Your organisation is in this partnership already.", code="conflict")
        member = PartnershipMember.objects.create(
            partnership=partnership, organisation_id=actor.organisation_id, agreed_by=actor
        )
        record(
            change=c.PARTNERSHIP_JOIN,
            actor=actor,
            client=None,
            obj=member,
            after={"partnership_id": partnership.pk, "organisation_id": actor.organisation_id},
        )
    return member


def partnership_leave(*, actor: User, partnership: Partnership) -> PartnershipMember:
    """An agency admin takes their organisation out: its figures leave the partnership view at once."""
    if not access.is_agency_admin(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only an agency admin can decide for their organisation.")
    with transaction.atomic():
        Partnership.objects.select_for_update().get(pk=partnership.pk)
        member = PartnershipMember.objects.filter(
            partnership=partnership, organisation_id=actor.organisation_id, until=None
        ).first()
        if member is None:
            raise ValidationError("Your organisation is not in this partnership.", code="conflict")
        member.until, member.ended_by = timezone.now(), actor
        member.save(update_fields=["until", "ended_by"])
        record(
            change=c.PARTNERSHIP_LEAVE,
            actor=actor,
            client=None,
            obj=member,
            before={"partnership_id": partnership.pk, "organisation_id": actor.organisation_id},
        )
    return member
