"""Reads for the dashboard, each checked against the person asking (reporting/access.py)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from network.models import Organisation, Team, User
from reporting import access, figures
from reporting.models import Partnership, PartnershipMember
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


def dashboard(scope: Scope, *, chosen: dict) -> tuple[figures.Selection, list[Published]]:
    """The figures for what the filters form chose, within the scope (the form only offers what is in it)."""
    organisations = scope.organisations
    if chosen.get("organisation") is not None:
        organisations = tuple(o for o in organisations if o.pk == chosen["organisation"])
    selection = figures.Selection(
        organisations=organisations,
        team=chosen.get("team_obj"),
        period=chosen["period_range"],
        protect=scope.protect,
        by_organisation=scope.protect,
    )
    if not organisations:
        return selection, []
    return selection, figures.dashboard(selection)


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
