"""Writes to the client record and its circle. Each service validates, writes, audits and publishes."""

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from changes.services import record
from circles import access, public_id
from circles import changes as c
from circles.models import CircleMember, Client, Consent, EmergencyAccess, JoinRequest, StageChange
from network.text import clean_line, clean_text, length_errors
from realtime.publish import notify

if TYPE_CHECKING:
    from network.models import Organisation, User

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
    fields: dict[str, Any] = {
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
            name: (fields[name], cast(models.Field, Client._meta.get_field(name)).max_length or 2000)
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
                record(
                    change=c.CLIENT_CREATE,
                    actor=actor,
                    client=client,
                    obj=client,
                    after=_client_snapshot(client),
                    payload=c.ClientCreated(public_id=client.public_id),
                )
                # The founding lead's membership is part of the creation: audited, with no event of its own.
                record(
                    change=c.MEMBER_ADD,
                    actor=actor,
                    client=client,
                    obj=member,
                    after=_member_snapshot(member),
                )
                return client
        except IntegrityError:
            # A public ID clash (one in 34 billion per pair); draw another.
            continue
    raise RuntimeError("Could not draw an unused public ID")


def client_stage_change(
    *,
    actor: "User",
    client: Client,
    stage: str,
    reason: str = "",
    outcome: str = "",
    at: datetime.datetime | None = None,
) -> Client:
    """The lead moves the case to another stage, with a reason. Stages may loop (review → assessment).

    Closing records an outcome. A closed case is reopened with `client_reopen`, not moved. `at` is for
    changes brought in from elsewhere (demo data, an old system); otherwise it is now.
    """
    reason = clean_line(reason)
    errors = _stage_errors(stage=stage, reason=reason)
    if stage == Client.Stage.CLOSED and outcome not in CLOSING_OUTCOMES:
        errors["outcome"] = "Choose how the case ended."
    if errors.get("stage"):
        raise ValidationError({"stage": errors["stage"]})
    with transaction.atomic():
        _lock(client)
        client.refresh_from_db(fields=["stage", "stage_since", "outcome"])
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can change the stage.")
        if client.stage == stage:
            return client
        if client.is_closed:
            raise ValidationError(
                {
                    "stage": ValidationError(
                        "This case is closed: reopen it, with a reason, to move it on.", code="conflict"
                    )
                }
            )
        if errors:
            raise ValidationError(errors)
        return _move(
            actor=actor,
            client=client,
            stage=stage,
            reason=reason,
            outcome=outcome if stage == Client.Stage.CLOSED else "",
            change=c.CLIENT_STAGE_CHANGE,
            at=at,
        )


def client_reopen(
    *, actor: "User", client: Client, reason: str, stage: str = Client.Stage.ASSESSMENT
) -> Client:
    """The lead reopens a closed case, with a reason, at a stage (assessment unless they choose another)."""
    reason = clean_line(reason)
    errors = _stage_errors(stage=stage, reason=reason)
    if stage == Client.Stage.CLOSED:
        errors["stage"] = "Choose the stage the case reopens at."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        client.refresh_from_db(fields=["stage", "stage_since", "outcome"])
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can reopen a case.")
        if not client.is_closed:
            raise ValidationError({"stage": ValidationError("This case is open already.", code="conflict")})
        return _move(
            actor=actor, client=client, stage=stage, reason=reason, outcome="", change=c.CLIENT_REOPEN
        )


CLOSING_OUTCOMES = [value for value in Client.Outcome.values if value != Client.Outcome.UNKNOWN]
STAGE_REASON_MAX = 500


def _stage_errors(*, stage: str, reason: str) -> dict[str, str]:
    errors = {}
    if stage not in Client.Stage.values:
        errors["stage"] = "Choose a stage."
    if not reason:
        errors["reason"] = "Say why the case is moving on (or back)."
    elif len(reason) > STAGE_REASON_MAX:
        errors["reason"] = f"Keep the reason to {STAGE_REASON_MAX} characters."
    return errors


def _move(
    *,
    actor: "User",
    client: Client,
    stage: str,
    reason: str,
    outcome: str,
    change: Any,
    at: datetime.datetime | None = None,
) -> Client:
    """Move the (locked, permission-checked) client to `stage`: history row, audit, event."""
    now = at or timezone.now()
    before = {"stage": client.stage}
    step = StageChange.objects.create(
        client=client,
        from_stage=client.stage,
        to_stage=stage,
        reason=reason,
        outcome=outcome,
        is_reopening=change is c.CLIENT_REOPEN,
        by=actor,
        at=now,
    )
    client.stage, client.stage_since, client.outcome = stage, now, outcome
    client.save(update_fields=["stage", "stage_since", "outcome"])
    record(
        change=change,
        actor=actor,
        client=client,
        obj=client,
        before=before,
        after={"stage": stage, "reason": reason, "outcome": outcome, "stage_change_id": step.pk},
        payload=c.StageChanged(stage=stage),
    )
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
    is_hidden: bool = False,
    hidden_reason: str = "",
) -> CircleMember:
    """Add a professional (a user) or a family member or friend (a contact) to the client's circle.

    `is_hidden` marks a sensitive member (e.g. a domestic-abuse adviser) whom nobody outside the circle sees.
    """
    errors: dict[str, str] = {}
    if kind == CircleMember.Kind.PROFESSIONAL:
        if user is None or not user.is_active or not user.organisation_id:
            errors["user"] = "Choose a professional from the directory."
        if role not in CircleMember.Role.values or role in FAMILY_ROLES:
            errors["role"] = "Choose their role in the circle."
        elif role == CircleMember.Role.LEAD_PROFESSIONAL:
            errors["role"] = "Add them with their own role, then choose “Make lead” to hand over the lead."
        fields: dict[str, Any] = {"user": user, "organisation_id": user.organisation_id if user else None}
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
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can change who is in the circle.")
        member = _member_add(
            actor=actor,
            client=client,
            kind=kind,
            role=role,
            fields=fields
            | {"is_hidden": is_hidden, "hidden_reason": clean_line(hidden_reason)[:500] if is_hidden else ""},
        )
    return member


