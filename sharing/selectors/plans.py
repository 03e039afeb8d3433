"""Reads of a client's plan, for a record already opened (and access-checked) by circles.selectors."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments import scoring
from assessments.selectors import summary_for
from circles import access
from circles.models import CircleMember
from coedit.fields import VersionedFields
from sharing.models import Action, Goal, GoalComment, Plan, PlanAgreement, PlanChange

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from network.models import User


class _PlanGoalPrefetches(TypedDict):
    note_count: int
    current_actions: list[Action]
    client_comments: list[GoalComment]


@dataclass
class PlanView:
    plan: Plan | None
    goals: "list[WithAnnotations[Goal, _PlanGoalPrefetches]]" = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.plan.version if self.plan else 0

    @property
    def actions(self) -> list[Action]:
        return [action for goal in self.goals for action in goal.current_actions]

    @property
    def done_count(self) -> int:
        return sum(1 for action in self.actions if action.status == Action.Status.DONE)


def _note_count(record: access.RecordAccess | None) -> Count:
    """How many notes point at the item *that this person may read*: a count of all would give away
    that a note they may not see exists."""
    if record is None:
        return Count("notes", distinct=True)
    from sharing.selectors.notes import note_list_for

    return Count("notes", filter=Q(notes__in=note_list_for(record).values("pk")), distinct=True)


def _actions_prefetch(
    record: access.RecordAccess | None = None,
) -> "Prefetch[Literal['actions'], QuerySet[Action], Literal['current_actions']]":
    return Prefetch(
        "actions",
        queryset=Action.objects.filter(removed_at=None)
        .select_related("owner__user", "owner__organisation")
        .annotate(note_count=_note_count(record))
        .order_by("position", "pk"),
        to_attr="current_actions",
    )


def _goals(
    plan: Plan, record: access.RecordAccess | None = None
) -> "QuerySet[WithAnnotations[Goal, _PlanGoalPrefetches]]":
    return (
        Goal.objects.filter(plan=plan, removed_at=None)
        .annotate(note_count=_note_count(record))
        .prefetch_related(_actions_prefetch(record), _comments_prefetch())
        .order_by("position", "pk")
    )


def _comments_prefetch() -> (
    "Prefetch[Literal['comments'], QuerySet[GoalComment], Literal['client_comments']]"
):
    return Prefetch(
        "comments", queryset=GoalComment.objects.select_related("author"), to_attr="client_comments"
    )


def plan_for(record: access.RecordAccess) -> PlanView:
    """The client's plan as it stands: goals in order, each with its actions and how many notes point at it."""
    if not record.may_view:
        raise Http404("No such plan")
    plan = Plan.objects.filter(client=record.client).first()
    if plan is None:
        return PlanView(plan=None)
    goals = list(_goals(plan, record))
    with_domain_scores(record, goals)
    return PlanView(plan=plan, goals=goals)


@dataclass(frozen=True)
class DomainScore:
    """What a goal card shows of the assessment area the goal addresses."""

    instrument: str
    label: str
    latest: int | None = None
    change: scoring.Change | None = None


def with_domain_scores(record: access.RecordAccess, goals: Sequence[Goal]) -> Sequence[Goal]:
    """Set `goal.domain_score` on goals that address an assessment area (one query, and none if no goal
    does): the area's latest score and its change since the baseline, from the team's assessments."""
    addressed = [goal for goal in goals if goal.addresses_instrument_id]
    for goal in goals:
        goal.domain_score = None  # type: ignore[attr-defined]
    if not addressed:
        return goals
    series = {s.instrument.pk: s for s in summary_for(record).series if not s.by_client}
    for goal in addressed:
        found = series.get(goal.addresses_instrument_id or 0)
        if found is None:
            goal.domain_score = DomainScore(instrument="", label="No assessment yet")  # type: ignore[attr-defined]
            continue
        name = found.definition["name"]
        if not goal.addresses_item:
            latest = found.latest.result["total"]
            change = found.changes[0] if len(found.points) > 1 else None
            goal.domain_score = DomainScore(name, "Total", latest, change)  # type: ignore[attr-defined]
            continue
        item = next((i for i in found.definition["items"] if i["code"] == goal.addresses_item), None)
        label = scoring.short_label(item) if item else goal.addresses_item
        latest_score = next(
            (i["score"] for i in found.latest.result["items"] if i["code"] == goal.addresses_item), None
        )
        change = next((c for c in found.changes if c.label == label), None) if len(found.points) > 1 else None
        goal.domain_score = DomainScore(name, label, latest_score, change)  # type: ignore[attr-defined]
    return goals


