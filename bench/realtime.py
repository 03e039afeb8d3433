#!/usr/bin/env python
"""Realtime fan-out: how long until an edit reaches the LAST of 50 open client pages, beside two baselines.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    scripts/ensure-services                    # PostgreSQL and Redis on 127.0.0.1
    .venv/bin/python bench/realtime.py         # about 1½ minutes

It makes its own PostgreSQL database `bench_realtime` (dropped and re-created), migrates it, builds one client
through the services (a lead who writes, SOCKETS circle members each with their own session, a goal with one
action), and starts, on free loopback ports, three systems of two processes each, all on the same Redis under
this run's own key prefixes:

- Alongside: two daphne processes (alongside.asgi, PostgreSQL + Redis channel layer). SOCKETS sockets on
  /ws/clients/<public_id>/?page=record, half on each process, one per circle member, sending the page's
  {"type": "ping"} every --ping seconds as live-socket.js does (presence heartbeats, staggered);
- bare Channels (bench/baselines/bare_channels.py under daphne): the same socket split; each consumer joins one
  group; a write is an HTTP POST to process 1, which does `group_send` and answers — "HTTP in, fan-out out",
  the same shape as an Alongside write, without Django views, the database or the access rules;
- raw Redis (bench/baselines/raw_redis_ws.py): an asyncio `websockets` server + redis.asyncio pub/sub, two
  processes, the same split; a write is a PUBLISH from this benchmark.

Then, in rounds so that machine noise falls on every system alike, one write at a time with --gap between:
Alongside note create (POST /api/v1/clients/<id>/notes/ to process 1), Alongside plan edit (PATCH of an
action with If-Match, to process 1), a bare-Channels send, a raw-Redis publish. For each write the figure is
the time from just before the request leaves this process to the LAST of the sockets receiving the matching
message. Prints p50/p95/max for each, the ratio Alongside p95 / bare Channels p95, and PASS/MISS against the
budgets: edit-to-peer p95 <= 25 ms, and within 2x the bare-Channels p95 of the same run.

Everything is on 127.0.0.1; every wait is bounded, and the whole run by --max-seconds. The servers, the
database and this run's Redis keys are removed at the end, also after an error, Ctrl-C or SIGTERM.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# This file is called realtime.py, like the app: make sure `import realtime` finds the app, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(REPO))
sys.path.append(str(BENCH))  # after the app: for the helpers beside this file

from measure import cpu_seconds, free_port, percentile, summary  # noqa: E402

DB_NAME = "bench_realtime"
BUDGET_P95_MS = 25.0
BUDGET_RATIO = 2.0


# ---------------------------------------------------------------- set-up shared with bench/sockets.py


def loopback_only(parser: argparse.ArgumentParser, *urls: str) -> None:
    for url in urls:
        host = url.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost", "[::1]"):
            parser.error(f"loopback only: {url}")


def with_socket_timeout(redis_url: str, seconds: int = 30) -> str:
    """The Redis URL with a read timeout longer than channels-redis's 5 s blocking pop.

    redis-py 8 reads with a 5 s socket timeout by default, the same as the BZPOPMIN timeout channels-redis
    4.3 waits on, so an idle consumer's receive often fails with "Timeout reading from ..." and the socket is
    closed (1011). Until the app's settings pass a longer socket_timeout, the benchmarks give one in the URL.
    """
    if "socket_timeout=" in redis_url:
        return redis_url
    return f"{redis_url}{'&' if '?' in redis_url else '?'}socket_timeout={seconds}"


def configure_environment(pg: str, redis_url: str, db_name: str, tag: str) -> None:
    """Settings come from the environment, for this process and the Alongside servers it starts alike."""
    for name in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "REDIS_PREFIX", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["DATABASE_URL"] = f"{pg.rstrip('/')}/{db_name}"
    os.environ["REDIS_URL"] = with_socket_timeout(redis_url)
    os.environ["REDIS_PREFIX"] = f"alongside-bench-{tag}-{os.getpid()}"


def raise_fd_limit(wanted: int = 20000) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def recreate_database(pg: str, db_name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db_name}"')


def drop_database(pg: str, db_name: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def close_django_connections() -> None:
    from django.db import connections

    for conn in connections.all():
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()


def clear_redis(redis_url: str, prefixes: list[str]) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    deleted = 0
    try:
        for prefix in prefixes:
            for key in client.scan_iter(match=f"{prefix}*", count=500):
                deleted += client.delete(key)
    finally:
        client.close()
    return deleted


def make_session(user: Any) -> str:
    """A signed-in database session for `user`, as the sign-in view would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def _raise_child_fd_limit() -> None:  # runs in the child before exec
    raise_fd_limit()


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Any


