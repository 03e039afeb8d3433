"""Writes to referrals. Each service validates, locks, checks, writes, audits, publishes and notifies.

The steps of the loop: create → (more information ↔ information given) → accept (the worker joins the
circle) or decline → first contact → outcome; the referrer may withdraw while it is open. A step that
does not fit the referral's current state is refused with ReferralConflict, which carries that state.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changes.services import record
from circles import access
from circles.models import CircleMember, Client
from circles.services import circle_member_join
from network.models import Organisation, User
from network.roles import is_agency_manager, is_professional
from network.text import clean_line, clean_text, length_errors
from realtime.publish import notify
from referrals import access as referral_access
from referrals import changes as c
from referrals import selectors
from referrals.models import InboxMember, Referral, ReferralSettings, ReferralStep
from reminders.at_once import remind_on_commit

if TYPE_CHECKING:
    from changes.catalogue import Change

S = Referral.Status
DEFAULT_ANSWER_DAYS = 10


class ReferralConflict(Exception):
    """The step does not fit where the referral stands now (accepted twice, an outcome before contact…)."""

    def __init__(self, message: str, referral: Referral) -> None:
        super().__init__(message)
        self.message = message
        self.referral = referral


def referral_create(
    *,
    actor: User,
    client: Client,
    to_organisation: Organisation | None,
    service: str,
    asked: str,
    reason: str,
    urgency: str = Referral.Urgency.ROUTINE,
    shares: Iterable[str] = (Referral.Share.CIRCLE, Referral.Share.NOW),
    now_summary: str = "",
) -> Referral:
    """Refer the client to another organisation for a service. Needs the client's consent to share with it."""
    service, asked, reason, now_summary = (
        clean_line(service),
        clean_text(asked),
        clean_text(reason),
        clean_text(now_summary),
    )
    shares = sorted(set(shares))
    errors = length_errors({"service": (service, 200), "asked": (asked, 5000), "reason": (reason, 5000)})
    if to_organisation is None:
        errors["to_organisation"] = "Choose the organisation to refer to."
    elif to_organisation.pk == actor.organisation_id:
        errors["to_organisation"] = (
            "Choose another organisation: a referral goes to someone outside your own."
        )
    if not service:
        errors["service"] = "Say which service you are referring for."
    if not asked:
        errors["asked"] = "Say what you are asking them to do."
    if not reason:
        errors["reason"] = "Say why."
    if urgency not in Referral.Urgency.values:
        errors["urgency"] = "Choose how urgent it is."
    if any(share not in Referral.Share.values for share in shares):
        errors["shares"] = "Choose what will be shared."
    if errors:
        raise ValidationError(errors)
    assert to_organisation is not None
    from_organisation_id = actor.organisation_id
    if from_organisation_id is None:
        raise PermissionDenied("Only members of the circle can refer the client.")
    with transaction.atomic():
        _lock_client(client)
        if not referral_access.may_refer(access.record_access(actor, client)):
            raise PermissionDenied("Only members of the circle can refer the client.")
        consent = selectors.consent_for(client, to_organisation)
        if consent is None:
            raise ValidationError(
                {
                    "consent": f"{client.given_name} has not agreed to share information with "
                    f"{to_organisation.name}. Record their consent first (the lead professional can)."
                }
            )
        days = (
            ReferralSettings.objects.filter(organisation=to_organisation)
            .values_list("answer_within_days", flat=True)
            .first()
        ) or DEFAULT_ANSWER_DAYS
        referral = Referral.objects.create(
            client=client,
            from_organisation_id=from_organisation_id,
            to_organisation=to_organisation,
            referrer=actor,
            service=service,
            asked=asked,
            reason=reason,
            urgency=urgency,
            shares=shares,
            now_summary=now_summary if Referral.Share.NOW in shares else "",
            consent=consent,
            answer_due_on=timezone.localdate() + datetime.timedelta(days=days),
        )
        _step(referral, ReferralStep.Kind.SENT, actor, text=reason)
        _record(c.REFERRAL_CREATE, actor, referral, before=None)
        remind_on_commit(client_id=client.pk, kinds=["referral.waiting"])
        for person in selectors.inbox_people(to_organisation):
            _tell(person, referral, f"New referral from {referral.from_organisation.name}: {service}.")
    return referral


