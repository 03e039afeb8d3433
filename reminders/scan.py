"""The daily scan: every registered kind's reminders of the day, checked, sorted per person by their
preferences, and delivered once: bell notifications, an email "at once" per reminder that asks for it,
and one plain-text digest email.

Exactly once, with any number of workers, a worker killed at any point:
    1. The day is claimed by INSERTing its ScanRun (`period` is unique): one worker wins, the others
       stop. The winner writes a heartbeat as it goes; a run whose heartbeat is older than
       REMINDERS_STALE_SECONDS is taken over by the next worker that tries (a conditional UPDATE, so
       only one does), which is how a killed worker's day is finished.
    2. The day's reminders are gathered a slice of clients at a time (REMINDERS_CLIENT_SLICE, 2,000;
       kinds that are not sliced, once), checked against the access policy and written down
       (DayReminder rows of the run), and the run is marked collected. A run taken over before that
       gathers again from the start; nobody has been told anything yet.
    3. People are then walked in slices of REMINDERS_BATCH (100) by id, each slice reading only its own
       people's rows and delivered in one transaction: their DigestSent(person, day) rows (unique), their
       bell notifications, their emails (OutgoingEmail rows) and the marks of what was sent "at once"
       (AtOnceSent) commit together or not at all. A person who already has the row is skipped, so a
       taken-over run starts where the dead one stopped and nobody hears twice; a batch that meets a row
       another worker wrote meanwhile is undone and retried one person at a time. So the scan holds one
       slice of clients, or one slice of people, in memory at a time: flat however many reminders the
       day has (docs/performance.md).
    4. Emails leave from the outbox in their own task (deliver_outbox), each row claimed before it is
       handed to the mail server and marked sent after.

"At once" reminders are also sent when the change that causes them commits (reminders.at_once): a task
asks the kinds about that one client and tells whoever chose "at once", marking each reminder sent
(AtOnceSent: person, day, which reminder). The day's scan skips what is marked, and marks what it sends,
so a reminder sent at once is never sent twice in a day, whichever path came first.
"""

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from circles import access
from circles.models import CircleMember, Client
from network.models import User
from realtime.models import Notification
from realtime.publish import ring, user_group
from reminders.email import digest_email, reminder_key, single_email
from reminders.models import AtOnceSent, DayReminder, DigestSent, OutgoingEmail, ReminderPreference, ScanRun
from reminders.registry import ClientSlice, Delivery, Reminder, registry

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


def collect(
    today: datetime.date, *, clients: ClientSlice | None = None, kinds: Iterable[str] | None = None
) -> list[Reminder]:
    """Every reminder due today that its person may still see: from every registered kind (or those
    named), for every client a slice at a time, or for one slice of clients (then the sliced kinds only)."""
    found: list[Reminder] = []
    for chunk in collect_in_slices(today, clients=clients, kinds=kinds):
        found.extend(chunk)
    return found


def collect_in_slices(
    today: datetime.date, *, clients: ClientSlice | None = None, kinds: Iterable[str] | None = None
) -> Iterator[list[Reminder]]:
    """The day's reminders a slice at a time (each checked): the kinds that are not sliced first (unless
    one slice of clients is asked for), then each slice of clients' from the sliced kinds."""
    wanted = [kind for kind in registry if kinds is None or kind.name in set(kinds)]
    if clients is None:
        whole = [r for kind in wanted if not kind.sliced for r in kind.reminders(today, None)]
        if whole:
            yield _visible([r for r in whole if r.kind in registry and r.user_id])
    sliced = [kind for kind in wanted if kind.sliced]
    if not sliced:
        return
    for each in [clients] if clients is not None else client_slices():
        found = [r for kind in sliced for r in kind.reminders(today, each)]
        yield _visible([r for r in found if r.kind in registry and r.user_id], within=each)


def client_slices() -> Iterator[ClientSlice]:
    """Ranges of client ids, REMINDERS_CLIENT_SLICE wide, from the lowest to the highest (one query)."""
    bounds = Client.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    size = settings.REMINDERS_CLIENT_SLICE
    for low in range(bounds["low"], bounds["high"] + 1, size):
        yield (low, low + size - 1)


def _visible(reminders: list[Reminder], *, within: ClientSlice | None = None) -> list[Reminder]:
    """Drop any reminder about a client its person cannot see now (a kind's own query should already have
    made sure; this is the policy's rule, checked again): members of the circle, or, in the portal, the
    client themself and family members with the client's consent. For a slice of clients, the slice's current members and portal accounts (two queries on
    the client index, a slice's worth of rows); otherwise one query per PAIR_BATCH pairs of each sort."""
    allowed: set[tuple[int, int, bool]] = set()
    if within is not None:
        low, high = within
        rows = CircleMember.objects.filter(
            until=None, user__is_active=True, client_id__gte=low, client_id__lte=high
        ).values_list("user_id", "client_id")
        allowed |= {(u, c, False) for u, c in rows}
        if any(r.portal for r in reminders):
            portal_rows = (
                access.portal_accesses_now()
                .filter(client_id__gte=low, client_id__lte=high)
                .values_list("user_id", "client_id")
            )
            allowed |= {(u, c, True) for u, c in portal_rows}
        return [r for r in reminders if r.client_id is None or (r.user_id, r.client_id, r.portal) in allowed]
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
        portal_rows = (
            access.portal_accesses_now()
            .filter(
                user_id__in={u for u, _ in batch},
                client_id__in={c for _, c in batch},
            )
            .values_list("user_id", "client_id")
        )
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


