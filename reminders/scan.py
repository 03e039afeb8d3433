"""The daily scan: every registered kind's reminders of the day, checked, sorted per person by their
preferences, and delivered once: bell notifications, an email "at once" per reminder that asks for it,
and one plain-text digest email.

Exactly once, with any number of workers, a worker killed at any point:
    1. The day is claimed by INSERTing its ScanRun (`period` is unique): one worker wins, the others
       stop. The winner writes a heartbeat as it goes; a run whose heartbeat is older than
       REMINDERS_STALE_SECONDS is taken over by the next worker that tries (a conditional UPDATE, so
       only one does), which is how a killed worker's day is finished.
    2. People are delivered in batches (REMINDERS_BATCH, 100), each batch one transaction: their
       DigestSent(person, day) rows (unique), their bell notifications and their emails (OutgoingEmail
       rows) commit together or not at all. A person who already has the row is skipped, so a taken-over
       run starts where the dead one stopped and nobody hears twice; a batch that meets a row another
       worker wrote meanwhile is undone and retried one person at a time.
    3. Emails leave from the outbox in their own task (deliver_outbox), each row claimed before it is
       handed to the mail server and marked sent after.
"""

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from circles.models import CircleMember, PortalAccess
from network.models import User
from realtime.models import Notification
from realtime.publish import ring, user_group
from reminders.email import digest_email, single_email
from reminders.models import DigestSent, OutgoingEmail, ReminderPreference, ScanRun
from reminders.registry import Delivery, Reminder, registry

logger = logging.getLogger(__name__)

PAIR_BATCH = (
    5_000  # (person, client) pairs checked per query: a few thousand parameters, under SQLite's limit
)


@dataclass
class Plan:
    """What one person gets today."""

    user: User
    at_once: list[Reminder]
    digest: list[Reminder]
    bell: list[Reminder]


def collect(today: datetime.date) -> list[Reminder]:
    """Every reminder due today, from every registered kind, that its person may still see."""
    found: list[Reminder] = []
    for kind in registry:
        found.extend(kind.collect(today))
    return _visible([r for r in found if r.kind in registry and r.user_id])


def _visible(reminders: list[Reminder]) -> list[Reminder]:
    """Drop any reminder about a client its person cannot see now (a kind's own query should already have
    made sure; this is the policy's rule, checked again): members of the circle, or the client themself
    in the portal. One query per PAIR_BATCH pairs of each sort."""
    allowed: set[tuple[int, int, bool]] = set()
    pairs = {(r.user_id, r.client_id, r.portal) for r in reminders if r.client_id is not None}
    members = sorted((u, c) for u, c, portal in pairs if not portal)
    portals = sorted((u, c) for u, c, portal in pairs if portal)
    for start in range(0, len(members), PAIR_BATCH):
        batch = members[start : start + PAIR_BATCH]
        rows = CircleMember.objects.filter(
            until=None,
            user__is_active=True,
            user_id__in={u for u, _ in batch},
            client_id__in={c for _, c in batch},
        ).values_list("user_id", "client_id")
        allowed |= {(u, c, False) for u, c in rows}
    for start in range(0, len(portals), PAIR_BATCH):
        batch = portals[start : start + PAIR_BATCH]
        portal_rows = PortalAccess.objects.filter(
            until=None,
            member=None,
            user__is_active=True,
            user_id__in={u for u, _ in batch},
            client_id__in={c for _, c in batch},
        ).values_list("user_id", "client_id")
        allowed |= {(u, c, True) for u, c in portal_rows}
    return [r for r in reminders if r.client_id is None or (r.user_id, r.client_id, r.portal) in allowed]


def plans_for(reminders: Iterable[Reminder]) -> list[Plan]:
    """Sort each person's reminders by their preferences (two queries: people, preferences)."""
    by_user: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        by_user[reminder.user_id].append(reminder)
    if not by_user:
        return []
    users = {u.pk: u for u in User.objects.filter(pk__in=by_user, is_active=True)}
    chosen = {
        (p.user_id, p.kind): p.delivery
        for p in ReminderPreference.objects.filter(user_id__in=by_user).only("user_id", "kind", "delivery")
    }
    plans = []
    for user_id in sorted(by_user):
        user = users.get(user_id)
        if user is None:
            continue
        plan = Plan(user=user, at_once=[], digest=[], bell=[])
        for reminder in _unique(by_user[user_id]):
            delivery = chosen.get((user_id, reminder.kind), registry.get(reminder.kind).default)
            if delivery == Delivery.OFF:
                continue
            plan.bell.append(reminder)
            (plan.at_once if delivery == Delivery.AT_ONCE else plan.digest).append(reminder)
        if plan.bell:
            plans.append(plan)
    return plans


def _unique(reminders: list[Reminder]) -> list[Reminder]:
    seen, kept = set(), []
    for reminder in reminders:
        key = (reminder.kind, reminder.text, reminder.url)
        if key not in seen:
            seen.add(key)
            kept.append(reminder)
    return kept


