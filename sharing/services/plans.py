"""Writes to a client's plan. Co-edited live, so every change is versioned and nothing is lost.

Goals and actions are co-edited with the engine in `coedit`: each has a `version`, raised by every saved
change, and every change of a field is kept as a PlanChange (old value, new value, who, when, the version
it made). A writer says which version they started from. If someone else has since changed one of the
*same fields* to something else, the write is refused with StaleEdit, which carries the newer values, so
the writer can see them and choose. Changes to other fields of the same item never conflict.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from assessments.models import Instrument
from changes.catalogue import Change
from changes.services import record
from circles import access
from circles.models import CircleMember, Client
from coedit import History, edit_apply, lock_in_order
from network.text import clean_line, clean_text
from sharing import changes as c
from sharing.models import Action, Goal, GoalComment, Plan, PlanAgreement, PlanChange
from sharing.selectors.plans import plan_snapshot

if TYPE_CHECKING:
    from network.models import User

Item = Goal | Action
ItemT = TypeVar("ItemT", Goal, Action)


class Latest:
    """A base version meaning "whatever the item says now, under the lock": for decisions about now."""


LATEST = Latest()

CHANGED_JUST_NOW = "Someone changed this just now. Please look again and try once more."

# Goals.


def goal_add(
    *,
    actor: "User",
    client: Client,
    in_own_words: str,
    success_looks_like: str = "",
    review_on: datetime.date | None = None,
    shared_with_client: bool = True,
    checked: bool = False,
) -> Goal:
    """Add a goal, in the client's own words, at the end of the plan.

    `checked`: the caller has already checked that the actor may change this plan (a case conference's
    chair recording what the meeting agreed, on a client on its agenda); otherwise only circle members may.
    """
    values = _clean_goal(
        {
            "in_own_words": in_own_words,
            "success_looks_like": success_looks_like,
            "review_on": review_on,
            "shared_with_client": shared_with_client,
        }
    )
    with transaction.atomic():
        plan = _plan_for_writing(actor, client, checked=checked)
        position = (plan.goals.aggregate(last=Max("position"))["last"] or 0) + 1
        goal = Goal.objects.create(plan=plan, position=position, created_by=actor, **values)
        _record(actor, plan, goal, "created", None, _snapshot_of(goal))
        record(
            change=c.GOAL_ADD,
            actor=actor,
            client=client,
            obj=goal,
            after=_snapshot_of(goal),
            payload=c.GoalAddedOrRemoved(goal_id=goal.pk, plan_version=plan.version),
            audience={"client_visible": goal.shared_with_client},
        )
    return goal


def goal_update(*, actor: "User", goal: Goal, changes: dict[str, Any], base_version: int) -> Goal:
    """Change some fields of a goal, as edited from `base_version`. StaleEdit if someone got there first."""
    values = _clean_goal(changes)
    return _update(actor, Goal, goal.pk, values, base_version, change=c.GOAL_UPDATE)


def goal_address_set(*, actor: "User", goal: Goal, instrument: Instrument | None, item: str = "") -> Goal:
    """Say which assessment area the goal addresses: an instrument and one of its items ("" for its total),
    or nothing (instrument None). The goal card then shows that area's latest score and direction."""
    if instrument is not None:
        definition = instrument.versions.get(number=instrument.current_version).definition
        codes = {i["code"] for i in definition["items"]}
        if definition["scoring"] == "sum" and item:
            raise ValidationError({"addresses": f"{instrument.name} is scored as a whole: choose its total."})
        if definition["scoring"] == "each" and item not in codes:
            raise ValidationError({"addresses": f"Choose one of the areas of {instrument.name}."})
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=goal.plan.client_id)
        goal = Goal.objects.select_for_update().get(pk=goal.pk, removed_at=None)
        if not access.record_access(actor, client).may_edit_plan:
            raise PermissionDenied("Only members of the circle can change the plan.")
        before = {"instrument": goal.addresses_instrument_id, "item": goal.addresses_item}
        goal.addresses_instrument, goal.addresses_item = instrument, item if instrument is not None else ""
        goal.save(update_fields=["addresses_instrument", "addresses_item"])
        record(
            change=c.GOAL_ADDRESS,
            actor=actor,
            client=client,
            obj=goal,
            before=before,
            after={"instrument": goal.addresses_instrument_id, "item": goal.addresses_item},
            payload=c.GoalAddressed(goal_id=goal.pk),
            audience={"client_visible": goal.shared_with_client},
        )
    return goal


