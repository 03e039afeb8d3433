"""Where "what is true now" comes from, to prefill a referral or a handover summary.

The plan lives in `sharing`, above us: it registers a source here when Django starts (SharingConfig.ready),
and a referral or handover form asks every registered source, so referrals never imports the plan.
"""

from collections.abc import Callable
from typing import Any

_sources: list[Callable[[Any], list[str]]] = []


def register_summary_source(source: Callable[[Any], list[str]]) -> None:
    """`source(record)` returns lines about the client now (a circles.access.RecordAccess is passed)."""
    if source not in _sources:
        _sources.append(source)


def now_summary(record: Any) -> str:
    """The prefilled "what is true now": the client's stage and every registered source's lines."""
    lines = [f"Stage: {record.client.get_stage_display()}."]
    for source in _sources:
        lines.extend(source(record))
    return "\n".join(lines)
