"""Writes to the client record and its circle. Each service validates, writes, audits and publishes."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from circles import access, public_id
from circles.models import CircleMember, Client
from network.text import clean_line, clean_text, length_errors
from realtime.publish import publish

if TYPE_CHECKING:
    from network.models import User

FAMILY_ROLES = {CircleMember.Role.FAMILY_MEMBER, CircleMember.Role.CARER, CircleMember.Role.FRIEND}


def client_create(
    *,
    actor: "User",
    given_name: str,
    family_name: str,
    preferred_name: str = "",
    date_of_birth: datetime.date | None = None,
    pronouns: str = "",
    language: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    accessibility_needs: str = "",
    lead_role: str = CircleMember.Role.LEAD_PROFESSIONAL,
) -> Client:
    """Register a client at first contact. The person registering them becomes the lead professional."""
    if not (actor.is_authenticated and actor.is_active and actor.organisation_id):
        raise PermissionDenied("Only a professional in an organisation can add a client.")
    given_name, family_name = clean_line(given_name), clean_line(family_name)
    fields = {
        "given_name": given_name,
        "family_name": family_name,
        "preferred_name": clean_line(preferred_name),
        "date_of_birth": date_of_birth,
        "pronouns": clean_line(pronouns),
        "language": clean_line(language),
        "phone": clean_line(phone),
        "email": clean_line(email),
        "address": clean_text(address),
        "accessibility_needs": clean_text(accessibility_needs),
    }
    errors = length_errors(
        {
            name: (fields[name], Client._meta.get_field(name).max_length or 2000)
            for name in fields
            if name != "date_of_birth"
        }
    )
    if not given_name:
        errors["given_name"] = "Enter the client's first name."
    if not family_name:
        errors["family_name"] = "Enter the client's last name."
    if date_of_birth and date_of_birth > timezone.localdate():
        errors["date_of_birth"] = "Date of birth must be today or in the past."
    if lead_role not in CircleMember.Role.values or lead_role in FAMILY_ROLES:
        errors["lead_role"] = "Choose your role in the circle."
    if errors:
        raise ValidationError(errors)

    for _attempt in range(10):
        try:
            with transaction.atomic():
                client = Client.objects.create(public_id=public_id.generate(), created_by=actor, **fields)
                member = CircleMember.objects.create(
                    client=client,
                    kind=CircleMember.Kind.PROFESSIONAL,
                    user=actor,
                    organisation_id=actor.organisation_id,
                    role=lead_role,
                    is_lead=True,
                    added_by=actor,
                )
                audit_record(
                    actor=actor,
                    action="client.create",
                    client=client,
                    obj=client,
                    after=_client_snapshot(client),
                )
                audit_record(
                    actor=actor,
                    action="circle.member_add",
                    client=client,
                    obj=member,
                    after=_member_snapshot(member),
                )
                publish(client=client, type="client.created", payload={"public_id": client.public_id})
                return client
        except IntegrityError:
            # A public ID clash (one in 34 billion per pair); draw another.
            continue
    raise RuntimeError("Could not draw an unused public ID")


def client_stage_change(*, actor: "User", client: Client, stage: str) -> Client:
    """Move the client to another stage of their support (only the lead professional can)."""
    if stage not in Client.Stage.values:
        raise ValidationError({"stage": "Choose a stage."})
    with transaction.atomic():
        _lock(client)
        if not access.may_manage_circle(actor, client):
            raise PermissionDenied("Only the lead professional can change the stage.")
        before = client.stage
        if before == stage:
            return client
        client.stage = stage
        client.save(update_fields=["stage"])
        audit_record(
            actor=actor,
            action="client.stage_change",
            client=client,
            obj=client,
            before={"stage": before},
            after={"stage": stage},
        )
        publish(client=client, type="client.stage_changed", payload={"stage": stage})
    return client


def circle_member_add(
    *,
    actor: "User",
    client: Client,
    kind: str,
    role: str,
    user: "User | None" = None,
    name: str = "",
    relationship: str = "",
    phone: str = "",
    email: str = "",
) -> CircleMember:
    """Add a professional (a user) or a family member or friend (a contact) to the client's circle."""
    errors: dict[str, str] = {}
    if kind == CircleMember.Kind.PROFESSIONAL:
        if user is None or not user.is_active or not user.organisation_id:
            errors["user"] = "Choose a professional from the directory."
        if role not in CircleMember.Role.values or role in FAMILY_ROLES:
            errors["role"] = "Choose their role in the circle."
        fields = {"user": user, "organisation_id": user.organisation_id if user else None}
    elif kind == CircleMember.Kind.FAMILY:
        name, relationship, phone, email = map(clean_line, (name, relationship, phone, email))
        errors |= length_errors(
            {
                "name": (name, 200),
                "relationship": (relationship, 100),
                "phone": (phone, 40),
                "email": (email, 254),
            }
        )
        if not name:
            errors["name"] = "Enter their name."
        if role not in FAMILY_ROLES:
            errors["role"] = "Choose family member, carer or friend."
        fields = {
            "name": name,
            "relationship": relationship,
            "phone": phone,
            "email": email,
        }
    else:
        raise ValidationError({"kind": "Choose a professional or a family member."})
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        _lock(client)  # orders concurrent changes to one circle, so the checks below hold
        if not access.may_manage_circle(actor, client):
            raise PermissionDenied("Only the lead professional can change who is in the circle.")
        if user is not None and CircleMember.objects.filter(client=client, user=user, until=None).exists():
            raise ValidationError({"user": f"{user.full_name} is already in this circle."})
        member = CircleMember.objects.create(client=client, kind=kind, role=role, added_by=actor, **fields)
        audit_record(
            actor=actor, action="circle.member_add", client=client, obj=member, after=_member_snapshot(member)
        )
        publish(
            client=client,
            type="circle.member_added",
            payload={"member_id": member.pk, "user_id": member.user_id},
        )
    return member


