"""Preferences, and the rows that make the daily scan and its emails happen exactly once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderPreference(models.Model):
    """How one person wants one kind of reminder: at once, in the daily digest, or not at all."""

    class Delivery(models.TextChoices):
        AT_ONCE = "at_once", "At once"
        DIGEST = "digest", "In the daily digest"
        OFF = "off", "Not at all"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery} for {self.user_id}"


class ScanRun(models.Model):
    """The daily scan of one day. Its unique `period` is the claim: the worker whose INSERT succeeds runs
    it; a run whose heartbeat stopped (its worker died) is taken over by the next worker that tries."""

    period = models.DateField(unique=True)
    claimed_by = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    takeovers = models.PositiveIntegerField(default=0)
    # The day's reminders are all written down (DayReminder): delivery to people may begin, or go on.
    collected_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)  # people who were sent something
    reminders = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Scan of {self.period}"


class DigestSent(models.Model):
    """One person's reminders of one day were delivered (bell notifications and emails put in the outbox),
    in the same transaction as this row: a person is never sent the same day twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    reminders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_per_day")]

    def __str__(self) -> str:
        return f"Reminders of {self.day} for {self.user_id}"


class OutgoingEmail(models.Model):
    """An email waiting to be sent (the mail outbox). Written in the transaction of what caused it; sent by
    a background task that claims it first, so two workers never send the same row."""

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The same Message-ID on any resend, so a mail client shows a rare duplicate (see docs) as one message.
    message_id = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "claimed_at"], name="outgoing_email_waiting_idx")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to}"


class DayReminder(models.Model):
    """One reminder of a run's day, written down while the scan gathers them a slice of clients at a time,
    read back a slice of people at a time, and deleted when the run finishes. Plain ids, not foreign keys:
    a working table, written and read in bulk."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="+")
    user_id = models.IntegerField()
    kind = models.CharField(max_length=60)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300)
    client_id = models.IntegerField(null=True, blank=True)
    portal = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["run", "user_id"], name="day_reminder_person_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class AtOnceSent(models.Model):
    """A reminder the person asked to have "at once" was sent to them on this day (by the task its change
    enqueued, or by the day's scan): the other path sees the mark and does not send it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    key = models.CharField(max_length=32)  # reminders.email.reminder_key
    kind = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "key"], name="one_at_once_per_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.kind} sent at once to {self.user_id} on {self.day}"
