"""The changes reminders makes: a person's own choices (audited, never published: no client's record)."""

from changes.catalogue import Change, register

PREFERENCE_SET = Change("reminder.preference_set", "Someone chooses how they get one kind of reminder")

register(PREFERENCE_SET)