def referral_accept(*, actor: User, referral: Referral, worker: User | None) -> Referral:
    """Accept, naming the worker (from the receiving organisation), who joins the client's circle."""
    if worker is None or not is_professional(worker) or worker.organisation_id != referral.to_organisation_id:
        raise ValidationError({"worker": "Choose the worker, from your organisation, who will take it on."})
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="answer")
        if referral.status not in Referral.WAITING_FOR_ANSWER:
            raise ReferralConflict(_already(referral, who), referral)
        before = _snapshot(referral)
        referral.status, referral.worker = S.ACCEPTED, worker
        referral.answered_at, referral.answered_by = timezone.now(), actor
        referral.save(update_fields=["status", "worker", "answered_at", "answered_by"])
        if not CircleMember.objects.filter(client=referral.client, user=worker, until=None).exists():
            circle_member_join(
                actor=actor, client=referral.client, user=worker, role=CircleMember.Role.SUPPORT_WORKER
            )
        _step(referral, ReferralStep.Kind.ACCEPTED, actor, text=worker.full_name)
        _record(c.REFERRAL_ACCEPT, actor, referral, before=before)
        text = f"{referral.to_organisation.name} accepted the referral for {referral.service}."
        _tell_senders(referral, text)
        if worker.pk != actor.pk:
            _tell(
                worker, referral, f"You are the worker for a referral from {referral.from_organisation.name}."
            )
    return referral


def referral_decline(*, actor: User, referral: Referral, reason: str, suggestion: str = "") -> Referral:
    """Decline with a reason, and optionally a suggestion of where else to try. The referral is kept."""
    reason, suggestion = clean_text(reason), clean_line(suggestion)
    errors = length_errors({"reason": (reason, 5000), "suggestion": (suggestion, 300)})
    if not reason:
        errors["reason"] = "Say why you cannot take this referral."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="answer")
        if referral.status not in Referral.WAITING_FOR_ANSWER:
            raise ReferralConflict(_already(referral, who), referral)
        before = _snapshot(referral)
        referral.status, referral.declined_reason, referral.suggestion = S.DECLINED, reason, suggestion
        referral.answered_at, referral.answered_by = timezone.now(), actor
        referral.closed_at = referral.answered_at
        referral.save(
            update_fields=[
                "status",
                "declined_reason",
                "suggestion",
                "answered_at",
                "answered_by",
                "closed_at",
            ]
        )
        _step(referral, ReferralStep.Kind.DECLINED, actor, text=reason)
        _record(c.REFERRAL_DECLINE, actor, referral, before=before)
        text = f"{referral.to_organisation.name} declined the referral for {referral.service}."
        _tell_senders(referral, text + (f" They suggest: {suggestion}." if suggestion else ""))
    return referral


def referral_info_request(*, actor: User, referral: Referral, question: str) -> Referral:
    """The receiver asks the referrer for more information before answering."""
    question = clean_text(question)
    if not question:
        raise ValidationError({"question": "Say what you need to know."})
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="answer")
        if referral.status != S.SENT:
            raise ReferralConflict(_already(referral, who), referral)
        before = _snapshot(referral)
        referral.status = S.MORE_INFO
        referral.save(update_fields=["status"])
        _step(referral, ReferralStep.Kind.MORE_INFO, actor, text=question)
        _record(c.REFERRAL_INFO_REQUEST, actor, referral, before=before)
        remind_on_commit(client_id=referral.client_id, kinds=["referral.waiting"])
        _tell_senders(
            referral, f"{referral.to_organisation.name} asked for more information about a referral."
        )
    return referral


