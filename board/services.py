"""Writes to the board: cards and scales. Cards are co-edited with `coedit`, as the plan's goals are:
each has a `version`, every change of a field is kept as a CardChange, and a write based on a version
someone has since changed (in the same field) is refused with StaleEdit, never applied silently.

Every write locks the client row first (then the card), checks access, writes, and ends with
`changes.services.record`, which audits and publishes on commit.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import text_fingerprint
from board import changes as c
from board.access import card_audience, cards_visible_filter, scale_audience
from board.models import Card, CardChange, Column, Scale, Visibility, WorryKind
from changes.catalogue import Change
from changes.services import record
from circles import access
from circles.models import Client
from coedit import History, edit_apply, lock_in_order
from network.text import clean_line, clean_text
from sharing import services as plan_services
from sharing.access import notes_visible_filter
from sharing.models import Action, Goal, Note

if TYPE_CHECKING:
    from network.models import User

CARD_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500
WHY_MAX_LENGTH = 300


def card_add(
    *,
    actor: "User",
    client: Client,
    column: str,
    text: str,
    kind: str = "",
    visibility: str = Visibility.CIRCLE,
) -> Card:
    """A member adds a card at the end of a column. Worries say what kind they are."""
    values = _clean({"column": column, "text": text, "kind": kind, "visibility": visibility})
    _check_kind(values["column"], values["kind"])
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if not access.record_access(actor, client).may_edit_plan:
            raise PermissionDenied("Only members of the circle can add to the board.")
        return _create(actor, client, values, by_client=False)


def card_add_by_client(*, user: "User", client: Client, column: str, text: str) -> Card:
    """The client (or family with consent) adds "What's working well" or "What I'm worried about" from
    the portal. The card is theirs, shared with them, and the whole circle sees it live."""
    if column not in (Column.WORRY, Column.WORKING_WELL):
        raise ValidationError({"column": "Pick one: something going well, or a worry."})
    values = _clean({"column": column, "text": text, "kind": "", "visibility": Visibility.CLIENT})
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if access.portal_access(user, client) is None:
            raise PermissionDenied("Only the client, or family they agreed to, can add to their board.")
        return _create(user, client, values, by_client=True)


def card_update(
    *,
    actor: "User",
    card: Card,
    changes: dict[str, Any],
    base_version: int,
    checked: access.RecordAccess | None = None,
) -> Card:
    """Change some fields of a card, as edited from `base_version`. StaleEdit if someone got there first.

    `checked`: the caller is already in the writing transaction, has locked the client and then the card
    (`circles.selectors.client_lock_for_user`, `board.selectors.card_for_change(..., lock=True)`) and
    this is `actor`'s access worked out under that lock (the API's PATCH: one access check, not two).
    Whether they may change the board is still decided here, from it.
    """
    values = _clean(changes)
    if not values:
        raise ValidationError("Nothing to change.")
    if checked is not None and not (checked.user == actor and checked.client.pk == card.client_id):
        raise ValueError("`checked` is the actor's access to this card's client")
    with transaction.atomic(savepoint=checked is None):
        if checked is None:
            card, client = _lock(actor, card.pk)
        else:
            client = _checked(checked, card)
        if card.by_client and "text" in values:
            raise PermissionDenied("These are the client's own words: only they can change them.")
        column = values.get("column", card.column)
        if "column" in values and column != Column.WORRY:
            values["kind"] = ""
        _check_kind(column, values.get("kind", card.kind if column == Column.WORRY else ""), editing=True)
        visibility_before = card.visibility
        edit = edit_apply(
            card,
            fields=Card.EDITABLE,
            values=values,
            base_version=base_version,
            actor=actor,
            history=_history(card),
            also={"updated_at": timezone.now()},
        )
        if edit is None:
            return card
        record(
            change=c.CARD_UPDATE,
            actor=actor,
            client=client,
            obj=card,
            before=_audited(edit.before),
            after=_audited(edit.after),
            payload=c.CardUpdated(
                card_id=card.pk, column=card.column, version=card.version, fields=sorted(edit.after)
            ),
            audience=_audience(card, actor, was_shared=visibility_before == Visibility.CLIENT),
        )
    return card


def card_move(
    *, actor: "User", card: Card, column: str | None = None, direction: str | None = None, kind: str = ""
) -> Card:
    """Move a card to another column (to its end), or one place up or down in its column.

    A move is a decision about now, so it applies to the latest version whatever the page showed.
    """
    if column is not None and column not in Column.values:
        raise ValidationError(
            {
                "column": "There is no such column. Choose worries, what's working well or what needs to happen."
            }
        )
    if direction is not None and direction not in ("up", "down"):
        raise ValidationError({"direction": "Move up or down."})
    if (column is None) == (direction is None):
        raise ValidationError("Say which column to move the card to, or move it up or down.")
    with transaction.atomic():
        card, client = _lock(actor, card.pk)
        if column is not None:
            if column == card.column:
                return card
            kind = kind or (WorryKind.COMPLICATING if column == Column.WORRY else "")
            _check_kind(column, kind, editing=True)
            before: dict[str, Any] = {"column": card.column, "kind": card.kind}
            card.column, card.kind = column, kind
            card.position = _next_position(client, column)
            card.version += 1
            card.updated_at = timezone.now()
            card.save(update_fields=["column", "kind", "position", "version", "updated_at"])
            history = _history(card)
            history.record(
                field="column", old=before["column"], new=column, version=card.version, actor=actor
            )
            if before["kind"] != kind:
                history.record(field="kind", old=before["kind"], new=kind, version=card.version, actor=actor)
            after: dict[str, Any] = {"column": column, "kind": kind}
        else:
            siblings = list(
                Card.objects.filter(client=client, column=card.column, closed_at=None).order_by(
                    "position", "pk"
                )
            )
            index = next(i for i, sibling in enumerate(siblings) if sibling.pk == card.pk)
            swap_with = index - 1 if direction == "up" else index + 1
            if not 0 <= swap_with < len(siblings):
                return card
            siblings[index], siblings[swap_with] = siblings[swap_with], siblings[index]
            for position, sibling in enumerate(siblings, start=1):
                if sibling.position != position:
                    Card.objects.filter(pk=sibling.pk).update(position=position)
            card.position = swap_with + 1
            _history(card).record(
                field="position", old=index + 1, new=swap_with + 1, version=card.version, actor=actor
            )
            before, after = {"position": index + 1}, {"position": swap_with + 1}
        _publish(c.CARD_MOVE, actor, client, card, before=before, after=after)
    return card


def card_close(*, actor: "User", card: Card, reason: str) -> Card:
    """Close a card ("no longer a worry", "done"), with a reason. It stays in the board's history."""
    reason = clean_line(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the card is closed, for example “No longer a worry”."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Use {REASON_MAX_LENGTH} characters or fewer."})
    with transaction.atomic():
        card, client = _lock(actor, card.pk)
        card.closed_at = card.updated_at = timezone.now()
        card.closed_reason, card.closed_by = reason, actor
        card.version += 1
        card.save(update_fields=["closed_at", "closed_reason", "closed_by", "version", "updated_at"])
        _history(card).record(field="closed", old=None, new=reason, version=card.version, actor=actor)
        _publish(c.CARD_CLOSE, actor, client, card, after={"reason": reason})
    return card


