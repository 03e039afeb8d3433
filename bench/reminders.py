#!/usr/bin/env python
"""The daily reminder scan and the building of every digest, on a data set from bench/generate.py.

    .venv/bin/python bench/generate.py --size large --db bench_reminders_large     # once (~5 min)
    .venv/bin/python bench/reminders.py --db bench_reminders_large

or embedded, on a SQLite file of its own (no PostgreSQL):

    .venv/bin/python bench/reminders.py --sqlite /tmp/reminders-20k.sqlite3 --clients 20000 --generate
    .venv/bin/python bench/reminders.py --sqlite /tmp/reminders-20k.sqlite3 --phase day

(A file built by an older checkout: `SQLITE_PATH=/tmp/reminders-20k.sqlite3 .venv/bin/python manage.py
migrate` first, in its own process, so the measured one's memory is the scan's.)

`--generate` builds the file (clients with circles of four practitioners, a plan of two goals and four
actions each, due dates and review dates spread around the day, nine in ten with consent to share, some of
it ending soon) and stops: measuring is a separate run, so the process's peak memory is the scan's own.
`--phase day` runs only the whole day (2. below), so its peak is not the read-only pass's.

It runs, in this one process (as one worker would), against the data set:

1. **scan + digests, read only**: every registered kind's reminders of the day, the check that each person
   may see each client, everyone's preferences, and the text of every digest email (reminders.scan.collect,
   plans_for, reminders.email.digest_text): the work that grows with the data;
2. **the whole day as a worker runs it** (`reminders.scan.run_day`): (1) plus, per person, the
   transaction that writes their DigestSent row, bell notifications and emails into the outbox; then what
   it wrote is deleted again, so the data set is left as it was.

Reported: wall time of each, queries, reminders, people, and the process's peak memory (ru_maxrss) before
and after, so growth with the data shows. The scan day is the data set's "today" (2026-11-01), where its
actions' and goals' dates are spread around.
"""

