"""Reads of clients and circles. Each selector fetches *and* checks access, through circles.access."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from circles import access, public_id
from circles.models import CircleMember, Client

if TYPE_CHECKING:
    from network.models import User

SEARCH_LIMIT = 50


class ClientNotFound(Http404):
    """Unknown, mistyped or not the asker's to see: all look the same from outside."""


@dataclass(frozen=True)
class ClientAccess:
    """A client as one person may see it, with what they may do."""

    user: "User"
    client: Client
    membership: CircleMember

    @property
    def may_manage_circle(self) -> bool:
        return access.membership_may_manage(self.membership)


def client_get_for_user(user: "User", public_id_text: str, *, for_manage: bool = False) -> ClientAccess:
    """The client with this public ID if `user` may see it; 404 otherwise, 403 if `for_manage` and not lead."""
    try:
        canonical = public_id.normalise(public_id_text)
    except public_id.InvalidPublicId:
        raise ClientNotFound("No client with that ID") from None
    client = Client.objects.filter(public_id=canonical).first()
    membership = access.current_membership(user, client) if client else None
    if client is None or membership is None:
        raise ClientNotFound("No client with that ID")
    if for_manage and not access.membership_may_manage(membership):
        raise PermissionDenied("Only the lead professional can change who is in the circle.")
    return ClientAccess(user=user, client=client, membership=membership)


def _lead_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=CircleMember.objects.filter(until=None, is_lead=True).select_related("user", "organisation"),
        to_attr="current_leads",
    )


def client_list_for_user(user: "User") -> QuerySet[Client]:
    """My clients: the circles `user` is in now, most recently active first, with each lead."""
    return (
        access.clients_visible_to(user).prefetch_related(_lead_prefetch()).order_by("-last_activity_at", "pk")
    )


def client_search_for_user(user: "User", query: str) -> QuerySet[Client]:
    """Clients `user` may see matching a name, a date of birth (e.g. 14/03/2016) or a public ID."""
    query = " ".join(query.split())[:100]
    visible = access.clients_visible_to(user)
    if not query:
        return visible.none()
    if public_id.looks_like(query):
        try:
            return visible.filter(public_id=public_id.normalise(query)).prefetch_related(_lead_prefetch())
        except public_id.InvalidPublicId:
            return visible.none()
    condition = Q()
    for word in query.split(" "):
        date = parse_date(word)
        if date:
            condition &= Q(date_of_birth=date)
        else:
            condition &= (
                Q(given_name__istartswith=word)
                | Q(family_name__istartswith=word)
                | Q(preferred_name__istartswith=word)
            )
    return (
        visible.filter(condition)
        .prefetch_related(_lead_prefetch())
        .order_by("family_name", "given_name")[:SEARCH_LIMIT]
    )


def parse_date(text: str) -> datetime.date | None:
    """A date typed as 14/03/2016, 14-03-2016, 14.3.2016 or 2016-03-14; None if it is not one."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def circle_members_current(client: Client) -> list[CircleMember]:
    """Who is in the circle now: lead first, then professionals, then family, oldest first."""
    return list(
        CircleMember.objects.filter(client=client, until=None)
        .select_related("user", "organisation")
        .order_by("-is_lead", "-kind", "since", "pk")
    )


def circle_members_past(client: Client) -> list[CircleMember]:
    return list(
        CircleMember.objects.filter(client=client, until__isnull=False)
        .select_related("user", "organisation")
        .order_by("-until")
    )


def circle_member_get(client: Client, member_id: int | str) -> CircleMember:
    try:
        return CircleMember.objects.select_related("user", "organisation").get(
            client=client, pk=int(member_id)
        )
    except (CircleMember.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member in this circle") from None