@contextlib.contextmanager
def servers(
    specs: list[tuple[str, list[str], dict[str, str | None]]], workdir: Path
) -> Iterator[list[Server]]:
    """Start each (name, argv with {port}, extra env) on a free loopback port; yield them; stop them after."""
    started: list[Server] = []
    try:
        for name, argv, extra_env in specs:
            port = free_port()
            log = open(workdir / f"{name}.log", "w+")  # noqa: SIM115 (closed below)
            env = {k: v for k, v in (os.environ.copy() | extra_env).items() if v is not None}
            process = subprocess.Popen(  # noqa: S603
                [a.replace("{port}", str(port)) for a in argv],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_raise_child_fd_limit,  # noqa: PLW1509 (no threads yet that matter)
                start_new_session=True,  # Ctrl-C reaches only this process, which stops them in order
            )
            started.append(Server(name, port, process, log))
        for server in started:
            wait_until_healthy(server)
        yield started
    finally:
        for server in started:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
        for server in started:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=5)
            server.log.seek(0)
            text = server.log.read()
            errors = [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line]
            if errors:
                print(f"  (log of {server.name}: {len(errors)} error lines, e.g. {errors[0][:200]})")
            if os.environ.get("BENCH_SHOW_LOGS") and text.strip():
                lines = text.splitlines()
                first = next(
                    (n for n, line in enumerate(lines) if "Traceback" in line), max(0, len(lines) - 60)
                )
                print(f"---- {server.name} (from line {first + 1})\n" + "\n".join(lines[first : first + 80]))
            server.log.close()


def wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            server.log.seek(0)
            raise RuntimeError(f"{server.name} on port {server.port} stopped at start:\n{server.log.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} on port {server.port} did not become healthy in 60 s")


def daphne(app: str) -> list[str]:
    return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}", app]


def bare_env(redis_url: str, prefix: str) -> dict[str, str | None]:
    return {
        "PYTHONPATH": str(BENCH / "baselines"),
        "BARE_REDIS_URL": with_socket_timeout(redis_url),
        "BARE_REDIS_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": None,  # None: not passed on
    }


def proc_status_kb(pid: int, field_name: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} for {pid}")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def say(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)


def uptime_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


# ---------------------------------------------------------------- this benchmark's cast


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=50, help="sockets per system, split over 2 processes")
    parser.add_argument("--edits", type=int, default=200, help="writes per system (notes; bare; raw)")
    parser.add_argument("--plan-edits", type=int, default=100, help="Alongside plan edits (0: skip)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="the writes are interleaved in this many rounds"
    )
    parser.add_argument("--gap", type=float, default=0.05, help="pause between writes (s)")
    parser.add_argument(
        "--ping", type=float, default=25.0, help="Alongside socket ping interval (s; 0: none)"
    )
    parser.add_argument(
        "--alongside-layer",
        choices=["app", "pubsub"],
        default="app",
        help="app: the app's settings (its pub/sub layer); pubsub: bench/baselines/pubsub_settings.py (the same layer, for comparison with older runs)",
    )
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the whole run stops after this")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    loopback_only(parser, args.pg, args.redis)
    if not (2 <= args.sockets <= 400 and 1 <= args.edits <= 5000 and 0 <= args.plan_edits <= 5000):
        parser.error("sockets 2-400, edits 1-5000, plan-edits 0-5000")
    if not 1 <= args.rounds <= min(args.edits, 100):
        parser.error("rounds 1-100 and no more than --edits")
    return args


@dataclass
class Cast:
    public_id: str
    action_id: int
    writer_token: str
    sessions: list[str]
    session_cookie: str


