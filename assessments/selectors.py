"""Reads of instruments and assessments, for a client record already opened (and checked) by circles.selectors.

The client's own ratings (done in the portal) make a series of their own, shown beside the practitioners',
never merged into it. The first completed assessment of a series is its baseline.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from assessments import packs, scoring
from assessments.access import assessments_visible_filter, may_edit_instrument
from assessments.models import Assessment, Instrument, InstrumentVersion, SelfRatingRequest
from circles import access


def instruments_in_use() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True).order_by("name")


def instrument_versions_current() -> list[InstrumentVersion]:
    """Every active instrument's current version (one query), for choosing one to start."""
    return list(
        InstrumentVersion.objects.filter(instrument__is_active=True)
        .filter(number=F("instrument__current_version"))
        .select_related("instrument")
        .order_by("instrument__name")
    )


def instrument_get(code: str) -> Instrument:
    try:
        return Instrument.objects.get(code=code)
    except Instrument.DoesNotExist:
        raise Http404("No such instrument") from None


def assessment_list_for(record: access.RecordAccess) -> QuerySet[Assessment]:
    """The client's assessments this person may read (their own drafts included), newest first."""
    return (
        Assessment.objects.filter(client=record.client)
        .filter(assessments_visible_filter(record))
        .select_related("version", "instrument", "author", "organisation")
        .order_by("-completed_at", "-id")
    )


def assessment_get_for(record: access.RecordAccess, assessment_id: int | str) -> Assessment:
    try:
        return assessment_list_for(record).get(pk=int(assessment_id))
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None


@dataclass(frozen=True)
class Point:
    at: datetime.datetime
    assessment_id: int
    result: dict
    version: int


@dataclass
class Series:
    """One instrument's completed assessments for a client, by practitioners or by the client, oldest first."""

    instrument: Any  # an Instrument, or the summary's InstrumentRef (pk, code, name)
    by_client: bool
    points: list[Point] = field(default_factory=list)
    definition: dict = field(default_factory=dict)  # the latest's

    @property
    def baseline(self) -> Point:
        return self.points[0]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @cached_property
    def changes(self) -> list[scoring.Change]:
        baseline = cast(scoring.Result, self.baseline.result)
        return scoring.changes_between(self.definition, baseline, cast(scoring.Result, self.latest.result))

    @cached_property
    def lines(self) -> list[tuple[str, list[int | None]]]:
        """What the chart draws: the total, or one line per item; a value per point."""
        if self.definition["scoring"] == "sum":
            return [("Total", [p.result["total"] for p in self.points])]
        lines = []
        for item in self.definition["items"]:
            values = [_item_score(p.result, item["code"]) for p in self.points]
            lines.append((scoring.short_label(item), values))
        return lines

    @property
    def rows(self) -> list[dict]:
        """The chart's figures as table rows: each assessment's date and its value on every line."""
        lines = self.lines
        return [
            {"id": p.assessment_id, "at": p.at, "values": [values[i] for _label, values in lines]}
            for i, p in enumerate(self.points)
        ]

    @property
    def value_range(self) -> tuple[int, int]:
        scale = self.definition["scale"]
        if self.definition["scoring"] == "sum":
            count = len(self.definition["items"])
            return scale["min"] * count, scale["max"] * count
        return scale["min"], scale["max"]

    @property
    def summary(self) -> str:
        """One line in words: "Wellbeing domains: Home 3 → 6 (better), Money 2 → 2 since 4 March 2026"."""
        name = self.definition["name"]
        if len(self.points) == 1:
            return f"{name}: a baseline on {self.baseline.at:%-d %B %Y}, {self.latest_in_words}. No follow-up yet."
        parts = [f"{c.label} {c.baseline} → {c.latest} ({c.direction})" for c in self.changes]
        return f"{name} since {self.baseline.at:%-d %B %Y}: " + "; ".join(parts) + "."

    @property
    def latest_in_words(self) -> str:
        result = self.latest.result
        if result["total"] is not None:
            return f"{result['total']}, {result['band'].lower()}"
        return ", ".join(
            f"{scoring.short_label(i)} {r['score']}"
            for i, r in zip(self.definition["items"], result["items"], strict=False)
        )

    @property
    def is_due(self) -> bool:
        days = self.definition.get("reassess_days") or 0
        if not days:
            return False
        return self.latest.at + datetime.timedelta(days=days) <= timezone.now()


def _item_score(result: dict, code: str) -> int | None:
    for item in result["items"]:
        if item["code"] == code:
            return item["score"]
    return None


