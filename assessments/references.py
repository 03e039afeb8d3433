"""What refers to an assessment (goals that address one of its domains, notes about it).

Those live in apps above this one (sharing), which register a source here when Django starts; this app
never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from circles.access import RecordAccess


@dataclass(frozen=True)
class Reference:
    title: str
    url: str
    detail: str = ""


Source = Callable[[RecordAccess, Any], list[Reference]]
_sources: list[Source] = []


def register(source: Source) -> None:
    """`source(record, assessment)` lists what refers to the assessment that the record's viewer may see."""
    if source not in _sources:
        _sources.append(source)


def referring_to(record: RecordAccess, assessment: Any) -> list[Reference]:
    return [reference for source in _sources for reference in source(record, assessment)]
