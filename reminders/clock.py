"""Periodic work of other apps, on the reminders clock's tick (`manage.py reminders_tick`).

An app above reminders registers a function at start-up (its AppConfig.ready); each tick calls it with the
moment of the tick, and it enqueues whatever is due (returning a line for each thing enqueued). As with the
daily scan, a function must be harmless to call often and from several machines: it claims its own work.
"""

import datetime
from collections.abc import Callable

Tick = Callable[[datetime.datetime], list[str]]

_ticks: list[Tick] = []


def on_tick(work: Tick) -> None:
    if work not in _ticks:
        _ticks.append(work)


def run_ticks(now: datetime.datetime) -> list[str]:
    enqueued: list[str] = []
    for work in _ticks:
        enqueued += work(now)
    return enqueued
