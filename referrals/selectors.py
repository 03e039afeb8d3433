"""Reads of referrals and handovers. Each selector fetches *and* checks access (referrals/access.py)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from audit.services import audit_record
from circles import access
from circles.models import CircleMember, Client, Consent
from network.models import Organisation, User
from referrals import access as referral_access
from referrals import changes as c
from referrals.models import Handover, InboxMember, LeadNeeded, Referral, ReferralStep


class ReferralNotFound(Http404):
    """Unknown, or not the asker's to see: both look the same."""


def referral_get_for_user(user: User, referral_id: int | str) -> referral_access.ReferralAccess:
    """The referral and what `user` may do with it; 404 if it is not theirs to see. Every read is audited."""
    try:
        referral = Referral.objects.select_related(
            "client", "from_organisation", "to_organisation", "referrer", "worker", "consent", "answered_by"
        ).get(pk=int(referral_id))
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise ReferralNotFound("No such referral") from None
    who = referral_access.referral_access(user, referral)
    if who is None:
        raise ReferralNotFound("No such referral")
    with transaction.atomic():
        audit_record(actor=user, action=c.REFERRAL_VIEW.name, client=referral.client, obj=referral)
    return who


def referral_list_for_user(user: User, direction: str) -> QuerySet[Referral]:
    """Referrals `user` may see: "received" by their organisation's inbox, or "sent" from their circles."""
    condition = (
        referral_access.received_filter(user)
        if direction == "received"
        else referral_access.sent_filter(user)
    )
    return (
        Referral.objects.filter(condition)
        .select_related("client", "from_organisation", "to_organisation", "referrer", "worker")
        .order_by("-created_at", "-pk")
    )


def open_referrals_for(record: access.RecordAccess) -> list[Referral]:
    """The client's open referrals and where each stands, for the client page (members only)."""
    if record.membership is None:
        return []
    return list(
        Referral.objects.filter(client=record.client, status__in=Referral.OPEN)
        .select_related("to_organisation", "referrer")
        .order_by("-created_at", "-pk")
    )


def client_summary(record: access.RecordAccess, has: dict[str, bool] | None = None) -> dict:
    """Everything the client page's referrals panel shows (templates/referrals/_client_summary.html).
    `has`: `panel_flags` already read by the caller (the client page reads them with its own), else read
    here: each of the three parts is read only if it has anything to show."""
    in_circle = record.membership is not None
    if in_circle and has is None:
        has = _panels_with_rows(record)
    has = has if in_circle and has is not None else {}
    return {
        "client": record.client,
        "record": record,
        "open_referrals": open_referrals_for(record) if has.get("has_referrals") else [],
        "may_refer": referral_access.may_refer(record),
        "handovers": handovers_for(record) if has.get("has_handovers") else [],
        "lead_needed": lead_needed_for(record) if has.get("has_lead_needed") else None,
    }


def panel_flags(client: Client) -> dict[str, Exists]:
    """For a query on the client: which of the panel's three parts have rows (open referrals, handovers, a
    new lead needed), as `client_summary`'s `has` wants them."""
    return {
        "has_referrals": Exists(Referral.objects.filter(client=client, status__in=Referral.OPEN)),
        "has_handovers": Exists(Handover.objects.filter(client=client)),
        "has_lead_needed": Exists(LeadNeeded.objects.filter(client=client, resolved_at=None)),
    }


def _panels_with_rows(record: access.RecordAccess) -> dict[str, bool]:
    """Which of the three reads of the panel have anything to show, in one query (most clients have no open
    referral, no handover and no missing lead, so the panel then needs no other query)."""
    flags = panel_flags(record.client)
    row = Client.objects.filter(pk=record.client.pk).annotate(**flags).values(*flags).first()
    return row or {}


def referral_names(who: referral_access.ReferralAccess) -> access.Names:
    """How people are named in this referral to this reader: the policy's rule (circles.access). The
    circle (the sender) knows its hidden members; the receiving organisation's inbox does not."""
    return access.names_for(who.referral.client_id, sees_hidden=who.sender)


@dataclass(frozen=True)
class PackPerson:
    name: str
    role: str
    organisation: str


@dataclass(frozen=True)
class Pack:
    """What a referral shares, and nothing else: who is involved (never hidden members), what is true
    now, the reason, and — if the referrer chose — how to reach the client."""

    client_name: str
    client_public_id: str
    date_of_birth: str
    people: list[PackPerson]
    now: str
    stage: str
    contact: str
    consent: str
    referred_by: str


