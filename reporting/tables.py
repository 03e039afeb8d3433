"""A dashboard table: its figures as worked out, and as published to one reader.

Figures are kept as worked out (a count, a median and the number it is the median of, a share and both
of its numbers) and only turned into what a reader sees when published. In an organisation's own view
every figure is shown as it is. In a partnership view, figures about people in other organisations are
protected against being traced back to anyone:

- a count under 5 (but not 0) is shown as "fewer than 5";
- every other count is rounded to the nearest 5, totals included, so that no small count can be worked
  out by taking the others away from a total, in one table or across several ("differencing");
- a median or an average over fewer than 5 is not shown, and neither is a share whose part, or the
  rest, is under 5 (3 of 40, or 37 of 40, would give the small count away).

The page, the CSV and the JSON all publish through `Published`, so none of them can show more than another.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SMALL = 5  # counts under this are hidden in a partnership view
FEWER = "fewer than 5"
NONE = "–"  # nothing to show: no referrals, say, so no median


@dataclass(frozen=True)
class Count:
    value: int


@dataclass(frozen=True)
class Median:
    """A median number of days (or anything), and how many values it is the median of."""

    values: tuple[float, ...]

    @property
    def basis(self) -> int:
        return len(self.values)

    @property
    def value(self) -> float | None:
        return statistics.median(self.values) if self.values else None


@dataclass(frozen=True)
class Mean:
    values: tuple[float, ...]

    @property
    def basis(self) -> int:
        return len(self.values)

    @property
    def value(self) -> float | None:
        return statistics.fmean(self.values) if self.values else None


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole * 100 if self.whole else None


Cell = str | Count | Median | Mean | Share


def median_of(values: Iterable[float]) -> Median:
    return Median(tuple(values))


def mean_of(values: Iterable[float]) -> Mean:
    return Mean(tuple(values))


@dataclass
class Table:
    key: str  # its name in URLs, CSV file names and the JSON ("caseload-workers")
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart_column: int = 1  # the column the chart draws, against the first
    note: str = ""  # what the figures count, in a sentence
    reading: Any = None  # (published table) -> the one line in words
    total_rows: int = 0  # the last rows are totals: not drawn in the chart


@dataclass(frozen=True)
class Shown:
    """One published cell: what is written, and the value for the chart and the JSON (None: nothing)."""

    text: str
    value: int | float | None
    hidden: bool = False  # too small to show
    is_text: bool = False  # a label (a team, a stage), not a figure

    @property
    def json(self) -> int | float | str | None:
        if self.hidden:
            return FEWER
        return self.text if self.is_text else self.value


def _rounded(count: int) -> int:
    return SMALL * int((count + SMALL / 2) // SMALL)


def publish_cell(cell: Cell, *, protect: bool) -> Shown:
    if isinstance(cell, str):
        return Shown(cell, None, is_text=True)
    if isinstance(cell, Count):
        if protect and 0 < cell.value < SMALL:
            return Shown(FEWER, None, hidden=True)
        value = _rounded(cell.value) if protect else cell.value
        return Shown(f"{value:,}", value)
    if isinstance(cell, Median | Mean):
        if cell.value is None:
            return Shown(NONE, None)
        if protect and cell.basis < SMALL:
            return Shown(FEWER, None, hidden=True)
        rounded = round(cell.value, 1)
        return Shown(f"{rounded:g}", rounded)
    if cell.value is None:
        return Shown(NONE, None)
    rest = cell.whole - cell.part
    if protect and (0 < cell.part < SMALL or 0 < rest < SMALL):
        return Shown(FEWER, None, hidden=True)
    percent = round(cell.value)
    return Shown(f"{percent}%", percent)


@dataclass
class Published:
    table: Table
    protect: bool
    rows: list[list[Shown]] = field(init=False)

    def __post_init__(self) -> None:
        self.rows = [[publish_cell(cell, protect=self.protect) for cell in row] for row in self.table.rows]

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def title(self) -> str:
        return self.table.title

    @property
    def columns(self) -> list[str]:
        return self.table.columns

    @property
    def note(self) -> str:
        return self.table.note

    @property
    def body_rows(self) -> list[list[Shown]]:
        return self.rows[: len(self.rows) - self.table.total_rows]

    @property
    def total_rows(self) -> list[list[Shown]]:
        return self.rows[len(self.rows) - self.table.total_rows :]

    def cell(self, label: str, column: int = 1) -> Shown:
        for row in self.rows:
            if row[0].text == label:
                return row[column]
        return Shown(NONE, None)

    @property
    def reading(self) -> str:
        return self.table.reading(self) if self.table.reading else ""

    @property
    def bars(self) -> list[tuple[str, float | None, str]]:
        column = self.table.chart_column
        return [(row[0].text, row[column].value, row[column].text) for row in self.body_rows]

    def csv_rows(self) -> Iterable[list[str]]:
        yield self.columns
        for row in self.rows:
            yield [shown.text for shown in row]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "reading": self.reading,
            "note": self.note,
            "columns": self.columns,
            "rows": [[shown.json for shown in row] for row in self.rows],
        }
