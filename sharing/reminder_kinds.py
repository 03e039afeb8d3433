"""The plan's reminder kinds: actions due soon or overdue (their owner; the lead once one is overdue by
N days; the client, in the portal, for their own if they chose), and goals whose review date is near."""

import datetime
from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.urls import reverse

from circles.models import CircleMember, PortalAccess
from reminders.kinds import in_slice
from reminders.names import first_name
from reminders.registry import ClientSlice, Reminder, ReminderKind
from sharing.models import Action, Goal

OPEN = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS)


def _leads(client_ids: set[int]) -> dict[int, int]:
    return dict(
        CircleMember.objects.filter(
            client_id__in=client_ids, until=None, is_lead=True, user__is_active=True
        ).values_list("client_id", "user_id")
    )


def _due(due_on: datetime.date, today: datetime.date) -> str:
    if due_on < today:
        return f"was due on {due_on:%-d %B}"
    if due_on == today:
        return "is due today"
    return f"is due on {due_on:%-d %B}"


def actions_due(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Open actions due within the next days or overdue: to their owner (a professional; or, in the portal,
    the client or a family member whose action it is, if they chose), and to the lead once overdue by
    REMINDERS_LEAD_OVERDUE_DAYS. Four queries (actions with owner and client, leads, the client's and the
    family's portal accounts), read as plain tuples: a day's actions at council size are a hundred thousand
    rows."""
    soon = today + datetime.timedelta(days=settings.REMINDERS_ACTION_DAYS)
    late = today - datetime.timedelta(days=settings.REMINDERS_LEAD_OVERDUE_DAYS)
    # due_on is never None here (filtered), and an owner is a member or the client.
    rows = cast(
        list[
            tuple[datetime.date, bool, int | None, int | None, datetime.datetime | None, int, str, str, str]
        ],
        list(
            Action.objects.filter(
                status__in=OPEN,
                removed_at=None,
                goal__removed_at=None,
                due_on__isnull=False,
                due_on__lte=soon,
                **in_slice(clients, "goal__plan__client"),
            )
            .order_by()
            .values_list(
                "due_on",
                "owner_is_client",
                "owner_id",
                "owner__user_id",
                "owner__until",
                "goal__plan__client",
                "goal__plan__client__given_name",
                "goal__plan__client__preferred_name",
                "goal__plan__client__public_id",
            )
        ),
    )
    leads = _leads({row[5] for row in rows if row[0] <= late})
    portal = dict(
        PortalAccess.objects.filter(
            client_id__in={row[5] for row in rows if row[1]}, until=None, member=None
        ).values_list("client_id", "user_id")
    )
    # A family member in the circle owns actions as a member with no account of their own; their portal
    # account is linked to that membership.
    family = dict(
        PortalAccess.objects.filter(
            member_id__in={row[2] for row in rows if row[2] and not row[3] and row[4] is None}, until=None
        ).values_list("member_id", "user_id")
    )
    for (
        due_on,
        owner_is_client,
        owner,
        owner_user,
        owner_until,
        client_id,
        given,
        preferred,
        public_id,
    ) in rows:
        name = first_name(given, preferred)
        plan_url = reverse("plan:plan", args=[public_id])
        when = _due(due_on, today)
        if owner_user and owner_until is None:
            yield Reminder("action.due", owner_user, f"Your action for {name} {when}.", plan_url, client_id)
        else:
            owner_user = None
        in_portal = portal.get(client_id) if owner_is_client else family.get(owner) if owner else None
        if in_portal:
            yield Reminder(
                "portal.my_actions",
                in_portal,
                f"One of your actions {when}.",
                reverse("portal:home"),
                client_id,
                portal=True,
            )
        lead = leads.get(client_id)
        if lead and lead != owner_user and due_on <= late:
            yield Reminder(
                "action.overdue_lead", lead, f"An action in {name}'s plan {when}.", plan_url, client_id
            )


def goals_to_review(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Goals whose review date is within the next days (or today), for the lead. Two queries."""
    soon = today + datetime.timedelta(days=settings.REMINDERS_REVIEW_DAYS)
    rows = list(
        Goal.objects.filter(
            removed_at=None, review_on__gte=today, review_on__lte=soon, **in_slice(clients, "plan__client")
        )
        .order_by()
        .values_list(
            "review_on",
            "plan__client",
            "plan__client__given_name",
            "plan__client__preferred_name",
            "plan__client__public_id",
        )
    )
    leads = _leads({row[1] for row in rows})
    for review_on, client_id, given, preferred, public_id in rows:
        if client_id in leads:
            yield Reminder(
                "goal.review",
                leads[client_id],
                f"A goal in {first_name(given, preferred)}'s plan is due for review on {review_on:%-d %B}.",
                reverse("plan:plan", args=[public_id]),
                client_id,
            )


KINDS = [
    ReminderKind("action.due", "Your actions due soon or overdue", actions_due, sliced=True),
    ReminderKind("action.overdue_lead", "Actions overdue in circles you lead", lambda today: []),
    ReminderKind("goal.review", "Goals due for review (as lead)", goals_to_review, sliced=True),
    ReminderKind(
        "portal.my_actions", "Reminders of my own actions", lambda today: [], default="off", for_portal=True
    ),
]
