#!/usr/bin/env python
"""Mixed load: many practitioners reading and writing at once, for a fixed time, against daphne.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    scripts/ensure-services
    .venv/bin/python bench/generate.py --size large          # builds the database bench_large
    .venv/bin/python bench/load.py                           # 200 users, 120 s, 2 daphne processes
    .venv/bin/python bench/load.py --users 50 --seconds 30 --db bench_small

It uses an existing, already populated PostgreSQL database (--db; it never migrates, drops or empties
it) and Redis, picks --users practitioners with current circle memberships, gives each a fresh session
(as `force_login` does: no password, no sign-in page), starts --processes daphne processes on free
loopback ports, and lets the simulated practitioners work for --seconds: each waits a random think time
(--think-min to --think-max seconds: 5–15 s, a page every 10 s on average, which for 200 people at once
is a busy afternoon), then makes one request, mostly reads (My clients, a client page,
the plan page, search by name and by public ID, the notes and clients API lists, the plan API) and some
writes (a note through the API, an action's status through the API with If-Match; 412 is an expected
answer to a stale If-Match and counted apart). Each user talks to one process, on one kept-alive
connection, as a browser behind a sticky load balancer would.

It reports, per request type and overall: p50 / p95 / p99 / max round trip, requests/s, and errors (a
status other than the expected one, an exception or a timeout); the daphne processes' CPU, the whole
machine's CPU and the load average; and the budget: 0 errors and overall p95 <= 150 ms.

What it leaves in the database: what the simulated users wrote (notes whose text starts with
"Load test:", status changes of actions, and the audit rows and events the application makes for every
read and write, as it would for real people). The sessions it made are deleted at the end, and the Redis
keys under this run's prefix too. Everything is on 127.0.0.1 and bounded in time.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import string
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import cpu_seconds, percentile  # noqa: E402
from plan_latency import clear_redis, daphne_servers  # noqa: E402

BUDGET_P95_MS = 150.0
CLIENTS_PER_USER = 100  # at most this many of a user's clients are kept to pick from
ERROR_SAMPLES = 20

# (request type, weight). Reads 85 %, writes 15 %.
MIX: list[tuple[str, int]] = [
    ("page: my clients", 15),
    ("page: client", 20),
    ("page: plan", 13),
    ("page: search by name", 7),
    ("page: search by ID", 5),
    ("api: notes list", 10),
    ("api: clients list", 8),
    ("api: plan", 7),
    ("api: add note", 8),
    ("api: action status", 7),
]
WRITES = {"api: add note", "api: action status"}
STATUSES = ["not_started", "in_progress", "done"]


# ---------------------------------------------------------------- setting up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated practitioners (1-1000)")
    parser.add_argument("--seconds", type=float, default=120.0, help="how long they work (s, 5-900)")
    parser.add_argument("--processes", type=int, default=2, help="daphne processes (1-4)")
    parser.add_argument("--db", default="bench_large", help="existing, populated PostgreSQL database")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    parser.add_argument("--think-min", type=float, default=5.0, help="shortest think time (s)")
    parser.add_argument("--think-max", type=float, default=15.0, help="longest think time (s)")
    parser.add_argument("--timeout", type=float, default=10.0, help="a request taking longer is an error (s)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (users, clients, request mix)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--keep-logs", type=Path, help="copy the daphne logs into this folder")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when the budget is missed")
    args = parser.parse_args()
    for url in (args.pg, args.redis):
        host = url.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"loopback only: {url}")
    if not (1 <= args.users <= 1000 and 5 <= args.seconds <= 900 and 1 <= args.processes <= 4):
        parser.error("users 1-1000, seconds 5-900, processes 1-4")
    if not (0.1 <= args.think_min <= args.think_max <= 60 and 0.5 <= args.timeout <= 60):
        parser.error("0.1 <= think-min <= think-max <= 60, timeout 0.5-60")
    if not args.db.replace("_", "").isalnum():
        parser.error("--db: letters, digits and _ only")
    return args


def configure_environment(args: argparse.Namespace) -> None:
    """Settings come from the environment, for this process and the servers it starts alike."""
    for name in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "REDIS_PREFIX", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{args.db}"
    os.environ["REDIS_URL"] = args.redis
    os.environ["REDIS_PREFIX"] = f"alongside-load-{os.getpid()}"


def check_database(args: argparse.Namespace) -> None:
    """The database must exist and be fully migrated; this script never creates or migrates it."""
    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
    if not found:
        raise SystemExit(
            f"load: no database {args.db!r}. Build it first, e.g. "
            f"`.venv/bin/python bench/generate.py --size large`, or name another with --db."
        )
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise SystemExit(
            f"load: {args.db!r} is missing {len(pending)} migration(s) (e.g. {pending[0][0]}); "
            "rebuild it with bench/generate.py (this script does not migrate the database it is given)"
        )


@dataclass
class SimUser:
    index: int
    user_id: int
    session_key: str
    csrf: str
    clients: list[tuple[str, str]]  # (public ID, family name)
    with_actions: list[str]  # those of the clients whose plan has actions
    port: int = 0
    plans: dict[str, dict[int, tuple[str, str]]] = field(
        default_factory=dict
    )  # pid -> action -> (etag, status)
    notes_written: int = 0


def build_users(args: argparse.Namespace, rng: random.Random) -> tuple[list[SimUser], dict[str, Any]]:
    """Pick practitioners with current memberships; a session each (no password sign-in)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Exists, OuterRef, Q
    from django.utils.crypto import get_random_string

    from circles.models import CircleMember
    from network.models import User
    from sharing.models import Action

    current = CircleMember.objects.filter(user=OuterRef("pk"), until=None)
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    candidates = list(
        User.objects.filter(kind=User.Kind.PROFESSIONAL, org_role=User.OrgRole.PRACTITIONER, is_active=True)
        .filter(Exists(current))
        # An organisation that requires two-factor sends people without it to set it up first.
        .filter(Q(organisation__isnull=True) | Q(organisation__require_two_factor=False) | Exists(totp))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not candidates:
        raise SystemExit(f"load: no practitioner with a current circle membership in {args.db!r}")
    rng.shuffle(candidates)
    chosen = candidates[: args.users]
    clients: dict[int, list[tuple[str, str]]] = {pk: [] for pk in chosen}
    for user_id, pid, family in CircleMember.objects.filter(user_id__in=chosen, until=None).values_list(
        "user_id", "client__public_id", "client__family_name"
    ):
        clients[user_id].append((pid, family))
    counts = [len(clients[pk]) for pk in chosen]
    for pk in chosen:
        if len(clients[pk]) > CLIENTS_PER_USER:
            clients[pk] = rng.sample(sorted(clients[pk]), CLIENTS_PER_USER)
    planned = set(
        Action.objects.filter(
            removed_at=None,
            goal__removed_at=None,
            goal__plan__client__public_id__in={pid for mine in clients.values() for pid, _ in mine},
        ).values_list("goal__plan__client__public_id", flat=True)
    )
    users_by_pk = {u.pk: u for u in User.objects.filter(pk__in=chosen)}
    # The idle-timeout middleware's "last pushed back" stamp, where there is one.
    from django.conf import settings

    from network import middleware

    touched_key = getattr(getattr(middleware, "IdleTimeoutMiddleware", None), "KEY", None)
    sims = []
    for index in range(args.users):
        user = users_by_pk[chosen[index % len(chosen)]]  # fewer practitioners than users: they share
        mine = sorted(clients[user.pk])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if touched_key:  # as if just signed in: no session write on the first request
            session[touched_key] = int(time.time())
        session.save()
        sims.append(
            SimUser(
                index=index,
                user_id=user.pk,
                session_key=str(session.session_key),
                csrf=get_random_string(32, string.ascii_letters + string.digits),
                clients=mine,
                with_actions=[pid for pid, _ in mine if pid in planned],
            )
        )
    about = {
        "eligible_practitioners": len(candidates),
        "distinct_practitioners": len(chosen),
        "clients_per_user": {
            "min": min(counts),
            "median": sorted(counts)[len(counts) // 2],
            "max": max(counts),
        },
    }
    return sims, about


def delete_sessions(keys: list[str]) -> int:
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def database_size(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from circles.models import CircleMember, Client
    from network.models import User
    from sharing.models import Action, Note

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), version()")
        size, version = cursor.fetchone()
    return {
        "database": args.db,
        "size": size,
        "postgresql": version.split(" on ")[0],
        "clients": Client.objects.count(),
        "users": User.objects.count(),
        "memberships": CircleMember.objects.count(),
        "notes": Note.objects.count(),
        "actions": Action.objects.count(),
    }


def close_connections() -> None:
    from django.db import connections

    for conn in connections.all():
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()


# ---------------------------------------------------------------- the load


@dataclass
class Result:
    op: str
    started: float  # seconds since the start of the run
    ms: float | None  # None: no answer (exception or timeout)
    outcome: str  # "ok", "conflict" or "error"


@dataclass
class Recorder:
    results: list[Result] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    error_kinds: Counter = field(default_factory=Counter)

    def error(self, op: str, what: str, path: str, detail: str = "") -> None:
        self.error_kinds[f"{op}: {what}"] += 1
        if len(self.error_samples) < ERROR_SAMPLES:
            self.error_samples.append(f"{op}: {what} {path} {detail[:300]}".rstrip())


class Browser:
    """One practitioner's browser tab: their session cookie, one kept-alive connection to one process."""

    def __init__(self, user: SimUser, args: argparse.Namespace, recorder: Recorder, t0: float) -> None:
        import aiohttp

        self.user = user
        self.recorder = recorder
        self.t0 = t0
        self.origin = f"http://127.0.0.1:{user.port}"
        self.session = aiohttp.ClientSession(
            base_url=self.origin,
            connector=aiohttp.TCPConnector(limit=1, keepalive_timeout=60),
            cookie_jar=aiohttp.DummyCookieJar(),  # the cookies are ours, set below
            timeout=aiohttp.ClientTimeout(total=args.timeout),
            headers={"Cookie": f"sessionid={user.session_key}; csrftoken={user.csrf}"},
        )

    async def request(
        self,
        op: str,
        method: str,
        path: str,
        *,
        expect: tuple[int, ...] = (200,),
        conflict: tuple[int, ...] = (),
        body: dict | None = None,
        headers: dict[str, str] | None = None,
        record: bool = True,
    ) -> tuple[int | None, Any, dict[str, str]]:
        """Send, read the whole answer, time it, classify it. Returns (status, parsed JSON or None, headers)."""
        import aiohttp

        sent = dict(headers or {})
        if method != "GET":
            sent |= {"X-CSRFToken": self.user.csrf, "Origin": self.origin}
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, path, json=body, headers=sent, allow_redirects=False
            ) as response:
                raw = await response.read()
                status, got = response.status, dict(response.headers)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            if record:
                self.recorder.results.append(Result(op, started - self.t0, None, "error"))
                self.recorder.error(op, type(exc).__name__, path, str(exc))
            return None, None, {}
        ms = (time.perf_counter() - started) * 1000
        if status in expect:
            outcome = "ok"
        elif status in conflict:
            outcome = "conflict"
        else:
            outcome = "error"
            if record:
                where = got.get("Location", "")
                self.recorder.error(op, str(status), path, where or raw[:300].decode(errors="replace"))
        if record:
            self.recorder.results.append(Result(op, started - self.t0, ms, outcome))
        parsed = None
        if got.get("Content-Type", "").startswith("application/json") and raw:
            with contextlib.suppress(ValueError):
                parsed = json.loads(raw)
        return status, parsed, got

    async def close(self) -> None:
        await self.session.close()


def remember_plan(user: SimUser, pid: str, plan: Any) -> None:
    actions = {}
    for goal in (plan or {}).get("goals", []):
        for action in goal.get("actions", []):
            if action.get("status") in STATUSES:
                actions[action["id"]] = (action["etag"], action["status"])
    user.plans[pid] = actions


async def do_one(op: str, browser: Browser, rng: random.Random, think: tuple[float, float]) -> None:
    user = browser.user
    if not user.clients:
        op = rng.choice(["page: my clients", "api: clients list"])
    pid, family = rng.choice(user.clients) if user.clients else ("", "")
    if op == "page: my clients":
        await browser.request(op, "GET", "/clients/")
    elif op == "page: client":
        await browser.request(op, "GET", f"/clients/{pid}/")
    elif op == "page: plan":
        await browser.request(op, "GET", f"/clients/{pid}/plan/")
    elif op == "page: search by name":
        prefix = family[: rng.randint(2, 4)] or "a"
        await browser.request(op, "GET", f"/clients/search/?q={prefix}")
    elif op == "page: search by ID":
        await browser.request(op, "GET", f"/clients/search/?q={pid}")
    elif op == "api: notes list":
        await browser.request(op, "GET", f"/api/v1/clients/{pid}/notes/")
    elif op == "api: clients list":
        await browser.request(op, "GET", "/api/v1/clients/")
    elif op == "api: plan":
        status, plan, _ = await browser.request(op, "GET", f"/api/v1/clients/{pid}/plan/")
        if status == 200:
            remember_plan(user, pid, plan)
    elif op == "api: add note":
        user.notes_written += 1
        text = f"Load test: note {user.notes_written} from simulated practitioner {user.index}."
        await browser.request(
            op, "POST", f"/api/v1/clients/{pid}/notes/", body={"kind": "update", "text": text}, expect=(201,)
        )
    elif op == "api: action status":
        known = [p for p, actions in user.plans.items() if actions]
        if not known:
            # Open a plan first (a read, counted as one), look at it, then click.
            pid = rng.choice(user.with_actions) if user.with_actions else pid
            status, plan, _ = await browser.request("api: plan", "GET", f"/api/v1/clients/{pid}/plan/")
            if status != 200:
                return
            remember_plan(user, pid, plan)
            if not user.plans[pid]:
                return
            await asyncio.sleep(rng.uniform(*think) / 2)
            known = [pid]
        pid = rng.choice(known)
        action_id, (etag, current) = rng.choice(sorted(user.plans[pid].items()))
        new = rng.choice([s for s in STATUSES if s != current])
        status, body, headers = await browser.request(
            op,
            "PATCH",
            f"/api/v1/clients/{pid}/plan/actions/{action_id}/",
            body={"status": new},
            headers={"If-Match": etag},
            conflict=(412,),
        )
        if status == 200 and body:
            user.plans[pid][action_id] = (body["etag"], body["status"])
        elif status == 412 and body and body.get("current"):
            # Someone changed it since: the person sees the current state (and may click again later).
            user.plans[pid][action_id] = (body["current"]["etag"], body["current"]["status"])
        elif status in (403, 404):
            user.plans[pid].pop(action_id, None)
    else:  # pragma: no cover
        raise AssertionError(op)


async def practitioner(
    browser: Browser, rng: random.Random, args: argparse.Namespace, start: float, end: float
) -> None:
    names = [name for name, _ in MIX]
    weights = [weight for _, weight in MIX]
    # Arrive at a random moment of the first think time, so the requests are spread from the start.
    await asyncio.sleep(max(0.0, start + rng.uniform(0, args.think_max) - time.perf_counter()))
    while time.perf_counter() < end:
        await do_one(rng.choices(names, weights)[0], browser, rng, (args.think_min, args.think_max))
        await asyncio.sleep(
            min(rng.uniform(args.think_min, args.think_max), max(0.0, end - time.perf_counter()))
        )


async def warm_up(browsers: list[Browser], ports: list[int], rng: random.Random) -> None:
    """A few unrecorded reads on each process, so that first-request costs (imports, template compiles,
    pool connections) stay out of the figures."""
    for port in ports:
        mine = [b for b in browsers if b.user.port == port and b.user.clients][:4]
        for browser in mine:
            pid = browser.user.clients[0][0]
            for path in (
                "/clients/",
                f"/clients/{pid}/",
                f"/clients/{pid}/plan/",
                f"/clients/search/?q={pid}",
                f"/api/v1/clients/{pid}/notes/",
                "/api/v1/clients/",
                f"/api/v1/clients/{pid}/plan/",
            ):
                await browser.request("warm-up", "GET", path, record=False)


def postgres_cpu() -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL server process (all databases; Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            text = stat.read_text()
            if text.split("(", 1)[1].split(")", 1)[0] != "postgres":
                continue
            fields = text.rsplit(")", 1)[1].split()
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def system_cpu() -> tuple[float, float, float]:
    """(busy, total, waiting for the disk) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    iowait = values[4] if len(values) > 4 else 0
    return float(sum(values) - values[3] - iowait), float(sum(values)), float(iowait)


async def run_load(
    args: argparse.Namespace, users: list[SimUser], ports: list[int], pids: list[int], rng: random.Random
) -> dict[str, Any]:
    recorder = Recorder()
    t0 = time.perf_counter()
    for user in users:
        user.port = ports[user.index % len(ports)]
    browsers = [Browser(user, args, recorder, t0) for user in users]
    try:
        await asyncio.wait_for(warm_up(browsers, ports, rng), timeout=120)
        cpu_before, sys_before, pg_before = cpu_seconds(pids), system_cpu(), postgres_cpu()
        own_before, load_before = time.process_time(), os.getloadavg()
        start = time.perf_counter()
        for browser in browsers:
            browser.t0 = start
        end = start + args.seconds
        tasks = [practitioner(browser, random.Random(rng.random()), args, start, end) for browser in browsers]
        # Bounded: the last think time, the last request's timeout and a margin.
        limit = args.seconds + args.think_max * 1.5 + args.timeout + 30
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=limit)
        except TimeoutError:
            recorder.error("run", "stopped", "", f"still running after {limit:.0f} s")
        elapsed = time.perf_counter() - start
        cpu_after, sys_after, pg_after = cpu_seconds(pids), system_cpu(), postgres_cpu()
        own_after, load_after = time.process_time(), os.getloadavg()
    finally:
        await asyncio.gather(*(b.close() for b in browsers), return_exceptions=True)
    return {
        "recorder": recorder,
        "elapsed": elapsed,
        "server_cpu_s": [b - a for a, b in zip(cpu_before, cpu_after, strict=True)],
        "machine_busy": (sys_after[0] - sys_before[0]) / max(1.0, sys_after[1] - sys_before[1]),
        "machine_iowait": (sys_after[2] - sys_before[2]) / max(1.0, sys_after[1] - sys_before[1]),
        # Backends that ended during the run are missed; the servers' pooled connections stay open.
        "postgres_cpu_s": sum(used - pg_before.get(pid, 0.0) for pid, used in pg_after.items()),
        "load_generator_cpu_s": own_after - own_before,
        "load_average": {"before": load_before, "after": load_after},
    }


# ---------------------------------------------------------------- reporting


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
    }


def report(args: argparse.Namespace, about: dict[str, Any], measured: dict[str, Any]) -> dict[str, Any]:
    recorder: Recorder = measured["recorder"]
    results = recorder.results
    elapsed = measured["elapsed"]
    window = args.seconds
    figures: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}} | about
    print(f"\n{len(results)} requests in {window:.0f} s = {len(results) / window:.1f} requests/s", flush=True)
    header = f"  {'request':<22}{'n':>6}{'share':>7}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  412  errors"
    print(header + "\n  " + "-" * (len(header) - 2))
    per_type: dict[str, Any] = {}
    for name in [name for name, _ in MIX]:
        mine = [r for r in results if r.op == name]
        times = [r.ms for r in mine if r.ms is not None]
        s = summary(times)
        conflicts = sum(r.outcome == "conflict" for r in mine)
        errors = sum(r.outcome == "error" for r in mine)
        per_type[name] = s | {"n": len(mine), "conflicts_412": conflicts, "errors": errors}
        share = 100 * len(mine) / max(1, len(results))
        print(
            f"  {name:<22}{len(mine):>6}{share:>6.1f}%{s['p50']:>8.1f}{s['p95']:>8.1f}{s['p99']:>8.1f}"
            f"{s['max']:>8.1f}{conflicts:>5}{errors:>8}"
        )
    all_times = [r.ms for r in results if r.ms is not None]
    overall = summary(all_times)
    errors = sum(r.outcome == "error" for r in results) + recorder.error_kinds.get("run: stopped", 0)
    conflicts = sum(r.outcome == "conflict" for r in results)
    print("  " + "-" * (len(header) - 2))
    print(
        f"  {'all':<22}{len(results):>6}{100:>6.0f}%{overall['p50']:>8.1f}{overall['p95']:>8.1f}"
        f"{overall['p99']:>8.1f}{overall['max']:>8.1f}{conflicts:>5}{errors:>8}   (ms)"
    )
    reads = [r.ms for r in results if r.ms is not None and r.op not in WRITES]
    writes = [r.ms for r in results if r.ms is not None and r.op in WRITES]
    print(f"  reads p95 {percentile(reads, 95):.1f} ms, writes p95 {percentile(writes, 95):.1f} ms")

    # How it went over time: a drift (a queue building up) shows here.
    step = 20.0 if window >= 60 else 10.0
    slices = []
    t = 0.0
    while t < window - 1e-9:
        width = min(step, window - t)
        chunk = [r.ms for r in results if t <= r.started < t + width and r.ms is not None]
        slices.append({"from_s": t, "requests_per_s": len(chunk) / width, "p95": percentile(chunk, 95)})
        t += step
    print(
        "  over time (req/s, p95 ms): "
        + "  ".join(f"{s['from_s']:.0f}s {s['requests_per_s']:.0f}/{s['p95']:.0f}" for s in slices)
    )

    if recorder.error_kinds:
        print("\nerrors:")
        for kind, count in recorder.error_kinds.most_common():
            print(f"  {count:>5}  {kind}")
        print("  e.g.:")
        for sample in recorder.error_samples[:8]:
            print(f"    {sample}")

    server = measured["server_cpu_s"]
    cores = os.cpu_count() or 1
    per_request = 1000 * sum(server) / max(1, len(results))
    print(
        f"\nserver CPU: {sum(server):.1f} s over {elapsed:.0f} s = {100 * sum(server) / elapsed:.0f} % of one core"
        f" ({', '.join(f'process {n + 1}: {100 * s / elapsed:.0f} %' for n, s in enumerate(server))});"
        f" {per_request:.1f} ms CPU per request"
    )
    busy = measured["machine_busy"] * cores * elapsed  # CPU seconds, all processes
    postgres, generator = measured["postgres_cpu_s"], measured["load_generator_cpu_s"]
    rest = busy - sum(server) - postgres - generator
    print(
        f"machine: {100 * measured['machine_busy']:.0f} % busy of {cores} cores = {busy:.0f} CPU s: daphne"
        f" {sum(server):.0f}, PostgreSQL (all databases) {postgres:.0f}, this load generator {generator:.0f},"
        f" everything else (Redis, the kernel, other programs) {rest:.0f}; idle waiting for the disk"
        f" {100 * measured['machine_iowait']:.0f} %"
    )
    before, after = measured["load_average"]["before"], measured["load_average"]["after"]
    print(
        f"load average: {before[0]:.2f} {before[1]:.2f} {before[2]:.2f} before, "
        f"{after[0]:.2f} {after[1]:.2f} {after[2]:.2f} after"
    )
    misses = []
    if errors:
        misses.append(f"{errors} errors")
    if not overall["p95"] <= BUDGET_P95_MS:
        misses.append(f"p95 {overall['p95']:.1f} ms > {BUDGET_P95_MS:.0f} ms")
    verdict = "PASS" if not misses else "MISS"
    print(
        f"\nbudget (0 errors, overall p95 <= {BUDGET_P95_MS:.0f} ms): {verdict}"
        + (f" ({'; '.join(misses)})" if misses else f" (p95 {overall['p95']:.1f} ms, 0 errors)")
    )
    figures |= {
        "requests": len(results),
        "requests_per_second": len(results) / window,
        "overall": overall | {"n": len(all_times), "errors": errors, "conflicts_412": conflicts},
        "reads_p95": percentile(reads, 95),
        "writes_p95": percentile(writes, 95),
        "per_type": per_type,
        "over_time": slices,
        "errors": dict(recorder.error_kinds),
        "error_samples": recorder.error_samples,
        "server_cpu_seconds": server,
        "server_cpu_ms_per_request": per_request,
        "machine_busy_fraction": measured["machine_busy"],
        "machine_iowait_fraction": measured["machine_iowait"],
        "machine_cpu_seconds": busy,
        "postgres_cpu_seconds": postgres,
        "other_cpu_seconds": rest,
        "load_generator_cpu_seconds": measured["load_generator_cpu_s"],
        "load_average": measured["load_average"],
        "elapsed_s": elapsed,
        "budget": {"p95_ms": BUDGET_P95_MS, "errors": 0, "verdict": verdict},
    }
    return figures


def server_errors(workdir: Path) -> list[str]:
    """The first traceback in each daphne log, if any (the servers log at ERROR)."""
    found = []
    for log in sorted(workdir.glob("daphne-*.log")):
        lines = log.read_text(errors="replace").splitlines()
        count = sum("Traceback" in line for line in lines)
        if count:
            first = next(i for i, line in enumerate(lines) if "Traceback" in line)
            tail = lines[max(0, first - 2) : first + 60]
            end = next((i for i, line in enumerate(tail) if i > 2 and line and not line[0].isspace()), 0)
            found.append(f"{log.name}: {count} tracebacks; the first:\n" + "\n".join(tail[: end + 1]))
    return found


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)
    configure_environment(args)
    workdir = Path(tempfile.mkdtemp(prefix="alongside-load-"))
    session_keys: list[str] = []
    django_ready = False
    try:
        import django

        django.setup()
        django_ready = True
        check_database(args)
        about = {"data": database_size(args)}
        users, picked = build_users(args, rng)
        session_keys = [u.session_key for u in users]
        about |= picked
        close_connections()
        data = about["data"]
        print(
            f"Alongside mixed load: {args.users} practitioners, {args.seconds:.0f} s, think "
            f"{args.think_min:g}-{args.think_max:g} s, {args.processes} daphne process"
            f"{'es' * (args.processes > 1)}, PostgreSQL + Redis",
            flush=True,
        )
        print(
            f"  database {data['database']} ({data['size']}): {data['clients']} clients, {data['users']} users,"
            f" {data['memberships']} memberships, {data['notes']} notes, {data['actions']} actions;"
            f" {data['postgresql']}"
        )
        per = picked["clients_per_user"]
        print(
            f"  {picked['distinct_practitioners']} distinct practitioners (of {picked['eligible_practitioners']}"
            f" eligible), clients each: min {per['min']}, median {per['median']}, max {per['max']}"
        )
        print(
            f"  {os.cpu_count()} cores; load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
        )
        with daphne_servers(args.processes, workdir) as (ports, pids):
            measured = asyncio.run(run_load(args, users, ports, pids, rng))
        figures = report(args, about, measured)
        logged = server_errors(workdir)
        figures["server_log_errors"] = logged
        for entry in logged:
            print(f"\nserver log {entry}")
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("daphne-*.log"):
                shutil.copy(log, args.keep_logs / log.name)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
        return 1 if args.strict and figures["budget"]["verdict"] != "PASS" else 0
    finally:
        if django_ready:
            with contextlib.suppress(Exception):
                close_connections()
                if session_keys:
                    print(f"(removed the {delete_sessions(session_keys)} sessions this run made)")
                close_connections()
            with contextlib.suppress(Exception):
                clear_redis(args)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
