"""Reads for the dashboard, each checked against the person asking (reporting/access.py)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from network.models import Organisation, Team, User
from reporting import access, figures, snapshots
from reporting.models import Partnership, PartnershipMember, Snapshot
from reporting.tables import Published


@dataclass(frozen=True)
class Scope:
    """Whose figures a reader may see: one organisation's, or a partnership's agreeing organisations'."""

    reader: User
    organisations: tuple[Organisation, ...]
    teams: tuple[Team, ...]
    partnership: Partnership | None = None

    @property
    def protect(self) -> bool:
        return self.partnership is not None


def organisation_scope(user: User) -> Scope:
    """An agency manager's (or admin's) own organisation, with its teams."""
    if not access.may_see_organisation_figures(user) or user.organisation is None:
        raise PermissionDenied("Only agency managers and admins see their organisation's dashboard.")
    teams = tuple(Team.objects.filter(organisation=user.organisation).order_by("name"))
    return Scope(reader=user, organisations=(user.organisation,), teams=teams)


def partnerships_led_by(user: User) -> QuerySet[Partnership]:
    if not access.may_see_partnership_figures(user):
        return Partnership.objects.none()
    return Partnership.objects.filter(leads=user).order_by("name")


def partnership_scope(user: User, partnership_id: int | str) -> Scope:
    """A partnership the reader leads, with the organisations agreeing to it now (404 for any other)."""
    if not access.may_see_partnership_figures(user):
        raise PermissionDenied("Only partnership leads see a partnership's figures.")
    try:
        partnership = partnerships_led_by(user).get(pk=int(partnership_id))
    except (Partnership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such partnership of yours") from None
    agreeing = PartnershipMember.objects.filter(
        partnership=partnership, organisation=OuterRef("pk"), until=None
    )
    organisations = tuple(Organisation.objects.filter(Exists(agreeing)).order_by("name"))
    teams = tuple(
        Team.objects.filter(organisation__in=organisations).select_related("organisation").order_by("name")
    )
    return Scope(reader=user, organisations=organisations, teams=teams, partnership=partnership)


@dataclass(frozen=True)
class Figures:
    """The dashboard's tables for a selection, and when they were worked out. `from_snapshot`: read from
    a snapshot (the page says "Figures as at …"); `months`: a preset period of one organisation's own
    view, whose live figures are worth keeping as its snapshot (reporting.services.snapshot_keep)."""

    selection: figures.Selection
    tables: list[Published]
    worked_out_at: datetime.datetime
    from_snapshot: bool = False
    months: int | None = None


def dashboard(scope: Scope, *, chosen: dict) -> Figures:
    """The figures for what the filters form chose, within the scope (the form only offers what is in it).

    An organisation's own view of a preset period (the last 3, 6 or 12 months) reads its snapshot when
    there is one for today's period at most an hour old (one query); otherwise, and for two dates or a
    partnership, the figures are worked out now."""
    organisations = scope.organisations
    if chosen.get("organisation") is not None:
        organisations = tuple(o for o in organisations if o.pk == chosen["organisation"])
    team = chosen.get("team_obj")
    selection = figures.Selection(
        organisations=organisations,
        team=team,
        period=chosen["period_range"],
        protect=scope.protect,
        by_organisation=scope.protect,
    )
    now = timezone.now()
    if not organisations:
        return Figures(selection, [], now)
    months = chosen.get("months") if not scope.protect and len(organisations) == 1 else None
    if months is not None:
        kept = (
            Snapshot.objects.filter(
                organisation=organisations[0],
                team=team,
                months=months,
                period_start=selection.period.start,
                period_end=selection.period.end,
                computed_at__gte=now - snapshots.FRESH_FOR,
            )
            .only("computed_at", "tables")
            .first()
        )
        if kept is not None:
            tables = snapshots.decode(kept.tables, protect=False)
            return Figures(selection, tables, kept.computed_at, from_snapshot=True, months=months)
    return Figures(selection, figures.dashboard(selection), now, months=months)


@dataclass(frozen=True)
class Agreement:
    partnership: Partnership
    agreed: PartnershipMember | None


def partnerships_for_admin(user: User) -> list[Agreement]:
    """Every partnership, and whether the agency admin's organisation agrees to it now."""
    if not access.is_agency_admin(user):
        raise PermissionDenied("Only agency admins decide which partnerships their organisation is in.")
    current = {
        m.partnership_id: m
        for m in PartnershipMember.objects.filter(organisation=user.organisation, until=None)
    }
    return [Agreement(p, current.get(p.pk)) for p in Partnership.objects.order_by("name")]


def partnership_get(partnership_id: int | str) -> Partnership:
    try:
        return Partnership.objects.get(pk=int(partnership_id))
    except (Partnership.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such partnership") from None
