"""Reads of the board, for a record already opened (and access-checked) by circles.selectors."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from board.access import (
    cards_visible_filter,
    pack_cards_filter,
    portal_cards_filter,
    scales_visible_filter,
    shown_name,
)
from board.models import Card, CardChange, Column, Scale
from circles.access import RecordAccess
from circles.models import CircleMember, Client
from sharing.access import notes_visible_filter
from sharing.models import Note

# The question the scale asks, in plain words, on the board and in the portal.
SCALE_QUESTION = (
    "On a scale of 0 to 10, where 10 means everyone agrees the worries are dealt with and the case can "
    "close, and 0 means things are so bad that the child or adult cannot stay safe as things are: "
    "where are things today?"
)


@dataclass
class ColumnView:
    column: str
    title: str
    cards: list[Card] = field(default_factory=list)
    form: Any = None  # the page's "add a card" form for this column


@dataclass
class ScaleLine:
    """One person's scales, newest first: the latest is their judgement now."""

    person_id: int
    name: str
    organisation: str
    scales: list[Scale]

    @property
    def latest(self) -> Scale:
        return self.scales[0]


@dataclass
class BoardView:
    columns: list[ColumnView]
    closed: list[Card]
    scales: list[ScaleLine]

    @property
    def open_count(self) -> int:
        return sum(len(column.cards) for column in self.columns)

    def column(self, name: str) -> ColumnView:
        return next(column for column in self.columns if column.column == name)


def _hidden_people(record: RecordAccess) -> set[int]:
    """Hidden members' accounts, whose names only the circle sees (no query for members of the circle)."""
    if record.membership is not None:
        return set()
    return set(
        CircleMember.objects.filter(client=record.client, is_hidden=True)
        .exclude(user=None)
        .values_list("user_id", flat=True)
    )


def name_cards(cards: list[Card], record: RecordAccess, hidden: set[int] | None = None) -> list[Card]:
    """Set each card's `author_shown`: a hidden member is named only to the circle."""
    hidden = _hidden_people(record) if hidden is None else hidden
    for card in cards:
        card.author_shown = _author(card, hidden, to_circle=record.membership is not None)
    return cards


def _author(card: Card, hidden: set[int], *, to_circle: bool) -> str:
    if card.by_client:
        return f"{card.author.full_name} (in their own words)"
    name = card.author.full_name
    if card.organisation is not None and not (card.author_id in hidden and not to_circle):
        name = f"{name}, {card.organisation.name}"
    return shown_name(name, hidden=card.author_id in hidden, to_circle=to_circle)