def circle_member_join(*, actor: "User", client: Client, user: "User", role: str) -> CircleMember:
    """A professional joins the circle because something the policy allows said so, not the lead: the
    worker a receiving organisation names when it accepts a referral (referrals.services). The caller
    holds the transaction, has locked the client and checked that the actor may do it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("circle_member_join() belongs inside the caller's transaction")
    if not user.is_active or not user.organisation_id or role in FAMILY_ROLES:
        raise ValidationError({"user": "Choose a professional from the directory."})
    return _member_add(
        actor=actor,
        client=client,
        kind=CircleMember.Kind.PROFESSIONAL,
        role=role,
        fields={"user": user, "organisation_id": user.organisation_id, "is_hidden": False},
    )


def _member_add(*, actor: "User", client: Client, kind: str, role: str, fields: dict) -> CircleMember:
    """Add one member inside the caller's transaction (client row locked, permission checked)."""
    user = fields.get("user")
    if user is not None and CircleMember.objects.filter(client=client, user=user, until=None).exists():
        raise ValidationError({"user": f"{user.full_name} is already in this circle."})
    member = CircleMember.objects.create(client=client, kind=kind, role=role, added_by=actor, **fields)
    record(
        change=c.MEMBER_ADD,
        actor=actor,
        client=client,
        obj=member,
        after=_member_snapshot(member),
        payload=c.MemberChanged(member_id=member.pk, user_id=member.user_id),
        audience={"client_visible": not member.is_hidden},
    )
    return member


def circle_member_remove(*, actor: "User", client: Client, member: CircleMember) -> CircleMember:
    """End a membership. The row stays, with `until`, so the circle's history is kept."""
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can change who is in the circle.")
        member = CircleMember.objects.select_related("user").get(pk=member.pk, client=client)
        if member.until is not None:
            raise ValidationError("That person has already left the circle.", code="conflict")
        if member.is_lead:
            raise ValidationError(
                "The lead professional cannot be removed. Make someone else the lead first."
            )
        before = _member_snapshot(member)
        member.until = timezone.now()
        member.removed_by = actor
        member.save(update_fields=["until", "removed_by"])
        record(
            change=c.MEMBER_REMOVE,
            actor=actor,
            client=client,
            obj=member,
            before=before,
            after=_member_snapshot(member),
            payload=c.MemberChanged(member_id=member.pk, user_id=member.user_id),
            audience={"client_visible": not member.is_hidden},
        )
    return member