def goal_remove(*, actor: "User", goal: Goal) -> Goal:
    """Take a goal (and its actions) off the plan. Its history stays."""
    return _item_remove(actor, Goal, goal.pk, change=c.GOAL_REMOVE)


# Actions.


def action_add(
    *,
    actor: "User",
    goal: Goal,
    what: str,
    owner: CircleMember | None = None,
    owner_is_client: bool = False,
    due_on: datetime.date | None = None,
    shared_with_client: bool = True,
    checked: bool = False,
) -> Action:
    """Add an action under a goal: what, who (a circle member or the client) and by when.

    `checked`: as for `goal_add`, the caller has checked the actor may change this plan.
    """
    values = _clean_action(
        {"what": what, "due_on": due_on, "shared_with_client": shared_with_client},
    )
    with transaction.atomic():
        goal = Goal.objects.select_related("plan__client").get(pk=goal.pk)
        if goal.removed_at is not None:
            raise ValidationError("That goal has been taken off the plan.")
        plan = _plan_for_writing(actor, goal.plan.client, checked=checked)
        _check_owner(plan.client, owner)
        position = (goal.actions.aggregate(last=Max("position"))["last"] or 0) + 1
        action = Action.objects.create(
            goal=goal,
            position=position,
            created_by=actor,
            owner=None if owner_is_client else owner,
            owner_is_client=owner_is_client,
            **values,
        )
        _record(actor, plan, action, "created", None, _snapshot_of(action))
        record(
            change=c.ACTION_ADD,
            actor=actor,
            client=plan.client,
            obj=action,
            after=_snapshot_of(action),
            payload=c.ActionAddedOrRemoved(goal_id=goal.pk, action_id=action.pk, plan_version=plan.version),
            audience={"client_visible": action.shared_with_client and goal.shared_with_client},
        )
    return action


def action_update(*, actor: "User", action: Action, changes: dict[str, Any], base_version: int) -> Action:
    """Change some fields of an action, as edited from `base_version`. StaleEdit if someone got there first.

    `owner` takes a CircleMember, or the string "client" for the client themself.
    """
    values = _clean_action(changes)
    return _update(actor, Action, action.pk, values, base_version, change=c.ACTION_UPDATE)


def action_set_status(*, actor: "User", action: Action, status: str, dropped_reason: str = "") -> Action:
    """One click: mark an action not started, in progress or done (dropped needs a reason).

    A status click is a decision about now, so it applies to the latest version whatever the page showed.
    """
    changes: dict[str, Any] = {"status": status}
    if status == Action.Status.DROPPED:
        changes["dropped_reason"] = dropped_reason
    return _update(actor, Action, action.pk, _clean_action(changes), LATEST, change=c.ACTION_UPDATE)


def action_done_by_client(*, user: "User", action: Action) -> Action:
    """The client taps "Done" on one of their own actions in the portal; it shows on the plan at once.

    "Done" is a decision about now, so it applies to the latest version whatever the page showed. If a
    member has just given the action to someone else or stopped sharing it, nothing changes and the client
    is asked to look again (a ValidationError, in plain words).
    """
    client = action.goal.plan.client
    grant = access.portal_access(user, client)
    if (
        grant is None
        or grant.member_id is not None
        or not action.owner_is_client
        or not action.shared_with_client
    ):
        raise PermissionDenied("Only the client can mark their own things done.")
    try:
        return _update(
            user,
            Action,
            action.pk,
            {"status": Action.Status.DONE},
            LATEST,
            change=c.ACTION_UPDATE,
            checked=True,
            only=Q(owner_is_client=True, shared_with_client=True),  # still theirs, checked under the lock
        )
    except Action.DoesNotExist:
        raise ValidationError(CHANGED_JUST_NOW) from None