def build_cast(sockets: int) -> Cast:
    """A client, their circle (one member per socket) and plan, made through the services."""
    from django.conf import settings

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
    members = [person(f"Member {n}") for n in range(sockets)]
    for user in members:
        circles.circle_member_add(
            actor=lead,
            client=client,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=CircleMember.Role.KEY_WORKER,
            user=user,
        )
    goal = sharing.goal_add(actor=lead, client=client, in_own_words="I want to get back to college")
    action = sharing.action_add(actor=lead, goal=goal, what="Ring the college")
    return Cast(
        public_id=client.public_id,
        action_id=action.pk,
        writer_token=api_token_create(actor=lead, name="bench")[1],
        sessions=[make_session(user) for user in members],
        session_cookie=settings.SESSION_COOKIE_NAME,
    )


# ---------------------------------------------------------------- measuring


class Arrivals:
    """When each socket received each write's message; a write is complete when every socket has it."""

    def __init__(self, sockets: int) -> None:
        self.sockets = sockets
        self.at: dict[Any, dict[int, float]] = {}
        self.done: dict[Any, asyncio.Event] = {}

    def mark(self, key: Any, index: int, at: float) -> None:
        seen = self.at.setdefault(key, {})
        seen.setdefault(index, at)
        if len(seen) == self.sockets:
            self.done.setdefault(key, asyncio.Event()).set()

    async def wait(self, key: Any, timeout: float) -> bool:
        event = self.done.setdefault(key, asyncio.Event())
        if len(self.at.get(key, {})) == self.sockets:
            return True
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True


class Listener:
    """One websocket; `key_of` turns a received frame into the write it answers (or None)."""

    def __init__(
        self, index: int, url: str, origin: str, headers: dict, key_of: Callable, arrivals: Arrivals
    ):
        self.index, self.url, self.origin, self.headers = index, url, origin, headers
        self.key_of, self.arrivals = key_of, arrivals
        self.socket: Any = None
        self.tasks: list[asyncio.Task] = []

    async def connect(self, expect_hello: bool, ping: float) -> None:
        import websockets

        self.socket = await asyncio.wait_for(
            websockets.connect(
                self.url, origin=self.origin, additional_headers=self.headers, max_queue=None, open_timeout=15
            ),
            20,
        )
        if expect_hello:
            hello = json.loads(await asyncio.wait_for(self.socket.recv(), 15))
            if hello.get("type") != "hello":
                raise RuntimeError(f"socket {self.index}: expected hello, got {hello}")
        self.tasks.append(asyncio.create_task(self.listen()))
        if ping > 0:
            self.tasks.append(asyncio.create_task(self.pinger(ping)))

    async def listen(self) -> None:
        import websockets

        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.socket:
                now = time.perf_counter()
                key = self.key_of(raw)
                if key is not None:
                    self.arrivals.mark(key, self.index, now)

    async def pinger(self, every: float) -> None:
        import websockets

        await asyncio.sleep(random.uniform(0, every))  # noqa: S311 (staggered, as pages open at different times)
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await self.socket.send('{"type": "ping"}')
                await asyncio.sleep(every)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.socket.close(), 5)


def alongside_key(raw: str) -> Any:
    message = json.loads(raw)
    if message.get("type") != "event":
        return None
    payload = message.get("payload", {})
    if message["event"] == "note.create":
        return ("note", payload["note_id"])
    if message["event"] == "plan.action_update":
        return ("action", payload["action_id"], payload["version"])
    return None


def text_key(raw: str) -> Any:
    return raw


