"""Writes to the directory: organisations and professional accounts. Audited like every other write."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from network.models import Organisation, User
from network.text import clean_line


def organisation_create(*, actor: Any, name: str, kind: str, phone: str = "") -> Organisation:
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": "Enter the organisation's name."})
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": "Choose what kind of organisation this is."})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "There is already an organisation with that name."})
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, phone=clean_line(phone))
        audit_record(
            actor=actor, action="organisation.create", obj=organisation, after={"name": name, "kind": kind}
        )
    return organisation


def professional_create(
    *,
    actor: Any,
    email: str,
    full_name: str,
    organisation: Organisation,
    job_title: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Give a professional an account in their organisation. Without a password they set one by email reset."""
    email, full_name = clean_line(email).lower(), clean_line(full_name)
    errors = {}
    if not email or "@" not in email:
        errors["email"] = "Enter an email address, like name@example.org."
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = "Someone already has an account with that email address."
    if not full_name:
        errors["full_name"] = "Enter their full name."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            full_name=full_name,
            organisation=organisation,
            job_title=clean_line(job_title),
            phone=clean_line(phone),
        )
        audit_record(
            actor=actor,
            action="professional.create",
            obj=user,
            after={"email": email, "full_name": full_name, "organisation_id": organisation.pk},
        )
    return user
