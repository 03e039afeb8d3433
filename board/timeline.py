"""The board on the client's timeline: cards added, changed, moved, closed and linked to the plan, and each
scale given, as this reader may see them (the board's own rule, board/access.py). Registered with
`sharing.timeline` by BoardConfig.ready, since sharing sits below the board. Two queries, however long the
board's history.
"""

from typing import Any

from board.access import cards_visible_filter, scales_visible_filter
from board.models import Card, CardChange, Column, Scale
from circles import access
from circles.access import RecordAccess
from sharing.timeline import Moment

SHORT = 80  # a card's words, in a timeline title


def board_moments(record: RecordAccess, limit: int) -> list[Moment]:
    """The newest `limit` card changes and `limit` scales this reader may see, newest first."""
    if not record.may_view:
        return []
    visible = Card.objects.filter(client=record.client).filter(cards_visible_filter(record)).values("pk")
    changes = list(
        CardChange.objects.filter(card__in=visible)
        .select_related("actor", "card")
        .order_by("-at", "-pk")[:limit]
    )
    # A move into or out of the worries changes the kind too, as part of the move: one moment, not two.
    moves = {(change.card_id, change.version) for change in changes if change.field == "column"}
    moments = [
        _card_moment(record, change)
        for change in changes
        if not (change.field == "kind" and (change.card_id, change.version) in moves)
    ]
    scales = (
        Scale.objects.filter(client=record.client)
        .filter(scales_visible_filter(record))
        .select_related("person")
        .order_by("-at", "-pk")[:limit]
    )
    for scale in scales:
        moments.append(
            Moment(
                scale.at,
                "scale",
                f"Scale given: {scale.score} out of 10"
                + (" (in their own words)" if scale.by_client else ""),
                scale.why,
                access.person_label(record, scale.person),
            )
        )
    return sorted(moments, key=lambda moment: moment.at, reverse=True)


def _card_moment(record: RecordAccess, change: CardChange) -> Moment:
    card = change.card
    words = f"“{_short(card.text)}”"
    column = _column(card.column)
    detail = ""
    if change.field == "created":
        # As it was written then (the history keeps the card as it was made).
        made = change.new_value if isinstance(change.new_value, dict) else {}
        title = f"Added to the board: “{_short(str(made.get('text') or card.text))}”"
        kind = Card.EDITABLE.in_words("kind", made.get("kind", card.kind))
        detail = _column(made.get("column", card.column)) + (f" ({kind})" if kind else "")
    elif change.field == "closed":
        title = f"Closed on the board: {words}"
        detail = str(change.new_value or "")
    elif change.field == "column":
        title = f"Moved on the board: {words}"
        detail = f"{_column(change.old_value)} → {_column(change.new_value)}"
    elif change.field == "position":
        up = _int(change.new_value) < _int(change.old_value)
        title = f"Moved {'up' if up else 'down'} on the board: {words}"
        detail = column
    elif change.field == "linked":
        title = f"Linked to the plan or notes: {words}"
        detail = _linked(change.new_value)
    else:
        title = f"Changed on the board: {words}"
        detail = (
            f"{Card.EDITABLE.label(change.field)}: "
            f"{_text(Card.EDITABLE.in_words(change.field, change.old_value))} → "
            f"{_text(Card.EDITABLE.in_words(change.field, change.new_value))}"
        )
    return Moment(change.at, "board", title, detail, access.person_label(record, change.actor))


def _column(value: Any) -> str:
    return dict(Column.choices).get(value, str(value or ""))


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def _text(value: str) -> str:
    return _short(value) if value else "nothing"


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _linked(value: Any) -> str:
    """What a card was linked to, in words (ids only are kept; the plan shows the rest)."""
    if not isinstance(value, dict):
        return ""
    parts = []
    if value.get("goal"):
        parts.append("made a goal on the plan")
    if value.get("action"):
        parts.append("made an action on the plan")
    if "addressed_by" in value:
        parts.append("linked to the goal that addresses it" if value["addressed_by"] else "no goal linked")
    if value.get("evidence"):
        # Not how many: some of the notes may be ones this reader may not see.
        parts.append("notes linked as evidence")
    return "; ".join(parts).capitalize()
