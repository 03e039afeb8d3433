"""A person's last visit to a client's record: where "since you last looked" starts.

One row per person and client, updated when they open the client page or the board: the client's event
number then (`seq`) and when. Not the audit trail: a small row rewritten in place, cheap to read for every
client on My clients.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Visit(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("circles.Client", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)  # the client's last event when they looked
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "client"], name="one_visit_per_person_client")]

    def __str__(self) -> str:
        return f"{self.user_id} looked at {self.client_id} (event {self.seq})"