class Http:
    """A kept-alive HTTP/1.1 connection on the event loop (so the sockets are read while it waits)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, body: dict | None = None, headers: dict | None = None
    ) -> tuple[float, int, dict[str, str], Any]:
        """Send; return (perf_counter just before sending, status, headers, parsed JSON body or None)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(data)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body is not None:
            lines.append("Content-Type: application/json")
        packet = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        sent_at = time.perf_counter()
        self.writer.write(packet)
        status_line = await asyncio.wait_for(self.reader.readline(), 30)
        if not status_line:  # the server had closed the kept-alive connection: once more on a new one
            await self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            sent_at = time.perf_counter()
            self.writer.write(packet)
            status_line = await asyncio.wait_for(self.reader.readline(), 30)
        status = int(status_line.split()[1])
        response_headers: dict[str, str] = {}
        while (line := await asyncio.wait_for(self.reader.readline(), 30)) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            response_headers[name.strip().lower()] = value.strip()
        length = int(response_headers.get("content-length", "0"))
        raw = await asyncio.wait_for(self.reader.readexactly(length), 30) if length else b""
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        parsed = json.loads(raw) if raw and "json" in response_headers.get("content-type", "") else None
        return sent_at, status, response_headers, parsed

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.writer.wait_closed(), 5)
        self.reader = self.writer = None


@dataclass
class System:
    name: str
    arrivals: Arrivals
    listeners: list[Listener]
    write: Callable  # async (n) -> (sent_at, key)
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0


async def run_bench(
    args: argparse.Namespace, cast: Cast, by_name: dict[str, list[Server]], report: Report, stop_at: float
):
    import redis.asyncio as aioredis

    n = args.sockets
    alongside, bare, raw = by_name["alongside"], by_name["bare"], by_name["raw"]

    def listeners_for(group: list[Server], path: str, key_of: Callable, arrivals: Arrivals, cookie: bool):
        out = []
        for i in range(n):
            port = group[i % 2].port  # half on each process
            headers = {"Cookie": f"{cast.session_cookie}={cast.sessions[i]}"} if cookie else {}
            out.append(
                Listener(
                    i, f"ws://127.0.0.1:{port}{path}", f"http://127.0.0.1:{port}", headers, key_of, arrivals
                )
            )
        return out

    # Alongside: notes and plan edits through process 1, over HTTP with the writer's token.
    a_arrivals = Arrivals(n)
    a_listeners = listeners_for(
        alongside, f"/ws/clients/{cast.public_id}/?page=record", alongside_key, a_arrivals, True
    )
    api = Http(alongside[0].port)
    auth = {"Authorization": f"Token {cast.writer_token}"}
    notes_path = f"/api/v1/clients/{cast.public_id}/notes/"
    action_path = f"/api/v1/clients/{cast.public_id}/plan/actions/{cast.action_id}/"
    _at, status, headers, _body = await api.request("GET", action_path, headers=auth)
    assert status == 200, status
    etag = {"value": headers["etag"]}

    async def write_note(i: int) -> tuple[float, Any]:
        sent_at, status, _headers, body = await api.request(
            "POST", notes_path, {"text": f"Bench note {i}: rang the college, they will call back."}, auth
        )
        if status != 201:
            raise RuntimeError(f"note {i}: {status} {body}")
        return sent_at, ("note", body["id"])

    async def write_plan(i: int) -> tuple[float, Any]:
        sent_at, status, headers, body = await api.request(
            "PATCH", action_path, {"what": f"Ring the college ({i})"}, auth | {"If-Match": etag["value"]}
        )
        if status != 200:
            raise RuntimeError(f"plan edit {i}: {status} {body}")
        etag["value"] = headers["etag"]
        return sent_at, ("action", body["id"], body["version"])

    # Bare Channels: POST /send to process 1, which group_sends.
    b_arrivals = Arrivals(n)
    b_listeners = listeners_for(bare, "/ws/", text_key, b_arrivals, False)
    bare_http = Http(bare[0].port)

    async def write_bare(i: int) -> tuple[float, Any]:
        sent_at, status, _h, _b = await bare_http.request("POST", f"/send?text=b{i}")
        if status != 204:
            raise RuntimeError(f"bare send {i}: {status}")
        return sent_at, f"b{i}"

    # Raw Redis: PUBLISH from here.
    r_arrivals = Arrivals(n)
    r_listeners = listeners_for(raw, "/ws", text_key, r_arrivals, False)
    redis_client = aioredis.Redis.from_url(args.redis)
    raw_channel = by_name["raw_channel"]

    async def write_raw(i: int) -> tuple[float, Any]:
        sent_at = time.perf_counter()
        await redis_client.publish(raw_channel, f"r{i}")
        return sent_at, f"r{i}"

    systems = [
        System("Alongside note create", a_arrivals, a_listeners, write_note),
        System("bare Channels", b_arrivals, b_listeners, write_bare),
        System("raw Redis", r_arrivals, r_listeners, write_raw),
    ]
    counts = {"Alongside note create": args.edits, "bare Channels": args.edits, "raw Redis": args.edits}
    if args.plan_edits:
        systems.insert(1, System("Alongside plan edit", a_arrivals, [], write_plan))
        counts["Alongside plan edit"] = args.plan_edits
    all_listeners = a_listeners + b_listeners + r_listeners
    try:
        for group, ping, hello in (
            (a_listeners, args.ping, True),
            (b_listeners, 0, False),
            (r_listeners, 0, False),
        ):
            for start in range(0, len(group), 5):  # a few at a time, as pages open
                await asyncio.gather(*(s.connect(hello, ping) for s in group[start : start + 5]))
        await asyncio.sleep(1.5)  # presence chatter settles
        report.say(f"  {n} sockets per system connected, {n - n // 2} on process 1 and {n // 2} on process 2")

        pids = [s.process.pid for s in alongside]
        cpu_before = cpu_seconds(pids)
        notes_done = 0
        for round_no in range(args.rounds):
            for system in systems:
                total = counts[system.name]
                share = total // args.rounds + (1 if round_no < total % args.rounds else 0)
                for _ in range(share):
                    if time.monotonic() > stop_at:
                        raise TimeoutError("--max-seconds reached")
                    i = len(system.latencies) + system.timeouts
                    sent_at, key = await system.write(i)
                    if await system.arrivals.wait(key, 10):
                        system.latencies.append((max(system.arrivals.at[key].values()) - sent_at) * 1000)
                    else:
                        system.timeouts += 1
                    if system.write is write_note:
                        notes_done += 1
                    await asyncio.sleep(args.gap)
            print(f"  round {round_no + 1}/{args.rounds} done ({uptime_line()})", flush=True)
        cpu_after = cpu_seconds(pids)
        writes = sum(len(s.latencies) + s.timeouts for s in systems if s.name.startswith("Alongside"))
        per_write = [(b - a) * 1000 / writes for a, b in zip(cpu_before, cpu_after, strict=True)]
        report.figures["alongside_server_cpu_ms_per_write"] = per_write
        report.figures["_cpu_line"] = (
            f"Alongside server CPU per write (notes and plan edits, incl. pings): {sum(per_write):.1f} ms "
            f"(process 1 {per_write[0]:.1f}, process 2 {per_write[1]:.1f})"
        )
    finally:
        await asyncio.gather(*(s.close() for s in all_listeners), return_exceptions=True)
        await api.close()
        await bare_http.close()
        await redis_client.aclose()
    return systems


