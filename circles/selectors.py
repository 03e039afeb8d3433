"""Reads of clients and circles. Each selector fetches *and* checks access, through circles.access."""

import datetime
from collections.abc import Iterable
from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from circles import access, public_id
from circles.models import CircleMember, Client, Consent, EmergencyAccess, JoinRequest, StageChange
from network.models import User
from network.text import clean_line

SEARCH_LIMIT = 50


class ClientNotFound(Http404):
    """Unknown, mistyped or not the asker's to see: all look the same from outside."""


def client_get_for_user(
    user: User, public_id_text: str, *, need: str = "view", with_consents: bool = False
) -> access.RecordAccess:
    """The client with this public ID and what `user` may do with it, if they may do `need`.

    need="view": open the record (members, emergency access); "discover": see who is in the circle;
    "manage": change the circle (the lead). 404 when the person may not even know the record is there,
    403 when they may see it but not manage it. with_consents: read the consent records with the access
    check, for `consents_for` (see access.record_access).
    """
    return _client_for_user(user, public_id_text, need=need, lock=False, with_consents=with_consents)


def client_lock_for_user(user: User, public_id_text: str, *, need: str = "view") -> access.RecordAccess:
    """`client_get_for_user` for a write that checks access once: the statement that finds the client
    locks its row (FOR UPDATE, the lock every writer of the record takes first), so what `user` may do,
    worked out here, holds until the write commits. Call it first inside the writing transaction, and
    pass the answer to the service as already checked. 404 and 403 as `client_get_for_user`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("client_lock_for_user() belongs inside the writing transaction")
    return _client_for_user(user, public_id_text, need=need, lock=True)


def _client_for_user(
    user: User, public_id_text: str, *, need: str, lock: bool, with_consents: bool = False
) -> access.RecordAccess:
    try:
        canonical = public_id.normalise(public_id_text)
    except public_id.InvalidPublicId:
        raise ClientNotFound("No client with that ID") from None
    clients = Client.objects.select_for_update(of=("self",)) if lock else Client.objects
    client = clients.filter(public_id=canonical).first()
    if client is None or not access.is_professional(user):
        raise ClientNotFound("No client with that ID")
    record = access.record_access(user, client, with_consents=with_consents)
    allowed = record.may_discover if need == "discover" else record.may_view
    if not allowed:
        raise ClientNotFound("No client with that ID")
    if need == "manage" and not record.may_manage_circle:
        raise PermissionDenied("Only the lead professional can do that.")
    return record


def _lead_prefetch(*, include_hidden: bool = True) -> Prefetch:
    """The current lead, as `client.current_leads`; a hidden lead is left out where outsiders may look."""
    leads = CircleMember.objects.filter(until=None, is_lead=True)
    if not include_hidden:
        leads = leads.filter(is_hidden=False)
    return Prefetch("members", queryset=leads.select_related("user", "organisation"), to_attr="current_leads")


def client_list_for_user(user: User) -> QuerySet[Client]:
    """My clients: the open cases whose circles `user` is in now, most recently active first, with each lead.

    Closed cases leave this list; search still finds them.
    """
    return (
        access.clients_in_circles_of(user)
        .exclude(stage=Client.Stage.CLOSED)
        .prefetch_related(_lead_prefetch())
        .order_by("-last_activity_at", "pk")
    )


def client_search_for_user(user: User, query: str) -> list[Client]:
    """Clients matching a name, a date of birth (14/03/2016 or 2016-03-14) or a public ID.

    In the person's own circles any of these finds a client. Beyond them (discovery) it takes a public ID,
    or a name *and* a date of birth, so that nobody can browse the list of everyone. Each result carries
    `in_my_circles`.
    """
    query = " ".join(clean_line(query).split())[:100]
    if not query:
        return []
    mine = access.clients_in_circles_of(user)
    others = access.clients_discoverable_by(user)
    by_id = _public_id_condition(query)
    if by_id is not None:
        # A valid ID finds its client; an 8-letter name can look like one, so names are searched too.
        results = _search(user, others, by_id) + [
            c for c in _search(user, mine, _name_condition(query)) if c.public_id != query
        ]
    else:
        condition, precise = _name_condition(query), _has_name_and_date(query)
        results = _search(user, others if precise else mine, condition)
    return list({client.pk: client for client in results}.values())[:SEARCH_LIMIT]


def _search(user: User, clients: QuerySet[Client], condition: Q) -> list[Client]:
    return list(
        clients.filter(condition)
        .annotate(in_my_circles=access.in_circle_now(user))
        .prefetch_related(_lead_prefetch(include_hidden=False))
        .order_by("family_name", "given_name", "pk")[:SEARCH_LIMIT]
    )


def _public_id_condition(query: str) -> Q | None:
    """A condition on the public ID if the query is a valid one, else None. A mistyped ID matches nobody."""
    try:
        return Q(public_id=public_id.normalise(query))
    except public_id.InvalidPublicId:
        if public_id.looks_like(query):
            return Q(pk__in=[])  # shaped like an ID (it has digits) but the check character is wrong
        return None


def _name_condition(query: str) -> Q:
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
    return condition


def _has_name_and_date(query: str) -> bool:
    words = query.split(" ")
    dates = [word for word in words if parse_date(word)]
    return bool(dates) and len(dates) < len(words)


def parse_date(text: str) -> datetime.date | None:
    """A date typed as 14/03/2016, 14-03-2016, 14.3.2016 or 2016-03-14; None if it is not one."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def directory_search(record: access.RecordAccess, text: str, *, limit: int = 20) -> list[User]:
    """Professionals who could join this circle (active, not in it now) whose name or email starts with
    what was typed (any word of the name), for the lead adding someone. At most `limit`."""
    words = " ".join(clean_line(text).split())[:100].split(" ")
    if not words or not words[0] or not record.may_manage_circle:
        return []
    condition = Q()
    for word in words:
        condition &= (
            Q(full_name__istartswith=word) | Q(full_name__icontains=f" {word}") | Q(email__istartswith=word)
        )
    return list(
        User.objects.filter(
            condition, kind=User.Kind.PROFESSIONAL, is_active=True, organisation__isnull=False
        )
        .exclude(circle_memberships__client=record.client, circle_memberships__until=None)
        .select_related("organisation")
        .order_by("full_name", "pk")[:limit]
    )


