"""The audit trail: who did or looked at what, when and from where. Rows are only ever added."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60)  # "note.create", "client.view", …
    client = models.ForeignKey("circles.Client", null=True, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    via = models.CharField(max_length=20, blank=True)  # "web", "api", "socket", "command"
    # The API token that signed the request, so a leaked or misused token's calls can be found.
    api_token = models.ForeignKey(
        "network.ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Done under emergency ("break the glass") access: these rows stand out in every audit view.
    emergency = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "-at"], name="audit_client_recent_idx")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"
