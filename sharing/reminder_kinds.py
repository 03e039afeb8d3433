"""The plan's reminder kinds: actions due soon or overdue (their owner; the lead once one is overdue by
N days; the client, in the portal, for their own if they chose), and goals whose review date is near."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from circles.models import CircleMember, PortalAccess
from reminders.names import client_first_name
from reminders.registry import Reminder, ReminderKind
from sharing.models import Action, Goal

OPEN = (Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS)


def _leads(client_ids: set[int]) -> dict[int, int]:
    return dict(
        CircleMember.objects.filter(
            client_id__in=client_ids, until=None, is_lead=True, user__is_active=True
        ).values_list("client_id", "user_id")
    )


def _due(action: Action, today: datetime.date) -> str:
    assert action.due_on is not None
    if action.due_on < today:
        return f"was due on {action.due_on:%-d %B}"
    if action.due_on == today:
        return "is due today"
    return f"is due on {action.due_on:%-d %B}"


def actions_due(today: datetime.date) -> Iterable[Reminder]:
    """Open actions due within the next days or overdue: to their owner, and to the lead once overdue by
    REMINDERS_LEAD_OVERDUE_DAYS. Three queries (actions with owner and client, leads, portal accounts)."""
    soon = today + datetime.timedelta(days=settings.REMINDERS_ACTION_DAYS)
    actions = list(
        Action.objects.filter(
            status__in=OPEN, removed_at=None, goal__removed_at=None, due_on__isnull=False, due_on__lte=soon
        )
        .select_related("owner", "goal__plan__client")
        .only(
            "pk",
            "due_on",
            "owner_is_client",
            "owner__user_id",
            "owner__until",
            "goal__plan__client__given_name",
            "goal__plan__client__preferred_name",
            "goal__plan__client__public_id",
        )
    )
    late = today - datetime.timedelta(days=settings.REMINDERS_LEAD_OVERDUE_DAYS)
    leads = _leads({a.goal.plan.client_id for a in actions if a.due_on is not None and a.due_on <= late})
    portal = dict(
        PortalAccess.objects.filter(
            client_id__in={a.goal.plan.client_id for a in actions if a.owner_is_client},
            until=None,
            member=None,
        ).values_list("client_id", "user_id")
    )
    for action in actions:
        client = action.goal.plan.client
        name = client_first_name(client)
        plan_url = reverse("plan:plan", args=[client.public_id])
        owner_user = action.owner.user_id if action.owner and action.owner.until is None else None
        if owner_user:
            yield Reminder(
                kind="action.due",
                user_id=owner_user,
                client_id=client.pk,
                text=f"Your action for {name} {_due(action, today)}.",
                url=plan_url,
            )
        if action.owner_is_client and client.pk in portal:
            yield Reminder(
                kind="portal.my_actions",
                user_id=portal[client.pk],
                client_id=client.pk,
                portal=True,
                text=f"One of your actions {_due(action, today)}.",
                url=reverse("portal:home"),
            )
        lead = leads.get(client.pk)
        if lead and lead != owner_user and action.due_on is not None and action.due_on <= late:
            yield Reminder(
                kind="action.overdue_lead",
                user_id=lead,
                client_id=client.pk,
                text=f"An action in {name}'s plan {_due(action, today)}.",
                url=plan_url,
            )


def goals_to_review(today: datetime.date) -> Iterable[Reminder]:
    """Goals whose review date is within the next days (or today), for the lead. Two queries."""
    soon = today + datetime.timedelta(days=settings.REMINDERS_REVIEW_DAYS)
    goals = list(
        Goal.objects.filter(removed_at=None, review_on__gte=today, review_on__lte=soon)
        .select_related("plan__client")
        .only(
            "pk",
            "review_on",
            "plan__client__given_name",
            "plan__client__preferred_name",
            "plan__client__public_id",
        )
    )
    leads = _leads({goal.plan.client_id for goal in goals})
    for goal in goals:
        client = goal.plan.client
        if client.pk in leads:
            yield Reminder(
                kind="goal.review",
                user_id=leads[client.pk],
                client_id=client.pk,
                text=f"A goal in {client_first_name(client)}'s plan is due for review on {goal.review_on:%-d %B}.",
                url=reverse("plan:plan", args=[client.public_id]),
            )


KINDS = [
    ReminderKind("action.due", "Your actions due soon or overdue", actions_due),
    ReminderKind("action.overdue_lead", "Actions overdue in circles you lead", lambda today: []),
    ReminderKind("goal.review", "Goals due for review (as lead)", goals_to_review),
    ReminderKind(
        "portal.my_actions", "Reminders of my own actions", lambda today: [], default="off", for_portal=True
    ),
]