def card_make_goal(*, actor: "User", card: Card) -> Goal:
    """A "needs to happen" card becomes a goal on the plan, in one step; each then points at the other."""
    with transaction.atomic():
        card, client = _lock(actor, card.pk)
        _check_plannable(card)
        goal = plan_services.goal_add(
            actor=actor,
            client=client,
            in_own_words=card.text[:500],
            shared_with_client=card.visibility == Visibility.CLIENT,
        )
        _link(actor, client, card, {"goal": goal})
    return goal


def card_make_action(*, actor: "User", card: Card, goal: Goal) -> Action:
    """A "needs to happen" card becomes an action under a goal of the plan."""
    with transaction.atomic():
        card, client = _lock(actor, card.pk)
        _check_plannable(card)
        if goal.plan.client_id != client.pk or goal.removed_at is not None:
            raise ValidationError({"goal": "Choose a goal on this client's plan."})
        action = plan_services.action_add(
            actor=actor,
            goal=goal,
            what=card.text[:500],
            shared_with_client=card.visibility == Visibility.CLIENT,
        )
        _link(actor, client, card, {"action": action})
    return action


def card_link(
    *, actor: "User", card: Card, addressed_by: Goal | None = None, evidence: Iterable[Note] = ()
) -> Card:
    """Link a worry to the goal that addresses it and to the notes that evidence it (replacing the links)."""
    evidence = list(evidence)
    with transaction.atomic():
        card, client = _lock(actor, card.pk)
        if card.column != Column.WORRY:
            raise ValidationError("Only worries are linked to the goal that addresses them.", code="conflict")
        if addressed_by is not None and (addressed_by.plan.client_id != client.pk or addressed_by.removed_at):
            raise ValidationError({"addressed_by": "Choose a goal on this client's plan."})
        record_access = access.record_access(actor, client)
        visible = set(
            Note.objects.filter(client=client, pk__in=[n.pk for n in evidence])
            .filter(notes_visible_filter(record_access))
            .values_list("pk", flat=True)
        )
        if len(visible) != len({n.pk for n in evidence}):
            raise ValidationError({"evidence": "Choose notes about this client that you can read."})
        card.evidence.set(sorted(visible))
        _link(actor, client, card, {"addressed_by": addressed_by}, evidence=sorted(visible))
    return card