def referral_pack(who: referral_access.ReferralAccess) -> Pack:
    referral = who.referral
    client: Client = referral.client
    shares = set(referral.shares)
    names = referral_names(who)
    people = []
    if Referral.Share.CIRCLE in shares:
        members = (
            CircleMember.objects.filter(client=client, until=None, is_hidden=False)
            .select_related("user", "organisation")
            .order_by("-is_lead", "-kind", "since", "pk")
        )
        for member in members:
            if access.hides(names, member):
                continue
            name = access.person_label(names, member)
            role = member.get_role_display() + (" (lead)" if member.is_lead else "")
            people.append(PackPerson(name, role, member.organisation.name if member.organisation else ""))
    consent: Consent = referral.consent
    return Pack(
        client_name=client.display_name,
        client_public_id=client.public_id,
        date_of_birth=client.date_of_birth.strftime("%-d %B %Y") if client.date_of_birth else "",
        people=people,
        now=referral.now_summary if Referral.Share.NOW in shares else "",
        stage=client.get_stage_display() if Referral.Share.NOW in shares else "",
        contact=", ".join(x for x in (client.phone, client.email) if x)
        if Referral.Share.CONTACT in shares
        else "",
        consent=f"{consent.get_method_display()}, given by {consent.given_by} on {consent.given_on:%-d %B %Y}",
        referred_by=access.person_label(names, referral.referrer) or access.HIDDEN_LABEL,
    )


def referral_steps(who: referral_access.ReferralAccess) -> list[tuple[ReferralStep, str]]:
    """The referral's steps, each with who took it as the referral names them (never a hidden member)."""
    referral = who.referral
    names = referral_names(who)
    steps = list(referral.steps.select_related("actor", "organisation"))
    for step in steps:
        if access.hides(names, step.actor):
            step.organisation = None  # for this reader only (never saved): a hidden member's agency goes too
        if step.kind == ReferralStep.Kind.ACCEPTED:
            step.text = access.person_label(names, step.text)  # the worker's name, as written down then
    return [(step, access.person_label(names, step.actor) or access.HIDDEN_LABEL) for step in steps]


def workers_for(who: referral_access.ReferralAccess) -> list[User]:
    """Whom the receiver may name as the worker: active professionals of the receiving organisation."""
    if not who.may_answer:
        return []
    return list(
        User.objects.filter(
            organisation_id=who.referral.to_organisation_id, is_active=True, kind=User.Kind.PROFESSIONAL
        ).order_by("full_name", "pk")
    )


def consent_for(client: Client, organisation: Organisation) -> Consent | None:
    """The client's current consent to share information with `organisation` by name, if there is one.

    Consent to share within the circle does not reach an organisation that is not in it yet.
    """
    return (
        Consent.objects.current()
        .filter(client=client, scope=Consent.Scope.ORGANISATION, organisation=organisation)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def inbox_people(organisation: Organisation) -> list[User]:
    """Everyone who works the organisation's referrals inbox now: its managers and the people they named."""
    named = InboxMember.objects.filter(organisation=organisation, until=None).values("user_id")
    managers = Q(org_role__in=[User.OrgRole.MANAGER, User.OrgRole.ADMIN])
    return list(
        User.objects.filter(organisation=organisation, is_active=True, kind=User.Kind.PROFESSIONAL)
        .filter(managers | Q(pk__in=named))
        .order_by("pk")
    )


# Handovers.


def handover_get_for_user(user: User, handover_id: int | str) -> tuple[Handover, access.RecordAccess]:
    """A handover, for members of the client's circle (the summary is the circle's)."""
    try:
        handover = Handover.objects.select_related("client", "from_user", "to_member__user").get(
            pk=int(handover_id)
        )
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise Http404("No such handover") from None
    record = access.record_access(user, handover.client)
    if record.membership is None:
        raise Http404("No such handover")
    return handover, record


def handovers_for(record: access.RecordAccess) -> list[Handover]:
    """The client's handovers, for the circle: an offered one (the summary once accepted)."""
    if record.membership is None:
        return []
    return list(
        Handover.objects.filter(client=record.client)
        .select_related("from_user", "to_member__user")
        .order_by("-created_at", "-pk")[:5]
    )


def leads_needed_for_manager(user: User) -> list[LeadNeeded]:
    """Circles of the manager's organisation whose lead left: "needs a new lead". Each has `former_lead_shown`:
    the former lead as the policy names them to this manager (a hidden lead stays unnamed outside the circle)."""
    if not access.is_agency_manager(user) or user.organisation_id is None:
        return []
    needed = list(
        LeadNeeded.objects.filter(organisation_id=user.organisation_id, resolved_at=None)
        .select_related("client", "former_lead")
        .order_by("since", "pk")
    )
    for item in needed:
        item.former_lead_shown = access.person_label(  # type: ignore[attr-defined]
            access.names_for_person(user, item.client), item.former_lead
        )
    return needed


def lead_needed_for(record: access.RecordAccess) -> LeadNeeded | None:
    return LeadNeeded.objects.filter(client=record.client, resolved_at=None).first()