def deliver_batch(plans: list[Plan], day: datetime.date, *, retried: bool = False) -> int:
    """Give these people their day's reminders in one transaction (a few statements for the lot), once
    each. If another worker got to one of them first (the unique DigestSent row), the batch is undone and
    its people are given theirs one at a time, skipping whoever already had them. Returns how many were
    given their reminders here."""
    try:
        with transaction.atomic():
            DigestSent.objects.bulk_create(
                [DigestSent(user=plan.user, day=day, reminders=len(plan.bell)) for plan in plans]
            )
            bell_and_emails(plans, day)
        return len(plans)
    except IntegrityError:
        if len(plans) == 1:
            if retried or DigestSent.objects.filter(user=plans[0].user, day=day).exists():
                return 0  # another worker (or an earlier run of this one) already did: nobody hears twice
            # An "at once" reminder was marked sent meanwhile (its change's task): again, without it.
            return deliver_batch(plans, day, retried=True)
    return sum(deliver_batch([plan], day) for plan in plans)


def _not_yet_sent(plans: list[Plan], day: datetime.date) -> list[tuple[Plan, list[Reminder]]]:
    """Each plan's "at once" reminders that have not been sent today already (one query), to mark sent."""
    users = [plan.user.pk for plan in plans if plan.at_once]
    sent = (
        set(AtOnceSent.objects.filter(day=day, user_id__in=users).values_list("user_id", "key"))
        if users
        else set()
    )
    return [
        (plan, [r for r in plan.at_once if (plan.user.pk, reminder_key(r)) not in sent]) for plan in plans
    ]


def bell_and_emails(plans: list[Plan], day: datetime.date) -> int:
    """The bell (each "at once" reminder on its own, the digest's as one line that opens the list) and the
    emails, for people whose DigestSent rows are being written in this transaction (or, from
    reminders.at_once, their "at once" reminders alone). "At once" reminders already sent today are left
    out, and those sent are marked. Returns how many "at once" reminders were sent."""
    notifications, emails, marks = [], [], []
    for plan, at_once in _not_yet_sent(plans, day):
        marks += [AtOnceSent(user=plan.user, day=day, key=reminder_key(r), kind=r.kind) for r in at_once]
        for reminder in at_once:
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
        emails += [single_email(plan.user, reminder, day) for reminder in at_once]
        if plan.digest:
            emails.append(digest_email(plan.user, plan.digest, day))
    AtOnceSent.objects.bulk_create(marks)
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
    return len(marks)


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
    if run.collected_at is None:
        _gather(run, day, worker)
    delivered = 0
    pause = settings.REMINDERS_TEST_PAUSE_SECONDS  # only the worker-kill test sets it: time to kill us
    last = 0
    while True:
        people = list(
            DayReminder.objects.filter(run=run, user_id__gt=last)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[: settings.REMINDERS_BATCH]
        )
        if not people:
            break
        after, last = last, people[-1]
        done = set(DigestSent.objects.filter(day=day, user_id__in=people).values_list("user_id", flat=True))
        waiting = [person for person in people if person not in done]
        if waiting:
            delivered += deliver_batch(plans_for(_staged(run, after, last, exclude=done)), day)
            if pause:
                time.sleep(pause)
        _beat(run, worker)
    ScanRun.objects.filter(pk=run.pk, claimed_by=worker).update(
        finished_at=timezone.now(),
        people=DigestSent.objects.filter(day=day).count(),
        reminders=DayReminder.objects.filter(run=run).count(),
    )
    DayReminder.objects.filter(run=run).delete()
    return {"day": day.isoformat(), "ran": True, "delivered": delivered}


def _gather(run: ScanRun, day: datetime.date, worker: str) -> None:
    """Step 2: the day's reminders written down a slice of clients at a time, then the run marked collected
    (from the start again if a worker died part way: nobody has been told anything yet)."""
    DayReminder.objects.filter(run=run).delete()
    table = DayReminder._meta.db_table
    insert = (
        f"INSERT INTO {table} (run_id, user_id, kind, text, url, client_id, portal) "  # noqa: S608 (our table)
        "VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    for chunk in collect_in_slices(day):
        # A plain executemany, in one transaction a slice: model instances and bulk_create's SQL for a
        # day's rows cost more CPU than the rest of the scan, and a commit a row (autocommit) more still.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                insert,
                [(run.pk, r.user_id, r.kind, r.text[:500], r.url, r.client_id, r.portal) for r in chunk],
            )
        _beat(run, worker)
    ScanRun.objects.filter(pk=run.pk, claimed_by=worker).update(collected_at=timezone.now())


def _staged(run: ScanRun, after: int, last: int, *, exclude: set[int]) -> list[Reminder]:
    """The written-down reminders of the people with ids after..last, but those in `exclude`. A range, not
    a list of ids: the (run, user_id) index reads just that slice (with IN, SQLite read the whole run's)."""
    rows = (
        DayReminder.objects.filter(run=run, user_id__gt=after, user_id__lte=last)
        .order_by("user_id", "pk")
        .values_list("kind", "user_id", "text", "url", "client_id", "portal")
    )
    return [Reminder(*row) for row in rows if row[1] not in exclude]


def _beat(run: ScanRun, worker: str) -> None:
    ScanRun.objects.filter(pk=run.pk, claimed_by=worker).update(heartbeat_at=timezone.now())


def scan_day_now() -> datetime.date | None:
    """The day whose scan is due now (today, from REMINDERS_HOUR local time on), or None before then."""
    now = timezone.localtime()
    if now.hour < settings.REMINDERS_HOUR:
        return None
    return now.date()
