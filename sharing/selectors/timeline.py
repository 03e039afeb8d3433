"""The client's timeline: what happened, newest first, derived from the record itself (never typed twice).

It reads the notes this person may see, the plan's history and agreed versions, the circle's comings
and goings, the consent records, stages and assessments, and what every source registered with
`sharing.timeline` gives (the board's card changes and scales), and merges them by time.
"""

from typing import Any

from assessments.selectors import assessment_list_for
from circles import access
from circles.models import CircleMember, Consent, StageChange
from sharing.models import Action, Goal, PlanAgreement, PlanChange
from sharing.selectors.notes import note_list_for
from sharing.timeline import Moment, moments_from_sources

LIMIT = 100
# What each field is called inside a sentence ("Changed the date of …"), as the models declare it.
FIELD_NAMES = {
    **{name: field.in_sentence for name, field in Goal.EDITABLE.items()},
    **{name: field.in_sentence for name, field in Action.EDITABLE.items()},
    "position": "order",
}


__all__ = ["LIMIT", "Moment", "timeline_for"]


def timeline_for(record: access.RecordAccess) -> list[Moment]:
    if not record.may_view:
        return []
    client = record.client
    moments: list[Moment] = []

    def named(person: Any) -> str:
        return access.person_label(record, person)

    for note in note_list_for(record)[:LIMIT]:
        moments.append(
            Moment(
                note.created_at,
                "note",
                f"{note.get_kind_display()} note",
                note.text[:200],
                named(note.author),
            )
        )
    changes = (
        PlanChange.objects.filter(plan__client=client)
        .select_related("actor", "goal", "action")
        .order_by("-at")[:LIMIT]
    )
    owners: dict[int, str] | None = None

    def owner(value: Any) -> str:
        """An action's owner as the item history names them: the client, or a member (as the policy lets
        this person know them), never a membership's number."""
        nonlocal owners
        if value == "client":
            return f"{client.given_name} (the client)"
        if owners is None:  # read once, and only if an owner changed
            owners = {
                m.pk: named(m) for m in CircleMember.objects.filter(client=client).select_related("user")
            }
        return owners.get(value, "someone no longer in the circle")

    for change in changes:
        item = change.goal or change.action
        label = f"“{item}”"
        if change.field == "created":
            title = f"Added to the plan: {label}"
        elif change.field == "removed":
            title = f"Taken off the plan: {label}"
        else:
            title = f"Changed the {FIELD_NAMES.get(change.field, change.field)} of {label}"
        detail = (
            ""
            if change.field in ("created", "removed")
            else f"{_in_words(item, change.field, change.old_value, owner)} → "
            f"{_in_words(item, change.field, change.new_value, owner)}"
        )
        moments.append(Moment(change.at, "plan", title, detail, named(change.actor)))
    for agreement in PlanAgreement.objects.filter(plan__client=client).select_related("agreed_by")[:LIMIT]:
        moments.append(
            Moment(
                agreement.agreed_at,
                "agreement",
                "Plan agreed",
                ", ".join(named(name) for name in agreement.participants),
                named(agreement.agreed_by),
            )
        )
    members = CircleMember.objects.filter(client=client).filter(access.circle_members_visible_filter(record))
    for member in members.select_related("user", "organisation", "added_by", "removed_by")[:LIMIT]:
        name = named(member)
        moments.append(
            Moment(
                member.since,
                "circle",
                f"{name} joined the circle",
                member.get_role_display(),
                named(member.added_by),
            )
        )
        if member.until:
            moments.append(
                Moment(
                    member.until,
                    "circle",
                    f"{name} left the circle",
                    "",
                    named(member.removed_by),
                )
            )
    for consent in Consent.objects.filter(client=client).select_related("recorded_by", "withdrawn_by")[
        :LIMIT
    ]:
        moments.append(
            Moment(
                consent.recorded_at,
                "consent",
                f"Consent recorded: {consent.get_scope_display().lower()}",
                consent.given_by,
                named(consent.recorded_by),
            )
        )
        if consent.withdrawn_at:
            moments.append(
                Moment(
                    consent.withdrawn_at,
                    "consent",
                    f"Consent withdrawn: {consent.get_scope_display().lower()}",
                    consent.withdrawal_note,
                    named(consent.withdrawn_by),
                )
            )
    for step in StageChange.objects.filter(client=client).select_related("by")[:LIMIT]:
        if step.is_reopening:
            title = f"Case reopened at {step.get_to_stage_display().lower()}"
        elif step.to_stage == "closed":
            title = f"Case closed: {step.get_outcome_display().lower()}"
        else:
            title = f"Stage: {step.get_from_stage_display()} → {step.get_to_stage_display()}"
        moments.append(Moment(step.at, "stage", title, step.reason, named(step.by) if step.by else ""))
    for assessment in assessment_list_for(record).exclude(status="draft")[:LIMIT]:
        name = assessment.version.definition["name"]
        result = f"{assessment.total}, {assessment.band.lower()}" if assessment.total is not None else ""
        title = f"{'Amended' if assessment.amends_id else 'Completed'}: {name}"
        if assessment.completed_by == "client":
            title = f"{client.given_name} rated themself: {name}"
        assert assessment.completed_at is not None
        moments.append(Moment(assessment.completed_at, "assessment", title, result, named(assessment.author)))
    # Apps above sharing (the board) add their own history, by their own access rules.
    moments.extend(moments_from_sources(record, LIMIT))
    return sorted(moments, key=lambda m: m.at, reverse=True)[:LIMIT]


def _in_words(item: Goal | Action | None, field: str, value: Any, owner: Any) -> str:
    """A plan change's value as people read it: dates written out, choices and owners by name."""
    if item is not None and field in item.EDITABLE:
        return item.EDITABLE.in_words(field, value, shown={"owner": owner}) or "nothing"
    return _show(value)


def _show(value) -> str:
    if value in (None, ""):
        return "nothing"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value).replace("_", " ")
