"""Snapshots of the dashboard: each table's cells as worked out (counts, the values a median or an
average is taken of, both numbers of a share), kept as JSON and turned back into the same `Table`s.

Publishing a snapshot goes through reporting.tables.Published exactly as live figures do (hiding,
rounding, the one-line reading from reporting.figures.READINGS), so the page, the CSV and the JSON from a
snapshot can never show anything live figures would not.
"""

import datetime
from typing import Any

from django.utils import timezone

from reporting.figures import READINGS, Period
from reporting.forms import months_before
from reporting.tables import Cell, Count, Mean, Median, Published, Share, Table

PRESETS = (3, 6, 12)  # the periods kept: the last 3, 6 and 12 months
# Older than this, the page works the figures out itself. An hour: one worker's refresh of a council's 120
# organisations (every team, every preset) takes ~27 minutes of its 8-minute runs, so every organisation
# comes round within ~40 minutes and a manager's page is served from a snapshot (docs/performance.md).
FRESH_FOR = datetime.timedelta(minutes=60)
REFRESH_EVERY = datetime.timedelta(minutes=10)  # the task's slot (the clock ticks every 5 minutes)
# A run starts no organisation after this, so it ends within its slot; the organisations left over (the
# oldest then) go first in the next run. On the large set one organisation of ~5,500 clients takes ~14 s
# (its view and 4 teams' × 3 periods, on a loaded 2-core machine): ~35 organisations a run.
REFRESH_BUDGET = datetime.timedelta(minutes=8)


def preset_period(months: int, today: datetime.date | None = None) -> Period:
    """The last `months` months to today, as the filters form makes it."""
    today = today or timezone.localdate()
    return Period(months_before(today, months), today)


def slot_of(moment: datetime.datetime) -> datetime.datetime:
    """The 10-minute slot a moment is in (its start)."""
    step = int(REFRESH_EVERY.total_seconds())
    seconds = int(moment.timestamp())
    return datetime.datetime.fromtimestamp(seconds - seconds % step, tz=datetime.UTC)


def _cell(cell: Cell) -> Any:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Count):
        return {"count": cell.value}
    if isinstance(cell, Median):
        return {"median": list(cell.values)}
    if isinstance(cell, Mean):
        return {"mean": list(cell.values)}
    return {"part": cell.part, "whole": cell.whole}


def _uncell(data: Any) -> Cell:
    if isinstance(data, str):
        return data
    if "count" in data:
        return Count(int(data["count"]))
    if "median" in data:
        return Median(tuple(data["median"]))
    if "mean" in data:
        return Mean(tuple(data["mean"]))
    return Share(int(data["part"]), int(data["whole"]))


def encode(tables: list[Published]) -> list[dict[str, Any]]:
    """The tables as worked out (never as published: a snapshot is published like live figures)."""
    return [
        {
            "key": p.table.key,
            "title": p.table.title,
            "columns": p.table.columns,
            "rows": [[_cell(cell) for cell in row] for row in p.table.rows],
            "chart_column": p.table.chart_column,
            "note": p.table.note,
            "total_rows": p.table.total_rows,
        }
        for p in tables
    ]


def decode(data: list[dict[str, Any]], *, protect: bool) -> list[Published]:
    return [
        Published(
            Table(
                key=t["key"],
                title=t["title"],
                columns=list(t["columns"]),
                rows=[[_uncell(cell) for cell in row] for row in t["rows"]],
                chart_column=t["chart_column"],
                note=t["note"],
                reading=READINGS[t["key"]],
                total_rows=t["total_rows"],
            ),
            protect=protect,
        )
        for t in data
    ]
