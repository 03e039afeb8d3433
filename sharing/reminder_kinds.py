"""The plan's reminder kinds: actions due soon or overdue, goals whose review date is near."""

from reminders.registry import ReminderKind

KINDS: list[ReminderKind] = []
