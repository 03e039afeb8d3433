"""Reads of reminders: which kinds a person may choose, their choices, their reminders today."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from network.models import User
from reminders.models import OutgoingEmail, ReminderPreference
from reminders.registry import Reminder, ReminderKind, registry

PORTAL_KINDS = (User.Kind.CLIENT, User.Kind.FAMILY)


def kinds_for(user: User) -> list[ReminderKind]:
    """Professionals choose among the professional kinds; clients and family among the portal's."""
    portal = user.kind in PORTAL_KINDS
    return [kind for kind in registry if kind.for_portal == portal]


@dataclass(frozen=True)
class Choice:
    kind: ReminderKind
    delivery: str


def preferences_for(user: User) -> list[Choice]:
    chosen = dict(ReminderPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [Choice(kind, chosen.get(kind.name, kind.default)) for kind in kinds_for(user)]


def reminders_today_for(user: User, day: datetime.date | None = None) -> list[Reminder]:
    """This person's reminders of the day, worked out now (the scan's rules; for their own page)."""
    from reminders.scan import collect

    day = day or timezone.localdate()
    return [r for r in collect(day) if r.user_id == user.pk]


def digest_sent_today(user: User, day: datetime.date | None = None) -> OutgoingEmail | None:
    day = day or timezone.localdate()
    return OutgoingEmail.objects.filter(
        message_id__startswith=f"<digest-{user.pk}-{day.isoformat()}@"
    ).first()
