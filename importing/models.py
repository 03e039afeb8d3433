"""An import of clients from a CSV file: checked when it is uploaded, then run by a background task that
updates the row as it goes (the page's progress bar reads it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", "Checked: ready to import"
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking the rows again"
        SAVING = "saving", "Saving the clients"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    RUNNING = (Status.QUEUED, Status.CHECKING, Status.SAVING)

    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    # The file as uploaded, until it is imported or fails (then emptied: the clients are in the record).
    content = models.BinaryField(default=b"")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKED)
    row_count = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(default=0)  # circle members named besides the leads
    # Progress: rows checked again by the task (of row_count), then clients saved (told from outside the
    # import's one transaction where the database allows it: see services._SavingProgress).
    rows_checked = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # Likely duplicates found by the dry run: [{"row", "name", "date_of_birth", "matches"}] (the first 500).
    duplicates = models.JSONField(default=list)
    duplicate_count = models.PositiveIntegerField(default=0)
    # Why it was not imported, when it failed: [{"row", "field", "message", "text"}] (the first 500).
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="import_job_org_idx")]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        """How far along: checking the rows again is the first 10 % (it takes about a twentieth of the time),
        saving the other 90 %. On SQLite, one writer at a time, the count of clients saved cannot be told
        until the import's transaction commits, so the bar waits at 10 % while it saves."""
        if self.status == self.Status.DONE:
            return 100
        if not self.row_count:
            return 0
        if self.status == self.Status.SAVING:
            return 10 + min(90, self.rows_saved * 90 // self.row_count)
        return min(10, self.rows_checked * 10 // self.row_count)