def print_table(report: Report, systems: list[System], sockets: int) -> None:
    bare = next(s for s in systems if s.name == "bare Channels")
    bare_p95 = percentile(bare.latencies, 95)
    report.say(f"\nTime from the write leaving the client to the LAST of {sockets} sockets receiving it (ms)")
    report.say(
        f"  {'':<24}{'p50':>8}{'p95':>8}{'max':>8}{'n':>6}{'lost':>6}   p95/bare   budget (p95<=25 ms, <=2x bare)"
    )
    verdicts = {}
    for system in systems:
        s = summary(system.latencies)
        ratio = s["p95"] / bare_p95 if bare_p95 else float("nan")
        line = f"  {system.name:<24}{s['p50']:8.1f}{s['p95']:8.1f}{s['max']:8.1f}{s['n']:6d}{system.timeouts:6d}   {ratio:8.2f}"
        if system.name.startswith("Alongside"):
            abs_ok = s["p95"] <= BUDGET_P95_MS and system.timeouts == 0
            rel_ok = ratio <= BUDGET_RATIO
            verdicts[system.name] = {"p95_le_25ms": abs_ok, "within_2x_bare": rel_ok}
            line += f"   {'PASS' if abs_ok else 'MISS'} 25 ms, {'PASS' if rel_ok else 'MISS'} 2x"
        report.say(line)
        report.figures[system.name] = s | {"lost": system.timeouts, "ratio_to_bare_p95": ratio}
    report.figures["verdicts"] = verdicts


