"""The board's changes (cards and scales), each by one name for its audit row and its event.

Payloads carry ids, never names or words: the page fetches the card over HTTP, where the access rules
apply, so a hidden member is never named in an event.
"""

from typing import TypedDict

from changes.catalogue import Change, register


class CardChanged(TypedDict):
    card_id: int
    column: str
    version: int


class CardUpdated(TypedDict):
    card_id: int
    column: str
    version: int
    fields: list[str]


class ScaleAdded(TypedDict):
    scale_id: int


CARD_ADD = Change("board.card_add", "A card is added to the board", CardChanged)
CARD_UPDATE = Change("board.card_update", "Some fields of a card are changed", CardUpdated)
CARD_MOVE = Change("board.card_move", "A card moves to another column or up or down", CardChanged)
CARD_CLOSE = Change("board.card_close", "A card is closed (no longer a worry, done)", CardChanged)
CARD_LINK = Change(
    "board.card_link", "A card is linked to the plan or to notes (or made a goal or action)", CardChanged
)
SCALE_ADD = Change("board.scale_add", "Someone gives their judgement on the 0 to 10 scale", ScaleAdded)

BOARD_VIEW = Change("board.view", "Someone reads the board, a card or its history", is_read=True)

register(CARD_ADD, CARD_UPDATE, CARD_MOVE, CARD_CLOSE, CARD_LINK, SCALE_ADD, BOARD_VIEW)
