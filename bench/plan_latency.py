#!/usr/bin/env python
"""How fast a plan edit reaches everyone looking at the plan, and how many edits a second it takes.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    .venv/bin/python bench/plan_latency.py --mode embedded    # 1 daphne, SQLite, in-memory channel layer
    .venv/bin/python bench/plan_latency.py --mode postgres    # 2 daphnes, PostgreSQL + Redis

It makes its own database (a fresh SQLite file in a temporary folder, or a PostgreSQL database
`bench_alongside` that it drops and re-creates), migrates it, builds one client through the services
(a lead, VIEWERS circle members watching the plan, EDITORS circle members editing it, a goal with one
action per editor), starts its own daphne process(es) on free loopback ports, and then:

1. Edit-to-peer latency, idle: one editor PATCHes over HTTP, alternately the goal and an action, one edit
   at a time (the next after every viewer has the last, and a short pause). For each viewer the latency is
   the time from just before the request is sent to that viewer's socket receiving the matching
   "plan.goal_update" / "plan.action_update" event (matched on item and version).
2. Sustained edits: 1 editor, then EDITORS editors at once, each PATCHing its own action (`what` and
   `due_on` by turns, If-Match from its last response) as fast as the server answers, for a fixed time.
   Reports edits/s, the PATCH round trip, and the same edit-to-peer latency while under that load.

In postgres mode the viewers are split evenly across both processes and every edit goes to the first one,
so half the deliveries cross processes through Redis; the latency is reported for each half.

Everything is on 127.0.0.1; every loop is bounded by a count and a time limit, and the whole run by
--max-seconds. The servers, the database (and the Redis keys under this run's prefix) are removed at the
end, also after an error or Ctrl-C.
"""

import argparse
import asyncio
import contextlib
import datetime
import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import cpu_seconds, free_port, summary  # noqa: E402 (bench/ is on the path)

DB_NAME = "bench_alongside"
FIRST_DATE = datetime.date(2030, 1, 1)


# ---------------------------------------------------------------- setting up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["embedded", "postgres"], required=True)
    parser.add_argument("--viewers", type=int, default=20, help="websocket clients watching the plan")
    parser.add_argument("--editors", type=int, default=4, help="editors in the several-editors phase")
    parser.add_argument("--edits", type=int, default=100, help="edits in the idle latency phase")
    parser.add_argument("--gap", type=float, default=0.05, help="pause between idle edits (s)")
    parser.add_argument("--single-seconds", type=float, default=10.0, help="1-editor sustained phase (s)")
    parser.add_argument("--seconds", type=float, default=20.0, help="several-editors sustained phase (s)")
    parser.add_argument("--max-edits", type=int, default=5000, help="cap on edits per sustained phase")
    parser.add_argument("--max-seconds", type=float, default=420.0, help="the whole run stops after this")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL (postgres mode)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    for url in (args.pg, args.redis):
        host = url.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"loopback only: {url}")
    if not (1 <= args.viewers <= 200 and 1 <= args.editors <= 20 and 1 <= args.edits <= 5000):
        parser.error("viewers 1-200, editors 1-20, edits 1-5000")
    return args


def configure_environment(args: argparse.Namespace, workdir: Path) -> None:
    """Settings come from the environment, for this process and the servers it starts alike."""
    for name in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "REDIS_PREFIX", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    if args.mode == "embedded":
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        os.environ["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{DB_NAME}"
        os.environ["REDIS_URL"] = args.redis
        os.environ["REDIS_PREFIX"] = f"alongside-bench-{os.getpid()}"


def recreate_postgres_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_postgres_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def clear_redis(args: argparse.Namespace) -> None:
    import redis

    prefix = os.environ.get("REDIS_PREFIX")
    if not prefix:
        return
    client = redis.Redis.from_url(args.redis)
    try:
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)
    finally:
        client.close()


@dataclass
class Cast:
    public_id: str
    goal_id: int
    action_ids: list[int]  # one per editor
    editor_tokens: list[str]
    viewer_sessions: list[str]
    session_cookie: str


