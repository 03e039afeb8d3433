"""Handing over the lead: the outgoing lead writes a summary (prefilled from what is true now), the new
lead accepts, and the circle sees the summary. A lead whose account is switched off leaves a visible
"needs a new lead" on every circle they led, for their agency manager."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changes.services import record
from circles import access
from circles.models import CircleMember, Client
from circles.services import circle_lead_change_accepted
from network.models import User
from network.text import clean_text
from realtime.publish import notify
from referrals import changes as c
from referrals.models import Handover, LeadNeeded
from reminders.names import first_name

H = Handover.Status


def handover_offer(*, actor: User, client: Client, to_member: CircleMember, summary: str) -> Handover:
    """The lead offers the lead to another professional in the circle, with a handover summary."""
    summary = clean_text(summary)
    if not summary:
        raise ValidationError({"summary": "Write the handover summary."})
    if len(summary) > 20_000:
        raise ValidationError({"summary": "Use 20,000 characters or fewer."})
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can hand over the lead.")
        member = (
            CircleMember.objects.filter(pk=to_member.pk, client=client, until=None)
            .select_related("user")
            .first()
        )
        if member is None or member.kind != CircleMember.Kind.PROFESSIONAL or member.user is None:
            raise ValidationError({"to_member": "Choose a professional who is in the circle now."})
        if member.is_lead:
            raise ValidationError(
                {"to_member": ValidationError("They are the lead already.", code="conflict")}
            )
        if Handover.objects.filter(client=client, status=H.OFFERED).exists():
            raise ValidationError(
                {
                    "to_member": ValidationError(
                        "A handover is already waiting. Cancel it first.", code="conflict"
                    )
                }
            )
        handover = Handover.objects.create(client=client, from_user=actor, to_member=member, summary=summary)
        _record(c.HANDOVER_OFFER, actor, handover)
        lead = access.person_label(access.names_for_person(member.user, client), actor) or "The lead"
        notify(
            user=member.user,
            kind="handover",
            text=f"{lead} asks you to take over as lead professional.",
            url=reverse("referrals:handover", args=[handover.pk]),
        )
    return handover


def handover_accept(*, actor: User, handover: Handover) -> Handover:
    """The new lead accepts: they become the lead, and the circle sees the summary."""
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=handover.client_id)
        handover = (
            Handover.objects.select_for_update(of=("self",))
            .select_related("to_member", "client")
            .get(pk=handover.pk)
        )
        if handover.to_member.user_id != actor.pk:
            raise PermissionDenied("Only the person it was offered to can accept the handover.")
        if handover.status != H.OFFERED or handover.to_member.until is not None:
            raise ValidationError(
                f"This handover is {handover.get_status_display().lower()}.", code="conflict"
            )
        circle_lead_change_accepted(actor=actor, client=handover.client, member=handover.to_member)
        handover.status, handover.decided_at = H.ACCEPTED, timezone.now()
        handover.save(update_fields=["status", "decided_at"])
        LeadNeeded.objects.filter(client=handover.client, resolved_at=None).update(resolved_at=timezone.now())
        _record(c.HANDOVER_ACCEPT, actor, handover)
    return handover


def handover_cancel(*, actor: User, handover: Handover) -> Handover:
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=handover.client_id)
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if handover.from_user_id != actor.pk:
            raise PermissionDenied("Only the lead who offered it can cancel the handover.")
        if handover.status != H.OFFERED:
            raise ValidationError(
                f"This handover is {handover.get_status_display().lower()}.", code="conflict"
            )
        handover.status, handover.decided_at = H.CANCELLED, timezone.now()
        handover.save(update_fields=["status", "decided_at"])
        _record(c.HANDOVER_CANCEL, actor, handover)
    return handover


def lead_left(*, actor: Any, person: Any) -> None:
    """An account was switched off (network.services, through network.hooks): every circle this person
    led now shows "needs a new lead", and their agency managers are told. Runs in that transaction."""
    led = CircleMember.objects.filter(user=person, until=None, is_lead=True).select_related("client")
    managers = list(
        User.objects.filter(
            organisation_id=person.organisation_id,
            org_role__in=[User.OrgRole.MANAGER, User.OrgRole.ADMIN],
            is_active=True,
        ).exclude(pk=person.pk)
    )
    for member in led:
        needed, made = LeadNeeded.objects.get_or_create(
            client=member.client,
            resolved_at=None,
            defaults={"organisation_id": person.organisation_id, "former_lead": person},
        )
        if not made:
            continue
        record(
            change=c.LEAD_NEEDED,
            actor=actor,
            client=member.client,
            obj=needed,
            after={"former_lead_id": person.pk},
            payload=c.LeadNeededChanged(lead_needed_id=needed.pk),
        )
        for manager in managers:
            notify(
                user=manager,
                kind="lead_needed",
                text=f"A circle {_first_name_to(manager, member.client, person)} led needs a new lead.",
                url=reverse("referrals:leads_needed"),
            )


def _first_name_to(user: User, client: Client, person: User) -> str:
    """The policy decides whether `user` may know `person` (circles.access); a notification then keeps only
    the first name of a name it may show."""
    if access.hides(access.names_for_person(user, client), person):
        return access.HIDDEN_LABEL.lower()
    return first_name(person.full_name)


def _record(change: Any, actor: User, handover: Handover) -> None:
    record(
        change=change,
        actor=actor,
        client=handover.client,
        obj=handover,
        after={"status": handover.status, "to_member_id": handover.to_member_id},
        payload=c.HandoverChanged(handover_id=handover.pk, status=handover.status),
    )