def versions(redis_url: str) -> dict[str, str]:
    import platform

    import redis
    from django import get_version
    from django.db import connection

    found = {"python": platform.python_version(), "cores": str(os.cpu_count()), "django": get_version()}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        found["postgresql"] = cursor.fetchone()[0]
    client = redis.Redis.from_url(redis_url)
    found["redis"] = client.info("server")["redis_version"]
    client.close()
    return found


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    stop_at = started + args.max_seconds
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    workdir = Path(tempfile.mkdtemp(prefix="alongside-bench-rt-"))
    configure_environment(args.pg, args.redis, DB_NAME, "rt")
    bare_prefix = f"bench-bare-{os.getpid()}"
    raw_channel = f"bench-raw-{os.getpid()}"
    raise_fd_limit()
    report = Report()
    try:
        recreate_database(args.pg, DB_NAME)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        cast = build_cast(args.sockets)
        found = versions(args.redis)
        close_django_connections()

        report.say(
            "Alongside realtime fan-out benchmark: 2 processes per system, PostgreSQL + Redis; writes to process 1"
        )
        report.say("  " + ", ".join(f"{k} {v}" for k, v in found.items()))
        report.figures["versions"] = found
        report.figures["settings"] = {k: v for k, v in vars(args).items() if k != "json"}
        load_before = os.getloadavg()
        report.say(f"  before: {uptime_line()}")
        alongside_env: dict[str, str | None] = {}
        if args.alongside_layer == "pubsub":
            alongside_env = {
                "DJANGO_SETTINGS_MODULE": "pubsub_settings",
                "PYTHONPATH": f"{REPO}{os.pathsep}{BENCH / 'baselines'}",
            }
            report.say(
                "  Alongside servers on channels-redis's pub/sub layer (bench/baselines/pubsub_settings.py)"
            )
        specs = [
            ("alongside-1", daphne("alongside.asgi:application"), alongside_env),
            ("alongside-2", daphne("alongside.asgi:application"), alongside_env),
            ("bare-1", daphne("bare_channels:application"), bare_env(args.redis, bare_prefix)),
            ("bare-2", daphne("bare_channels:application"), bare_env(args.redis, bare_prefix)),
        ] + [
            (
                f"raw-{k}",
                [
                    sys.executable,
                    str(BENCH / "baselines" / "raw_redis_ws.py"),
                    "--port",
                    "{port}",
                    "--redis",
                    args.redis,
                    "--channel",
                    raw_channel,
                ],
                {},
            )
            for k in (1, 2)
        ]
        with servers(specs, workdir) as started_servers:
            by_name: dict[str, Any] = {
                "alongside": started_servers[0:2],
                "bare": started_servers[2:4],
                "raw": started_servers[4:6],
                "raw_channel": raw_channel,
            }
            systems = asyncio.run(run_bench(args, cast, by_name, report, stop_at))
        load_after = os.getloadavg()
        print_table(report, systems, args.sockets)
        report.say("  " + report.figures.pop("_cpu_line"))
        report.say(
            "  bare Channels = HTTP POST to bare process 1 -> group_send on channels-redis -> sockets on both processes;"
        )
        report.say(
            "  raw Redis = PUBLISH from the benchmark -> redis.asyncio pub/sub in each process -> websockets."
        )
        report.say(
            f"\nwhole run {time.monotonic() - started:.0f} s; load average (1 min) "
            f"{load_before[0]:.2f} before, {load_after[0]:.2f} after"
        )
        report.figures["load_average_1min"] = {"before": load_before[0], "after": load_after[0]}
        if args.json:
            args.json.write_text(json.dumps(report.figures, indent=2, default=str) + "\n")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        with contextlib.suppress(Exception):
            close_django_connections()
        with contextlib.suppress(Exception):
            drop_database(args.pg, DB_NAME)
        with contextlib.suppress(Exception):
            clear_redis(args.redis, [os.environ["REDIS_PREFIX"], bare_prefix, raw_channel])
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
