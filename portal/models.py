"""Who may use the portal for which client: the client themself, and family or carers with consent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class PortalAccess(models.Model):
    """A portal account's link to one client: as the client, or as a family member of theirs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_accesses"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="portal_accesses")
    member = models.ForeignKey(
        CircleMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client"], condition=Q(until=None), name="one_current_portal_access"
            )
        ]

    def __str__(self) -> str:
        return f"Portal access to {self.client_id} for {self.user_id}"

    @property
    def is_family(self) -> bool:
        return self.member_id is not None
