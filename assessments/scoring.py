"""Scoring an assessment from its instrument's definition: plain functions, no database.

A "sum" instrument (PHQ-9, GAD-7) adds its items into one total and names the total's band. An "each"
instrument (ONS4, Wellbeing domains) is never added up: every item keeps its own score and band.
"""

from dataclasses import dataclass
from typing import Any, TypedDict


class ItemResult(TypedDict):
    code: str
    score: int
    band: str


class Flag(TypedDict):
    item: str
    score: int
    message: str


class Result(TypedDict):
    total: int | None
    band: str
    items: list[ItemResult]
    flags: list[Flag]


def answer_errors(definition: dict, answers: dict[str, Any], *, complete: bool) -> dict[str, str]:
    """What is wrong with these answers, by item code; `complete` also asks every item to be answered."""
    errors: dict[str, str] = {}
    low, high = definition["scale"]["min"], definition["scale"]["max"]
    known = {item["code"] for item in definition["items"]}
    for code in answers:
        if code not in known:
            errors[code] = "This instrument has no such question."
    for item in definition["items"]:
        answer = answers.get(item["code"]) or {}
        score = answer.get("score")
        narrative = (answer.get("narrative") or "").strip()
        if score is not None and not (
            isinstance(score, int) and not isinstance(score, bool) and low <= score <= high
        ):
            errors[item["code"]] = f"Choose a score from {low} to {high}."
        elif complete and score is None:
            errors[item["code"]] = "Choose a score for this question before completing."
        elif complete and item.get("narrative") == "required" and not narrative:
            errors[item["code"]] = "Say in a few words why this score (for example, what happened)."
        elif len(narrative) > 2000:
            errors[item["code"]] = "Keep it to 2,000 characters."
    return errors


def band_for(bands: list[dict], score: int) -> str:
    for band in bands:
        if band["from"] <= score <= band["to"]:
            return band["label"]
    return ""


def score(definition: dict, answers: dict[str, Any]) -> Result:
    """The result of a complete, checked set of answers."""
    items: list[ItemResult] = []
    for item in definition["items"]:
        value = answers[item["code"]]["score"]
        bands = item.get("bands", definition["bands"]) if definition["scoring"] == "each" else []
        items.append(ItemResult(code=item["code"], score=value, band=band_for(bands, value)))
    total = sum(i["score"] for i in items) if definition["scoring"] == "sum" else None
    flags = [
        Flag(item=flag["item"], score=answers[flag["item"]]["score"], message=flag["message"])
        for flag in definition.get("flags", [])
        if answers[flag["item"]]["score"] > flag["above"]
    ]
    return Result(
        total=total,
        band=band_for(definition["bands"], total) if total is not None else "",
        items=items,
        flags=flags,
    )


@dataclass(frozen=True)
class Change:
    """From the baseline to the latest, for the total or one item."""

    label: str
    baseline: int
    latest: int
    threshold: int
    lower_is_better: bool

    @property
    def delta(self) -> int:
        return self.latest - self.baseline

    @property
    def is_meaningful(self) -> bool:
        return abs(self.delta) >= self.threshold

    @property
    def direction(self) -> str:
        """better / worse / no real change, by the instrument's own threshold."""
        if not self.is_meaningful:
            return "no real change"
        improved = self.delta < 0 if self.lower_is_better else self.delta > 0
        return "better" if improved else "worse"


def changes_between(definition: dict, baseline: Result, latest: Result) -> list[Change]:
    """The total's change (sum instruments) or every item's (each instruments)."""
    threshold = definition["meaningful_change"]
    lower = definition["direction"] == "lower_is_better"
    if definition["scoring"] == "sum":
        assert baseline["total"] is not None and latest["total"] is not None
        return [Change("Total", baseline["total"], latest["total"], threshold, lower)]
    before = {i["code"]: i["score"] for i in baseline["items"]}
    changes = []
    for item, now in zip(definition["items"], latest["items"], strict=True):
        if item["code"] in before:
            item_lower = item.get("direction", definition["direction"]) == "lower_is_better"
            changes.append(
                Change(short_label(item), before[item["code"]], now["score"], threshold, item_lower)
            )
    return changes


def short_label(item: dict) -> str:
    """ "Home: a safe, settled place…" → "Home"; a question stays as it is, shortened."""
    text = item["text"]
    head = text.split(":", 1)[0]
    if head != text and len(head) <= 30:
        return head
    return text if len(text) <= 40 else item["code"].replace("-", " ").capitalize()
