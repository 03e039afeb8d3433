"""Assessments' reminder kind: reassessments due. An instrument with a reassessment interval is due again
once that many days have passed since a client's latest completed assessment with it; the circle's lead is
told.

The lead hears only of assessments they may read (the notes' rule, as far as a scan of everyone can tell it
without a query per client: the whole circle's, their own organisation's, and any they wrote), so a
reminder never reveals an assessment kept from them. Three queries, however many clients.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, InstrumentVersion
from circles.models import CircleMember, Visibility
from reminders.kinds import in_slice
from reminders.names import first_name
from reminders.registry import ClientSlice, Reminder, ReminderKind


def _intervals() -> dict[int, tuple[str, int]]:
    """instrument id -> (its name, days between assessments), for the active instruments that have one."""
    versions = InstrumentVersion.objects.filter(
        instrument__is_active=True, number=F("instrument__current_version")
    ).only("instrument_id", "definition")
    intervals = {}
    for version in versions:
        days = int(version.definition.get("reassess_days") or 0)
        if days > 0:
            intervals[version.instrument_id] = (str(version.definition.get("name", "")), days)
    return intervals


def _may_read(visibility: str, organisation_id: int | None, author_id: int, lead: tuple[int, Any]) -> bool:
    lead_user, lead_organisation = lead
    if author_id == lead_user or visibility == Visibility.CIRCLE:
        return True
    return visibility == Visibility.ORGANISATION and organisation_id == lead_organisation


def reassessments_due(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Each client's instruments due again today or before (a reassessment not yet done), for the lead."""
    intervals = _intervals()
    if not intervals:
        return []
    latest = (
        Assessment.objects.filter(
            status=Assessment.Status.COMPLETED, instrument_id__in=intervals, **in_slice(clients)
        )
        .values(
            "client_id",
            "instrument_id",
            "visibility",
            "organisation_id",
            "author_id",
            "client__given_name",
            "client__preferred_name",
            "client__public_id",
        )
        .annotate(at=Max("completed_at"))
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in latest]
    if not rows:
        return []
    leads = {
        client_id: (user_id, organisation_id)
        for client_id, user_id, organisation_id in CircleMember.objects.filter(
            client_id__in={row["client_id"] for row in rows}, until=None, is_lead=True, user__is_active=True
        ).values_list("client_id", "user_id", "user__organisation_id")
    }
    # The latest the lead may read, for each client and instrument.
    newest: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        lead = leads.get(row["client_id"])
        if lead is None or not _may_read(row["visibility"], row["organisation_id"], row["author_id"], lead):
            continue
        key = (row["client_id"], row["instrument_id"])
        if key not in newest or row["at"] > newest[key]["at"]:
            newest[key] = row
    reminders = []
    for (client_id, instrument_id), row in sorted(newest.items()):
        name, days = intervals[instrument_id]
        last_done = timezone.localtime(row["at"]).date()
        due_on = last_done + datetime.timedelta(days=days)
        if due_on > today:
            continue
        client = first_name(row["client__given_name"], row["client__preferred_name"])
        reminders.append(
            Reminder(
                "assessment.reassess",
                leads[client_id][0],
                f"{client}'s {name} is due again (last done on {last_done:%-d %B}).",
                reverse("circles:client", args=[row["client__public_id"]]) + "#assessments-summary",
                client_id,
            )
        )
    return reminders


KINDS = [ReminderKind("assessment.reassess", "Reassessments due (as lead)", reassessments_due, sliced=True)]
