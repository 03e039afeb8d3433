"""A subject access export: one client's record, as their organisation may disclose it, put together by a
background task and kept for a few days for the agency admin to download."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubjectAccessExport(models.Model):
    """One export job: who asked, for whom, how far it has got, and (once done) the ZIP itself.

    The file is kept in this row (a ZIP of a few hundred kilobytes for a long record), not in MEDIA
    storage: the embedded default has no media server and the database is already backed up and
    access-checked. It is emptied once `expires_at` passes (subject_access.services.exports_purge_expired).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being put together"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Could not be finished"
        EXPIRED = "expired", "Deleted after its time ran out"

    client = models.ForeignKey("circles.Client", on_delete=models.PROTECT, related_name="+")
    # The disclosing organisation: the agency admin's when they asked. Only its agency admins see the job.
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    redaction_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "client", "-created_at"], name="sar_org_client_idx"),
            models.Index(fields=["status", "expires_at"], name="sar_status_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"Subject access export {self.pk} of {self.client_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.steps_total:
            return 0
        return min(100, round(100 * self.steps_done / self.steps_total))
