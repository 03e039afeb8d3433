"""What the board's pages tell apps above the board, which the board must not import.

Opening the board counts as a visit to the client for "since you last looked": the overview keeps each
person's last visit (`overview.Visit`) and sits above the board, so it registers here when Django starts
(`OverviewConfig.ready`) and the board page calls what was registered, as `network.hooks` does for the
directory. What the handler answers (the cards changed since the person last looked, by anyone else) is
marked "New since you last looked" on the board, as on the client page.
"""

from collections.abc import Callable
from typing import Any

_opened_handlers: list[Callable[..., set[int]]] = []


def register_board_opened(handler: Callable[..., set[int]]) -> None:
    """`handler(record=)` runs when a person opens a client's board (a `circles.access.RecordAccess`) and
    returns the ids of the cards that are new to them since they last looked."""
    if handler not in _opened_handlers:
        _opened_handlers.append(handler)


def board_opened(*, record: Any) -> set[int]:
    """Tell every registered app that this person is looking at this client's board now; the ids of the
    cards that changed since they last looked (none if nothing is registered)."""
    new: set[int] = set()
    for handler in _opened_handlers:
        new |= handler(record=record)
    return new
