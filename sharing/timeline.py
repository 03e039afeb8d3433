"""The timeline's sources from apps above sharing (the board; later others), which sharing must not import.

A client's timeline (`sharing.selectors.timeline.timeline_for`) is the record's own history: notes, the
plan, the circle, consent, stages, assessments. Apps that sit above sharing keep history of their own (the
board's card changes and scales). Each registers a source here when Django starts (its AppConfig.ready),
and the timeline asks every registered source, so sharing never imports them.

A source is `source(record, limit)`: given a `circles.access.RecordAccess` that may view the record, it
returns at most `limit` `Moment`s, newest first, and:

- applies its own access rules for that reader (the board: which cards and scales they may see);
- names people only through the policy (`circles.access.person_label`), so a hidden member is never named
  to someone outside the circle;
- reads in a fixed number of queries however long the record (the timeline's query count is pinned).

What a source shows must also be published as the client's events (through `changes.services.record`):
the timeline page is live, and reads itself again when an event reaches it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Moment:
    """One thing that happened, as the timeline shows it."""

    at: datetime.datetime
    kind: str  # note, plan, circle, consent, agreement, stage, assessment, board, scale…
    title: str
    detail: str = ""
    by: str = ""


Source = Callable[[Any, int], Iterable[Moment]]


_sources: list[Source] = []


def register_source(source: Source) -> None:
    """Add `source(record, limit)` to every client's timeline (call it from your AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def moments_from_sources(record: Any, limit: int) -> list[Moment]:
    """Every registered source's moments for this reader (at most `limit` from each)."""
    moments: list[Moment] = []
    for source in _sources:
        moments.extend(list(source(record, limit))[:limit])
    return moments