def circle_member_hide(
    *, actor: "User", client: Client, member: CircleMember, hidden: bool, reason: str = ""
) -> CircleMember:
    """Hide a member from everyone outside the circle (say, a domestic-abuse adviser), or stop hiding them.

    Hiding needs a reason, which the circle sees. Outsiders then read "A member of the circle" wherever
    the member's name would be (circles.access.person_label) and never learn of the membership itself.
    """
    reason = clean_line(reason) if hidden else ""
    errors = length_errors({"reason": (reason, 500)})
    if hidden and not reason:
        errors["reason"] = "Say why they are hidden, so the rest of the circle knows."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can hide someone.")
        member = CircleMember.objects.select_related("user").get(pk=member.pk, client=client)
        if member.until is not None:
            raise ValidationError("That person has already left the circle.", code="conflict")
        if member.is_hidden == hidden and member.hidden_reason == reason:
            return member
        before = {"is_hidden": member.is_hidden, "hidden_reason": member.hidden_reason}
        member.is_hidden, member.hidden_reason = hidden, reason
        member.save(update_fields=["is_hidden", "hidden_reason"])
        record(
            change=c.MEMBER_HIDE,
            actor=actor,
            client=client,
            obj=member,
            before=before,
            after={"is_hidden": hidden, "hidden_reason": reason},
            payload=c.MemberChanged(member_id=member.pk, user_id=member.user_id),
            audience={"client_visible": False},
        )
    return member


def circle_lead_change(*, actor: "User", client: Client, member: CircleMember) -> CircleMember:
    """Hand the lead to another current professional member."""
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
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
        record(
            change=c.LEAD_CHANGE,
            actor=actor,
            client=client,
            obj=member,
            before={"lead_member_id": old_lead.pk},
            after={"lead_member_id": member.pk},
            payload=c.LeadChanged(member_id=member.pk),
            audience={"client_visible": not member.is_hidden},
        )
    return member


