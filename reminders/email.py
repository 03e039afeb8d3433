"""Reminder emails: plain text, plain words, a link on every line, and nothing about anyone's case beyond
first names and what is due (the reminders' texts are written to that rule; tests check it)."""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings

from network.models import User
from reminders.models import OutgoingEmail
from reminders.names import first_name
from reminders.registry import Reminder


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "alongside.invalid"


def digest_text(user: User, reminders: Iterable[Reminder], day: datetime.date) -> str:
    """The digest's body. Every line that says something has its link on the next line."""
    name = first_name(user.full_name) or "there"
    lines = [f"Hello {name},", "", f"Here is what needs you today, {day:%A %-d %B}:", ""]
    for reminder in reminders:
        lines += [f"- {reminder.text}", f"  {absolute(reminder.url)}"]
    lines += [
        "",
        "Choose which reminders you get, and how:",
        f"  {absolute(settings.REMINDERS_PREFERENCES_URL)}",
    ]
    return "\n".join(lines) + "\n"


def digest_email(user: User, reminders: list[Reminder], day: datetime.date) -> OutgoingEmail | None:
    if not user.email:
        return None
    count = len(reminders)
    return OutgoingEmail(
        to=user.email,
        subject=f"{settings.SITE_NAME}: {count} reminder{'s' if count != 1 else ''} for {day:%-d %B}",
        body=digest_text(user, reminders, day),
        message_id=f"<digest-{user.pk}-{day.isoformat()}@{_domain()}>",
    )


def reminder_key(reminder: Reminder) -> str:
    """Which reminder this is, within a person's day: the same reminder found by the day's scan and by a
    change's "at once" task has the same key (AtOnceSent, and its email's Message-ID)."""
    return hashlib.sha256(f"{reminder.kind}\n{reminder.text}\n{reminder.url}".encode()).hexdigest()[:32]


def single_email(user: User, reminder: Reminder, day: datetime.date) -> OutgoingEmail | None:
    """A reminder the person asked to have at once: one line, its link, the way to change that."""
    if not user.email:
        return None
    name = first_name(user.full_name) or "there"
    body = "\n".join(
        [
            f"Hello {name},",
            "",
            f"- {reminder.text}",
            f"  {absolute(reminder.url)}",
            "",
            "Choose which reminders you get, and how:",
            f"  {absolute(settings.REMINDERS_PREFERENCES_URL)}",
        ]
    )
    return OutgoingEmail(
        to=user.email,
        subject=f"{settings.SITE_NAME}: a reminder",
        body=body + "\n",
        message_id=f"<reminder-{user.pk}-{day.isoformat()}-{reminder_key(reminder)}@{_domain()}>",
    )