def circle_members(record: access.RecordAccess) -> tuple[list[CircleMember], list[CircleMember]]:
    """Who is in the circle now (lead first, then professionals, then family) and who was before, as this
    person may see them: one query. Past members are for members only (emergency access sees who is there
    now)."""
    members = (
        CircleMember.objects.filter(client=record.client)
        .filter(access.circle_members_visible_filter(record))
        .select_related("user", "organisation")
    )
    if record.membership is None:
        members = members.filter(until=None)
    everyone = list(members)
    current = sorted(
        (m for m in everyone if m.until is None),
        key=lambda m: (not m.is_lead, m.kind != CircleMember.Kind.PROFESSIONAL, m.since, m.pk),
    )
    past = sorted((m for m in everyone if m.until is not None), key=attrgetter("until"), reverse=True)
    return current, past


def circle_members_current(record: access.RecordAccess) -> list[CircleMember]:
    """Who is in the circle now, as this person may see it: lead first, then professionals, then family."""
    return list(
        CircleMember.objects.filter(client=record.client, until=None)
        .filter(access.circle_members_visible_filter(record))
        .select_related("user", "organisation")
        .order_by("-is_lead", "-kind", "since", "pk")
    )


def circle_member_get(record: access.RecordAccess, member_id: int | str) -> CircleMember:
    try:
        return (
            CircleMember.objects.filter(access.circle_members_visible_filter(record))
            .select_related("user", "organisation")
            .get(client=record.client, pk=int(member_id))
        )
    except (CircleMember.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member in this circle") from None


def circle_member_by_id(record: access.RecordAccess, member_id: int) -> CircleMember | None:
    """A member (now or before) of this client's circle, by id, for a service to check and use; or None."""
    return CircleMember.objects.filter(client=record.client, pk=member_id).first()


def circle_members_by_id(record: access.RecordAccess, member_ids: Iterable[int]) -> list[CircleMember]:
    """The members (now or before) of this client's circle among these ids."""
    return list(CircleMember.objects.filter(client=record.client, pk__in=member_ids))


def consents_for(record: access.RecordAccess) -> list[Consent]:
    """The client's consent records, current first. Members of the circle see them."""
    if not record.may_view:
        return []
    consents = (
        list(record.consents) if record.consents is not None else list(access.consents_of(record.client))
    )
    return sorted(consents, key=lambda c: (not c.is_current, -c.recorded_at.timestamp()))


def join_requests_open(record: access.RecordAccess) -> list[JoinRequest]:
    """Requests to join waiting for the lead professional (nobody else sees them)."""
    if not record.may_manage_circle:
        return []
    return list(_join_requests_waiting(record.client).select_related("requester", "organisation"))


def _join_requests_waiting(client: Client) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(
        client=client, status=JoinRequest.Status.PENDING, expires_at__gt=timezone.now()
    )


def lead_panel_flags(record: access.RecordAccess) -> dict[str, Exists]:
    """For a query on the client, for the lead only: whether any request to join is waiting and whether
    anyone used emergency access lately, so the client page leaves out the reads that would find nothing.
    Nobody else sees those panels (their reads cost no query): no flags for them."""
    if not record.may_manage_circle:
        return {}
    return {
        "has_join_requests": Exists(_join_requests_waiting(record.client)),
        "has_emergencies": Exists(_emergency_accesses_since(record.client, EMERGENCY_RECENT_DAYS)),
    }


def join_request_get_for_lead(record: access.RecordAccess, request_id: int | str) -> JoinRequest:
    try:
        if not record.may_manage_circle:
            raise JoinRequest.DoesNotExist
        return JoinRequest.objects.select_related("requester").get(client=record.client, pk=int(request_id))
    except (JoinRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None


def my_join_request(record: access.RecordAccess) -> JoinRequest | None:
    """The asker's own request to join this circle, if one is waiting."""
    return JoinRequest.objects.filter(
        client=record.client,
        requester=record.user,
        status=JoinRequest.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).first()


EMERGENCY_RECENT_DAYS = 30


def emergency_accesses_recent(
    record: access.RecordAccess, *, days: int = EMERGENCY_RECENT_DAYS
) -> list[EmergencyAccess]:
    """Recent emergency access to the record, for the lead professional's attention."""
    if not record.may_manage_circle:
        return []
    return list(_emergency_accesses_since(record.client, days).select_related("user", "user__organisation"))


def _emergency_accesses_since(client: Client, days: int) -> QuerySet[EmergencyAccess]:
    since = timezone.now() - datetime.timedelta(days=days)
    return EmergencyAccess.objects.filter(client=client, started_at__gte=since)


def consent_get_for_lead(record: access.RecordAccess, consent_id: int | str) -> Consent:
    try:
        if not record.may_manage_circle:
            raise Consent.DoesNotExist
        return Consent.objects.get(client=record.client, pk=int(consent_id))
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise Http404("No such consent record") from None


def caseload_for_manager(user: User) -> QuerySet[Client]:
    """Clients someone in the manager's organisation works with now, with who is in each circle.

    Who works with whom, not what is written: managers see notes only where they are members.
    """
    if not access.is_agency_manager(user):
        return Client.objects.none()
    members = Prefetch(
        "members",
        queryset=CircleMember.objects.filter(until=None, is_hidden=False).select_related(
            "user", "organisation"
        ),
        to_attr="current_members",
    )
    return (
        Client.objects.filter(access.caseload_filter(user))
        .distinct()
        .prefetch_related(members)
        .order_by("family_name", "given_name")
    )


def stage_history(record: access.RecordAccess) -> list[StageChange]:
    """The case's stage changes, newest first, with who made them."""
    if not record.may_view:
        return []
    return list(StageChange.objects.filter(client=record.client).select_related("by").order_by("-at", "-pk"))
