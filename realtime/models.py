"""The outbox: every change that someone's open page should hear about, numbered per client or per stream.

Most events belong to one client's record. A few belong to something that spans several clients (a case
conference's meeting): those go to a named stream ("meeting-12") instead, numbered the same way, with the
same catch-up guarantees. One outbox, one publish path, two kinds of key.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Event(models.Model):
    """One change to a client's record, written in the same transaction as the change.

    `seq` counts 1, 2, 3… per client (or per stream) with no gaps, so a socket that sees seq 7 after 5 knows
    it missed one and reads it back from here. `audience` narrows who may receive it (see circles.access).
    An event has a client, or a `stream` name and no client: never both.
    """

    # By name, not by import: the outbox sits below the client record, which every app writes to it about.
    client = models.ForeignKey(
        "circles.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    stream = models.CharField(max_length=60, blank=True, default="")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    audience = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["client", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["client", "seq"], name="one_event_per_client_seq"),
            models.UniqueConstraint(
                fields=["stream", "seq"], condition=~models.Q(stream=""), name="one_event_per_stream_seq"
            ),
            models.CheckConstraint(
                condition=(models.Q(client__isnull=False) & models.Q(stream=""))
                | (models.Q(client__isnull=True) & ~models.Q(stream="")),
                name="event_has_client_or_stream",
            ),
        ]

    def __str__(self) -> str:
        if self.stream:
            return f"{self.type} #{self.seq} on {self.stream}"
        return f"{self.type} #{self.seq} for client {self.client_id}"

    def as_message(self) -> dict:
        return {"seq": self.seq, "type": self.type, "payload": self.payload, "audience": self.audience}


class Stream(models.Model):
    """The event counter of a stream that is not one client's (a meeting's): what `last_event_seq` is to a
    client."""

    name = models.CharField(max_length=60, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_seq}"


class Notification(models.Model):
    """Something one person should know ("Priya approved your request to join…"), shown in-app, live."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    def as_message(self) -> dict:
        return {"id": self.pk, "kind": self.kind, "text": self.text, "url": self.url}
