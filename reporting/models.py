"""Reporting keeps no figures of its own: every figure is worked out from what practitioners already
record (reporting/figures.py). It keeps only who may see figures across organisations: partnerships,
which organisations agreed to each (with the history of joining and leaving), and their leads."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models import Organisation


class Partnership(models.Model):
    """Organisations that agree to a partnership lead seeing their figures together (small counts hidden).

    Set up by the site administrator (the admin); each organisation's agency admin opts in or out.
    """

    name = models.CharField(max_length=200, unique=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partnerships_led")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipMember(models.Model):
    """One organisation's agreement to a partnership, from `since` until `until` (empty while it stands)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(until=None),
                name="one_current_agreement_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.partnership_id}"