@dataclass(frozen=True)
class InstrumentRef:
    """An instrument as the summary names it (read with the assessments, not as its own model)."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class Mention:
    """A draft or a flagged assessment, as the summary lists it."""

    pk: int
    name: str  # the instrument's
    at: datetime.datetime
    message: str = ""  # a flag's: what to do


@dataclass
class Summary:
    """What the client page shows of assessments: each instrument in use, and this person's drafts."""

    series: list[Series]
    drafts: list[Mention]
    flagged: list[Mention]

    @property
    def by_instrument(self) -> list[tuple[Any, Series | None, Series | None]]:
        """(instrument, practitioners' series, the client's own), for each instrument in use."""
        seen: dict[int, list] = {}
        for s in self.series:
            row = seen.setdefault(s.instrument.pk, [s.instrument, None, None])
            row[2 if s.by_client else 1] = s
        return [tuple(row) for row in seen.values()]  # type: ignore[misc]


SUMMARY_FIELDS = (
    "pk",
    "status",
    "completed_by",
    "completed_at",
    "created_at",
    "result",
    "flagged",
    "instrument_id",
    "instrument__code",
    "instrument__name",
    "version__number",
    "version_id",
)
# The version's definition as text, decoded once per version in _summary (not once per row: fifty
# assessments of one version carry fifty copies of its ~2 KB definition).
SUMMARY_DEFINITION = {"definition_text": Cast("version__definition", TextField())}


def summary_for(record: access.RecordAccess) -> Summary:
    """Every instrument in use for this client, with baseline, latest and change (one query).

    For the client page and any page that includes templates/assessments/_client_summary.html. Rows are
    read as values, not models: fifty assessments cost fifty small dicts, not 150 model instances.
    """
    if not record.may_view:
        return Summary([], [], [])
    rows = (
        Assessment.objects.filter(
            client=record.client, status__in=[Assessment.Status.COMPLETED, Assessment.Status.DRAFT]
        )
        .filter(assessments_visible_filter(record))
        .order_by("completed_at", "id")
        .values(*SUMMARY_FIELDS, **SUMMARY_DEFINITION)
    )
    return _summary(list(rows))


def _summary(rows: list[dict[str, Any]]) -> Summary:
    series: dict[tuple[int, bool], Series] = {}
    instruments: dict[int, InstrumentRef] = {}
    drafts, flagged = [], []
    definitions: dict[int, dict] = {}
    for row in rows:
        definition = definitions.get(row["version_id"])
        if definition is None:
            definition = definitions[row["version_id"]] = json.loads(row["definition_text"])
        name = definition["name"]
        if row["status"] == Assessment.Status.DRAFT:
            drafts.append(Mention(row["pk"], name, row["created_at"]))
            continue
        by_client = row["completed_by"] == Assessment.By.CLIENT
        instrument = instruments.setdefault(
            row["instrument_id"],
            InstrumentRef(row["instrument_id"], row["instrument__code"], row["instrument__name"]),
        )
        s = series.setdefault((instrument.pk, by_client), Series(instrument=instrument, by_client=by_client))
        s.points.append(Point(row["completed_at"], row["pk"], row["result"], row["version__number"]))
        s.definition = definition
        if row["flagged"]:
            flagged.append(
                Mention(row["pk"], name, row["completed_at"], row["result"]["flags"][0]["message"])
            )
    ordered = sorted(series.values(), key=lambda s: (s.instrument.name, s.by_client))
    return Summary(ordered, drafts, flagged[-3:])


def series_for(record: access.RecordAccess, instrument: Instrument, *, by_client: bool = False) -> Series:
    """One chart's series: one query on the series index, whatever the number of clients."""
    by = Q(completed_by=Assessment.By.CLIENT) if by_client else ~Q(completed_by=Assessment.By.CLIENT)
    rows = (
        Assessment.objects.filter(
            client=record.client, instrument=instrument, status=Assessment.Status.COMPLETED
        )
        .filter(by)
        .filter(assessments_visible_filter(record))
        .order_by("completed_at", "id")
        .values("pk", "completed_at", "result", "version__number", "version__definition")
    )
    series = Series(instrument=instrument, by_client=by_client)
    for row in rows:
        completed_at, result = cast(datetime.datetime, row["completed_at"]), cast(dict, row["result"])
        series.points.append(Point(completed_at, row["pk"], result, row["version__number"]))
        series.definition = row["version__definition"]
    return series


