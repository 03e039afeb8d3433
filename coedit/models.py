"""The columns of a per-field change history. Abstract: each app keeps its own table, with the columns
that tie a change to its item (say, a goal or an action) added in its concrete model."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FieldChange(models.Model):
    """One field of one item changed: old value, new value, who, when, and the item's version after it."""

    field = models.CharField(max_length=40)  # a field name, or an app's own word ("created", "removed")
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    # The item's version after this change: a writer who started from an older version conflicts only
    # if a change since then touched a field they are changing.
    version = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.field} changed by {self.actor_id}"
