"""Case conferences' reminder kinds: meetings coming up (to everyone invited, and to the client in the
portal, for a meeting the family is invited to), and minutes waiting for the chair's sign-off.

Each reads everything due on a day in a fixed number of queries. Texts name the meeting, never a person:
a meeting's invitees see its title on their own list of meetings, and the client hears only of the kind of
meeting and when.
"""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from circles.models import PortalAccess
from conferences.models import AgendaItem, Invitation, Meeting
from conferences.selectors import meetings_to_sign_off_due_by
from network.models import User
from reminders.registry import Reminder, ReminderKind

UPCOMING_DAYS = 1  # a meeting today or tomorrow is "coming up"
MINUTES_DAYS = 2  # minutes due within this many days, or overdue, are reminded of


def _window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return start, start + datetime.timedelta(days=UPCOMING_DAYS + 1)


def _when(starts_at: datetime.datetime) -> str:
    return f"{timezone.localtime(starts_at):%-d %B at %H:%M}"


def meetings_coming_up(today: datetime.date) -> Iterable[Reminder]:
    """Meetings today or tomorrow, to the chair, the minute-taker and every professional invited who has
    not sent apologies. Two queries (the meetings, their invitations)."""
    start, end = _window(today)
    meetings = list(
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end)
        .order_by()
        .values_list("pk", "title", "starts_at", "chair_id", "minute_taker_id")
    )
    if not meetings:
        return []
    people: dict[int, set[int]] = {pk: {chair, taker} - {None} for pk, _t, _s, chair, taker in meetings}
    invited = (
        Invitation.objects.filter(meeting_id__in=people, user__kind=User.Kind.PROFESSIONAL)
        .exclude(answer=Invitation.Answer.APOLOGIES)
        .values_list("meeting_id", "user_id")
    )
    for meeting_id, user_id in invited:
        people[meeting_id].add(user_id)
    reminders = []
    for pk, title, starts_at, _chair, _taker in meetings:
        url = reverse("conferences:meeting", args=[pk])
        for user_id in sorted(people[pk]):
            text = f"{title} is on {_when(starts_at)}."
            reminders.append(Reminder("meeting.upcoming", user_id, text, url))
    return reminders


def portal_meetings_coming_up(today: datetime.date) -> Iterable[Reminder]:
    """For the client, in the portal: their meetings today or tomorrow that the family is invited to. Two
    queries (the agenda items, the clients' portal accounts)."""
    start, end = _window(today)
    items = list(
        AgendaItem.objects.filter(
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__family_invited=True,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
        .order_by()
        .values_list("client_id", "meeting__starts_at", "meeting__type__name")
    )
    if not items:
        return []
    portal = dict(
        PortalAccess.objects.filter(
            client_id__in={row[0] for row in items}, until=None, member=None
        ).values_list("client_id", "user_id")
    )
    url = reverse("portal:meetings")
    return [
        Reminder(
            "portal.meetings",
            portal[client_id],
            f"Your {kind} meeting is on {_when(starts_at)}.",
            url,
            client_id,
            portal=True,
        )
        for client_id, starts_at, kind in items
        if client_id in portal
    ]


def minutes_to_sign_off(today: datetime.date) -> Iterable[Reminder]:
    """Minutes due for sign-off within the next days, or overdue (said so), to the meeting's chair. One
    query."""
    due_by = today + datetime.timedelta(days=MINUTES_DAYS)
    reminders = []
    for meeting in meetings_to_sign_off_due_by(due_by).order_by():
        due_on = meeting.minutes_due_on
        if due_on is None:
            continue
        if due_on < today:
            when = f"were due for sign-off on {due_on:%-d %B}: overdue"
        else:
            when = f"are due for sign-off on {due_on:%-d %B}"
        reminders.append(
            Reminder(
                "meeting.minutes_sign_off",
                meeting.chair_id,
                f"The minutes of {meeting.title} {when}.",
                reverse("conferences:meeting", args=[meeting.pk]),
            )
        )
    return reminders


KINDS = [
    ReminderKind("meeting.upcoming", "Meetings you are invited to, the day before", meetings_coming_up),
    ReminderKind(
        "meeting.minutes_sign_off", "Minutes waiting for your sign-off (as chair)", minutes_to_sign_off
    ),
    ReminderKind(
        "portal.meetings",
        "Reminders of my meetings",
        portal_meetings_coming_up,
        default="off",
        for_portal=True,
    ),
]
