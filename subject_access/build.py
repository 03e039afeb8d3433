"""What goes into a subject access export: everything Alongside holds about one client that the exporting
organisation may disclose, section by section, with every redaction counted and explained.

The disclosure rule (the export is the organisation's disclosure, not any one reader's view)
    - The exporting organisation is the agency admin's. It may export a client its people work or worked
      with: anyone from it in the circle, now or before (circles.access.may_export_audit, the audit
      export's rule).
    - The client record, the circle's history, consents, stages, the plan (goals, actions, their history,
      the client's own comments, agreed versions), referrals, handovers, portal access and who looked are
      the circle's shared record: all of it is disclosed.
    - What the circle *writes* with a visibility (notes, completed assessments, board cards, scales)
      follows the notes' rule as it applies to the organisation as a whole: everything its own people
      wrote (whatever its visibility); everything shared with the client (they have read it already); the
      client's own words (portal cards, self-ratings); and what other organisations wrote for the whole
      circle, if the client's current consent lets it reach this organisation
      (circles.access.shares_with). Other organisations' "my organisation only" and "named people only"
      writing, and their circle-wide writing without that consent, stay with them: they are counted in the
      redactions ("ask that organisation"), never shown. Drafts are not part of the record yet.
    - Meetings: this client's agenda items only (reason, lawful basis, minutes, decisions, the reports
      written for their pack); other clients discussed at the same meeting are left out and counted.

Redactions (each listed with its reason in the export)
    - Hidden members are never named: "A member of the circle (name withheld)", with no organisation; their
      memberships are left out of the circle's history (as the portal leaves them out); their full names
      and email addresses are also blanked in free text (notes, minutes, reasons).
    - Family members' and friends' phone numbers and emails (circles.access.shows_contact_details withholds
      them from anyone outside the circle).
    - Other clients' agenda items in a shared meeting.
    - Other organisations' writing this organisation may not disclose (above).
    Names go through circles.access.person_label; nothing here decides who is hidden.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from assessments.models import Assessment
from board.models import Card, Scale
from changes.catalogue import catalogue
from circles import access
from circles.audit_selectors import reads_for_disclosure
from circles.models import CircleMember, Client, Consent, PortalAccess, StageChange, Visibility
from conferences.models import AgendaItem, Contribution, Decision
from network.models import Organisation, User
from referrals.models import Handover, Referral, ReferralStep
from sharing.models import Action, Goal, GoalComment, Note, Plan, PlanAgreement, PlanChange

WITHHELD = "A member of the circle (name withheld)"

REASONS = {
    "hidden_member": (
        "A member of the circle whose identity the circle keeps from everyone outside it (a sensitive "
        "role, such as a domestic abuse adviser). Their name, organisation and role are withheld wherever "
        "they appear."
    ),
    "family_contact": (
        "A family member's or friend's phone number or email address: another person's details, which "
        "Alongside keeps for the circle only."
    ),
    "other_client": (
        "Another person discussed at the same meeting: what was said about them is about them, not about "
        "this client."
    ),
    "other_organisation": (
        "Written by another organisation and not shared with this one (kept to that organisation or to "
        "named people, or the client's consent does not let it reach this organisation). The client can "
        "ask that organisation for it."
    ),
    "draft": "Not finished: an assessment still being written is not part of the record until completed.",
}


@dataclass
class Redactions:
    """What was left out or blanked, counted by section, what and why."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def add(self, section: str, what: str, reason: str, count: int = 1) -> None:
        if count <= 0:
            return
        key = (section, what, reason)
        self.counts[key] = self.counts.get(key, 0) + count

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "section": section,
                "where": dict(SECTIONS).get(section, section),
                "what": what,
                "reason": reason,
                "why": REASONS[reason],
                "count": count,
            }
            for (section, what, reason), count in sorted(self.counts.items())
        ]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Disclosure:
    """One organisation's disclosure of one client's record: how people are named, what crosses to it."""

    client: Client
    organisation: Organisation
    exporter: User
    names: access.Names
    shares: bool
    hidden_words: re.Pattern[str] | None
    redactions: Redactions = field(default_factory=Redactions)

    @classmethod
    def for_export(cls, *, client: Client, organisation: Organisation, exporter: User) -> "Disclosure":
        # The export is read by the client (and whoever they show it to): outside the circle, so hidden
        # members are hidden from it, the exporting organisation's own included.
        names = access.names_for(client, sees_hidden=False)
        words = set(names.hidden_names)
        words |= set(User.objects.filter(pk__in=names.hidden_user_ids).values_list("email", flat=True))
        words |= set(
            CircleMember.objects.filter(pk__in=names.hidden_member_ids)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        words = {word for word in words if word and word.strip()}
        pattern = (
            re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
            if words
            else None
        )
        return cls(
            client=client,
            organisation=organisation,
            exporter=exporter,
            names=names,
            shares=access.shares_with(client, organisation.pk),
            hidden_words=pattern,
        )

    # Naming people.

    def hides(self, person: "User | CircleMember | str | None") -> bool:
        return person is not None and access.hides(self.names, person)

    def person(self, section: str, person: "User | CircleMember | str | None") -> str:
        if person is None or person == "":
            return ""
        if self.hides(person):
            self.redactions.add(section, "a name", "hidden_member")
            return WITHHELD
        return access.person_label(self.names, person)

    def organisation_of(self, person: "User | CircleMember | None", organisation: Organisation | None) -> str:
        if organisation is None or self.hides(person):
            return ""
        return organisation.name

    def text(self, section: str, text: str) -> str:
        """Free text with any hidden member's full name or email address blanked."""
        if not text or self.hidden_words is None:
            return text
        blanked, count = self.hidden_words.subn(WITHHELD, text)
        self.redactions.add(section, "a name in the text", "hidden_member", count)
        return blanked

    # The notes' rule, for the organisation as a whole (the module's docstring).

    def written_filter(self) -> Q:
        disclosed = Q(organisation_id=self.organisation.pk) | Q(visibility=Visibility.CLIENT)
        if self.shares:
            disclosed |= Q(visibility=Visibility.CIRCLE)
        return disclosed


SECTIONS: list[tuple[str, str]] = [
    ("record", "The record"),
    ("circle", "The circle: who joined and left, and when"),
    ("consents", "Consents"),
    ("stages", "Stages of support"),
    ("notes", "Notes"),
    ("plan", "The plan and its history"),
    ("assessments", "Assessments"),
    ("board", "The board: worries, what's working well, what needs to happen, scales"),
    ("meetings", "Meetings"),
    ("referrals", "Referrals and handovers"),
    ("portal", "Portal access"),
    ("who_looked", "Who looked at the record"),
]


def record(d: Disclosure) -> dict[str, Any]:
    c = d.client
    return {
        "record": {
            "public_id": c.public_id,
            "given_name": c.given_name,
            "family_name": c.family_name,
            "preferred_name": c.preferred_name,
            "date_of_birth": c.date_of_birth,
            "pronouns": c.pronouns,
            "language": c.language,
            "phone": c.phone,
            "email": c.email,
            "address": c.address,
            "accessibility_needs": c.accessibility_needs,
            "stage": c.get_stage_display(),
            "stage_since": c.stage_since,
            "outcome": c.get_outcome_display() if c.outcome else "",
            "registered_at": c.created_at,
            "registered_by": d.person("record", c.created_by),
        }
    }


def circle(d: Disclosure) -> dict[str, Any]:
    rows = []
    hidden = 0
    for m in (
        CircleMember.objects.filter(client=d.client)
        .select_related("user", "organisation", "added_by", "removed_by")
        .order_by("since", "pk")
    ):
        if d.hides(m):
            hidden += 1
            continue
        if m.is_family and (m.phone or m.email):
            d.redactions.add("circle", "contact details", "family_contact")
        rows.append(
            {
                "name": d.person("circle", m),
                "kind": m.get_kind_display(),
                "role": m.get_role_display(),
                "relationship": m.relationship,
                "organisation": d.organisation_of(m, m.organisation),
                "lead": m.is_lead,
                "joined": m.since,
                "left": m.until,
                "added_by": d.person("circle", m.added_by),
                "removed_by": d.person("circle", m.removed_by),
            }
        )
    d.redactions.add("circle", "a membership of the circle", "hidden_member", hidden)
    return {"members": rows}


def consents(d: Disclosure) -> dict[str, Any]:
    rows = []
    for c in (
        Consent.objects.filter(client=d.client)
        .select_related("organisation", "family_member__user", "recorded_by", "withdrawn_by")
        .order_by("recorded_at", "pk")
    ):
        rows.append(
            {
                "scope": c.get_scope_display(),
                "organisation": c.organisation.name if c.organisation else "",
                "family_member": d.person("consents", c.family_member),
                "method": c.get_method_display(),
                "given_by": d.text("consents", d.person("consents", c.given_by)),
                "given_on": c.given_on,
                "ends_on": c.expires_on,
                "recorded_by": d.person("consents", c.recorded_by),
                "recorded_at": c.recorded_at,
                "withdrawn_at": c.withdrawn_at,
                "withdrawn_by": d.person("consents", c.withdrawn_by),
                "withdrawal_note": d.text("consents", c.withdrawal_note),
                "in_force_now": c.is_current,
            }
        )
    return {"consents": rows}


def stages(d: Disclosure) -> dict[str, Any]:
    return {
        "stage_changes": [
            {
                "at": s.at,
                "from": s.get_from_stage_display(),
                "to": s.get_to_stage_display(),
                "reason": d.text("stages", s.reason),
                "outcome": s.get_outcome_display() if s.outcome else "",
                "reopened": s.is_reopening,
                "by": d.person("stages", s.by),
            }
            for s in StageChange.objects.filter(client=d.client).select_related("by").order_by("at", "pk")
        ]
    }


def notes(d: Disclosure) -> dict[str, Any]:
    everything = Note.objects.filter(client=d.client)
    disclosed = list(
        everything.filter(d.written_filter())
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )
    d.redactions.add("notes", "a note", "other_organisation", everything.count() - len(disclosed))
    return {
        "notes": [
            {
                "id": n.pk,
                "written_at": n.created_at,
                "kind": n.get_kind_display(),
                "by": d.person("notes", n.author),
                "organisation": d.organisation_of(n.author, n.organisation),
                "who_could_read_it": n.get_visibility_display(),
                "text": d.text("notes", n.text),
            }
            for n in disclosed
        ]
    }


def plan(d: Disclosure) -> dict[str, Any]:
    the_plan = Plan.objects.filter(client=d.client).first()
    if the_plan is None:
        return {"goals": [], "actions": [], "history": [], "comments": [], "agreed_versions": []}
    members = {
        m.pk: m for m in CircleMember.objects.filter(client=d.client).select_related("user", "organisation")
    }

    def owner(value: Any) -> str:
        if value == "client":
            return f"{d.client.given_name} (the client)"
        member = members.get(value) if isinstance(value, int) else None
        return d.person("plan", member) if member is not None else ""

    goals = [
        {
            "id": g.pk,
            "goal": d.text("plan", g.in_own_words),
            "success_looks_like": d.text("plan", g.success_looks_like),
            "review_on": g.review_on,
            "shared_with_client": g.shared_with_client,
            "added_by": d.person("plan", g.created_by),
            "added_at": g.created_at,
            "taken_off_at": g.removed_at,
        }
        for g in Goal.objects.filter(plan=the_plan).select_related("created_by").order_by("position", "pk")
    ]
    actions = [
        {
            "id": a.pk,
            "goal_id": a.goal_id,
            "what": d.text("plan", a.what),
            "who": owner("client" if a.owner_is_client else a.owner_id),
            "due_on": a.due_on,
            "status": a.get_status_display(),
            "why_dropped": d.text("plan", a.dropped_reason),
            "shared_with_client": a.shared_with_client,
            "added_by": d.person("plan", a.created_by),
            "added_at": a.created_at,
            "taken_off_at": a.removed_at,
        }
        for a in Action.objects.filter(goal__plan=the_plan)
        .select_related("created_by")
        .order_by("goal_id", "position", "pk")
    ]
    history = []
    for change in PlanChange.objects.filter(plan=the_plan).select_related("actor").order_by("at", "pk"):
        fields = Goal.EDITABLE if change.goal_id else Action.EDITABLE
        if change.field in ("created", "removed", "position"):
            what = {"created": "Added to the plan", "removed": "Taken off the plan"}.get(
                change.field, "Place in the list"
            )
            old = "" if change.field != "position" else str(change.old_value)
            new = "" if change.field != "position" else str(change.new_value)
        else:
            what = fields.label(change.field)
            old = fields.in_words(change.field, change.old_value, shown={"owner": owner})
            new = fields.in_words(change.field, change.new_value, shown={"owner": owner})
        history.append(
            {
                "at": change.at,
                "goal_id": change.goal_id,
                "action_id": change.action_id,
                "what_changed": what,
                "before": d.text("plan", old),
                "after": d.text("plan", new),
                "by": d.person("plan", change.actor),
            }
        )
    comments = [
        {
            "goal_id": c.goal_id,
            "at": c.created_at,
            "by": d.person("plan", c.author),
            "text": d.text("plan", c.text),
        }
        for c in GoalComment.objects.filter(goal__plan=the_plan)
        .select_related("author")
        .order_by("created_at", "pk")
    ]
    agreed = [
        {
            "agreed_at": a.agreed_at,
            "agreed_by": d.person("plan", a.agreed_by),
            "who_took_part": ", ".join(d.person("plan", str(name)) for name in a.participants),
            "note": d.text("plan", a.note),
        }
        for a in PlanAgreement.objects.filter(plan=the_plan)
        .select_related("agreed_by")
        .order_by("agreed_at", "pk")
    ]
    return {
        "goals": goals,
        "actions": actions,
        "history": history,
        "comments": comments,
        "agreed_versions": agreed,
    }


def assessments(d: Disclosure) -> dict[str, Any]:
    everything = Assessment.objects.filter(client=d.client)
    d.redactions.add(
        "assessments", "an assessment", "draft", everything.filter(status=Assessment.Status.DRAFT).count()
    )
    finished = everything.exclude(status=Assessment.Status.DRAFT)
    disclosed = list(
        finished.filter(d.written_filter() | Q(completed_by=Assessment.By.CLIENT))
        .select_related("author", "organisation", "instrument", "version")
        .order_by("completed_at", "pk")
    )
    d.redactions.add("assessments", "an assessment", "other_organisation", finished.count() - len(disclosed))
    rows, answers = [], []
    for a in disclosed:
        rows.append(
            {
                "id": a.pk,
                "instrument": a.instrument.name,
                "instrument_version": a.version.number,
                "assessed_at": a.completed_at,
                "done": a.get_completed_by_display(),
                "by": d.person("assessments", a.author),
                "organisation": d.organisation_of(a.author, a.organisation),
                "score": a.total,
                "band": a.band,
                "status": a.get_status_display(),
                "amends": a.amends_id,
                "why_amended": d.text("assessments", a.amendment_reason),
            }
        )
        for item in a.version.items:
            given = (a.answers or {}).get(str(item.get("code")), {})
            answers.append(
                {
                    "assessment_id": a.pk,
                    "question": item.get("text") or item.get("label") or str(item.get("code")),
                    "score": given.get("score"),
                    "in_words": d.text("assessments", given.get("narrative") or ""),
                }
            )
    return {"assessments": rows, "answers": answers}


def board(d: Disclosure) -> dict[str, Any]:
    every_card = Card.objects.filter(client=d.client)
    cards = list(
        every_card.filter(d.written_filter() | Q(by_client=True))
        .select_related("author", "organisation", "closed_by")
        .order_by("created_at", "pk")
    )
    d.redactions.add("board", "a card", "other_organisation", every_card.count() - len(cards))
    every_scale = Scale.objects.filter(client=d.client)
    scale_filter = Q() if d.shares else Q(organisation_id=d.organisation.pk) | Q(by_client=True)
    scales = list(
        every_scale.filter(scale_filter).select_related("person", "organisation").order_by("at", "pk")
    )
    d.redactions.add("board", "a scale", "other_organisation", every_scale.count() - len(scales))
    return {
        "cards": [
            {
                "column": c.get_column_display(),
                "kind": c.get_kind_display() if c.kind else "",
                "text": d.text("board", c.text),
                "by": d.person("board", c.author) + (" (in their own words)" if c.by_client else ""),
                "organisation": d.organisation_of(c.author, c.organisation),
                "who_could_read_it": c.get_visibility_display(),
                "written_at": c.created_at,
                "closed_at": c.closed_at,
                "why_closed": d.text("board", c.closed_reason),
            }
            for c in cards
        ],
        "scales": [
            {
                "at": s.at,
                "by": d.person("board", s.person),
                "organisation": d.organisation_of(s.person, s.organisation),
                "score": s.score,
                "why": d.text("board", s.why),
            }
            for s in scales
        ],
    }


def meetings(d: Disclosure) -> dict[str, Any]:
    items = list(
        AgendaItem.objects.filter(client=d.client)
        .select_related("meeting__type", "meeting__chair", "meeting__minute_taker", "added_by")
        .order_by("meeting__starts_at", "pk")
    )
    others = AgendaItem.objects.filter(meeting__in={i.meeting_id for i in items}).exclude(client=d.client)
    d.redactions.add("meetings", "another client's agenda item", "other_client", others.count())
    decisions = (
        Decision.objects.filter(item__in=items).select_related("recorded_by").order_by("recorded_at", "pk")
    )
    reports = (
        Contribution.objects.filter(item__in=items).select_related("author").order_by("created_at", "pk")
    )

    def named(names: Iterable[Any]) -> str:
        return ", ".join(d.person("meetings", str(name)) for name in names)

    return {
        "meetings": [
            {
                "item_id": i.pk,
                "meeting": i.meeting.title,
                "kind": i.meeting.type.name,
                "starts_at": i.meeting.starts_at,
                "place": i.meeting.place,
                "chair": d.person("meetings", i.meeting.chair),
                "minute_taker": d.person("meetings", i.meeting.minute_taker),
                "why_discussed": d.text("meetings", i.reason),
                "lawful_basis": i.get_basis_display(),
                "why_without_consent": d.text("meetings", i.without_consent_reason),
                "minutes": d.text("meetings", i.minutes),
                "minutes_signed_off": i.meeting.signed_off_at,
                "next_review_on": i.next_review_on,
            }
            for i in items
        ],
        "decisions": [
            {
                "item_id": x.item_id,
                "decided_at": x.recorded_at,
                "decision": d.text("meetings", x.text),
                "agreed_by": named(x.agreed_by),
                "disagreed": "; ".join(
                    f"{d.person('meetings', str(one.get('name', '')))}: {d.text('meetings', str(one.get('reason', '')))}"
                    for one in x.dissent
                    if isinstance(one, dict)
                ),
                "recorded_by": d.person("meetings", x.recorded_by),
            }
            for x in decisions
        ],
        "reports": [
            {
                "item_id": r.item_id,
                "kind": r.get_kind_display(),
                "by": WITHHELD if d.hides(r.author) else d.person("meetings", r.author_name),
                "organisation": "" if d.hides(r.author) else r.organisation_name,
                "written_at": r.created_at,
                "facts": d.text("meetings", r.facts),
                "opinion": d.text("meetings", r.opinion),
            }
            for r in reports
        ],
    }


def referrals(d: Disclosure) -> dict[str, Any]:
    referrals = list(
        Referral.objects.filter(client=d.client)
        .select_related("from_organisation", "to_organisation", "referrer", "worker")
        .order_by("created_at", "pk")
    )
    steps = (
        ReferralStep.objects.filter(referral__in=referrals)
        .select_related("actor", "organisation")
        .order_by("at", "pk")
    )
    handovers = (
        Handover.objects.filter(client=d.client)
        .select_related("from_user", "to_member__user")
        .order_by("created_at", "pk")
    )
    return {
        "referrals": [
            {
                "id": r.pk,
                "sent_at": r.created_at,
                "from": r.from_organisation.name,
                "to": r.to_organisation.name,
                "service": r.service,
                "by": d.person("referrals", r.referrer),
                "what_was_asked": d.text("referrals", r.asked),
                "why": d.text("referrals", r.reason),
                "urgency": r.get_urgency_display(),
                "what_was_true_then": d.text("referrals", r.now_summary),
                "status": r.get_status_display(),
                "worker": d.person("referrals", r.worker),
                "why_declined": d.text("referrals", r.declined_reason),
                "first_contact_on": r.first_contact_on,
                "outcome": r.get_outcome_display() if r.outcome else "",
                "outcome_note": d.text("referrals", r.outcome_note),
            }
            for r in referrals
        ],
        "referral_steps": [
            {
                "referral_id": s.referral_id,
                "at": s.at,
                "step": s.get_kind_display(),
                "by": d.person("referrals", s.actor),
                "organisation": d.organisation_of(s.actor, s.organisation),
                "text": d.text("referrals", s.text),
            }
            for s in steps
        ],
        "handovers": [
            {
                "offered_at": h.created_at,
                "from": d.person("referrals", h.from_user),
                "to": d.person("referrals", h.to_member),
                "status": h.get_status_display(),
                "summary": d.text("referrals", h.summary),
                "decided_at": h.decided_at,
            }
            for h in handovers
        ],
    }


def portal(d: Disclosure) -> dict[str, Any]:
    rows = []
    for grant in (
        PortalAccess.objects.filter(client=d.client)
        .select_related("user", "member__user")
        .order_by("since", "pk")
    ):
        if grant.member_id is None:
            who = f"{d.client.given_name} (the client)"
        else:
            who = d.person("portal", grant.member)
        rows.append({"who": who, "since": grant.since, "until": grant.until})
    return {"portal_access": rows}


def who_looked(d: Disclosure) -> dict[str, Any]:
    rows = reads_for_disclosure(d.exporter, d.client)
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in={r["actor_id"] for r in rows}).select_related("organisation")
    }
    out = []
    for row in rows:
        person = people.get(row["actor_id"])
        change = catalogue.get(row["action"]) if row["action"] in catalogue else None
        out.append(
            {
                "who": d.person("who_looked", person),
                "organisation": d.organisation_of(person, person.organisation if person else None),
                "what": change.means if change else row["action"],
                "first_time": row["first_seen"],
                "last_time": row["last_seen"],
                "times": row["times"],
                "under_emergency_access": row["emergency"],
            }
        )
    return {"reads": out}


READERS: dict[str, Callable[[Disclosure], dict[str, Any]]] = {
    "record": record,
    "circle": circle,
    "consents": consents,
    "stages": stages,
    "notes": notes,
    "plan": plan,
    "assessments": assessments,
    "board": board,
    "meetings": meetings,
    "referrals": referrals,
    "portal": portal,
    "who_looked": who_looked,
}