def build_cast(args: argparse.Namespace) -> Cast:
    """A client, their circle and plan, made through the services as a person would make them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from circles import services as circles
    from circles.models import CircleMember, Consent
    from network.models import Organisation, User
    from network.services import api_token_create
    from sharing import services as sharing

    organisation = Organisation.objects.create(name="Bench Early Help", kind=Organisation.Kind.EARLY_HELP)

    def person(name: str) -> User:
        email = f"{name.lower().replace(' ', '.')}@bench.example"
        return User.objects.create_user(email, None, full_name=name, organisation=organisation)

    lead = person("Lead Worker")
    client = circles.client_create(actor=lead, given_name="Grace", family_name="Bench")
    circles.consent_record(
        actor=lead, client=client, scope=Consent.Scope.CIRCLE, method=Consent.Method.WRITTEN, given_by="Grace"
    )
    viewers = [person(f"Viewer {n}") for n in range(args.viewers)]
    editors = [person(f"Editor {n}") for n in range(args.editors)]
    for user in viewers + editors:
        circles.circle_member_add(
            actor=lead,
            client=client,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=CircleMember.Role.KEY_WORKER,
            user=user,
        )
    goal = sharing.goal_add(actor=lead, client=client, in_own_words="I want to get back to college")
    actions = [
        sharing.action_add(actor=editor, goal=goal, what=f"{editor.full_name}'s task") for editor in editors
    ]

    sessions = []
    for user in viewers:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions.append(session.session_key)
    return Cast(
        public_id=client.public_id,
        goal_id=goal.pk,
        action_ids=[action.pk for action in actions],
        editor_tokens=[api_token_create(actor=editor, name="bench")[1] for editor in editors],
        viewer_sessions=sessions,
        session_cookie=settings.SESSION_COOKIE_NAME,
    )


@contextlib.contextmanager
def daphne_servers(count: int, workdir: Path) -> Iterator[tuple[list[int], list[int]]]:
    """Start `count` daphne processes on free loopback ports; yield (ports, pids); stop them afterwards."""
    processes: list[tuple[subprocess.Popen, Any]] = []
    ports: list[int] = []
    try:
        for n in range(count):
            port = free_port()
            log = open(workdir / f"daphne-{n}.log", "w+")  # noqa: SIM115 (closed below)
            process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "alongside.asgi:application",
                ],
                cwd=REPO,
                env=os.environ.copy(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            processes.append((process, log))
            ports.append(port)
        for (process, log), port in zip(processes, ports, strict=True):
            wait_until_healthy(port, process, log)
        yield ports, [process.pid for process, _log in processes]
    finally:
        for process, _log in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, log in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            log.seek(0)
            errors = [line for line in log.read().splitlines() if "Traceback" in line or "ERROR" in line]
            if errors:
                print(f"  (server log {log.name}: {len(errors)} error lines, e.g. {errors[0][:200]})")
            log.close()


def wait_until_healthy(port: int, process: subprocess.Popen, log: Any) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"daphne on port {port} stopped at start:\n{log.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"daphne on port {port} did not become healthy in 60 s")


# ---------------------------------------------------------------- measuring

Key = tuple[str, int, int]  # ("goal" | "action", id, version)


class Deliveries:
    """When each edit was sent, and when each viewer received it. Written from threads and the loop."""

    def __init__(self, viewers: int) -> None:
        self.viewers = viewers
        self.lock = threading.Lock()
        self.sent: dict[Key, float] = {}
        self.received: dict[Key, dict[int, float]] = {}
        self.complete: dict[Key, threading.Event] = {}

    def expect(self, key: Key) -> threading.Event:
        with self.lock:
            return self.complete.setdefault(key, threading.Event())

    def mark_sent(self, key: Key, at: float) -> None:
        with self.lock:
            self.sent[key] = at

    def mark_received(self, key: Key, viewer: int, at: float) -> None:
        with self.lock:
            seen = self.received.setdefault(key, {})
            seen.setdefault(viewer, at)
            done = len(seen) == self.viewers
            event = self.complete.setdefault(key, threading.Event())
        if done:
            event.set()

    def latencies(self, keys: list[Key], viewers: set[int] | None = None) -> tuple[list[float], int, int]:
        """Latencies (ms) for these edits, and how many deliveries arrived out of how many were due."""
        out: list[float] = []
        due = got = 0
        with self.lock:
            for key in keys:
                sent = self.sent.get(key)
                arrivals = self.received.get(key, {})
                for viewer in range(self.viewers):
                    if viewers is not None and viewer not in viewers:
                        continue
                    due += 1
                    if viewer in arrivals and sent is not None:
                        got += 1
                        out.append((arrivals[viewer] - sent) * 1000)
        return out, got, due


class Viewer:
    def __init__(
        self, index: int, port: int, cookie: str, session: str, public_id: str, deliveries: Deliveries
    ):
        self.index, self.port = index, port
        self.url = f"ws://127.0.0.1:{port}/ws/clients/{public_id}/"
        self.headers = {"Cookie": f"{cookie}={session}"}
        self.deliveries = deliveries
        self.socket: Any = None
        self.task: asyncio.Task | None = None
        self.other_messages = 0

    async def connect(self) -> None:
        import websockets

        self.socket = await websockets.connect(
            self.url, origin=f"http://127.0.0.1:{self.port}", additional_headers=self.headers, max_queue=None
        )
        hello = json.loads(await asyncio.wait_for(self.socket.recv(), 15))
        if hello.get("type") != "hello":
            raise RuntimeError(f"viewer {self.index}: expected hello, got {hello}")
        self.task = asyncio.create_task(self.listen())

    async def listen(self) -> None:
        import websockets

        try:
            async for raw in self.socket:
                now = time.perf_counter()
                message = json.loads(raw)
                if message.get("type") != "event":
                    self.other_messages += 1
                    continue
                payload = message.get("payload", {})
                if message["event"] == "plan.goal_update":
                    key = ("goal", payload["goal_id"], payload["version"])
                elif message["event"] == "plan.action_update":
                    key = ("action", payload["action_id"], payload["version"])
                else:
                    continue
                self.deliveries.mark_received(key, self.index, now)
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, 5)


class Editor:
    """One person editing over HTTP with a DRF token, on one kept-alive connection."""

    def __init__(self, port: int, token: str, public_id: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.prefix = f"/api/v1/clients/{public_id}/plan"
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        if_match: str | None = None,
        on_send: Any = None,
    ) -> tuple[int, str | None, Any]:
        headers = dict(self.headers)
        if if_match:
            headers["If-Match"] = if_match
        data = json.dumps(body).encode() if body is not None else None
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.connect()
        if on_send:
            on_send(time.perf_counter())
        try:
            self.connection.request(method, self.prefix + path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, response.getheader("ETag"), json.loads(raw) if raw else None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def cpu_line(report: "Report", name: str, before: list[float], after: list[float], edits: int) -> None:
    per_edit = [(b - a) * 1000 / edits if edits else float("nan") for a, b in zip(before, after, strict=True)]
    parts = ", ".join(f"process {n + 1}: {ms:.1f}" for n, ms in enumerate(per_edit))
    report.say(f"  server CPU per edit:       {sum(per_edit):.1f} ms ({parts})")
    report.figures[name] = per_edit


def version_of(etag: str) -> int:
    return int(etag.strip('"').rsplit("-v", 1)[1])


def fmt(s: dict[str, float]) -> str:
    return f"p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms   max {s['max']:7.1f} ms   (n={s['n']})"


def idle_latency(
    args: argparse.Namespace, cast: Cast, port: int, deliveries: Deliveries, stop_at: float
) -> dict:
    """One edit at a time: send, wait until every viewer has it (or 10 s), pause, next."""
    editor = Editor(port, cast.editor_tokens[0], cast.public_id)
    items = [
        ("goal", "goals", cast.goal_id, "in_own_words"),
        ("action", "actions", cast.action_ids[0], "what"),
    ]
    etags: dict[str, str] = {}
    for _kind, segment, item_id, _field in items:
        status, etag, _body = editor.request("GET", f"/{segment}/{item_id}/")
        assert status == 200 and etag, status
        etags[segment] = etag
    keys: list[Key] = []
    round_trips: list[float] = []
    missing = 0
    for n in range(args.edits):
        if time.monotonic() > stop_at:
            print("  (stopped early: --max-seconds)")
            break
        kind, segment, item_id, field_name = items[n % 2]
        key: Key = (kind, item_id, version_of(etags[segment]) + 1)
        complete = deliveries.expect(key)
        started = time.perf_counter()
        status, etag, body = editor.request(
            "PATCH",
            f"/{segment}/{item_id}/",
            {field_name: f"Idle edit {n}"},
            if_match=etags[segment],
            on_send=lambda at, key=key: deliveries.mark_sent(key, at),
        )
        round_trips.append((time.perf_counter() - started) * 1000)
        if status != 200 or body["version"] != key[2]:
            raise RuntimeError(f"idle edit {n}: {status} {body}")
        etags[segment] = etag
        keys.append(key)
        if not complete.wait(timeout=10):
            missing += 1
        time.sleep(args.gap)
    editor.close()
    return {"keys": keys, "round_trips": round_trips, "timeouts": missing}


def sustained(
    editors: int,
    seconds: float,
    args: argparse.Namespace,
    cast: Cast,
    port: int,
    deliveries: Deliveries,
    first: int,
) -> dict:
    """`editors` threads, each PATCHing its own action as fast as it is answered, for `seconds`."""
    results: list[dict] = [{} for _ in range(editors)]
    barrier = threading.Barrier(editors + 1)
    budget = max(1, args.max_edits // editors)

    def run(index: int) -> None:
        editor = Editor(port, cast.editor_tokens[index], cast.public_id)
        action_id = cast.action_ids[index]
        keys: list[Key] = []
        round_trips: list[float] = []
        refused = failed = 0
        status, etag, _body = editor.request("GET", f"/actions/{action_id}/")
        assert status == 200 and etag
        barrier.wait(timeout=30)
        end = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < end and n < budget:
            if n % 2 == 0:
                change = {"what": f"Edit {first + n} by editor {index}"}
            else:
                change = {"due_on": (FIRST_DATE + datetime.timedelta(days=first + n)).isoformat()}
            key: Key = ("action", action_id, version_of(etag) + 1)
            started = time.perf_counter()
            try:
                status, new_etag, body = editor.request(
                    "PATCH",
                    f"/actions/{action_id}/",
                    change,
                    if_match=etag,
                    on_send=lambda at, key=key: deliveries.mark_sent(key, at),
                )
            except (http.client.HTTPException, OSError):
                failed += 1
                n += 1
                continue
            round_trips.append((time.perf_counter() - started) * 1000)
            n += 1
            if status == 200 and body["version"] == key[2]:
                keys.append(key)
                etag = new_etag
            elif status == 412:
                refused += 1
                etag = new_etag
            else:
                failed += 1
        editor.close()
        results[index] = {"keys": keys, "round_trips": round_trips, "refused": refused, "failed": failed}

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(editors)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=30)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    keys = [key for r in results for key in r.get("keys", [])]
    # Let the last deliveries land (bounded).
    deadline = time.monotonic() + 10
    for key in keys:
        deliveries.expect(key).wait(timeout=max(0.0, deadline - time.monotonic()))
    return {
        "editors": editors,
        "seconds": elapsed,
        "keys": keys,
        "edits": len(keys),
        "edits_per_second": len(keys) / elapsed if elapsed else 0.0,
        "round_trips": [rt for r in results for rt in r.get("round_trips", [])],
        "refused": sum(r.get("refused", 0) for r in results),
        "failed": sum(r.get("failed", 0) for r in results),
    }


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def say(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)


def latency_lines(
    report: Report, name: str, deliveries: Deliveries, keys: list[Key], groups: dict[str, set[int]]
):
    values, got, due = deliveries.latencies(keys)
    report.say(f"  edit-to-peer, all viewers: {fmt(summary(values))}   delivered {got}/{due}")
    report.figures[name] = {"all": summary(values) | {"delivered": got, "due": due}}
    if len(groups) > 1:
        for label, members in groups.items():
            values, got, due = deliveries.latencies(keys, members)
            report.say(f"    {label:<27}{fmt(summary(values))}   delivered {got}/{due}")
            report.figures[name][label] = summary(values) | {"delivered": got, "due": due}


async def run_bench(
    args: argparse.Namespace, cast: Cast, ports: list[int], pids: list[int], report: Report, stop_at: float
) -> None:
    deliveries = Deliveries(args.viewers)
    viewers = [
        Viewer(
            i, ports[i % len(ports)], cast.session_cookie, cast.viewer_sessions[i], cast.public_id, deliveries
        )
        for i in range(args.viewers)
    ]
    groups = {"same process as editor": {v.index for v in viewers if v.port == ports[0]}}
    if len(ports) > 1:
        groups["other process (via Redis)"] = {v.index for v in viewers if v.port != ports[0]}
    try:
        for start in range(0, len(viewers), 5):  # a few at a time, as pages open
            await asyncio.gather(*(v.connect() for v in viewers[start : start + 5]))
        await asyncio.sleep(1.0)  # presence chatter settles
        report.say(
            f"  {len(viewers)} viewers connected ({', '.join(f'{len(g)} {k}' for k, g in groups.items())})"
        )

        report.say(f"\n[1] idle: {args.edits} edits, one at a time, {args.gap * 1000:.0f} ms apart")
        cpu_before = cpu_seconds(pids)
        idle = await asyncio.to_thread(idle_latency, args, cast, ports[0], deliveries, stop_at)
        cpu_after = cpu_seconds(pids)
        report.say(f"  PATCH round trip:          {fmt(summary(idle['round_trips']))}")
        latency_lines(report, "idle_latency", deliveries, idle["keys"], groups)
        report.figures["idle_patch_round_trip"] = summary(idle["round_trips"])
        for kind, label in (("goal", "goal edits (body: goal + its actions)"), ("action", "action edits")):
            trips = [t for k, t in zip(idle["keys"], idle["round_trips"], strict=True) if k[0] == kind]
            values, _got, _due = deliveries.latencies([k for k in idle["keys"] if k[0] == kind])
            report.say(f"    {label}:")
            report.say(f"      PATCH round trip:      {fmt(summary(trips))}")
            report.say(f"      edit-to-peer:          {fmt(summary(values))}")
            report.figures[f"idle_{kind}"] = {"patch_round_trip": summary(trips), "latency": summary(values)}
        cpu_line(report, "idle_server_cpu_ms_per_edit", cpu_before, cpu_after, len(idle["keys"]))
        if idle["timeouts"]:
            report.say(f"  ({idle['timeouts']} edits not seen by every viewer within 10 s)")

        first = 0
        for phase, (count, seconds) in enumerate(
            [(1, args.single_seconds), (args.editors, args.seconds)], start=2
        ):
            if time.monotonic() + seconds > stop_at:
                report.say(f"\n[{phase}] skipped: --max-seconds")
                continue
            report.say(
                f"\n[{phase}] sustained: {count} editor{'s' * (count > 1)}, own action each, {seconds:.0f} s"
            )
            cpu_before = cpu_seconds(pids)
            result = await asyncio.to_thread(
                sustained, count, seconds, args, cast, ports[0], deliveries, first
            )
            cpu_after = cpu_seconds(pids)
            first += 10_000
            report.say(
                f"  {result['edits']} edits in {result['seconds']:.1f} s = {result['edits_per_second']:.1f} edits/s"
                f"   (412: {result['refused']}, errors: {result['failed']})"
            )
            report.say(f"  PATCH round trip:          {fmt(summary(result['round_trips']))}")
            name = f"sustained_{count}_editor{'s' * (count > 1)}"
            latency_lines(report, name + "_latency", deliveries, result["keys"], groups)
            cpu_line(report, name + "_server_cpu_ms_per_edit", cpu_before, cpu_after, result["edits"])
            report.figures[name] = {
                "edits": result["edits"],
                "seconds": result["seconds"],
                "edits_per_second": result["edits_per_second"],
                "refused": result["refused"],
                "errors": result["failed"],
                "patch_round_trip": summary(result["round_trips"]),
            }
    finally:
        await asyncio.gather(*(v.close() for v in viewers), return_exceptions=True)


def versions_of_services(args: argparse.Namespace) -> dict[str, str]:
    found = {"python": platform.python_version(), "cores": str(os.cpu_count())}
    from django import get_version

    found["django"] = get_version()
    if args.mode == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            found["postgresql"] = cursor.fetchone()[0]
        import redis

        client = redis.Redis.from_url(args.redis)
        found["redis"] = client.info("server")["redis_version"]
        client.close()
    else:
        import sqlite3

        found["sqlite"] = sqlite3.sqlite_version
    return found


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    stop_at = started + args.max_seconds
    workdir = Path(tempfile.mkdtemp(prefix="alongside-bench-"))
    configure_environment(args, workdir)
    report = Report()
    try:
        if args.mode == "postgres":
            recreate_postgres_database(args)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", interactive=False, verbosity=0)
        cast = build_cast(args)
        versions = versions_of_services(args)
        for conn in connections.all():
            conn.close()
            if hasattr(conn, "close_pool"):
                conn.close_pool()

        processes = 1 if args.mode == "embedded" else 2
        described = (
            "1 daphne process, SQLite (WAL), in-memory channel layer"
            if args.mode == "embedded"
            else "2 daphne processes, PostgreSQL, Redis channel layer; edits to process 1"
        )
        report.say(f"Alongside plan benchmark, mode {args.mode}: {described}")
        report.say("  " + ", ".join(f"{k} {v}" for k, v in versions.items()))
        report.figures["mode"] = args.mode
        report.figures["versions"] = versions
        load_before = os.getloadavg()
        with daphne_servers(processes, workdir) as (ports, pids):
            asyncio.run(run_bench(args, cast, ports, pids, report, stop_at))
        load_after = os.getloadavg()
        report.say(
            f"\nwhole run {time.monotonic() - started:.0f} s; load average (1 min) "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after"
        )
        report.figures["load_average_1min"] = {"before": load_before[0], "after": load_after[0]}
        if args.json:
            args.json.write_text(json.dumps(report.figures, indent=2, default=str) + "\n")
        return 0
    finally:
        if args.mode == "postgres":
            with contextlib.suppress(Exception):
                from django.db import connections

                for conn in connections.all():
                    conn.close()
                    if hasattr(conn, "close_pool"):
                        conn.close_pool()
            with contextlib.suppress(Exception):
                drop_postgres_database(args)
            with contextlib.suppress(Exception):
                clear_redis(args)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