def scale_add(*, actor: "User", client: Client, score: Any, why: str = "") -> Scale:
    """A member gives their judgement: 10 means the worries are dealt with and the case can close."""
    score, why = _clean_scale(score, why)
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if not access.record_access(actor, client).may_edit_plan:
            raise PermissionDenied("Only members of the circle give a scale.")
        return _scale_create(actor, client, score, why, by_client=False)


def scale_add_by_client(*, user: "User", client: Client, score: Any, why: str = "") -> Scale:
    """The client, or family with consent, gives their own scale from the portal."""
    score, why = _clean_scale(score, why)
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if access.portal_access(user, client) is None:
            raise PermissionDenied("Only the client, or family they agreed to, can give their scale here.")
        return _scale_create(user, client, score, why, by_client=True)


# Helpers.


def _create(actor: "User", client: Client, values: dict[str, Any], *, by_client: bool) -> Card:
    card = Card.objects.create(
        client=client,
        author=actor,
        organisation_id=None if by_client else actor.organisation_id,
        by_client=by_client,
        position=_next_position(client, values["column"]),
        **values,
    )
    _history(card).record(
        field="created", old=None, new=Card.EDITABLE.snapshot(card), version=card.version, actor=actor
    )
    _publish(c.CARD_ADD, actor, client, card, after=_audited(Card.EDITABLE.snapshot(card)))
    return card


def _scale_create(actor: "User", client: Client, score: int, why: str, *, by_client: bool) -> Scale:
    scale = Scale.objects.create(
        client=client,
        person=actor,
        organisation_id=None if by_client else actor.organisation_id,
        by_client=by_client,
        score=score,
        why=why,
    )
    record(
        change=c.SCALE_ADD,
        actor=actor,
        client=client,
        obj=scale,
        after={"score": score, "why_length": len(why)},
        payload=c.ScaleAdded(scale_id=scale.pk),
        audience=scale_audience(scale) | {"actor": actor.pk},
    )
    return scale


def _lock(actor: "User", pk: int) -> tuple[Card, Client]:
    """Lock the client, check the actor may change this card (a member who may see it), lock the card."""

    def check(client: Client) -> access.RecordAccess:
        record_access = access.record_access(actor, client)
        if not record_access.may_edit_plan:
            raise PermissionDenied("Only members of the circle can change the board.")
        return record_access

    client, _access, card = lock_in_order(
        Card,
        pk,
        first=Client,
        path="board_cards",
        then=check,
        # The card is locked only if this person may see it (one statement: the check and the lock).
        only=lambda record_access: Q(client_id=record_access.client.pk) & cards_visible_filter(record_access),
    )
    if card.closed_at is not None:
        raise ValidationError("This card is closed.", code="conflict")
    return card, client


