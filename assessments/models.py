"""Instruments (as data, versioned) and the assessments done with them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from circles.models import Client, Visibility
from network.models import Organisation


class Instrument(models.Model):
    """A questionnaire or scale, by its code. Its words and rules are in its versions."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    # The agency that keeps it; empty for the instruments shipped with Alongside (not changed in the app).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None


class InstrumentVersion(models.Model):
    """One version of an instrument, never changed once made: assessments keep the one they were done with."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()  # as assessments.packs.definition_from_pack writes it
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_instrument_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def items(self) -> list[dict]:
        return self.definition["items"]


class Assessment(models.Model):
    """One completion of an instrument for a client: a draft (its author's only), then completed.

    Completed assessments are never changed: amending one makes a new assessment (`amends` the original,
    with a reason) and marks the original "amended", keeping every answer it had.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        AMENDED = "amended", "Replaced by an amendment"

    class By(models.TextChoices):
        PRACTITIONER = "practitioner", "By a practitioner"
        CLIENT = "client", "By the client, in the portal"
        TOGETHER = "together", "By the practitioner and client together"

    Visibility = Visibility  # the same choices as notes, and the same rule

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    completed_by = models.CharField(max_length=20, choices=By.choices, default=By.PRACTITIONER)
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.CIRCLE)
    named_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # {item code: {"score": int | None, "narrative": str}}
    answers = models.JSONField(default=dict)
    # assessments.scoring.Result, computed on the server when completed
    result = models.JSONField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)
    band = models.CharField(max_length=100, blank=True)
    flagged = models.BooleanField(default=False)
    # When it was assessed (an amendment keeps its original's), and when it was written down.
    completed_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    amendment_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at", "-id"]
        indexes = [
            # The chart's series and the client page's summary: one client's completed ones, by instrument.
            models.Index(
                fields=["client", "instrument", "completed_at"],
                name="assessment_series_idx",
                condition=Q(status="completed"),
            ),
            models.Index(fields=["author", "status"], name="assessment_author_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False, result__isnull=False),
                name="completed_assessment_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.client_id} ({self.status})"

    @property
    def definition(self) -> dict:
        return self.version.definition

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_self_rating(self) -> bool:
        return self.completed_by == self.By.CLIENT


class SelfRatingRequest(models.Model):
    """The team asks the client to rate themself with an instrument, in the portal ("How am I doing?")."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="self_rating_requests")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The asker's organisation: the client's answer is read by the notes' rule as if it had written it.
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "instrument"],
                condition=Q(done_at=None),
                name="one_open_self_rating_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} asked of {self.client_id}"
