#!/usr/bin/env python
"""The daily reminder scan and the building of every digest, on a data set from bench/generate.py.

    .venv/bin/python bench/generate.py --size large --db bench_reminders_large     # once (~5 min)
    .venv/bin/python bench/reminders.py --db bench_reminders_large

It runs, in this one process (as one worker would), against the PostgreSQL data set:

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
import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DAY = datetime.date(2026, 11, 1)  # bench/generate.py's NOW


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_reminders_large")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--read-only", action="store_true", help="skip the whole-day run (no writes)")
    args = parser.parse_args()
    host = args.pg.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        parser.error(f"loopback only: {args.pg}")
    os.environ.update(
        {
            "DATABASE_URL": f"{args.pg.rstrip('/')}/{args.db}",
            "DJANGO_SETTINGS_MODULE": "alongside.settings",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from circles.models import Client
    from realtime.models import Notification
    from reminders import scan
    from reminders.email import digest_text
    from reminders.models import DigestSent, OutgoingEmail, ScanRun

    figures: dict = {"db": args.db, "clients": Client.objects.count(), "day": DAY.isoformat()}
    start_rss = rss_mb()

    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
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

    if not args.read_only:
        mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ScanRun.objects.filter(period=DAY).delete()
        DigestSent.objects.filter(day=DAY).delete()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = scan.run_day(DAY, "bench")
        finished = time.perf_counter()
        figures["whole_day"] = {
            "seconds": round(finished - started, 2),
            "queries": len(queries),
            "people": result.get("delivered"),
            "emails": OutgoingEmail.objects.filter(
                created_at__gte=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
            ).count(),
            "peak_rss_mb": round(rss_mb(), 1),
        }
        # Leave the data set as it was.
        Notification.objects.filter(pk__gt=mark, kind__startswith="reminder.").delete()
        OutgoingEmail.objects.filter(message_id__contains=f"-{DAY.isoformat()}").delete()
        DigestSent.objects.filter(day=DAY).delete()
        ScanRun.objects.filter(period=DAY).delete()
    figures["start_rss_mb"] = round(start_rss, 1)

    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
