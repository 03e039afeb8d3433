"""Every figure is worked out from what practitioners already record (reporting/figures.py). Reporting
keeps who may see figures across organisations (partnerships, which organisations agreed to each, with
the history of joining and leaving, and their leads), and, to answer quickly, snapshots: the figures of
each organisation and team for the preset periods, worked out by a task every 10 minutes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models import Organisation, Team


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


class Snapshot(models.Model):
    """An organisation's (or one team's) dashboard for a preset period (the last 3, 6 or 12 months), as
    worked out at `computed_at`: the tables' cells as worked out (reporting.snapshots), so that publishing
    them goes through reporting.tables.Published exactly as live figures do. Refreshed every 10 minutes by
    `reporting.tasks.refresh_snapshots` (the reminders clock enqueues it); the page reads one when it is at
    most an hour old and for today's period, and otherwise works the figures out and keeps them here.
    Derived data only: deleting every row loses nothing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    tables = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "team", "months"],
                condition=Q(team__isnull=False),
                name="one_snapshot_per_team_and_preset",
            ),
            models.UniqueConstraint(
                fields=["organisation", "months"],
                condition=Q(team=None),
                name="one_snapshot_per_organisation_and_preset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.team_id or '-'}/{self.months} months at {self.computed_at}"


class SnapshotRun(models.Model):
    """One refresh of every organisation's snapshots, for one 10-minute slot. Its unique `slot` is the
    claim: the worker whose INSERT succeeds refreshes; every other tick or worker in that slot does not."""

    slot = models.DateTimeField(unique=True)
    claimed_by = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    snapshots = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Dashboard snapshots of {self.slot}"