def circle_lead_change_accepted(*, actor: "User", client: Client, member: CircleMember) -> CircleMember:
    """The member accepts the lead handed to them (referrals.handovers): `actor` is the new lead, not the
    old one. The caller holds the transaction and has locked the client."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("circle_lead_change_accepted() belongs inside the caller's transaction")
    member = CircleMember.objects.get(pk=member.pk, client=client)
    if (
        member.until is not None
        or member.kind != CircleMember.Kind.PROFESSIONAL
        or member.user_id != actor.pk
    ):
        raise ValidationError("The lead must be a professional who is in the circle now.")
    old_lead = CircleMember.objects.filter(client=client, until=None, is_lead=True).first()
    if old_lead is not None:
        old_lead.is_lead = False
        old_lead.save(update_fields=["is_lead"])
    member.is_lead = True
    member.save(update_fields=["is_lead"])
    record(
        change=c.LEAD_CHANGE,
        actor=actor,
        client=client,
        obj=member,
        before={"lead_member_id": old_lead.pk if old_lead else None},
        after={"lead_member_id": member.pk},
        payload=c.LeadChanged(member_id=member.pk),
        audience={"client_visible": not member.is_hidden},
    )
    return member


def _tell_the_lead(client: Client, *, kind: str, text: str, url: str) -> None:
    """Notify the circle's lead professional (in the caller's transaction: rung on commit)."""
    lead = CircleMember.objects.filter(client=client, until=None, is_lead=True).select_related("user").first()
    if lead and lead.user:
        notify(user=lead.user, kind=kind, text=text, url=url)


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
        "is_hidden": member.is_hidden,
        "since": member.since.isoformat(),
        "until": member.until.isoformat() if member.until else None,
    }


# Consent.


def consent_record(
    *,
    actor: "User",
    client: Client,
    scope: str,
    method: str,
    given_by: str,
    given_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    organisation: "Organisation | None" = None,
    family_member: CircleMember | None = None,
) -> Consent:
    """Record what the client agreed to. Only the lead professional records consent."""
    given_by = clean_line(given_by)
    given_on = given_on or timezone.localdate()
    errors = length_errors({"given_by": (given_by, 200)})
    if scope not in Consent.Scope.values:
        errors["scope"] = "Choose what the client agreed to."
    if method not in Consent.Method.values:
        errors["method"] = "Choose how they agreed."
    if not given_by:
        errors["given_by"] = "Enter who gave consent, for example the client's name."
    if given_on > timezone.localdate():
        errors["given_on"] = "The date consent was given cannot be in the future."
    if expires_on and expires_on < given_on:
        errors["expires_on"] = "The end date must be after the date consent was given."
    if scope == Consent.Scope.ORGANISATION and organisation is None:
        errors["organisation"] = "Choose the organisation the client agreed to share with."
    if scope == Consent.Scope.FAMILY_PORTAL and (
        family_member is None
        or family_member.client_id != client.pk
        or family_member.kind != CircleMember.Kind.FAMILY
    ):
        errors["family_member"] = "Choose the family member or carer who may see the portal."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can record consent.")
        consent = Consent.objects.create(
            client=client,
            scope=scope,
            method=method,
            given_by=given_by,
            given_on=given_on,
            expires_on=expires_on,
            organisation=organisation if scope == Consent.Scope.ORGANISATION else None,
            family_member=family_member if scope == Consent.Scope.FAMILY_PORTAL else None,
            recorded_by=actor,
        )
        record(
            change=c.CONSENT_RECORD,
            actor=actor,
            client=client,
            obj=consent,
            after=_consent_snapshot(consent),
            payload=c.ConsentChanged(consent_id=consent.pk, scope=scope),
        )
    return consent


def consent_withdraw(*, actor: "User", consent: Consent, note: str = "") -> Consent:
    """Withdraw consent. It takes effect at once: pages, the API and open sockets of anyone it covered."""
    note = clean_line(note)
    if len(note) > 500:
        raise ValidationError({"note": "Use 500 characters or fewer."})
    client = consent.client
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can withdraw consent.")
        consent = Consent.objects.get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ValidationError("This consent has already been withdrawn.", code="conflict")
        before = _consent_snapshot(consent)
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.withdrawal_note = note
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record(
            change=c.CONSENT_WITHDRAW,
            actor=actor,
            client=client,
            obj=consent,
            before=before,
            after=_consent_snapshot(consent),
            payload=c.ConsentChanged(consent_id=consent.pk, scope=consent.scope),
        )
    return consent


# Joining a circle.


def join_request_create(*, actor: "User", client: Client, reason: str, role: str) -> JoinRequest:
    """A practitioner outside the circle asks the lead to let them in."""
    reason = clean_text(reason)
    errors = length_errors({"reason": (reason, 2000)})
    if not reason:
        errors["reason"] = "Say why you need to join, so the lead professional can decide."
    if (
        role not in CircleMember.Role.values
        or role in FAMILY_ROLES
        or role == CircleMember.Role.LEAD_PROFESSIONAL
    ):
        errors["role"] = "Choose your role."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        if not access.is_practitioner(actor):
            raise PermissionDenied("Only practitioners can ask to join a circle.")
        if access.current_membership(actor, client):
            raise ValidationError("You are already in this circle.", code="conflict")
        now = timezone.now()
        JoinRequest.objects.filter(
            client=client, requester=actor, status=JoinRequest.Status.PENDING, expires_at__lte=now
        ).update(status=JoinRequest.Status.EXPIRED)
        if JoinRequest.objects.filter(
            client=client, requester=actor, status=JoinRequest.Status.PENDING
        ).exists():
            raise ValidationError(
                "You have already asked to join. The lead professional has been told.", code="conflict"
            )
        request = JoinRequest.objects.create(
            client=client,
            requester=actor,
            organisation_id=actor.organisation_id,
            role=role,
            reason=reason,
            expires_at=now + datetime.timedelta(days=settings.JOIN_REQUEST_DAYS),
        )
        record(
            change=c.JOIN_REQUEST_CREATE,
            actor=actor,
            client=client,
            obj=request,
            after={"reason": reason, "role": role},
            payload=c.JoinRequestChanged(request_id=request.pk),
        )
        _tell_the_lead(
            client,
            kind="join_request.created",
            text=f"{actor.full_name} ({actor.organisation}) asks to join {client.full_name}'s circle.",
            url=reverse("circles:client", args=[client.public_id]) + "#join-requests",
        )
    return request


def join_request_decide(*, actor: "User", request: JoinRequest, approve: bool, note: str = "") -> JoinRequest:
    """The lead approves (the requester joins the circle at once) or declines. The requester is told."""
    note = clean_line(note)
    if len(note) > 500:
        raise ValidationError({"note": "Use 500 characters or fewer."})
    client = request.client
    with transaction.atomic():
        _lock(client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional can decide requests to join.")
        request = JoinRequest.objects.select_related("requester").get(pk=request.pk)
        if not request.is_open:
            raise ValidationError(
                "This request has already been decided, withdrawn or has lapsed.", code="conflict"
            )
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            change=c.JOIN_REQUEST_DECIDE,
            actor=actor,
            client=client,
            obj=request,
            before={"status": JoinRequest.Status.PENDING},
            after={"status": request.status, "note": note},
            payload=c.JoinRequestChanged(request_id=request.pk),
        )
        requester = request.requester
        if approve:
            _member_add(
                actor=actor,
                client=client,
                kind=CircleMember.Kind.PROFESSIONAL,
                role=request.role,
                fields={"user": requester, "organisation_id": requester.organisation_id},
            )
            text = f"{actor.full_name} added you to {client.full_name}'s circle."
        else:
            # The requester stays outside the circle: a hidden lead is not named to them.
            lead = access.person_label(access.names_for(client, sees_hidden=False), actor)
            text = f"{lead} declined your request to join {client.full_name}'s circle." + (
                f" They said: {note}" if note else ""
            )
        notify(
            user=requester,
            kind=f"join_request.{request.status}",
            text=text,
            url=reverse("circles:client", args=[client.public_id]),
        )
    return request


# Emergency access.


def emergency_access_start(*, actor: "User", client: Client, reason: str) -> EmergencyAccess:
    """Break the glass: open a record you are not in the circle of, for a while, with a reason.

    The lead professional is told at once, and everything done under it stands out in the audit.
    """
    reason = clean_text(reason)
    errors = length_errors({"reason": (reason, 2000)})
    if len(reason) < 10:
        errors["reason"] = "Say why you need to see this record now (at least 10 characters)."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(client)
        if not access.is_frontline(actor):
            raise PermissionDenied("Only practitioners can use emergency access.")
        if access.current_membership(actor, client):
            raise ValidationError(
                "You are in this circle already; you do not need emergency access.", code="conflict"
            )
        existing = access.active_emergency(actor, client)
        if existing:
            return existing
        now = timezone.now()
        grant = EmergencyAccess.objects.create(
            client=client,
            user=actor,
            reason=reason,
            started_at=now,
            expires_at=now + datetime.timedelta(minutes=settings.EMERGENCY_ACCESS_MINUTES),
        )
        record(
            change=c.EMERGENCY_START,
            actor=actor,
            client=client,
            obj=grant,
            after={"reason": reason, "expires_at": grant.expires_at.isoformat()},
            emergency=True,
            payload=c.EmergencyStarted(grant_id=grant.pk, user_id=actor.pk),
        )
        _tell_the_lead(
            client,
            kind="emergency.started",
            text=f"Emergency access: {actor.full_name} ({actor.organisation}) opened {client.full_name}'s record. "
            f"Reason: {reason[:200]}",
            url=reverse("circles:client", args=[client.public_id]) + "#emergency",
        )
    return grant


def _consent_snapshot(consent: Consent) -> dict:
    return {
        "scope": consent.scope,
        "method": consent.method,
        "given_by": consent.given_by,
        "given_on": consent.given_on.isoformat(),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
        "organisation_id": consent.organisation_id,
        "family_member_id": consent.family_member_id,
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    }
