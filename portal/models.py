"""Invitations to the portal.

Who may use the portal now (PortalAccess) is an input of the access policy, so it lives in circles.models.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from circles.models import CircleMember, Client


class Invitation(models.Model):
    """The lead invites the client (or, with consent, a family member) by email: a one-time link."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="portal_invitations")
    # Empty for the client themself; the family member or carer otherwise.
    member = models.ForeignKey(
        CircleMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Portal invitation for {self.client_id} ({self.email})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
