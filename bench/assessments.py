#!/usr/bin/env python
"""Assessments at scale: the client page with 50 completed assessments, and one chart's series.

    .venv/bin/python bench/assessments.py                         # embedded: its own SQLite file (~1 min)
    .venv/bin/python bench/assessments.py --pg-db bench_large     # on the generated large set (PostgreSQL)

Embedded mode makes a fresh SQLite database in a temporary folder, migrates it and writes `--clients`
clients (circles of 4, each client with `--each` completed assessments across the shipped instruments), then
gives one client of the first practitioner 50 completed assessments. With `--pg-db` it uses that database
(e.g. `bench_large` from bench/generate.py): it adds the 50 assessments to one client of a practitioner, in a
transaction it rolls back at the end, so the data set is left as it was.

It measures, through Django's whole stack in-process (`django.test.Client`, as bench/pages.py does):

- the client page with 50 completed assessments (and with 1, to show the count is flat): server time
  p50/p95 over `--requests` requests, the process's CPU time per request (steadier than wall time when
  the machine is shared), and the query count;
- one chart's series (`assessments.selectors.series_for`): its query count and time, and the database's
  plan for that query (it must use `assessment_series_idx`, whatever the number of clients).

The page budget (issue 6, PostgreSQL, large set): client page p95 ≤ 40 ms.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import loopback_only, percentile, set_up_django  # noqa: E402 (bench/ is on the path)

BUDGET_P95_MS = 40.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-db", help="measure on this PostgreSQL database (e.g. bench_large)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--clients", type=int, default=2000, help="embedded: clients to generate")
    parser.add_argument("--each", type=int, default=5, help="embedded: completed assessments per client")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if args.pg_db:
        loopback_only(parser, args.pg)
    return args


def main() -> None:
    args = parse_args()
    folder = set_up_django(args.pg, args.pg_db, "alongside-bench-assessments-")
    from django.core.management import call_command
    from django.db import connection, transaction

    rnd = random.Random(args.seed)
    if not args.pg_db:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        generate(args, rnd)
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    try:
        with transaction.atomic():
            report = measure(args, rnd, connection)
            transaction.set_rollback(True)  # leave the data set as it was
    finally:
        if folder is not None:
            folder.cleanup()
    print_report(report)


def generate(args: argparse.Namespace, rnd: random.Random) -> None:
    """Clients with circles of four practitioners and some completed assessments each (rows, no events)."""
    from django.utils import timezone

    from assessments import scoring
    from assessments.models import Assessment, InstrumentVersion
    from circles import public_id
    from circles.models import CircleMember, Client
    from network.models import Organisation, User

    now = timezone.now()
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Agency {n}", kind=Organisation.Kind.SOCIAL_CARE) for n in range(20)]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"p{n}@bench.example", full_name=f"Practitioner {n}", organisation=orgs[n % 20])
            for n in range(max(8, args.clients // 10))
        ]
    )
    clients = Client.objects.bulk_create(
        [
            Client(public_id=public_id.generate(), given_name="Client", family_name=f"Number {n}")
            for n in range(args.clients)
        ]
    )
    members = []
    for n, client in enumerate(clients):
        circle = rnd.sample(users, 4) if n else users[:4]
        for position, user in enumerate(circle):
            members.append(
                CircleMember(
                    client=client,
                    user=user,
                    organisation_id=user.organisation_id,
                    role="key_worker",
                    is_lead=not position,
                )
            )
    CircleMember.objects.bulk_create(members, batch_size=5000)
    versions = list(InstrumentVersion.objects.select_related("instrument"))
    rows = []
    for client in clients:
        for k in range(args.each):
            version = rnd.choice(versions)
            rows.append(completed(version, client, users[0], now - datetime.timedelta(days=30 * k), rnd))
    Assessment.objects.bulk_create(rows, batch_size=5000)
    _ = scoring  # scored in completed()


def completed(version, client, author, at, rnd):  # type: ignore[no-untyped-def]
    from assessments import scoring
    from assessments.models import Assessment

    definition = version.definition
    scale = definition["scale"]
    answers = {
        item["code"]: {"score": rnd.randint(scale["min"], scale["max"]), "narrative": "Talked it through."}
        for item in definition["items"]
    }
    if definition["code"] == "phq-9":
        answers["9"]["score"] = 0
    result = scoring.score(definition, answers)
    return Assessment(
        client=client,
        instrument=version.instrument,
        version=version,
        author=author,
        organisation_id=author.organisation_id,
        status=Assessment.Status.COMPLETED,
        answers=answers,
        result=result,
        total=result["total"],
        band=result["band"],
        completed_at=at,
        recorded_at=at,
    )


def measure(args: argparse.Namespace, rnd: random.Random, connection) -> dict:  # type: ignore[no-untyped-def]
    from django.test import Client as Browser
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessments import selectors
    from assessments.models import Assessment, Instrument, InstrumentVersion
    from circles.access import record_access
    from circles.models import CircleMember, Client
    from network.models import User

    # A practitioner with two clients of their own: one gets 50 assessments, the other exactly 1.
    lead = (
        User.objects.filter(
            kind="professional", org_role="practitioner", is_active=True, organisation__isnull=False
        )
        .filter(circle_memberships__until=None)
        .order_by("pk")
        .first()
    )
    assert lead is not None, "no practitioner in a circle"
    mine = list(CircleMember.objects.filter(user=lead, until=None).values_list("client_id", flat=True)[:2])
    many, one = Client.objects.get(pk=mine[0]), Client.objects.get(pk=mine[-1])
    Assessment.objects.filter(client__in=[many, one]).delete()
    versions = list(InstrumentVersion.objects.select_related("instrument").filter(number=1))
    now = timezone.now()
    Assessment.objects.bulk_create(
        [
            completed(versions[n % len(versions)], many, lead, now - datetime.timedelta(days=7 * n), rnd)
            for n in range(50)
        ]
        + [completed(versions[0], one, lead, now, rnd)]
    )
    browser = Browser()
    browser.force_login(lead)

    def page(client) -> dict:  # type: ignore[no-untyped-def]
        url = f"/clients/{client.public_id}/"
        times, cpu = [], []
        for index in range(args.warmup + args.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = browser.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
            assert response.status_code == 200, response.status_code
            if index >= args.warmup:
                times.append(elapsed)
                cpu.append(elapsed_cpu)
        with CaptureQueriesContext(connection) as captured:
            browser.get(url)
        return {
            "p50": statistics.median(times),
            "p95": percentile(times, 95),
            "cpu_p50": statistics.median(cpu),
            "queries": len(captured.captured_queries),
        }

    with_many, with_one = page(many), page(one)
    record = record_access(lead, many)
    instrument = Instrument.objects.get(pk=versions[0].instrument_id)
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        selectors.series_for(record, instrument)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        series = selectors.series_for(record, instrument)
    sql = captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + sql)
        plan = "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
        cursor.execute("SELECT count(*) FROM circles_client")
        (clients,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM assessments_assessment")
        (assessments,) = cursor.fetchone()
    return {
        "vendor": connection.vendor,
        "rows": {"clients": clients, "assessments": assessments},
        "client page, 50 assessments": with_many,
        "client page, 1 assessment": with_one,
        "series": {
            "points": len(series.points),
            "queries": len(captured.captured_queries),
            "p50": statistics.median(times),
            "p95": percentile(times, 95),
            "uses series index": "assessment_series_idx" in plan,
            "plan": plan,
        },
    }


def print_report(report: dict) -> None:
    rows = report["rows"]
    print(
        f"\nAssessments bench ({report['vendor']}; {rows['clients']:,} clients, {rows['assessments']:,} assessments)"
    )
    for name in ("client page, 50 assessments", "client page, 1 assessment"):
        figures = report[name]
        verdict = "PASS" if figures["p95"] <= BUDGET_P95_MS else "MISS"
        print(
            f"  {name:30} p50 {figures['p50']:6.1f} ms  p95 {figures['p95']:6.1f} ms  "
            f"CPU p50 {figures['cpu_p50']:5.1f} ms  {figures['queries']:2d} queries   "
            f"budget p95 ≤ {BUDGET_P95_MS:.0f} ms: {verdict}"
        )
    series = report["series"]
    print(
        f"  {'one chart series':30} p50 {series['p50']:6.2f} ms  p95 {series['p95']:6.2f} ms  "
        f"{series['queries']:2d} query    {series['points']} points; series index used: {series['uses series index']}"
    )
    print("  plan:\n    " + series["plan"].replace("\n", "\n    "))


if __name__ == "__main__":
    main()
