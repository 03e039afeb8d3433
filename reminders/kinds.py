"""The record's own reminder kinds (circles' data): consents about to end, requests to join left waiting.

Other apps register theirs the same way when Django starts: the plan's in sharing/reminder_kinds.py,
referrals' in referrals/reminder_kinds.py, conferences' (meetings coming up,
minutes to sign off) in conferences/reminder_kinds.py, assessments' (reassessments due) in
assessments/reminder_kinds.py. Each `collect` reads everything due on a day in a fixed number
of queries, reaching people only through their current membership (so a reminder never names a client
its person cannot see; the scan checks again).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from circles.models import CircleMember, Consent, JoinRequest
from reminders.names import client_first_name
from reminders.registry import ClientSlice, Reminder, ReminderKind, register


def _leads(client_ids: set[int]) -> dict[int, int]:
    """client id -> the user id of its current lead (one query)."""
    return dict(
        CircleMember.objects.filter(
            client_id__in=client_ids, until=None, is_lead=True, user__is_active=True
        ).values_list("client_id", "user_id")
    )


def in_slice(clients: ClientSlice | None, field: str = "client") -> dict:
    """A filter for the clients of a slice (all of them for None), `field` the way to the client."""
    if clients is None:
        return {}
    return {f"{field}__gte": clients[0], f"{field}__lte": clients[1]}


def consents_expiring(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Consents ending within 14 days, for the lead. Two queries."""
    until = today + datetime.timedelta(days=settings.REMINDERS_CONSENT_DAYS)
    consents = list(
        Consent.objects.filter(
            withdrawn_at=None, expires_on__gte=today, expires_on__lte=until, **in_slice(clients)
        )
        .select_related("client")
        .only(
            "pk", "expires_on", "scope", "client__given_name", "client__preferred_name", "client__public_id"
        )
    )
    leads = _leads({consent.client_id for consent in consents})
    for consent in consents:
        if consent.client_id in leads:
            yield Reminder(
                kind="consent.expiring",
                user_id=leads[consent.client_id],
                client_id=consent.client_id,
                text=f"{client_first_name(consent.client)}'s consent ends on {consent.expires_on:%-d %B}.",
                url=reverse("circles:client", args=[consent.client.public_id]),
            )


def join_requests_waiting(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Requests to join waiting for more than two days, for the lead. Two queries."""
    before = timezone.now() - datetime.timedelta(days=settings.REMINDERS_JOIN_REQUEST_DAYS)
    waiting = list(
        JoinRequest.objects.filter(
            status=JoinRequest.Status.PENDING,
            created_at__lt=before,
            expires_at__gt=timezone.now(),
            **in_slice(clients),
        )
        .select_related("client")
        .only("pk", "created_at", "client__given_name", "client__preferred_name", "client__public_id")
    )
    leads = _leads({request.client_id for request in waiting})
    for request in waiting:
        if request.client_id in leads:
            yield Reminder(
                kind="join_request.waiting",
                user_id=leads[request.client_id],
                client_id=request.client_id,
                text=f"Someone has been waiting since {request.created_at:%-d %B} to join {client_first_name(request.client)}'s circle.",
                url=reverse("circles:client", args=[request.client.public_id]),
            )


register(
    ReminderKind("consent.expiring", "Consents about to end (as lead)", consents_expiring, sliced=True),
    ReminderKind(
        "join_request.waiting",
        "Requests to join waiting for you (as lead)",
        join_requests_waiting,
        sliced=True,
    ),
)