def _checked(record: access.RecordAccess, card: Card) -> Client:
    """`_lock`'s checks, for a card and client its caller locked (in that order) having worked out
    `record` under the client's lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An already checked card is changed inside the transaction that locked it")
    if not record.may_edit_plan:
        raise PermissionDenied("Only members of the circle can change the board.")
    if card.closed_at is not None:
        raise ValidationError("This card is closed.", code="conflict")
    return record.client


def _link(
    actor: "User", client: Client, card: Card, links: dict[str, Any], *, evidence: list[int] | None = None
) -> None:
    before = {name: getattr(card, f"{name}_id") for name in links}
    for name, value in links.items():
        setattr(card, name, value)
    card.version += 1
    card.updated_at = timezone.now()
    card.save(update_fields=[*links, "version", "updated_at"])
    after: dict[str, Any] = {name: getattr(card, f"{name}_id") for name in links}
    if evidence is not None:
        after["evidence"] = evidence
    _history(card).record(field="linked", old=before, new=after, version=card.version, actor=actor)
    _publish(c.CARD_LINK, actor, client, card, before=before, after=after)


def _publish(
    change: Change,
    actor: "User",
    client: Client,
    card: Card,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    record(
        change=change,
        actor=actor,
        client=client,
        obj=card,
        before=before,
        after=after,
        payload=c.CardChanged(card_id=card.pk, column=card.column, version=card.version),
        audience=_audience(card, actor),
    )


def _audience(card: Card, actor: "User", *, was_shared: bool = False) -> dict[str, Any]:
    audience = card_audience(card)
    # The portal hears of it if the card is (or was, until now) shared with the client.
    audience["client_visible"] = audience["client_visible"] or was_shared
    # Who made the change, so that "since you last looked" leaves out one's own (may_receive ignores it).
    audience["actor"] = actor.pk
    return audience


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of a card's fields: its words only as a fingerprint (audit.text_fingerprint)."""
    if "text" not in values:
        return values
    kept = {name: value for name, value in values.items() if name != "text"}
    return kept | text_fingerprint(values["text"] or "")


def _history(card: Card) -> History:
    return History(CardChange, item={"card": card})


def _next_position(client: Client, column: str) -> int:
    last = Card.objects.filter(client=client, column=column).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _check_plannable(card: Card) -> None:
    if card.column != Column.NEXT_STEP:
        raise ValidationError("Only “What needs to happen” cards go on the plan.", code="conflict")
    if card.goal_id or card.action_id:
        raise ValidationError("This card is already on the plan.", code="conflict")


def _check_kind(column: str, kind: str, *, editing: bool = False) -> None:
    if column == Column.WORRY and not kind and not editing:
        raise ValidationError({"kind": "Say whether the worry is a harm, a danger or a complicating factor."})
    if column != Column.WORRY and kind:
        raise ValidationError({"kind": "Only worries are harms, dangers or complicating factors."})


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field == "text":
            cleaned[field] = clean_text(value)
            if not cleaned[field]:
                errors[field] = "Write what the card says."
            elif len(cleaned[field]) > CARD_MAX_LENGTH:
                errors[field] = f"Use {CARD_MAX_LENGTH:,} characters or fewer."
        elif field == "column":
            if value not in Column.values:
                errors[field] = (
                    "There is no such column. Choose worries, what's working well or what needs to happen."
                )
            cleaned[field] = value
        elif field == "kind":
            if value not in ("", *WorryKind.values):
                errors[field] = "Choose harm, danger or complicating factor."
            cleaned[field] = value or ""
        elif field == "visibility":
            if value not in Visibility.values:
                errors[field] = "Choose the whole circle, my organisation only, or shared with the client."
            cleaned[field] = value
        else:
            errors[field] = "A card has no such field."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_scale(score: Any, why: str) -> tuple[int, str]:
    errors: dict[str, str] = {}
    try:
        number = int(score)
        if isinstance(score, bool) or str(score).strip() != str(number) or not 0 <= number <= 10:
            raise ValueError
    except (TypeError, ValueError):
        errors["score"] = "Choose a number from 0 to 10."  # plain enough for the portal too
        number = 0
    why = clean_line(why)
    if len(why) > WHY_MAX_LENGTH:
        errors["why"] = f"Use {WHY_MAX_LENGTH} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return number, why
