"""Reads of the board, for a record already opened (and access-checked) by circles.selectors."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from board.access import cards_visible_filter, pack_cards_filter, portal_cards_filter, scales_visible_filter
from board.models import Card, CardChange, Column, Scale
from circles import access
from circles.access import RecordAccess
from circles.models import Client
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


def name_cards(cards: list[Card], record: RecordAccess) -> list[Card]:
    """Set each card's `author_shown`, through the policy's hidden-member rule (circles.access.person_label)."""
    for card in cards:
        card.author_shown = _author(card, record)
    return cards


def _author(card: Card, onlooker: "access.Onlooker | access.Names") -> str:
    if card.by_client:
        return f"{access.person_label(onlooker, card.author)} (in their own words)"
    if access.hides(onlooker, card.author):
        return access.HIDDEN_LABEL
    name = access.person_label(onlooker, card.author)
    return f"{name}, {card.organisation.name}" if card.organisation is not None else name


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
    open_cards = name_cards(list(cards_for(record).filter(closed_at=None)), record)
    closed = name_cards(
        list(cards_for(record).exclude(closed_at=None).order_by("-closed_at", "-pk")[:closed_limit]),
        record,
    )
    columns = [ColumnView(value, label) for value, label in Column.choices]
    by_column = {column.column: column for column in columns}
    for card in open_cards:
        by_column[card.column].cards.append(card)
    return BoardView(columns=columns, closed=closed, scales=scales_for(record))


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
    return name_cards([card], record)[0]


def card_for_change(record: RecordAccess, card_id: int | str, *, lock: bool = False) -> Card:
    """The card as a change needs it before writing: that this person may see it, and its version. Lighter
    than `card_get_for` (no joins, no evidence count): a co-edit's answer is made after the write commits
    (`card_as_saved`), so that its event rings first.

    `lock`: inside the writing transaction, after `circles.selectors.client_lock_for_user` locked the
    client: the same statement locks the card (the client first, then the card, as every writer does)."""
    cards = Card.objects.select_for_update() if lock else Card.objects
    try:
        return cards.filter(client=record.client).filter(cards_visible_filter(record)).get(pk=int(card_id))
    except (Card.DoesNotExist, ValueError, TypeError):
        raise Http404("No such card") from None


def card_as_saved(record: RecordAccess, saved: Card) -> Card:
    """A card as `board.services.card_update` saved it, ready to show, without reading its row again: the
    answer is exactly the state that write produced. One small query after the commit gives what an edit
    does not change, the author and the organisation, with how many of its evidence notes this reader may
    see."""
    notes = Note.objects.filter(client=record.client).filter(notes_visible_filter(record)).values("pk")
    extra = (
        Card.objects.filter(pk=saved.pk)
        .select_related("author", "organisation")
        .only("pk", "author", "organisation")
        .annotate(evidence_count=Coalesce(Subquery(_evidence_count(notes)), 0))
        .get()
    )
    saved.author, saved.organisation = extra.author, extra.organisation
    saved.evidence_count = extra.evidence_count  # type: ignore[attr-defined]
    return name_cards([saved], record)[0]


def card_history(record: RecordAccess, card: Card) -> list[CardChange]:
    changes = list(CardChange.objects.filter(card=card).select_related("actor").order_by("at", "pk"))
    for change in changes:
        change.actor_shown = access.person_label(record, change.actor)
    return changes


def scales_for(record: RecordAccess) -> list[ScaleLine]:
    """Each person's scales, people ordered by their latest score (the spread), newest scale first."""
    scales = (
        Scale.objects.filter(client=record.client)
        .filter(scales_visible_filter(record))
        .select_related("person", "organisation")
        .order_by("-at", "-pk")
    )
    lines: dict[int, list[Scale]] = defaultdict(list)
    for scale in scales:
        lines[scale.person_id].append(scale)
    result = [
        ScaleLine(
            person_id=person_id,
            name=access.person_label(record, person_scales[0].person),
            organisation=(
                "In their own words"
                if person_scales[0].by_client
                else (
                    person_scales[0].organisation.name
                    if person_scales[0].organisation and not access.hides(record, person_scales[0].person)
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
    names = access.names_for(client, sees_hidden=False)
    by_column: dict[str, list[Card]] = {value: [] for value in Column.values}
    for card in cards:
        if card.by_client:
            card.author_shown = (
                "You" if card.author_id == user.pk else access.person_label(names, card.author)
            )
        else:
            card.author_shown = access.person_label(names, card.author)
        by_column[card.column].append(card)
    return by_column


def portal_scales(client: Client, user: Any) -> list[Scale]:
    """The person's own scales, newest first."""
    return list(Scale.objects.filter(client=client, person=user).order_by("-at", "-pk")[:20])