def referral_info_give(*, actor: User, referral: Referral, answer: str) -> Referral:
    """The referring side answers the question; the referral waits for an answer again."""
    answer = clean_text(answer)
    if not answer:
        raise ValidationError({"answer": "Write the information they asked for."})
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="give_info")
        if referral.status != S.MORE_INFO:
            raise ReferralConflict("Nobody is waiting for more information on this referral.", referral)
        before = _snapshot(referral)
        referral.status = S.SENT
        referral.save(update_fields=["status"])
        _step(referral, ReferralStep.Kind.INFO_GIVEN, actor, text=answer)
        _record(c.REFERRAL_INFO_GIVE, actor, referral, before=before)
        remind_on_commit(client_id=referral.client_id, kinds=["referral.waiting"])
        for person in selectors.inbox_people(referral.to_organisation):
            _tell(
                person, referral, f"{referral.from_organisation.name} answered your question on a referral."
            )
    return referral


def referral_first_contact(*, actor: User, referral: Referral, on: datetime.date | None = None) -> Referral:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "First contact cannot be in the future."})
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="progress")
        if referral.status != S.ACCEPTED:
            if referral.status == S.CONTACTED:
                raise ReferralConflict("First contact is already recorded.", referral)
            raise ReferralConflict(
                f"First contact comes after accepting; this referral is {_state(referral)}.", referral
            )
        if on < referral.created_at.date():
            raise ValidationError({"on": "First contact cannot be before the referral was made."})
        before = _snapshot(referral)
        referral.status, referral.first_contact_on = S.CONTACTED, on
        referral.save(update_fields=["status", "first_contact_on"])
        _step(referral, ReferralStep.Kind.FIRST_CONTACT, actor, text=on.isoformat())
        _record(c.REFERRAL_FIRST_CONTACT, actor, referral, before=before)
        _tell_senders(referral, f"{referral.to_organisation.name} made first contact ({referral.service}).")
    return referral


def referral_outcome(*, actor: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    """Close the loop. Every outcome but "could not contact" needs first contact recorded first."""
    note = clean_text(note)
    if outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="progress")
        allowed = {S.CONTACTED} | ({S.ACCEPTED} if outcome == Referral.Outcome.COULD_NOT_CONTACT else set())
        if referral.status not in allowed:
            if referral.status == S.ACCEPTED:
                raise ReferralConflict("Record first contact before the outcome.", referral)
            raise ReferralConflict(f"This referral is {_state(referral)}.", referral)
        before = _snapshot(referral)
        referral.status, referral.outcome, referral.outcome_note = S.CLOSED, outcome, note
        referral.closed_at = timezone.now()
        referral.save(update_fields=["status", "outcome", "outcome_note", "closed_at"])
        _step(referral, ReferralStep.Kind.OUTCOME, actor, text=referral.get_outcome_display())
        _record(c.REFERRAL_OUTCOME, actor, referral, before=before)
        _tell_senders(
            referral,
            f"{referral.to_organisation.name}: {referral.get_outcome_display().lower()} ({referral.service}).",
        )
    return referral


def referral_withdraw(*, actor: User, referral: Referral, reason: str = "") -> Referral:
    """The referrer (or the circle's lead) withdraws an open referral. Its history is kept."""
    reason = clean_text(reason)
    with transaction.atomic():
        referral, who = _begin(actor, referral, need="withdraw")
        if not referral.is_open:
            raise ReferralConflict(f"This referral is {_state(referral)}.", referral)
        before = _snapshot(referral)
        referral.status, referral.closed_at = S.WITHDRAWN, timezone.now()
        referral.save(update_fields=["status", "closed_at"])
        _step(referral, ReferralStep.Kind.WITHDRAWN, actor, text=reason)
        _record(c.REFERRAL_WITHDRAW, actor, referral, before=before)
        receivers = set(selectors.inbox_people(referral.to_organisation))
        if referral.worker is not None:
            receivers.add(referral.worker)
        for person in receivers:
            _tell(
                person,
                referral,
                f"{referral.from_organisation.name} withdrew a referral ({referral.service}).",
            )
    return referral