def series_of_clients(clients: Any, *, until: datetime.datetime) -> list[tuple[int, Series]]:
    """Each client's series (the team's, not the client's own ratings) per instrument, from the
    assessments completed by `until`: (client id, series), oldest point first. Two queries.

    For aggregate figures only (reporting/: baseline → latest and the change by the instrument's own
    threshold, counted over many clients). It applies no record's access rule, so its caller must show
    nothing of any one assessment (no answer, narrative or client) and must have checked that the reader
    may see such figures. `clients` is a queryset of client ids (or a list of them).
    """
    rows = list(
        Assessment.objects.filter(
            client_id__in=clients, status=Assessment.Status.COMPLETED, completed_at__lte=until
        )
        .exclude(completed_by=Assessment.By.CLIENT)
        .order_by("client_id", "instrument_id", "completed_at", "id")
        .values_list(
            "client_id",
            "instrument_id",
            "instrument__code",
            "instrument__name",
            "pk",
            "completed_at",
            "result",
            "version_id",
            "version__number",
        )
    )
    definitions = dict(
        InstrumentVersion.objects.filter(pk__in={row[7] for row in rows}).values_list("pk", "definition")
    )
    found: dict[tuple[int, int], Series] = {}
    refs: dict[int, InstrumentRef] = {}
    for client_id, instrument_id, code, name, pk, completed_at, result, version_id, number in rows:
        ref = refs.setdefault(instrument_id, InstrumentRef(instrument_id, code, name))
        series = found.setdefault((client_id, instrument_id), Series(instrument=ref, by_client=False))
        series.points.append(Point(cast(datetime.datetime, completed_at), pk, cast(dict, result), number))
        series.definition = definitions[version_id]
    return [(client_id, series) for (client_id, _instrument), series in found.items()]


def pack_preview(*, actor: Any, pack: Any) -> list[dict]:
    """What importing this pack would do, instrument by instrument, changing nothing.

    Raises PermissionDenied unless the person is an agency admin, and ValidationError (by field path) for
    a bad pack or an instrument they may not change.
    """
    if not may_edit_instrument(actor, None):
        raise PermissionDenied("Only an agency admin can bring in instruments.")
    errors = packs.pack_errors(pack)
    if errors:
        raise ValidationError(errors)
    plan = []
    for definition in packs.definitions_from_pack(pack):
        existing = Instrument.objects.filter(code=definition["code"]).first()
        # The same as one already here (whoever keeps it) changes nothing, so needs no right to change it.
        if (
            existing is not None
            and existing.versions.get(number=existing.current_version).definition == definition
        ):
            what = "unchanged"
        elif not may_edit_instrument(actor, existing):
            raise ValidationError(
                {"instruments": f"{definition['code']!r} is kept by another agency or ships with Alongside."}
            )
        elif existing is None:
            what = "new"
        else:
            current = existing.versions.get(number=existing.current_version).definition
            what = (
                f"new version {existing.current_version + 1} ({'; '.join(what_changed(current, definition))})"
            )
        plan.append({"code": definition["code"], "name": definition["name"], "change": what})
    return plan


PARTS = {
    "name": "its name",
    "summary": "what it is",
    "question": "the question before the items",
    "scale": "the scale",
    "scoring": "how it is scored",
    "direction": "which way is better",
    "bands": "the score bands",
    "meaningful_change": "the smallest change that matters",
    "flags": "the answers to act on at once",
    "completed_by": "who may complete it",
    "reassess_days": "the days between assessments",
    "licence": "the licence",
}


def what_changed(before: dict, after: dict) -> list[str]:
    """What a new version changes, in words: the parts that differ, and the items by their codes."""
    changed = [words for key, words in PARTS.items() if before.get(key) != after.get(key)]
    old = {item["code"]: item for item in before["items"]}
    new = {item["code"]: item for item in after["items"]}
    for words, codes in (
        ("items changed", [c for c in new if c in old and new[c] != old[c]]),
        ("items added", [c for c in new if c not in old]),
        ("items taken out", [c for c in old if c not in new]),
    ):
        if codes:
            changed.append(f"{words}: {', '.join(codes)}")
    if not changed and [i["code"] for i in before["items"]] != [i["code"] for i in after["items"]]:
        changed.append("the order of the items")
    return changed


# The portal: only what is shared with the client, for a client whose portal access was checked.


def open_self_rating_requests(client: Any) -> list[SelfRatingRequest]:
    return list(
        SelfRatingRequest.objects.filter(client=client, done_at=None)
        .select_related("instrument")
        .order_by("asked_at")
    )


def self_rating_request_for(client: Any, request_id: int | str) -> SelfRatingRequest:
    try:
        return SelfRatingRequest.objects.select_related("instrument", "client").get(
            client=client, pk=int(request_id), done_at=None
        )
    except (SelfRatingRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None


def shared_with_client(client: Any) -> list[Series]:
    """The series the client may see: their own ratings, and the team's assessments shared with them."""
    rows = (
        Assessment.objects.filter(client=client, status=Assessment.Status.COMPLETED, visibility="client")
        .order_by("completed_at", "id")
        .values(*SUMMARY_FIELDS, **SUMMARY_DEFINITION)
    )
    return _summary(list(rows)).series


def team_may_ask(record: access.RecordAccess) -> list[Instrument]:
    """Instruments the team may ask this client to rate themself with (none already asked and waiting)."""
    waiting = SelfRatingRequest.objects.filter(client=record.client, done_at=None).values("instrument_id")
    return [
        v.instrument
        for v in instrument_versions_current()
        if "client" in v.definition["completed_by"]
        and v.instrument_id not in {w["instrument_id"] for w in waiting}
    ]