def goal_get_for(record: access.RecordAccess, goal_id: int | str) -> Goal:
    try:
        if not record.may_view:
            raise Goal.DoesNotExist
        goal = (
            Goal.objects.filter(plan__client=record.client, removed_at=None)
            .annotate(note_count=_note_count(record))
            .prefetch_related(_actions_prefetch(record), _comments_prefetch())
            .get(pk=int(goal_id))
        )
        return with_domain_scores(record, [goal])[0]
    except (Goal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such goal") from None


def action_get_for(record: access.RecordAccess, action_id: int | str) -> Action:
    try:
        if not record.may_view:
            raise Action.DoesNotExist
        return (
            Action.objects.filter(goal__plan__client=record.client, removed_at=None, goal__removed_at=None)
            .select_related("goal", "owner__user", "owner__organisation")
            .annotate(note_count=_note_count(record))
            .get(pk=int(action_id))
        )
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action") from None


def item_history(record: access.RecordAccess, item: Goal | Action) -> list[PlanChange]:
    """Every change to one goal or action: field, old value, new value, who, when; oldest first."""
    if not record.may_view:
        return []
    key = "goal" if isinstance(item, Goal) else "action"
    return list(PlanChange.objects.filter(**{key: item}).select_related("actor").order_by("at", "pk"))


def goal_notes(record: access.RecordAccess, goal: Goal) -> QuerySet:
    """The notes (that this person may read) which point at a goal or its actions, newest first."""
    from sharing.selectors.notes import note_list_for

    return note_list_for(record).filter(Q(goals=goal) | Q(actions__goal=goal)).distinct()


def actions_owned_by(user: "User") -> list[Action]:
    """My actions: open actions owned by this person across the circles they are in, overdue first."""
    if not access.is_professional(user):
        return []
    today = timezone.localdate()
    actions = list(
        Action.objects.filter(
            owner__user=user,
            owner__until=None,
            removed_at=None,
            goal__removed_at=None,
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
        )
        .select_related("goal__plan__client", "owner__user")
        .order_by("due_on", "pk")
    )
    # Overdue first, then by due date, then those with no date.
    return sorted(
        actions, key=lambda a: (not (a.due_on and a.due_on < today), a.due_on is None, a.due_on or today)
    )


def agreement_get_for(record: access.RecordAccess, agreement_id: int | str) -> PlanAgreement:
    try:
        if not record.may_view:
            raise PlanAgreement.DoesNotExist
        return PlanAgreement.objects.select_related("agreed_by").get(
            plan__client=record.client, pk=int(agreement_id)
        )
    except (PlanAgreement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agreed version") from None


def agreements_for(record: access.RecordAccess) -> list[PlanAgreement]:
    if not record.may_view:
        return []
    return list(PlanAgreement.objects.filter(plan__client=record.client).select_related("agreed_by"))


def owner_choices(record: access.RecordAccess) -> list[CircleMember]:
    """Who can own an action: anyone in the circle now (and the client, offered separately)."""
    return list(
        CircleMember.objects.filter(client=record.client, until=None)
        .select_related("user")
        .order_by("-kind", "since")
    )


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain data, for agreed versions and comparing them."""
    goals = []
    for goal in _goals(plan):
        goals.append(
            {
                "id": goal.pk,
                "in_own_words": goal.in_own_words,
                "success_looks_like": goal.success_looks_like,
                "review_on": goal.review_on.isoformat() if goal.review_on else None,
                "shared_with_client": goal.shared_with_client,
                "actions": [
                    {
                        "id": action.pk,
                        "what": action.what,
                        "owner": _owner_name(action),
                        "due_on": action.due_on.isoformat() if action.due_on else None,
                        "status": action.status,
                        "dropped_reason": action.dropped_reason,
                        "shared_with_client": action.shared_with_client,
                    }
                    for action in goal.current_actions
                ],
            }
        )
    return {"goals": goals}


def _owner_name(action: Action) -> str:
    if action.owner_is_client:
        return "The client"
    return action.owner.display_name if action.owner else ""


def plan_compare(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    person: Callable[[str], str] = str,
    in_words: bool = False,
) -> list[dict[str, Any]]:
    """What differs between two snapshots: goals and actions added, removed, or with fields changed.

    `person` says what an owner (a name as the snapshot kept it) is called to the reader; `in_words`
    gives values as the page shows them ("Not started", "3 March 2025", "Yes") instead of as stored.
    """

    def shown(fields: VersionedFields, name: str, value: Any) -> Any:
        if name == "owner" and isinstance(value, str) and value:
            value = person(value)
        if not in_words:
            return value
        return fields.in_words(name, value, shown={"owner": str}) or "nothing"

    differences: list[dict[str, Any]] = []
    old_goals = {g["id"]: g for g in old["goals"]}
    new_goals = {g["id"]: g for g in new["goals"]}
    for goal_id, goal in new_goals.items():
        before = old_goals.get(goal_id)
        if before is None:
            differences.append({"kind": "goal_added", "goal": goal["in_own_words"]})
            continue
        for changed, old_value, new_value in Goal.EDITABLE.differences(before, goal):
            differences.append(
                {
                    "kind": "goal_changed",
                    "goal": goal["in_own_words"],
                    "field": changed.label,
                    "old": shown(Goal.EDITABLE, changed.name, old_value),
                    "new": shown(Goal.EDITABLE, changed.name, new_value),
                }
            )
        old_actions = {a["id"]: a for a in before["actions"]}
        new_actions = {a["id"]: a for a in goal["actions"]}
        for action_id, action in new_actions.items():
            was = old_actions.get(action_id)
            if was is None:
                differences.append(
                    {"kind": "action_added", "goal": goal["in_own_words"], "action": action["what"]}
                )
                continue
            for changed, old_value, new_value in Action.EDITABLE.differences(was, action):
                differences.append(
                    {
                        "kind": "action_changed",
                        "goal": goal["in_own_words"],
                        "action": action["what"],
                        "field": changed.label,
                        "old": shown(Action.EDITABLE, changed.name, old_value),
                        "new": shown(Action.EDITABLE, changed.name, new_value),
                    }
                )
        for action_id, action in old_actions.items():
            if action_id not in new_actions:
                differences.append(
                    {"kind": "action_removed", "goal": goal["in_own_words"], "action": action["what"]}
                )
    for goal_id, goal in old_goals.items():
        if goal_id not in new_goals:
            differences.append({"kind": "goal_removed", "goal": goal["in_own_words"]})
    return differences


def agreement_differences(
    record: access.RecordAccess, agreement: PlanAgreement, *, in_words: bool = False
) -> list[dict[str, Any]]:
    """How today's plan differs from an agreed version of it (in the page's words if `in_words`)."""
    plan = plan_for(record).plan
    return plan_compare(
        agreement.snapshot,
        plan_snapshot(plan) if plan else {"goals": []},
        person=lambda name: access.person_label(record, name),
        in_words=in_words,
    )


def snapshot_for(record: access.RecordAccess, snapshot: dict[str, Any]) -> dict[str, Any]:
    """An agreed version's snapshot as this reader may see it: owners' names through the hidden rule."""
    return {
        **snapshot,
        "goals": [
            {
                **goal,
                "actions": [
                    {**action, "owner": access.person_label(record, action.get("owner") or "")}
                    for action in goal.get("actions", [])
                ],
            }
            for goal in snapshot.get("goals", [])
        ],
    }


def history_rows(record: access.RecordAccess, item: Goal | Action) -> list[dict[str, Any]]:
    """The item's history in words for people: field names, owners' names, dates and yes/no."""
    fields = item.EDITABLE
    members = {
        m.pk: access.person_label(record, m)
        for m in CircleMember.objects.filter(client=record.client).select_related("user")
    }

    def owner(value: Any) -> str:
        return (
            f"{record.client.given_name} (the client)" if value == "client" else members.get(value, "Someone")
        )

    rows = []
    for change in item_history(record, item):
        if change.field == "created":
            label, old, new = "Added to the plan", "", ""
        elif change.field == "removed":
            label, old, new = "Taken off the plan", "", ""
        elif change.field == "position":
            label, old, new = "Place in the list", str(change.old_value), str(change.new_value)
        else:
            label = fields.label(change.field)
            old = fields.in_words(change.field, change.old_value, shown={"owner": owner})
            new = fields.in_words(change.field, change.new_value, shown={"owner": owner})
        rows.append(
            {
                "at": change.at,
                "actor": access.person_label(record, change.actor),
                "field": label,
                "old": old,
                "new": new,
            }
        )
    return rows


def plan_summary_lines(record: access.RecordAccess) -> list[str]:
    """What is true now, from the plan, to prefill a referral or a handover summary (two queries)."""
    goals = list(
        Goal.objects.filter(plan__client=record.client, removed_at=None)
        .order_by("position", "pk")
        .only("pk", "in_own_words", "review_on")
    )
    if not goals:
        return ["No plan yet."]
    today = timezone.localdate()
    actions = Action.objects.filter(
        goal__in=goals, removed_at=None, status__in=["not_started", "in_progress"]
    )
    open_by_goal: dict[int, list[Action]] = {}
    for action in actions.only("pk", "goal_id", "what", "due_on"):
        open_by_goal.setdefault(action.goal_id, []).append(action)
    lines = []
    for goal in goals:
        lines.append(f"Goal: {goal.in_own_words}")
        for action in open_by_goal.get(goal.pk, []):
            due = ""
            if action.due_on:
                due = (
                    f" (overdue since {action.due_on:%-d %b})"
                    if action.due_on < today
                    else f" (by {action.due_on:%-d %b})"
                )
            lines.append(f"  - {action.what}{due}")
    return lines
