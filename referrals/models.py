"""Referrals from one organisation to another, with the loop closed: answer, first contact, outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from circles.models import Client, Consent
from network.models import Organisation


class ReferralSettings(models.Model):
    """An organisation's own rules for referrals it receives."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="referral_settings"
    )
    # A referral with no answer after this many days is flagged to both sides.
    answer_within_days = models.PositiveSmallIntegerField(default=10)

    class Meta:
        verbose_name_plural = "referral settings"

    def __str__(self) -> str:
        return f"Referral settings for {self.organisation}"


class InboxMember(models.Model):
    """Someone the agency manager named to work the organisation's referrals inbox (besides managers)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=Q(until=None), name="one_current_inbox_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} works {self.organisation_id}'s referrals"


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", "Waiting for an answer"
        MORE_INFO = "more_info", "More information asked for"
        ACCEPTED = "accepted", "Accepted"
        CONTACTED = "contacted", "First contact made"
        CLOSED = "closed", "Outcome recorded"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        SOON = "soon", "Soon (within a week)"
        URGENT = "urgent", "Urgent (within two days)"

    class Outcome(models.TextChoices):
        GOT_HELP = "got_help", "Got help"
        COULD_NOT_CONTACT = "could_not_contact", "Could not contact"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        NO_CAPACITY = "no_capacity", "No capacity"
        NO_LONGER_WANTED = "no_longer_wanted", "No longer wanted help"

    class Share(models.TextChoices):
        CIRCLE = "circle", "Who is involved"
        NOW = "now", "What is true now"
        CONTACT = "contact", "How to reach the client"

    OPEN = (Status.SENT, Status.MORE_INFO, Status.ACCEPTED, Status.CONTACTED)
    WAITING_FOR_ANSWER = (Status.SENT, Status.MORE_INFO)

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(max_length=200)
    asked = models.TextField()  # what is asked
    reason = models.TextField()  # and why
    urgency = models.CharField(max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    shares = models.JSONField(default=list)  # Share values: what the pack shows besides the reason
    now_summary = models.TextField(blank=True)  # what is true now, as the referrer put it
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(default=timezone.now)
    answer_due_on = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_reason = models.TextField(blank=True)
    suggestion = models.CharField(max_length=300, blank=True)  # where else to try, if declined
    first_contact_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_inbox_idx"),
            models.Index(fields=["client", "status"], name="referral_client_idx"),
            models.Index(fields=["status", "answer_due_on"], name="referral_waiting_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")), name="referral_to_another_org"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}: {self.client_id} to {self.to_organisation_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING_FOR_ANSWER

    @property
    def is_overdue(self) -> bool:
        """No answer by the day the receiving organisation set: flagged to both sides."""
        return self.is_waiting and self.answer_due_on < timezone.localdate()


class ReferralStep(models.Model):
    """One step of a referral's loop, kept for good: declining or withdrawing keeps the history."""

    class Kind(models.TextChoices):
        SENT = "sent", "Sent"
        MORE_INFO = "more_info", "Asked for more information"
        INFO_GIVEN = "info_given", "Gave more information"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        FIRST_CONTACT = "first_contact", "Made first contact"
        OUTCOME = "outcome", "Recorded the outcome"
        WITHDRAWN = "withdrawn", "Withdrawn"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on referral {self.referral_id}"


class Handover(models.Model):
    """The lead passes the circle to another member, with a summary the circle sees once it is accepted."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Waiting for the new lead"
        ACCEPTED = "accepted", "Accepted"
        CANCELLED = "cancelled", "Cancelled"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_member = models.ForeignKey("circles.CircleMember", on_delete=models.PROTECT, related_name="+")
    summary = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="offered"), name="one_open_handover_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"Handover of {self.client_id} ({self.status})"


class LeadNeeded(models.Model):
    """A circle whose lead left the organisation (account switched off): the agency manager finds a new one."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    former_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(resolved_at=None), name="one_open_lead_needed_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} needs a new lead"
