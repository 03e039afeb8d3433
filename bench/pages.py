#!/usr/bin/env python
"""Server time and SQL of the pages practitioners open all day, on a small and a large data set.

    .venv/bin/python bench/generate.py --size small       # once: bench_small  (~10 s)
    .venv/bin/python bench/generate.py --size large       # once: bench_large  (~5 min)
    .venv/bin/python bench/pages.py                       # both, side by side, with the growth ratio

For each data set (a child process each, with DATABASE_URL pointing at it) and each page or endpoint it
makes REQUESTS requests (after WARMUP unmeasured ones), each as a random practitioner about a random client
in their circle (or their own lists), and reports:

- **server time**: the request through Django's whole stack in-process (middleware, session, access
  check, audit row, template or serializer), from `django.test.Client`, p50 / p95;
- **queries**: how many SQL statements the request made (the same for every request of a page when the
  count does not grow with the data; min–max shown otherwise);
- **SQL alone**: the statements that request made, captured and replayed directly on the same connection
  in one transaction (rolled back), p50 / p95: the ratio server/SQL is what the framework adds;
- the **growth ratio** large / small of the server-time p50 and p95.

Budgets (issue 6, PostgreSQL, large set): client page p95 ≤ 40 ms, search p95 ≤ 20 ms, growth ≤ 1.3 for
every page. The same random seed picks the same people on every run.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import percentile  # noqa: E402 (bench/ is on the path)

BUDGET_P95_MS = {"client page": 40.0, "search: name prefix": 20.0, "search: public ID": 20.0}
GROWTH_BUDGET = 1.3


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="bench_small", help="database of the small set")
    parser.add_argument("--large", default="bench_large", help="database of the large set")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child process: measure this database
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    host = args.pg.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        parser.error(f"loopback only: {args.pg}")
    if not (1 <= args.requests <= 5000 and 0 <= args.warmup <= 1000):
        parser.error("requests 1-5000, warmup 0-1000")
    return args


# ---------------------------------------------------------------- one data set (child process)


def measure(args: argparse.Namespace) -> dict:
    os.environ.update(
        {
            "DATABASE_URL": f"{args.pg.rstrip('/')}/{args.one}",
            "DJANGO_SETTINGS_MODULE": "alongside.settings",
            "LOG_LEVEL": "ERROR",
            "DJANGO_ALLOWED_HOSTS": "testserver",
        }
    )
    for name in ("REDIS_URL", "DJANGO_DEBUG", "SQLITE_PATH"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from circles.models import CircleMember
    from circles.models import Client as ClientRecord
    from network.models import User
    from network.services import api_token_create

    rnd = random.Random(args.seed)
    practitioners = list(
        User.objects.filter(kind="professional", org_role="practitioner", is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    people = []
    for user_id in rnd.sample(practitioners, 40):
        user = User.objects.get(pk=user_id)
        client_ids = list(
            CircleMember.objects.filter(user=user, until=None)
            .values_list("client_id", flat=True)
            .order_by("pk")
        )
        if not client_ids:
            continue
        clients = list(ClientRecord.objects.filter(pk__in=client_ids).values_list("public_id", "family_name"))
        browser = Client()
        browser.force_login(user)
        _token, key = api_token_create(actor=user, name="bench")
        api = Client(HTTP_AUTHORIZATION=f"Token {key}")
        people.append((browser, api, clients))

    def client_of(person):
        return rnd.choice(person[2])

    pages = {
        "my clients": lambda p: (p[0], "/clients/"),
        "client page": lambda p: (p[0], f"/clients/{client_of(p)[0]}/"),
        "plan page": lambda p: (p[0], f"/clients/{client_of(p)[0]}/plan/"),
        "timeline": lambda p: (p[0], f"/clients/{client_of(p)[0]}/timeline/"),
        "my actions": lambda p: (p[0], "/my-actions/"),
        "search: name prefix": lambda p: (p[0], f"/clients/search/?q={client_of(p)[1][:3]}"),
        "search: public ID": lambda p: (p[0], f"/clients/search/?q={client_of(p)[0]}"),
        "API clients": lambda p: (p[1], "/api/v1/clients/"),
        "API notes": lambda p: (p[1], f"/api/v1/clients/{client_of(p)[0]}/notes/"),
        "API plan": lambda p: (p[1], f"/api/v1/clients/{client_of(p)[0]}/plan/"),
        "API my actions": lambda p: (p[1], "/api/v1/my-actions/"),
    }
    results = {}
    for name, make in pages.items():
        if args.only and args.only not in name:
            continue
        server, cpu, sql, counts, errors = [], [], [], [], []
        for index in range(args.warmup + args.requests):
            http, url = make(rnd.choice(people))
            measured = index >= args.warmup
            # Timed request: no query capture, so nothing extra on the timed path.
            started, started_cpu = time.perf_counter(), time.process_time()
            response = http.get(url)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            if response.status_code != 200:
                errors.append(f"{response.status_code} {url}")
                continue
            if not measured:
                continue
            server.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
            # The same request again with its SQL captured, then the SQL replayed on its own.
            with CaptureQueriesContext(connection) as captured:
                http.get(url)
            statements = [query["sql"] for query in captured.captured_queries]
            counts.append(len(statements))
            sql.append(replay(connection, statements) * 1000)
        results[name] = {
            "server_p50": statistics.median(server) if server else float("nan"),
            "server_p95": percentile(server, 95),
            "cpu_p50": statistics.median(cpu) if cpu else float("nan"),
            "sql_p50": statistics.median(sql) if sql else float("nan"),
            "sql_p95": percentile(sql, 95),
            "queries_min": min(counts, default=0),
            "queries_max": max(counts, default=0),
            "errors": errors[:5],
            "error_count": len(errors),
            "n": len(server),
        }
        print(
            f"  {args.one}: {name:22} p50 {results[name]['server_p50']:6.1f} ms", file=sys.stderr, flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM circles_client), (SELECT count(*) FROM sharing_note), "
            "(SELECT count(*) FROM sharing_action), (SELECT count(*) FROM network_user)"
        )
        clients, notes, actions, users = cursor.fetchone()
    return {
        "database": args.one,
        "rows": {"clients": clients, "notes": notes, "actions": actions, "users": users},
        "pages": results,
    }


def replay(connection, statements: list[str]) -> float:
    """Seconds to run `statements` directly, in one transaction that is rolled back (so writes leave no trace)."""
    raw = connection.connection  # the psycopg connection under Django's wrapper
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    raw.rollback() if not raw.autocommit else None
    autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            started = time.perf_counter()
            for statement in statements:
                if statement.startswith(skip):
                    continue
                cursor.execute(statement)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = time.perf_counter() - started
        raw.rollback()
    finally:
        raw.autocommit = autocommit
    return elapsed


# ---------------------------------------------------------------- both data sets (parent)


def main() -> int:
    args = parse_args()
    if args.one:
        result = measure(args)
        args.out.write_text(json.dumps(result))
        return 0

    runs = {}
    with tempfile.TemporaryDirectory() as workdir:
        for label, database in (("small", args.small), ("large", args.large)):
            out = Path(workdir) / f"{label}.json"
            command = [sys.executable, __file__, "--one", database, "--out", str(out), "--pg", args.pg]
            command += [
                "--requests",
                str(args.requests),
                "--warmup",
                str(args.warmup),
                "--seed",
                str(args.seed),
            ]
            if args.only:
                command += ["--only", args.only]
            print(f"measuring {database} …", file=sys.stderr, flush=True)
            subprocess.run(command, check=True, cwd=REPO)
            runs[label] = json.loads(out.read_text())

    report = render(runs, args)
    print(report)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))
    return 0


def render(runs: dict, args: argparse.Namespace) -> str:
    small, large = runs["small"], runs["large"]
    lines = [
        f"Pages: {args.requests} requests each after {args.warmup} warm-up, in-process django.test.Client, "
        f"PostgreSQL; load average {os.getloadavg()[0]:.2f}",
        f"small = {small['database']}: {small['rows']['clients']:,} clients, {small['rows']['notes']:,} notes, "
        f"{small['rows']['actions']:,} actions",
        f"large = {large['database']}: {large['rows']['clients']:,} clients, {large['rows']['notes']:,} notes, "
        f"{large['rows']['actions']:,} actions",
        "",
        f"{'page':22} | {'small p50/p95':>14} | {'large p50/p95':>14} | {'CPU l p50':>9} | {'SQL large p50/p95':>17} | "
        f"{'page/SQL':>8} | {'queries s / l':>13} | {'growth p50/p95':>14} | budget",
        "-" * 152,
    ]
    for name, s in small["pages"].items():
        big = large["pages"].get(name)
        if big is None:
            continue
        growth50 = big["server_p50"] / s["server_p50"]
        growth95 = big["server_p95"] / s["server_p95"]
        ratio = big["server_p50"] / big["sql_p50"] if big["sql_p50"] else float("nan")
        verdicts = []
        if name in BUDGET_P95_MS:
            limit = BUDGET_P95_MS[name]
            verdicts.append(f"p95≤{limit:.0f}: {'PASS' if big['server_p95'] <= limit else 'MISS'}")
        grows = growth50 > GROWTH_BUDGET or growth95 > GROWTH_BUDGET
        verdicts.append(f"growth≤{GROWTH_BUDGET}: {'MISS' if grows else 'PASS'}")
        flat = s["queries_max"] == big["queries_max"] and s["queries_min"] == big["queries_min"]
        verdicts.append("queries flat" if flat else "QUERIES DIFFER")
        if s["error_count"] or big["error_count"]:
            verdicts.append(
                f"ERRORS {s['error_count']}/{big['error_count']}: {(s['errors'] + big['errors'])[:2]}"
            )

        def span(run):
            return (
                f"{run['queries_min']}"
                if run["queries_min"] == run["queries_max"]
                else f"{run['queries_min']}–{run['queries_max']}"
            )

        lines.append(
            f"{name:22} | {s['server_p50']:6.1f} /{s['server_p95']:6.1f} | {big['server_p50']:6.1f} /"
            f"{big['server_p95']:6.1f} | {big.get('cpu_p50', float('nan')):9.1f} | {big['sql_p50']:7.1f} / {big['sql_p95']:6.1f} | "
            f"{ratio:7.1f}× | "
            f"{span(s):>5} / {span(big):<5} | {growth50:5.2f} / {growth95:5.2f} | {'; '.join(verdicts)}"
        )
    lines.append("")
    lines.append(
        "Times in ms. growth = large / small server time. page/SQL = server p50 / SQL-alone p50, large set."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