def deliver(plan: Plan, day: datetime.date) -> bool:
    """Give one person their day's reminders, once: False if they already had them."""
    return deliver_batch([plan], day) == 1


def deliver_batch(plans: list[Plan], day: datetime.date) -> int:
    """Give these people their day's reminders in one transaction (a few statements for the lot), once
    each. If another worker got to one of them first (the unique DigestSent row), the batch is undone and
    its people are given theirs one at a time, skipping whoever already had them. Returns how many were
    given their reminders here."""
    try:
        with transaction.atomic():
            DigestSent.objects.bulk_create(
                [DigestSent(user=plan.user, day=day, reminders=len(plan.bell)) for plan in plans]
            )
            _bell_and_emails(plans, day)
        return len(plans)
    except IntegrityError:
        if len(plans) == 1:
            return 0  # another worker (or an earlier run of this one) already did: nobody hears twice
    return sum(deliver_batch([plan], day) for plan in plans)


def _bell_and_emails(plans: list[Plan], day: datetime.date) -> None:
    """The bell (each "at once" reminder on its own, the digest's as one line that opens the list) and the
    emails, for people whose DigestSent rows are being written in this transaction."""
    notifications, emails = [], []
    for plan in plans:
        for reminder in plan.at_once:
            notifications.append(
                Notification(
                    user=plan.user,
                    kind=f"reminder.{reminder.kind}",
                    text=reminder.text[:500],
                    url=reminder.url,
                )
            )
        if plan.digest:
            count = len(plan.digest)
            notifications.append(
                Notification(
                    user=plan.user,
                    kind="reminder.digest",
                    text=f"{count} reminder{'s' if count != 1 else ''} for today.",
                    url=reverse("reminders:today"),
                )
            )
        emails += [single_email(plan.user, reminder, day, n) for n, reminder in enumerate(plan.at_once)]
        if plan.digest:
            emails.append(digest_email(plan.user, plan.digest, day))
    created = Notification.objects.bulk_create(notifications)
    OutgoingEmail.objects.bulk_create([email for email in emails if email is not None])
    messages = [
        (user_group(n.user_id), {"type": "user.notification", "notification": n.as_message()})
        for n in created
    ]

    def ring_all() -> None:
        for group, message in messages:
            ring(group, message)

    transaction.on_commit(ring_all)


# The day's run, claimed once.


def claim(day: datetime.date, worker: str) -> ScanRun | None:
    """Claim the day's scan for `worker`, or None if another worker has it (or it is done)."""
    try:
        with transaction.atomic():
            return ScanRun.objects.create(period=day, claimed_by=worker)
    except IntegrityError:
        pass
    stale = timezone.now() - datetime.timedelta(seconds=settings.REMINDERS_STALE_SECONDS)
    # Only one worker's UPDATE matches: the row changes under the first, and the others' WHERE fails.
    taken = ScanRun.objects.filter(period=day, finished_at=None, heartbeat_at__lt=stale).update(
        claimed_by=worker, heartbeat_at=timezone.now()
    )
    if not taken:
        return None
    run = ScanRun.objects.get(period=day)
    ScanRun.objects.filter(pk=run.pk).update(takeovers=run.takeovers + 1)
    logger.warning("Took over the scan of %s from a worker that stopped", day)
    return run


def run_day(day: datetime.date, worker: str) -> dict[str, Any]:
    """The whole day's scan, if this worker claims it. Returns what it did (the task's result)."""
    run = claim(day, worker)
    if run is None:
        return {"day": day.isoformat(), "ran": False}
    plans = plans_for(collect(day))
    done = set(DigestSent.objects.filter(day=day).values_list("user_id", flat=True))
    waiting = [plan for plan in plans if plan.user.pk not in done]
    delivered = 0
    pause = settings.REMINDERS_TEST_PAUSE_SECONDS  # only the worker-kill test sets it: time to kill us
    size = settings.REMINDERS_BATCH
    for start in range(0, len(waiting), size):
        delivered += deliver_batch(waiting[start : start + size], day)
        if pause:
            time.sleep(pause)
        ScanRun.objects.filter(pk=run.pk, claimed_by=worker).update(heartbeat_at=timezone.now())
    ScanRun.objects.filter(pk=run.pk, claimed_by=worker).update(
        finished_at=timezone.now(),
        people=DigestSent.objects.filter(day=day).count(),
        reminders=sum(len(p.bell) for p in plans),
    )
    return {"day": day.isoformat(), "ran": True, "delivered": delivered}


def scan_day_now() -> datetime.date | None:
    """The day whose scan is due now (today, from REMINDERS_HOUR local time on), or None before then."""
    now = timezone.localtime()
    if now.hour < settings.REMINDERS_HOUR:
        return None
    return now.date()