def inbox_member_set(*, actor: User, user: User, works_inbox: bool) -> InboxMember | None:
    """An agency manager names a colleague to work the referrals inbox (or takes them off it)."""
    organisation_id = actor.organisation_id
    if not is_agency_manager(actor) or organisation_id is None or user.organisation_id != organisation_id:
        raise PermissionDenied("Only an agency manager names who works their organisation's referrals.")
    with transaction.atomic():
        current = (
            InboxMember.objects.select_for_update()
            .filter(organisation_id=organisation_id, user=user, until=None)
            .first()
        )
        if works_inbox and current is None:
            current = InboxMember.objects.create(organisation_id=organisation_id, user=user, named_by=actor)
            record(
                change=c.INBOX_MEMBER_ADD, actor=actor, client=None, obj=current, after={"user_id": user.pk}
            )
        elif not works_inbox and current is not None:
            current.until = timezone.now()
            current.save(update_fields=["until"])
            record(
                change=c.INBOX_MEMBER_REMOVE,
                actor=actor,
                client=None,
                obj=current,
                after={"user_id": user.pk},
            )
    return current


# Inside the services.


# Which of access.STEPS each kind of step stands for, and what someone who may not take it is told.
NEED_STEP = {"answer": "accept", "progress": "first-contact", "withdraw": "withdraw", "give_info": "info"}
REFUSED = {
    "answer": "Only the receiving organisation's referrals inbox can answer this referral.",
    "progress": "Only the receiving organisation can record this.",
    "withdraw": "Only the referrer or the circle's lead can withdraw this referral.",
    "give_info": "Only members of the client's circle can answer for the referral.",
}


def _lock_client(client: Client) -> None:
    Client.objects.select_for_update().only("pk").get(pk=client.pk)


def _begin(actor: User, referral: Referral, *, need: str) -> tuple[Referral, referral_access.ReferralAccess]:
    """Lock the client and the referral (in that order, like every write to the record), re-read the
    referral and check the actor may take this step."""
    _lock_client(referral.client)
    referral = (
        Referral.objects.select_for_update(of=("self",))  # the referral alone: worker may be empty
        .select_related("client", "to_organisation", "from_organisation", "referrer", "worker")
        .get(pk=referral.pk)
    )
    who = referral_access.referral_access(actor, referral)
    if who is None or not who.may_take(NEED_STEP[need]):
        raise PermissionDenied(REFUSED[need])
    return referral, who


def _state(referral: Referral) -> str:
    return referral.get_status_display().lower()


def _already(referral: Referral, who: referral_access.ReferralAccess) -> str:
    if referral.status == S.ACCEPTED or referral.status in (S.CONTACTED, S.CLOSED):
        by = access.person_label(selectors.referral_names(who), referral.answered_by)
        when = referral.answered_at.strftime("%-d %B %Y") if referral.answered_at else ""
        return (
            f"This referral was already accepted{f' by {by}' if by else ''}{f' on {when}' if when else ''}."
        )
    return f"This referral is {_state(referral)}."


def _step(referral: Referral, kind: str, actor: User, *, text: str = "") -> ReferralStep:
    return ReferralStep.objects.create(
        referral=referral, kind=kind, actor=actor, organisation_id=actor.organisation_id, text=text
    )


def _snapshot(referral: Referral) -> dict:
    return {
        "status": referral.status,
        "to_organisation_id": referral.to_organisation_id,
        "worker_id": referral.worker_id,
        "outcome": referral.outcome,
        "first_contact_on": referral.first_contact_on.isoformat() if referral.first_contact_on else None,
    }


def _record(change: "Change", actor: User, referral: Referral, *, before: dict | None) -> None:
    record(
        change=change,
        actor=actor,
        client=referral.client,
        obj=referral,
        before=before,
        after=_snapshot(referral),
        payload=c.ReferralChanged(referral_id=referral.pk, status=referral.status),
    )


def _url(referral: Referral) -> str:
    return reverse("referrals:referral", args=[referral.pk])


def _tell(person: User, referral: Referral, text: str) -> None:
    notify(user=person, kind="referral", text=text, url=_url(referral))


def _tell_senders(referral: Referral, text: str) -> None:
    """The referrer and the circle's lead hear of every step (once each, if they are one person)."""
    people = {referral.referrer_id: referral.referrer}
    lead = (
        CircleMember.objects.filter(client=referral.client, until=None, is_lead=True)
        .select_related("user")
        .first()
    )
    if lead and lead.user and lead.user.is_active:
        people.setdefault(lead.user.pk, lead.user)
    for person in people.values():
        if person.is_active:
            _tell(person, referral, text)