def circle_member_remove(*, actor: "User", client: Client, member: CircleMember) -> CircleMember:
    """End a membership. The row stays, with `until`, so the circle's history is kept."""
    with transaction.atomic():
        _lock(client)
        if not access.may_manage_circle(actor, client):
            raise PermissionDenied("Only the lead professional can change who is in the circle.")
        member = CircleMember.objects.select_related("user").get(pk=member.pk, client=client)
        if member.until is not None:
            raise ValidationError("That person has already left the circle.")
        if member.is_lead:
            raise ValidationError(
                "The lead professional cannot be removed. Make someone else the lead first."
            )
        before = _member_snapshot(member)
        member.until = timezone.now()
        member.removed_by = actor
        member.save(update_fields=["until", "removed_by"])
        audit_record(
            actor=actor,
            action="circle.member_remove",
            client=client,
            obj=member,
            before=before,
            after=_member_snapshot(member),
        )
        publish(
            client=client,
            type="circle.member_removed",
            payload={"member_id": member.pk, "user_id": member.user_id},
        )
    return member


def circle_lead_change(*, actor: "User", client: Client, member: CircleMember) -> CircleMember:
    """Hand the lead to another current professional member."""
    with transaction.atomic():
        _lock(client)
        if not access.may_manage_circle(actor, client):
            raise PermissionDenied("Only the lead professional can hand over the lead.")
        member = CircleMember.objects.get(pk=member.pk, client=client)
        if member.until is not None or member.kind != CircleMember.Kind.PROFESSIONAL:
            raise ValidationError("The lead must be a professional who is in the circle now.")
        if member.is_lead:
            return member
        old_lead = CircleMember.objects.get(client=client, until=None, is_lead=True)
        old_lead.is_lead = False
        old_lead.save(update_fields=["is_lead"])
        member.is_lead = True
        member.save(update_fields=["is_lead"])
        audit_record(
            actor=actor,
            action="circle.lead_change",
            client=client,
            obj=member,
            before={"lead_member_id": old_lead.pk},
            after={"lead_member_id": member.pk},
        )
        publish(client=client, type="circle.lead_changed", payload={"member_id": member.pk})
    return member


def _lock(client: Client) -> None:
    Client.objects.select_for_update().only("pk").get(pk=client.pk)


def _client_snapshot(client: Client) -> dict:
    return {
        "public_id": client.public_id,
        "given_name": client.given_name,
        "family_name": client.family_name,
        "preferred_name": client.preferred_name,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else None,
        "stage": client.stage,
    }


def _member_snapshot(member: CircleMember) -> dict:
    return {
        "kind": member.kind,
        "user_id": member.user_id,
        "name": member.display_name,
        "organisation_id": member.organisation_id,
        "role": member.role,
        "is_lead": member.is_lead,
        "since": member.since.isoformat(),
        "until": member.until.isoformat() if member.until else None,
    }
