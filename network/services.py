"""Writes to the directory: organisations and professional accounts. Audited like every other write."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from network import hooks
from network.models import ApiToken, Organisation, Team, User
from network.roles import is_agency_admin
from network.text import clean_line
from network.tokens import key_hash, new_key


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
        hooks.audit(
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
    org_role: str = User.OrgRole.PRACTITIONER,
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
            org_role=org_role,
        )
        hooks.audit(
            actor=actor,
            action="professional.create",
            obj=user,
            after={"email": email, "full_name": full_name, "organisation_id": organisation.pk},
        )
    return user


# "Leave the team as it is" for professional_update (None there means "no team").
UNCHANGED: Any = object()


def professional_update(
    *,
    actor: User,
    person: User,
    org_role: str | None = None,
    is_active: bool | None = None,
    team: Team | None = UNCHANGED,
) -> User:
    """An agency admin changes a colleague's role or team, or switches their account off (or on again).

    Switching an account off signs the person out everywhere at once, open pages included.
    """
    if not is_agency_admin(actor) or person.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only an admin of their organisation can change this account.")
    if person.pk == actor.pk and (is_active is False or (org_role and org_role != User.OrgRole.ADMIN)):
        raise ValidationError("You cannot switch off your own account or stop being an admin yourself.")
    if org_role is not None and org_role not in User.OrgRole.values:
        raise ValidationError({"org_role": "Choose a role."})
    if team is not UNCHANGED and team is not None and team.organisation_id != person.organisation_id:
        raise ValidationError({"team": "Choose one of your organisation's teams."})
    with transaction.atomic():
        before = {"org_role": person.org_role, "is_active": person.is_active, "team_id": person.team_id}
        if org_role is not None:
            person.org_role = org_role
        if is_active is not None:
            person.is_active = is_active
        if team is not UNCHANGED:
            person.team = team
        person.save(update_fields=["org_role", "is_active", "team"])
        hooks.audit(
            actor=actor,
            action="professional.update",
            obj=person,
            before=before,
            after={"org_role": person.org_role, "is_active": person.is_active, "team_id": person.team_id},
        )
        if is_active is False and before["is_active"]:
            hooks.account_switched_off(actor=actor, person=person)
        if is_active is False:
            transaction.on_commit(lambda: hooks.end_sessions(user_id=person.pk))
    return person


def team_create(*, actor: User, name: str) -> Team:
    """An agency admin adds a team to their organisation."""
    if not is_agency_admin(actor) or actor.organisation_id is None:
        raise PermissionDenied("Only an agency admin can add a team.")
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": "Enter the team's name."})
    if len(name) > 100:
        raise ValidationError({"name": "Use 100 characters or fewer."})
    if Team.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": "Your organisation already has a team with that name."})
    with transaction.atomic():
        team = Team.objects.create(organisation_id=actor.organisation_id, name=name)
        hooks.audit(
            actor=actor,
            action="team.create",
            obj=team,
            after={"name": name, "organisation_id": actor.organisation_id},
        )
    return team


def organisation_set_two_factor(*, actor: User, organisation: Organisation, required: bool) -> Organisation:
    """Require (or stop requiring) two-factor sign-in for everyone in the organisation."""
    if not is_agency_admin(actor) or actor.organisation_id != organisation.pk:
        raise PermissionDenied("Only an admin of this organisation can change that.")
    with transaction.atomic():
        before = organisation.require_two_factor
        organisation.require_two_factor = required
        organisation.save(update_fields=["require_two_factor"])
        hooks.audit(
            actor=actor,
            action="organisation.two_factor",
            obj=organisation,
            before={"require_two_factor": before},
            after={"require_two_factor": required},
        )
    return organisation


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for `actor` themself, and its key (shown once: only a hash is kept).

    There is deliberately no way to make a token for someone else: whoever holds a token acts as its owner.
    """
    if not (actor.is_authenticated and actor.is_active and actor.kind == User.Kind.PROFESSIONAL):
        raise PermissionDenied("API tokens are for professionals.")
    name = clean_line(name)
    if not name:
        raise ValidationError({"name": "Give the token a name, so you know later what uses it."})
    if len(name) > 100:
        raise ValidationError({"name": "Use 100 characters or fewer."})
    key = new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name, key_hash=key_hash(key))
        hooks.audit(actor=actor, action="api_token.create", obj=token, after={"name": name})
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token working at once: its owner may, and so may the site administrator."""
    if not (token.user_id == actor.pk or actor.is_superuser):
        raise PermissionDenied("Only the token's owner can revoke it.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor
            token.save(update_fields=["revoked_at", "revoked_by"])
            hooks.audit(actor=actor, action="api_token.revoke", obj=token, after={"user_id": token.user_id})
    return token