def _evidence_count(notes: QuerySet) -> QuerySet:
    """How many of a card's evidence notes are in `notes`, as a subquery (no GROUP BY over every column)."""
    return (
        Card.evidence.through.objects.filter(card_id=OuterRef("pk"), note_id__in=notes)
        .values("card_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # the plugin does not see the annotation
    )


def cards_for(record: RecordAccess) -> QuerySet[Card]:
    """The client's cards this person may see, with what each page shows of them."""
    # The evidence this reader may read (a count of all would give away a note they may not see).
    notes = Note.objects.filter(client=record.client).filter(notes_visible_filter(record)).values("pk")
    return (
        Card.objects.filter(client=record.client)
        .filter(cards_visible_filter(record))
        .select_related("author", "organisation", "goal", "action", "addressed_by")
        .annotate(evidence_count=Coalesce(Subquery(_evidence_count(notes)), 0))
        .order_by("position", "pk")
    )


def board_for(record: RecordAccess, *, closed_limit: int = 50) -> BoardView:
    """The open cards by column, the most recently closed, and everyone's scales (3 or 4 queries)."""
    hidden = _hidden_people(record)
    open_cards = name_cards(list(cards_for(record).filter(closed_at=None)), record, hidden)
    closed = name_cards(
        list(cards_for(record).exclude(closed_at=None).order_by("-closed_at", "-pk")[:closed_limit]),
        record,
        hidden,
    )
    columns = [ColumnView(value, label) for value, label in Column.choices]
    by_column = {column.column: column for column in columns}
    for card in open_cards:
        by_column[card.column].cards.append(card)
    return BoardView(columns=columns, closed=closed, scales=scales_for(record, hidden=hidden))


PACK_COLUMNS = [Column.WORRY, Column.WORKING_WELL, Column.NEXT_STEP]


def pack_board(record: RecordAccess) -> list[ColumnView]:
    """The open cards a conference pack shows its reader, by column: worries, what is working well, what
    needs to happen (`pack_cards_filter`; a hidden member is named only to the circle). One query, and one
    more for a reader from outside the circle (who is hidden)."""
    cards = name_cards(
        list(
            Card.objects.filter(client=record.client, closed_at=None)
            .filter(pack_cards_filter(record))
            .select_related("author", "organisation")
            .order_by("position", "pk")
        ),
        record,
    )
    columns = [ColumnView(value, label) for value, label in Column.choices if value in PACK_COLUMNS]
    by_column = {column.column: column for column in columns}
    for card in cards:
        by_column[card.column].cards.append(card)
    return columns


def card_get_for(record: RecordAccess, card_id: int | str) -> Card:
    try:
        card = cards_for(record).get(pk=int(card_id))
    except (Card.DoesNotExist, ValueError, TypeError):
        raise Http404("No such card") from None
    return name_cards([card], record, _hidden_people(record))[0]


def card_history(record: RecordAccess, card: Card) -> list[CardChange]:
    hidden = _hidden_people(record)
    changes = list(CardChange.objects.filter(card=card).select_related("actor").order_by("at", "pk"))
    for change in changes:
        change.actor_shown = shown_name(
            change.actor.full_name, hidden=change.actor_id in hidden, to_circle=record.membership is not None
        )
    return changes


def scales_for(record: RecordAccess, *, hidden: set[int] | None = None) -> list[ScaleLine]:
    """Each person's scales, people ordered by their latest score (the spread), newest scale first."""
    hidden = _hidden_people(record) if hidden is None else hidden
    scales = (
        Scale.objects.filter(client=record.client)
        .filter(scales_visible_filter(record))
        .select_related("person", "organisation")
        .order_by("-at", "-pk")
    )
    lines: dict[int, list[Scale]] = defaultdict(list)
    for scale in scales:
        lines[scale.person_id].append(scale)
    to_circle = record.membership is not None
    result = [
        ScaleLine(
            person_id=person_id,
            name=shown_name(
                person_scales[0].person.full_name, hidden=person_id in hidden, to_circle=to_circle
            ),
            organisation=(
                "In their own words"
                if person_scales[0].by_client
                else (
                    person_scales[0].organisation.name
                    if person_scales[0].organisation and (to_circle or person_id not in hidden)
                    else ""
                )
            ),
            scales=person_scales,
        )
        for person_id, person_scales in lines.items()
    ]
    return sorted(result, key=lambda line: (line.latest.score, line.name))


# The portal: only cards shared with the client, and their own.


def portal_cards(client: Client, user: Any) -> dict[str, list[Card]]:
    cards = (
        Card.objects.filter(client=client, closed_at=None)
        .filter(portal_cards_filter(user))
        .select_related("author", "organisation")
        .order_by("position", "pk")
    )
    hidden = set(
        CircleMember.objects.filter(client=client, is_hidden=True)
        .exclude(user=None)
        .values_list("user_id", flat=True)
    )
    by_column: dict[str, list[Card]] = {value: [] for value in Column.values}
    for card in cards:
        if card.by_client:
            card.author_shown = "You" if card.author_id == user.pk else card.author.full_name
        else:
            card.author_shown = shown_name(
                card.author.full_name, hidden=card.author_id in hidden, to_circle=False
            )
        by_column[card.column].append(card)
    return by_column


def portal_scales(client: Client, user: Any) -> list[Scale]:
    """The person's own scales, newest first."""
    return list(Scale.objects.filter(client=client, person=user).order_by("-at", "-pk")[:20])