def goal_comment_add(*, user: "User", goal: Goal, text: str) -> GoalComment:
    """The client adds something in their own words to a goal shared with them; the team sees it live."""
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": "Write something first."})
    if len(text) > 2000:
        raise ValidationError({"text": "Use 2,000 characters or fewer."})
    client = goal.plan.client
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        grant = access.portal_access(user, client)
        if grant is None or grant.member_id is not None or not goal.shared_with_client or goal.removed_at:
            raise PermissionDenied("Only the client adds their own words to their own goals.")
        comment = GoalComment.objects.create(goal=goal, author=user, text=text)
        record(
            change=c.COMMENT_ADD,
            actor=user,
            client=client,
            obj=comment,
            after={"goal_id": goal.pk},
            payload=c.CommentAdded(goal_id=goal.pk, by=user.full_name),
            audience={"client_visible": True},
        )
    return comment


def action_remove(*, actor: "User", action: Action) -> Action:
    return _item_remove(actor, Action, action.pk, change=c.ACTION_REMOVE)


# The plan as a whole.


def plan_move(*, actor: "User", item: Item, direction: str) -> Item:
    """Move a goal (within the plan) or an action (within its goal) one place up or down."""
    if direction not in ("up", "down"):
        raise ValidationError("Move up or down.")
    model = type(item)
    with transaction.atomic():
        item, client, plan = _lock_item(actor, model, item.pk)
        if item.removed_at is not None:
            raise ValidationError("That has been taken off the plan, so it cannot be moved.")
        siblings_of: dict[str, Callable[[Any], QuerySet[Goal] | QuerySet[Action]]] = {
            "Goal": lambda i: Goal.objects.filter(plan_id=i.plan_id),
            "Action": lambda i: Action.objects.filter(goal_id=i.goal_id),
        }
        siblings: list[Item] = list(
            siblings_of[model.__name__](item).filter(removed_at=None).order_by("position", "pk")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
        swap_with = index - 1 if direction == "up" else index + 1
        if not 0 <= swap_with < len(siblings):
            return item
        siblings[index], siblings[swap_with] = siblings[swap_with], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                model.objects.filter(pk=sibling.pk).update(position=position)
        _record(actor, plan, item, "position", index + 1, swap_with + 1)
        # The portal hears of a move only if both things that swapped places are shared with the client.
        visible = _shared_with_client(item) and _shared_with_client(siblings[index])
        record(
            change=c.GOAL_MOVE if model is Goal else c.ACTION_MOVE,
            actor=actor,
            client=client,
            obj=item,
            before={"position": index + 1},
            after={"position": swap_with + 1},
            payload=c.PlanReordered(plan_version=plan.version),
            audience={"client_visible": visible},
        )
    return item


def plan_agree(
    *, actor: "User", client: Client, participants: list[CircleMember], note: str = ""
) -> PlanAgreement:
    """The lead marks the plan as it stands agreed, with who took part. Agreed versions are kept whole."""
    note = clean_line(note)
    if len(note) > 500:
        raise ValidationError({"note": "Use 500 characters or fewer."})
    if not participants:
        raise ValidationError({"participants": "Choose who took part in agreeing the plan."})
    with transaction.atomic():
        plan = _plan_for_writing(actor, client)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional marks the plan agreed.")
        outsiders = [m for m in participants if m.client_id != client.pk or m.until is not None]
        if outsiders:
            raise ValidationError({"participants": "Everyone who took part must be in the circle now."})
        agreement = PlanAgreement.objects.create(
            plan=plan,
            agreed_by=actor,
            participants=sorted(m.display_name for m in participants),
            note=note,
            snapshot=plan_snapshot(plan),
        )
        record(
            change=c.PLAN_AGREE,
            actor=actor,
            client=client,
            obj=agreement,
            after={"participants": agreement.participants, "note": note},
            payload=c.PlanAgreed(agreement_id=agreement.pk),
        )
    return agreement


# Helpers.


def _lock_item(
    actor: "User", model: type[Item], pk: int, *, checked: bool = False, only: Q | None = None
) -> tuple[Any, Client, Plan]:
    """For changing a goal or action: lock its client, raise the plan's version, then lock the item.

    Every plan write takes its locks in this one order (`coedit.lock_in_order`) — the client, the plan,
    then goals and actions — so two writers never each hold what the other waits for. `only`: a filter
    the item must still pass when it is locked (`model.DoesNotExist` otherwise).
    """
    client, plan, item = lock_in_order(
        model,
        pk,
        first=Client,
        path="plan__goals" if model is Goal else "plan__goals__actions",
        then=lambda client: _plan_for_writing(actor, client, checked=checked, client_locked=True),
        only=None if only is None else lambda _plan: only,
    )
    return item, client, plan


def _plan_for_writing(
    actor: "User", client: Client, *, checked: bool = False, client_locked: bool = False
) -> Plan:
    """The client's plan, made if need be, locked, its version raised; after checking the actor may edit.

    The client row is locked first, so a change to the circle (which takes the same lock) cannot slip in
    between the check and the write.
    """
    if not client_locked:
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
    if not checked and not access.record_access(actor, client).may_edit_plan:
        raise PermissionDenied("Only members of the circle can change the plan.")
    plan, _created = Plan.objects.get_or_create(client=client)
    plan = Plan.objects.select_for_update().select_related("client").get(pk=plan.pk)
    plan.version += 1
    plan.save(update_fields=["version"])
    return plan


def _update(
    actor: "User",
    model: type[ItemT],
    pk: int,
    values: dict[str, Any],
    base_version: int | Latest,
    *,
    change: Change,
    checked: bool = False,
    only: Q | None = None,
) -> ItemT:
    """Apply a versioned change; `checked` means the caller has already checked the actor may make it.

    `base_version` LATEST: the change is a decision about now (a status click), so it is made to the
    version found under the lock and never clashes with a write that landed since the page was drawn.
    `only`: as for `_lock_item`.
    """
    if not values:
        raise ValidationError("Nothing to change.")
    with transaction.atomic():
        item, client, plan = _lock_item(actor, model, pk, checked=checked, only=only)
        base = item.version if isinstance(base_version, Latest) else base_version
        if item.removed_at is not None:
            raise ValidationError("This has been taken off the plan.")
        if isinstance(item, Action):
            if "owner" in values and values["owner"] != "client":
                _check_owner(client, values["owner"])
            status = values.get("status", item.status)
            reason = values.get("dropped_reason", item.dropped_reason)
            if status == Action.Status.DROPPED and not reason:
                raise ValidationError({"dropped_reason": "Say why the action is dropped."})
        edit = edit_apply(
            item,
            fields=model.EDITABLE,
            values=values,
            base_version=base,
            actor=actor,
            history=_history(plan, item),
        )
        if edit is None:
            return item
        before, after = edit.before, edit.after
        payload = {
            f"{model.__name__.lower()}_id": item.pk,
            "version": item.version,
            "fields": sorted(edit.after),
            "by": actor.full_name,
        }
        # The portal hears of it if the item is (or was, until now) shared with the client.
        shared = bool(item.shared_with_client or edit.before.get("shared_with_client"))
        if isinstance(item, Action):
            payload["goal_id"] = item.goal_id
            shared = shared and item.goal.shared_with_client
        record(
            change=change,
            actor=actor,
            client=client,
            obj=item,
            before=before,
            after=after,
            payload=payload,
            audience={"client_visible": shared},
        )
    return item


def _item_remove(actor: "User", model: type[ItemT], pk: int, *, change: Change) -> ItemT:
    """Take a goal or an action off the plan. Its history stays."""
    with transaction.atomic():
        item, _client, plan = _lock_item(actor, model, pk)
        if item.removed_at is not None:
            raise ValidationError(
                f"This {model.__name__.lower()} has already been taken off the plan.", code="conflict"
            )
        item.removed_at = timezone.now()
        item.version += 1
        item.save(update_fields=["removed_at", "version"])
        _record(actor, plan, item, "removed", None, None)
        record(
            change=change,
            actor=actor,
            client=plan.client,
            obj=item,
            before=_snapshot_of(item),
            payload={**_ids(item), "plan_version": plan.version},
            audience={"client_visible": _shared_with_client(item)},
        )
    return item


def _ids(item: Item) -> dict[str, int]:
    if isinstance(item, Action):
        return {"goal_id": item.goal_id, "action_id": item.pk}
    return {"goal_id": item.pk}


def _shared_with_client(item: Item) -> bool:
    if isinstance(item, Action):
        return item.shared_with_client and item.goal.shared_with_client
    return item.shared_with_client


def _history(plan: Plan, item: Item) -> History:
    return History(PlanChange, item={type(item).__name__.lower(): item}, also={"plan": plan})


def _record(actor: "User", plan: Plan, item: Item, field: str, old: Any, new: Any) -> None:
    _history(plan, item).record(field=field, old=old, new=new, version=item.version, actor=actor)


def _clean_goal(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field == "in_own_words":
            cleaned[field] = clean_line(value)
            if not cleaned[field]:
                errors[field] = "Write the goal, in the client's own words."
            elif len(cleaned[field]) > 500:
                errors[field] = "Use 500 characters or fewer."
        elif field == "success_looks_like":
            cleaned[field] = clean_text(value)
            if len(cleaned[field]) > 5000:
                errors[field] = "Use 5,000 characters or fewer."
        elif field == "review_on":
            cleaned[field] = _date(value, field, errors)
        elif field == "shared_with_client":
            cleaned[field] = bool(value)
        else:
            errors[field] = "A goal has no such field."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_action(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field == "what":
            cleaned[field] = clean_line(value)
            if not cleaned[field]:
                errors[field] = "Say what needs to happen."
            elif len(cleaned[field]) > 500:
                errors[field] = "Use 500 characters or fewer."
        elif field == "due_on":
            cleaned[field] = _date(value, field, errors)
        elif field == "status":
            if value not in Action.Status.values:
                errors[field] = "Choose not started, in progress, done or dropped."
            cleaned[field] = value
        elif field == "dropped_reason":
            cleaned[field] = clean_line(value)
            if len(cleaned[field]) > 500:
                errors[field] = "Use 500 characters or fewer."
        elif field == "shared_with_client":
            cleaned[field] = bool(value)
        elif field == "owner":
            cleaned[field] = value  # resolved against the circle inside the transaction
        else:
            errors[field] = "An action has no such field."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_owner(client: Client, owner: CircleMember | None) -> None:
    if owner is not None and (
        not isinstance(owner, CircleMember) or owner.client_id != client.pk or owner.until is not None
    ):
        raise ValidationError({"owner": "Choose someone who is in the circle now, or the client."})


# A plan's dates (a review, an action's "by when") are within this many years of today: year 1 or 9999 is
# a slip of the keyboard, not a plan.
PLAN_DATE_YEARS = 20


def _date(value: Any, field: str, errors: dict[str, str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        date = value
    else:
        try:
            date = datetime.date.fromisoformat(str(value))
        except ValueError:
            errors[field] = "Enter a real date, like 2026-12-31."
            return None
    today = timezone.localdate()
    if abs(date.year - today.year) > PLAN_DATE_YEARS:
        errors[field] = f"Enter a date within {PLAN_DATE_YEARS} years of today, like {today.year}-12-31."
        return None
    return date


def _snapshot_of(item: Item) -> dict[str, Any]:
    return item.EDITABLE.snapshot(item)
