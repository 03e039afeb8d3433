"""The dashboard's snapshots, refreshed in the background (Django's tasks framework, as reminders'
tasks). The reminders clock (`manage.py reminders_tick`, every 5 minutes in scripts/run; cron in
production) calls `enqueue_refresh` on each tick (reminders.clock): the refresh of the current 10-minute
slot is enqueued unless it has been claimed, and the slot's claim row makes it run once per slot."""

import datetime

from reminders.background import task
from reminders.tasks import worker_name
from reporting import services, snapshots
from reporting.models import SnapshotRun


@task()
def refresh_snapshots(
    slot: str, organisation_ids: list[int] | None = None, budget_seconds: float | None = None
) -> dict:
    """The organisations' snapshots (all, oldest first, or only these), for the slot, unless already done;
    within the time budget (reporting.snapshots.REFRESH_BUDGET unless given)."""
    budget = (
        snapshots.REFRESH_BUDGET if budget_seconds is None else datetime.timedelta(seconds=budget_seconds)
    )
    return services.snapshots_refresh(
        slot=datetime.datetime.fromisoformat(slot),
        worker=worker_name(),
        organisation_ids=organisation_ids,
        budget=budget,
    )


def enqueue_refresh(now: datetime.datetime) -> list[str]:
    """The clock's tick: enqueue this slot's refresh unless a worker has claimed it already."""
    slot = snapshots.slot_of(now)
    if SnapshotRun.objects.filter(slot=slot).exists():
        return []
    refresh_snapshots.enqueue(slot.isoformat())
    return [f"refresh_snapshots {slot.isoformat()}"]
