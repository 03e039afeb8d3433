"""Reads of a client's audit trail (who looked at the record, the export), each with its rule from circles.access.

They live with the record, not in audit/: the trail sits below the record and never asks the policy.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEvent
from changes.catalogue import catalogue
from circles import access, public_id
from circles.models import Client
from network.models import User

READERS_DAYS = 90


def record_readers(record: access.RecordAccess, *, limit: int = 20) -> list[Mapping[str, Any]]:
    """Who has looked at this record in the last READERS_DAYS days, most recent first: for the lead only.

    A window, so the page reads a season's audit rows, not every read since the record began; the audit
    export (CSV) has them all.
    """
    if not record.may_manage_circle:
        return []
    since = timezone.now() - datetime.timedelta(days=READERS_DAYS)
    rows = (
        AuditEvent.objects.filter(
            client=record.client,
            at__gte=since,
            action__in=sorted(catalogue.reads()),
            actor__kind=User.Kind.PROFESSIONAL,  # not the client or their family reading their own portal
        )
        .values("actor_id", "actor__full_name", "actor__organisation__name")
        .annotate(last_seen=Max("at"), times=Count("id"), emergency=Count("id", filter=Q(emergency=True)))
        .order_by("-last_seen")[:limit]
    )
    return list(rows)


READS_LIMIT = 500


def record_reads(record: access.RecordAccess, *, limit: int = READS_LIMIT) -> list[AuditEvent]:
    """Each look at this record in the last READERS_DAYS days, newest first, at most `limit`: the rows
    record_readers counts, by the same rule (the lead only; professionals' reads, not the portal's)."""
    if not record.may_manage_circle:
        return []
    since = timezone.now() - datetime.timedelta(days=READERS_DAYS)
    return list(
        AuditEvent.objects.filter(
            client=record.client,
            at__gte=since,
            action__in=sorted(catalogue.reads()),
            actor__kind=User.Kind.PROFESSIONAL,
        )
        .select_related("actor", "actor__organisation")
        .order_by("-at", "-id")[:limit]
    )


def audit_export_for_user(user: Any, public_id_text: str) -> tuple[Client, QuerySet[AuditEvent]]:
    """The client and every audit row about them, oldest first, if `user` may export it; 404 otherwise."""
    try:
        client = Client.objects.get(public_id=public_id.normalise(public_id_text))
    except (public_id.InvalidPublicId, Client.DoesNotExist):
        raise Http404("No client with that ID") from None
    if not access.may_export_audit(user, client):
        raise Http404("No client with that ID")
    rows = (
        AuditEvent.objects.filter(client=client)
        .select_related("actor", "actor__organisation")
        .order_by("at", "id")
    )
    return client, rows


def names_for_export(user: Any, client: Client) -> access.Names:
    """Who the export leaves unnamed (circles.access.person_label's rule): hidden members, unless the
    exporter is in the circle now, or the hidden member is one of the exporter's own organisation's staff."""
    in_circle = access.current_membership(user, client) is not None
    return access.names_for(client, sees_hidden=in_circle, except_organisation_id=user.organisation_id)


def reads_for_disclosure(user: Any, client: Client) -> list[Mapping[str, Any]]:
    """Who looked at the client's record, for the client's subject access export: every read by a
    professional since the record began, one row per person and kind of read (first and last time, how
    many times, how many under emergency access). Only for an agency admin who may export the trail
    (may_export_audit); nobody else gets any rows. Names are for the caller to pass through person_label.
    """
    if not access.may_export_audit(user, client):
        return []
    rows = (
        AuditEvent.objects.filter(
            client=client,
            action__in=sorted(catalogue.reads()),
            actor__kind=User.Kind.PROFESSIONAL,
        )
        .values("actor_id", "action")
        .annotate(
            first_seen=Min("at"),
            last_seen=Max("at"),
            times=Count("id"),
            emergency=Count("id", filter=Q(emergency=True)),
        )
        .order_by("first_seen", "actor_id", "action")
    )
    return list(rows)