import argparse
import contextlib
import datetime
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DAY = datetime.date(2026, 11, 1)  # bench/generate.py's NOW


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time (SQLite's work included, it runs in the process): on a shared machine the
    figure to compare, where wall time is mostly waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_reminders_large")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--sqlite", type=Path, help="embedded: this SQLite file instead of PostgreSQL")
    parser.add_argument("--clients", type=int, default=20_000, help="embedded, with --generate")
    parser.add_argument("--generate", action="store_true", help="embedded: build the file, then stop")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--phase", choices=("both", "read", "day"), default="both", help="what to measure")
    parser.add_argument("--read-only", action="store_true", help="the same as --phase read (no writes)")
    args = parser.parse_args()
    if args.read_only:
        args.phase = "read"
    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(args.sqlite.resolve())
    else:
        host = args.pg.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"loopback only: {args.pg}")
        os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{args.db}"
    os.environ.update({"DJANGO_SETTINGS_MODULE": "alongside.settings", "LOG_LEVEL": "ERROR"})
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    if args.generate:
        if not args.sqlite:
            parser.error(
                "--generate builds the embedded set (--sqlite); bench/generate.py builds PostgreSQL's"
            )
        started = time.perf_counter()
        generate(args.clients, random.Random(args.seed))
        print(f"generated {args.clients} clients in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return 0

    from django.db import connection

    from circles.models import Client
    from realtime.models import Notification
    from reminders import scan
    from reminders.email import digest_text
    from reminders.models import DigestSent, OutgoingEmail, ScanRun

    figures: dict = {
        "db": str(args.sqlite) if args.sqlite else args.db,
        "clients": Client.objects.count(),
        "day": DAY.isoformat(),
        "start_rss_mb": round(rss_mb(), 1),
    }
    if args.phase in ("both", "read"):
        started = time.perf_counter()
        with counting_queries(connection) as queries:
            reminders = scan.collect(DAY)
            collected = time.perf_counter()
            plans = scan.plans_for(reminders)
            digests = [digest_text(plan.user, plan.digest, DAY) for plan in plans if plan.digest]
        finished = time.perf_counter()
        figures["read_only"] = {
            "seconds": round(finished - started, 2),
            "collect_seconds": round(collected - started, 2),
            "queries": len(queries),
            "reminders": len(reminders),
            "people": len(plans),
            "digests": len(digests),
            "digest_bytes": sum(len(d) for d in digests),
            "peak_rss_mb": round(rss_mb(), 1),
        }
        del reminders, plans, digests

    if args.phase in ("both", "day"):
        mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ScanRun.objects.filter(period=DAY).delete()
        DigestSent.objects.filter(day=DAY).delete()
        from django.urls import reverse

        reverse("reminders:today")  # load the URL configuration before the clock starts, as a worker has
        started, cpu = time.perf_counter(), cpu_seconds()
        with counting_queries(connection) as queries:
            result = scan.run_day(DAY, "bench")
        finished, cpu = time.perf_counter(), cpu_seconds() - cpu
        run = ScanRun.objects.get(period=DAY)
        figures["whole_day"] = {
            "seconds": round(finished - started, 2),
            "cpu_seconds": round(cpu, 2),
            "queries": len(queries),
            "reminders": run.reminders,
            "people": result.get("delivered"),
            "emails": OutgoingEmail.objects.filter(message_id__contains=f"-{DAY.isoformat()}").count(),
            "peak_rss_mb": round(rss_mb(), 1),
        }
        # Leave the data set as it was.
        Notification.objects.filter(pk__gt=mark, kind__startswith="reminder.").delete()
        OutgoingEmail.objects.filter(message_id__contains=f"-{DAY.isoformat()}").delete()
        DigestSent.objects.filter(day=DAY).delete()
        ScanRun.objects.filter(period=DAY).delete()

    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


@contextlib.contextmanager
def counting_queries(connection):  # type: ignore[no-untyped-def]
    """Counts the queries, keeping none of their text (CaptureQueriesContext keeps every statement's SQL,
    bulk inserts of a day's emails included, which is memory that grows with the day: not the scan's)."""
    count: list[int] = []

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def generate(clients: int, rnd: random.Random) -> None:
    """The embedded data set: rows written directly (bulk), shaped as the services would leave them."""
    from django.core.management import call_command

    from circles import public_id
    from circles.models import CircleMember, Client, Consent
    from network.models import Organisation, User
    from sharing.models import Action, Goal, Plan

    call_command("migrate", verbosity=0)
    around = datetime.datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=datetime.UTC)
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Agency {n}", kind=Organisation.Kind.SOCIAL_CARE) for n in range(20)]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"p{n}@bench.example", full_name=f"Practitioner {n}", organisation=orgs[n % 20])
            for n in range(max(8, clients // 10))
        ],
        batch_size=2000,
    )
    for start in range(0, clients, 5000):
        batch = Client.objects.bulk_create(
            [
                Client(public_id=public_id.generate(), given_name=f"Client{n}", family_name="Bench")
                for n in range(start, min(clients, start + 5000))
            ]
        )
        members, consents, plans = [], [], []
        for client in batch:
            for position, user in enumerate(rnd.sample(users, 4)):
                members.append(
                    CircleMember(
                        client=client,
                        user=user,
                        organisation_id=user.organisation_id,
                        role="key_worker",
                        is_lead=not position,
                        since=around - datetime.timedelta(days=400),
                    )
                )
            if rnd.random() < 0.9:
                ends = DAY + datetime.timedelta(days=rnd.randint(0, 120)) if rnd.random() < 0.3 else None
                consents.append(
                    Consent(
                        client=client,
                        scope=Consent.Scope.CIRCLE,
                        method=Consent.Method.WRITTEN,
                        given_by="The client",
                        recorded_by=users[0],
                        expires_on=ends,
                    )
                )
            plans.append(Plan(client=client))
        members = CircleMember.objects.bulk_create(members, batch_size=5000)
        Consent.objects.bulk_create(consents, batch_size=5000)
        plans = Plan.objects.bulk_create(plans, batch_size=5000)
        circle = {}
        for member in members:
            circle.setdefault(member.client_id, []).append(member)
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    plan=plan,
                    position=n,
                    in_own_words=f"Goal {n + 1}",
                    review_on=DAY + datetime.timedelta(days=rnd.randint(-10, 40)),
                    created_by=users[0],
                )
                for plan in plans
                for n in range(2)
            ],
            batch_size=5000,
        )
        plan_client = {plan.pk: plan.client_id for plan in plans}
        Action.objects.bulk_create(
            [
                Action(
                    goal=goal,
                    position=n,
                    what=f"Action {n + 1}",
                    owner=rnd.choice(circle[plan_client[goal.plan_id]]),
                    due_on=DAY + datetime.timedelta(days=rnd.randint(-30, 30)),
                    created_by=users[0],
                )
                for goal in goals
                for n in range(2)
            ],
            batch_size=5000,
        )


if __name__ == "__main__":
    sys.exit(main())
