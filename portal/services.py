"""Writes for the portal: invitations (by the lead) and accepting them. Audited like every other write."""

import datetime
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changes.services import record
from circles import access
from circles.models import CircleMember, Client, Consent, PortalAccess
from network.models import User
from network.text import clean_line
from portal import changes as c
from portal.models import Invitation
from realtime.publish import notify

if TYPE_CHECKING:
    from network.models import User as UserType

INVITATION_DAYS = 14


def invitation_create(
    *, actor: "UserType", client: Client, email: str, member: CircleMember | None = None, base_url: str = ""
) -> Invitation:
    """Invite the client (no `member`) or, with their consent, a family member or carer to the portal."""
    email = clean_line(email).lower()
    if not email or "@" not in email or len(email) > 254:
        raise ValidationError({"email": "Enter an email address, like name@example.org."})
    with transaction.atomic():
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional invites people to the portal.")
        if member is not None:
            if (
                member.client_id != client.pk
                or member.kind != CircleMember.Kind.FAMILY
                or member.until is not None
            ):
                raise ValidationError({"member": "Choose a family member or carer who is in the circle."})
            if (
                not Consent.objects.current()
                .filter(client=client, scope=Consent.Scope.FAMILY_PORTAL, family_member=member)
                .exists()
            ):
                raise ValidationError(
                    {
                        "member": f"{client.given_name} has not agreed to {member.name} seeing the portal. Record that consent first."
                    }
                )
        invitation = Invitation.objects.create(
            client=client,
            member=member,
            email=email,
            token=secrets.token_urlsafe(32),
            created_by=actor,
            expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        )
        record(
            change=c.INVITE,
            actor=actor,
            client=client,
            obj=invitation,
            after={
                "member_id": member.pk if member else None,
                "expires_at": invitation.expires_at.isoformat(),
            },
        )
        link = base_url + reverse("portal:accept", args=[invitation.token])
        name = member.name if member else client.preferred_name or client.given_name
        inviter = access.person_label(access.names_for(client, sees_hidden=False), actor)
        body = (
            f"Hello {name},\n\n"
            f"{inviter} has invited you to see {'your' if member is None else client.given_name + chr(39) + 's'} "
            f"plan on Alongside: what is happening next, and who is helping.\n\n"
            f"Open this link to start (it works for {INVITATION_DAYS} days):\n{link}\n\n"
            "After that, you can sign in with a code we email you. You do not need a password.\n"
        )
        transaction.on_commit(
            lambda: send_mail("Your plan on Alongside", body, None, [email], fail_silently=False)
        )
    return invitation


def invitation_revoke(*, actor: "UserType", invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not access.record_access(actor, invitation.client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can take back an invitation.")
        if invitation.revoked_at is None and invitation.accepted_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            record(change=c.INVITE_REVOKE, actor=actor, client=invitation.client, obj=invitation)
    return invitation


def invitation_accept(*, token: str) -> User:
    """Open an invitation: the person gets (or reuses) a portal account linked to the client."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("client", "member")
            .filter(token=token)
            .first()
        )
        if invitation is None or not invitation.is_open:
            raise ValidationError(
                "This link has expired or has been used. Ask your worker to send a new one."
            )
        kind = User.Kind.FAMILY if invitation.member_id else User.Kind.CLIENT
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and user.kind != kind:
            raise ValidationError(
                "This email address is already used for another kind of account. Ask your worker."
            )
        if user is None:
            name = invitation.member.name if invitation.member else invitation.client.full_name
            user = User.objects.create_user(invitation.email, None, full_name=name, kind=kind)
        PortalAccess.objects.filter(user=user, client=invitation.client, until=None).update(
            until=timezone.now()
        )
        PortalAccess.objects.create(user=user, client=invitation.client, member=invitation.member)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(change=c.INVITE_ACCEPT, actor=user, client=invitation.client, obj=invitation)
        notify(
            user=invitation.created_by,
            kind="portal.joined",
            text=f"{user.full_name} has started using the portal for {invitation.client.full_name}.",
            url=reverse("circles:client", args=[invitation.client.public_id]),
        )
    return user
