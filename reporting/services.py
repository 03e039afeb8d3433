"""Reporting writes nothing but its own rows: the audit rows of who looked at which figures, an
organisation's agreement to a partnership (joining and leaving, each audited), and the dashboard's
snapshots (figures worked out ahead, reporting.snapshots; derived, so not audited)."""

import datetime
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from changes.services import record
from network.models import Organisation, Team, User
from reporting import access, figures, snapshots
from reporting import changes as c
from reporting.figures import Selection
from reporting.models import Partnership, PartnershipMember, Snapshot, SnapshotRun
from reporting.selectors import Figures
from reporting.tables import Published


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


# Snapshots.


def snapshot_keep(result: Figures) -> None:
    """Figures of a preset period worked out for a page (no fresh snapshot): keep them as its snapshot."""
    if result.from_snapshot or result.months is None or result.selection.protect:
        return
    if len(result.selection.organisations) != 1:
        return
    snapshot_save(
        organisation=result.selection.organisations[0],
        team=result.selection.team,
        months=result.months,
        period=result.selection.period,
        tables=result.tables,
        computed_at=result.worked_out_at,
    )


def snapshot_save(
    *,
    organisation: Organisation,
    team: Team | None,
    months: int,
    period: figures.Period,
    tables: list[Published],
    computed_at: datetime.datetime,
) -> None:
    """Keep (or replace) one snapshot. Two processes keeping the same one at once: one of them wins."""
    values = {
        "period_start": period.start,
        "period_end": period.end,
        "computed_at": computed_at,
        "tables": snapshots.encode(tables),
    }
    with transaction.atomic():
        found = Snapshot.objects.filter(organisation=organisation, team=team, months=months)
        if found.update(**values):
            return
        try:
            with transaction.atomic():
                Snapshot.objects.create(organisation=organisation, team=team, months=months, **values)
        except IntegrityError:
            pass  # kept by another process a moment ago: as fresh as ours


def snapshots_refresh(
    *,
    slot: datetime.datetime,
    worker: str,
    organisation_ids: list[int] | None = None,
    budget: datetime.timedelta = snapshots.REFRESH_BUDGET,
) -> dict[str, Any]:
    """Work out organisations' snapshots (each one's own view, and each team's, for each preset period),
    once per slot: the worker whose claim of the slot is written does it; any other returns at once.

    The organisations whose snapshots are oldest (or missing) go first, and no organisation is started
    once `budget` has passed, so a run ends within its slot however many organisations there are; those
    left over are the oldest, so the next slot's run starts with them. Every organisation gets its turn."""
    try:
        with transaction.atomic():
            run = SnapshotRun.objects.create(slot=slot, claimed_by=worker[:64])
    except IntegrityError:
        return {"slot": slot.isoformat(), "claimed": False, "organisations": 0, "snapshots": 0}
    oldest = (
        Snapshot.objects.filter(organisation=OuterRef("pk")).order_by("computed_at").values("computed_at")
    )
    organisations = Organisation.objects.annotate(oldest=Subquery(oldest[:1])).order_by(
        F("oldest").asc(nulls_first=True), "pk"
    )
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    started = time.monotonic()
    done = made = 0
    today = timezone.localdate()
    for organisation in organisations:
        if done and time.monotonic() - started >= budget.total_seconds():
            break  # the rest, now the oldest, start the next slot's run
        teams: list[Team | None] = [None, *Team.objects.filter(organisation=organisation).order_by("pk")]
        for team in teams:
            for months in snapshots.PRESETS:
                period = snapshots.preset_period(months, today)
                selection = Selection(organisations=(organisation,), team=team, period=period, protect=False)
                computed_at = timezone.now()
                tables = figures.dashboard(selection)
                snapshot_save(
                    organisation=organisation,
                    team=team,
                    months=months,
                    period=period,
                    tables=tables,
                    computed_at=computed_at,
                )
                made += 1
        done += 1
    run.finished_at, run.snapshots = timezone.now(), made
    run.save(update_fields=["finished_at", "snapshots"])
    return {"slot": slot.isoformat(), "claimed": True, "organisations": done, "snapshots": made}
