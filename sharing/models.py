"""What the circle knows: progress notes (plans and assessments arrive with their issues)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from circles.models import Client
from network.models import Organisation


class Note(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        VISIT = "visit", "Visit"
        PHONE_CALL = "phone_call", "Phone call"
        MEETING = "meeting", "Meeting"
        OBSERVATION = "observation", "Observation"
        CONCERN = "concern", "Concern"

    class Visibility(models.TextChoices):
        CIRCLE = "circle", "Whole circle"
        ORGANISATION = "organisation", "My organisation only"
        NAMED = "named", "Named people only"
        CLIENT = "client", "Whole circle, and shared with the client"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes")
    # The author's organisation when they wrote it: "my organisation only" means this one, for good.
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.CIRCLE)
    # For "named people only": who, besides the author.
    named_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "-created_at", "-id"], name="note_client_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_id} on {self.created_at:%d %b %Y}"
