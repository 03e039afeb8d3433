"""Reminders a person asked to have "at once", sent when the change that causes them commits.

A service that makes something a reminder is about (a referral arrives in an inbox) calls
`remind_on_commit(client_id=…, kinds=[…])` inside its transaction. Once it commits, a background task asks
those kinds about that one client (they are sliced kinds: `collect(today, clients=(id, id))`), checks each
reminder against the access policy as the daily scan does, and tells whoever chose "at once" for that
kind: a bell notification and an email, each reminder marked sent for the day (AtOnceSent) in the same
transaction. The daily scan stays the safety net (a task lost, a worker down): it sends what is not
marked and marks what it sends, so nobody hears of one reminder twice in a day, whichever path is first.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from reminders import scan
from reminders.registry import registry


def remind_on_commit(*, client_id: int, kinds: Iterable[str]) -> None:
    """Once the caller's transaction commits, send these kinds' "at once" reminders about this client."""
    names = sorted(set(kinds))
    for name in names:
        if name not in registry or not registry.get(name).sliced:
            raise ValueError(f"{name!r} is not a reminder kind that can be asked about one client")

    def enqueue() -> None:
        from reminders.tasks import send_at_once  # the task module imports this one

        send_at_once.enqueue(client_id, names)

    transaction.on_commit(enqueue)


def send_for_client(client_id: int, kinds: list[str], day: datetime.date | None = None) -> int:
    """Tell whoever chose "at once" of these kinds' reminders about the client, unless already told today.
    Returns how many reminders were sent."""
    day = day or timezone.localdate()
    known = [name for name in kinds if name in registry and registry.get(name).sliced]
    if not known:
        return 0
    reminders = scan.collect(day, clients=(client_id, client_id), kinds=known)
    plans = [plan for plan in scan.plans_for(reminders) if plan.at_once]
    return sum(
        _send(scan.Plan(user=p.user, at_once=p.at_once, digest=[], bell=p.at_once), day) for p in plans
    )


def _send(plan: scan.Plan, day: datetime.date, *, retried: bool = False) -> int:
    try:
        with transaction.atomic():
            return scan.bell_and_emails([plan], day)
    except IntegrityError:
        if retried:
            return 0
        # The day's scan (or a task for another change) marked one of them sent meanwhile: again, without it.
        return _send(plan, day, retried=True)
