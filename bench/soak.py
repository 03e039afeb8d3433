#!/usr/bin/env python
"""Soak: many open pages over two daphne processes while Redis and PostgreSQL are restarted under them.

Not a test (pytest never collects bench/), and not run by CI: run it by hand, from the repository root.

    .venv/bin/python bench/soak.py                          # 1,000 sockets, 10 minutes (about 13 in all)
    .venv/bin/python bench/soak.py --sockets 50 --minutes 1 # a smoke run

It starts its OWN redis-server and PostgreSQL (tests/private_services.py: temporary directories, free
loopback ports; never the machine's shared ones), migrates an empty database, makes --clients clients each
with a circle of members (one member and one signed-in session per socket), and starts two daphne processes
(`--websocket_connect_timeout`, as README.md starts them). Half the sockets open on each process, all at
once (as after a deploy), each on one client's page as rendered after the set-up (`?after=<its seq>`, the
page's data-seq), and behave like static/js/live-socket.js in a browser: wait for the server's answer to a
handshake, retry a refused one with the same back-off, send no websocket pings of their own, a ping message
every --ping seconds, reconnect with `?after=<last seq seen>` when closed, start afresh on "reload". Writing
starts once every page is open (the report says how long that took and how many handshakes failed first).

A writer posts a note every --write-every seconds to a random client, through the API, alternating between
the processes. Redis is restarted twice (at 25% and 60% of the run, down for --redis-down seconds) and
PostgreSQL once (at 45%, down for --postgres-down seconds). Writes that fail while PostgreSQL is down are
counted, not retried: the outbox (what was committed) is the truth.

When the writing stops the sockets get up to two ping intervals to catch up, then the report says, per
socket, events written for its client vs delivered, and in total: missing, duplicates, out of order,
reloads and reconnects; each daphne process's memory (RSS) at start and end; how long each note's POST
took; the machine's load average during the run; server errors logged. It exits 0 only when every socket
has every event once, in order.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.private_services import PrivatePostgres, PrivateRedis, free_port  # noqa: E402

DB_NAME = "soak"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=10, help="client pages the sockets are spread over")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--write-every", type=float, default=0.5, help="seconds between notes")
    parser.add_argument("--ping", type=float, default=25, help="seconds between a socket's pings")
    parser.add_argument("--redis-down", type=float, default=5, help="seconds Redis is down each time")
    parser.add_argument("--postgres-down", type=float, default=8, help="seconds PostgreSQL is down")
    parser.add_argument(
        "--connect-timeout",
        type=int,
        default=30,
        help="daphne's --websocket_connect_timeout: how long a handshake may wait for the server (its default: 5)",
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args()
    if args.sockets < args.clients or args.clients < 1:
        parser.error("need at least one socket per client")
    return args


def raise_fd_limit(wanted: int = 20000) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- set-up


@dataclass
class Cast:
    writer_token: str
    public_ids: list[str]
    sockets: list[tuple[str, str]]  # (public id, session key) per socket
    rendered: dict[str, int]  # per client, the seq its page is rendered at (its events so far)


def build_cast(clients: int, sockets: int) -> Cast:
    """Clients and their circles, made through the services: one member (and session) per socket."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from circles import services as circles
    from circles.models import CircleMember, Client, Consent
    from network.models import Organisation, User
    from network.services import api_token_create

    organisation = Organisation.objects.create(name="Soak Early Help", kind=Organisation.Kind.EARLY_HELP)

    def person(name: str) -> User:
        email = f"{name.lower().replace(' ', '.')}@soak.example"
        return User.objects.create_user(email, None, full_name=name, organisation=organisation)

    def session_for(user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        return session.session_key

    lead = person("Lead Worker")
    made = []
    for n in range(clients):
        client = circles.client_create(actor=lead, given_name=f"Client{n}", family_name="Soak")
        circles.consent_record(
            actor=lead,
            client=client,
            scope=Consent.Scope.CIRCLE,
            method=Consent.Method.WRITTEN,
            given_by="Them",
        )
        made.append(client)
    pages = []
    for n in range(sockets):
        client = made[n % clients]
        user = person(f"Member {n}")
        circles.circle_member_add(
            actor=lead,
            client=client,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=CircleMember.Role.KEY_WORKER,
            user=user,
        )
        pages.append((client.public_id, session_for(user)))
    ids = [client.pk for client in made]
    return Cast(
        writer_token=api_token_create(actor=lead, name="soak")[1],
        public_ids=[client.public_id for client in made],
        sockets=pages,
        rendered={client.public_id: client.last_event_seq for client in Client.objects.filter(pk__in=ids)},
    )


def outbox_latest() -> dict[str, int]:
    """Per client, the newest event seq that was committed (what every page should have seen).

    Read on a connection of its own: PostgreSQL was restarted under this process's pooled ones."""
    import psycopg

    from circles.models import Client

    table = Client._meta.db_table
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        rows = connection.execute(f'SELECT public_id, last_event_seq FROM "{table}"').fetchall()
    return dict(rows)


# ---------------------------------------------------------------- the servers


@dataclass
class Daphne:
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_daphne(env: dict[str, str], workdir: Path, number: int, connect_timeout: int) -> Daphne:
    port = free_port()
    log_path = workdir / f"daphne-{number}.log"
    command = ["-b", "127.0.0.1", "-p", str(port), "--websocket_connect_timeout", str(connect_timeout)]
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "daphne", *command, "alongside.asgi:application"],
        cwd=REPO,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        preexec_fn=raise_fd_limit,  # noqa: PLW1509 (sets a limit only)
    )
    server = Daphne(port, process, log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne {number} stopped at start:\n{log_path.read_text()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=3) as response:  # noqa: S310
                if response.status == 200:
                    return server
        time.sleep(0.3)
    raise RuntimeError(f"daphne {number} did not become healthy:\n{log_path.read_text()}")


# ---------------------------------------------------------------- the pages


@dataclass
class Page:
    """One open client page, as live-socket.js keeps it."""

    index: int
    public_id: str
    session: str
    base: str
    rendered: int  # the seq the page was rendered at: it asks for what came after (data-seq on a real page)
    seq: int = 0
    received: list[int] = field(default_factory=list)
    reloads: int = 0
    reconnects: int = 0
    failed_handshakes: int = 0  # attempts to open that were refused or timed out (the page retries)
    opened_at: float | None = None  # when it first opened (monotonic)
    skipped: set[int] = field(default_factory=set)  # seqs a reload jumped over (the fresh page has them)

    def __post_init__(self) -> None:
        self.seq = self.rendered

    async def run(self, ping: float, stop: asyncio.Event) -> None:
        import websockets

        url = self.base.replace("http", "ws") + f"/ws/clients/{self.public_id}/"
        headers = {"Cookie": f"sessionid={self.session}"}
        retry = 0
        first = True
        while not stop.is_set():
            try:
                async with websockets.connect(
                    f"{url}?after={self.seq}&page=record",
                    origin=self.base,
                    additional_headers=headers,
                    # A browser waits for the server's answer however long it takes (the server's
                    # --websocket_connect_timeout decides) and sends no pings of its own.
                    open_timeout=120,
                    ping_interval=None,
                    max_queue=None,
                ) as socket:
                    if first:
                        self.opened_at = time.monotonic()
                    else:
                        self.reconnects += 1
                    first, retry = False, 0
                    pinger = asyncio.create_task(self.pinger(socket, ping))
                    try:
                        async for raw in socket:
                            self.handle(json.loads(raw))
                    finally:
                        pinger.cancel()
            except (OSError, websockets.WebSocketException, TimeoutError):
                if first:
                    self.failed_handshakes += 1
            if stop.is_set():
                return
            retry = min(retry + 1, 6)
            await asyncio.sleep(0.5 * 2 ** (retry - 1) + random.random() * 0.3)

    def handle(self, message: dict[str, Any]) -> None:
        if message["type"] == "event":
            self.received.append(message["seq"])
            self.seq = max(self.seq, message["seq"])
        elif message["type"] == "hello":
            self.seq = max(self.seq, message["seq"])
        elif message["type"] == "reload":
            # The page would reload and render the record as of `seq`.
            self.reloads += 1
            self.skipped.update(range(self.seq + 1, message["seq"] + 1))
            self.seq = max(self.seq, message["seq"])

    @staticmethod
    async def pinger(socket: Any, every: float) -> None:
        await asyncio.sleep(random.uniform(0, every))
        with contextlib.suppress(Exception):
            while True:
                await socket.send('{"type": "ping"}')
                await asyncio.sleep(every)


async def sample_load(loads: list[float]) -> None:
    """The machine's 1-minute load average every 10 s (the soak shares the machine with whatever else runs)."""
    while True:
        loads.append(round(os.getloadavg()[0], 2))
        await asyncio.sleep(10)


async def writer(cast: Cast, servers: list[Daphne], every: float, stop: asyncio.Event, counts: dict) -> None:
    def post(base: str, public_id: str, number: int) -> bool:
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{base}/api/v1/clients/{public_id}/notes/",
            data=json.dumps({"text": f"Soak note {number}"}).encode(),
            headers={"Authorization": f"Token {cast.writer_token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return response.status == 201
        except (urllib.error.URLError, OSError):
            return False

    number = 0
    while not stop.is_set():
        number += 1
        began = time.monotonic()
        ok = await asyncio.to_thread(
            post, servers[number % len(servers)].base, random.choice(cast.public_ids), number
        )
        counts["written" if ok else "refused"] += 1
        counts.setdefault("post_seconds", []).append(time.monotonic() - began)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


async def faults(
    redis: PrivateRedis, postgres: PrivatePostgres, started: float, seconds: float, args, log
) -> None:
    schedule = [
        (0.25, "redis", args.redis_down),
        (0.45, "postgres", args.postgres_down),
        (0.60, "redis", args.redis_down),
    ]
    for at, what, down in schedule:
        await asyncio.sleep(max(0.0, started + at * seconds - time.monotonic()))
        server = redis if what == "redis" else postgres
        log.append(f"{time.monotonic() - started:6.1f} s  {what} stopped")
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(down)
        await asyncio.to_thread(server.start)
        log.append(f"{time.monotonic() - started:6.1f} s  {what} started again")


async def soak(
    args: argparse.Namespace, cast: Cast, servers: list[Daphne], redis, postgres
) -> dict[str, Any]:
    pages = [
        Page(
            index=n,
            public_id=public_id,
            session=session,
            base=servers[n % len(servers)].base,
            rendered=cast.rendered[public_id],
        )
        for n, (public_id, session) in enumerate(cast.sockets)
    ]
    stop_pages, stop_writing = asyncio.Event(), asyncio.Event()
    opening = time.monotonic()
    page_tasks = [asyncio.create_task(page.run(args.ping, stop_pages)) for page in pages]
    # Every page opens at once (as after a deploy); let them all open before memory is measured and
    # writing starts (give up waiting after 3 minutes: the report then shows who never got in).
    while any(page.opened_at is None for page in pages) and time.monotonic() - opening < 180:
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)  # presence settles
    opened = [page.opened_at - opening for page in pages if page.opened_at is not None]
    opening_report = {
        "opened": len(opened),
        "all_open_after_seconds": round(max(opened), 1) if len(opened) == len(pages) else None,
        "median_open_seconds": round(sorted(opened)[len(opened) // 2], 1) if opened else None,
        "failed_handshakes": sum(page.failed_handshakes for page in pages),
    }
    memory_start = [rss_mb(server.process.pid) for server in servers]
    loads: list[float] = []
    sampling = asyncio.create_task(sample_load(loads))

    counts = {"written": 0, "refused": 0}
    fault_log: list[str] = []
    seconds = args.minutes * 60
    started = time.monotonic()
    writing = asyncio.create_task(writer(cast, servers, args.write_every, stop_writing, counts))
    await faults(redis, postgres, started, seconds, args, fault_log)
    await asyncio.sleep(max(0.0, started + seconds - time.monotonic()))
    stop_writing.set()
    await writing

    # Catching up: lost last doorbells arrive with the next ping, so allow two ping intervals.
    latest = await asyncio.to_thread(outbox_latest)
    deadline = time.monotonic() + 2 * args.ping + 10
    while time.monotonic() < deadline and any(page.seq < latest[page.public_id] for page in pages):
        await asyncio.sleep(0.5)
    caught_up_after = time.monotonic() - started - seconds
    memory_end = [rss_mb(server.process.pid) for server in servers]
    sampling.cancel()
    stop_pages.set()
    for task in page_tasks:
        task.cancel()
    await asyncio.gather(*page_tasks, return_exceptions=True)
    result = report(
        args, pages, latest, counts, fault_log, memory_start, memory_end, caught_up_after, servers
    )
    result["opening"] = opening_report
    result["machine"] = {
        "cores": os.cpu_count(),
        "load_average_1min": {
            "min": min(loads),
            "mean": round(sum(loads) / len(loads), 1),
            "max": max(loads),
            "samples": len(loads),
        },
    }
    return result


def report(
    args, pages, latest, counts, fault_log, memory_start, memory_end, caught_up_after, servers
) -> dict:
    per_socket = []
    rendered_at = {page.public_id: page.rendered for page in pages}
    for page in pages:
        written = latest[page.public_id] - page.rendered
        unique = set(page.received)
        expected = set(range(page.rendered + 1, latest[page.public_id] + 1)) - page.skipped
        per_socket.append(
            {
                "socket": page.index,
                "written": written,
                "delivered": len(unique & expected),
                "missing": len(expected - unique),
                "duplicates": len(page.received) - len(unique),
                "out_of_order": sum(
                    1 for a, b in zip(page.received, page.received[1:], strict=False) if b <= a
                ),
                "reloads": page.reloads,
                "reconnects": page.reconnects,
            }
        )
    errors = [server.log_path.read_text(errors="replace").count("Traceback") for server in servers]
    total = {
        key: sum(s[key] for s in per_socket)
        for key in ("missing", "duplicates", "out_of_order", "reloads", "reconnects")
    }
    return {
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "notes_written": counts["written"],
        "notes_refused_while_postgres_was_down": counts["refused"],
        "note_post_seconds": post_seconds(counts.get("post_seconds", [])),
        "events_in_outbox": sum(latest[public_id] - rendered for public_id, rendered in rendered_at.items()),
        "faults": fault_log,
        "sockets": len(pages),
        "sockets_complete": sum(
            1 for s in per_socket if s["missing"] == 0 and s["duplicates"] == 0 and s["out_of_order"] == 0
        ),
        "totals": total,
        "caught_up_seconds_after_writing_stopped": round(caught_up_after, 1),
        "memory_mb": [
            {"process": n, "start": round(a, 1), "end": round(b, 1)}
            for n, (a, b) in enumerate(zip(memory_start, memory_end, strict=True), 1)
        ],
        "server_tracebacks_logged": errors,
        "per_socket": per_socket,
    }


def post_seconds(times: list[float]) -> dict[str, float]:
    if not times:
        return {}
    ordered = sorted(times)
    return {
        "p50": round(ordered[len(ordered) // 2], 2),
        "p95": round(ordered[int(len(ordered) * 0.95)], 2),
        "max": round(ordered[-1], 2),
    }


def print_report(result: dict) -> None:
    opening = result["opening"]
    print(
        f"sockets: {result['sockets']} opened at once; open: {opening['opened']}, all open after "
        f"{opening['all_open_after_seconds']} s (median {opening['median_open_seconds']} s), "
        f"handshakes refused or timed out on the way: {opening['failed_handshakes']}"
    )
    print(f"sockets complete (every event once, in order): {result['sockets_complete']}")
    machine = result["machine"]
    print(
        f"machine: {machine['cores']} cores, 1-minute load average during the run: {machine['load_average_1min']}"
    )
    print(
        f"notes written: {result['notes_written']}, refused while PostgreSQL was down: "
        f"{result['notes_refused_while_postgres_was_down']}, events in the outbox since the pages opened: {result['events_in_outbox']}"
    )
    print(f"seconds per note POST (the writer waits for each): {result['note_post_seconds']}")
    print("faults:")
    for line in result["faults"]:
        print(f"  {line}")
    totals = result["totals"]
    print(
        f"missing: {totals['missing']}, duplicates: {totals['duplicates']}, out of order: {totals['out_of_order']}, "
        f"reloads: {totals['reloads']}, reconnects: {totals['reconnects']}"
    )
    print(f"every page caught up {result['caught_up_seconds_after_writing_stopped']} s after writing stopped")
    for memory in result["memory_mb"]:
        print(f"daphne {memory['process']}: RSS {memory['start']} MB at start, {memory['end']} MB at end")
    print(f"tracebacks in the server logs: {result['server_tracebacks_logged']}")
    worst = sorted(result["per_socket"], key=lambda s: (-s["missing"], -s["duplicates"]))[:5]
    print("per socket (worst five): socket written delivered missing duplicates reloads reconnects")
    for s in worst:
        print(
            f"  {s['socket']:6d} {s['written']:7d} {s['delivered']:9d} {s['missing']:7d} {s['duplicates']:10d} "
            f"{s['reloads']:7d} {s['reconnects']:10d}"
        )


def main() -> int:
    args = parse_args()
    raise_fd_limit()
    workdir = Path(tempfile.mkdtemp(prefix="alongside-soak-"))
    redis, postgres = PrivateRedis(), PrivatePostgres()
    servers: list[Daphne] = []
    try:
        redis.start()
        postgres.start()
        env = {k: v for k, v in os.environ.items() if k not in ("SQLITE_PATH", "REDIS_PREFIX")}
        env.update(
            DATABASE_URL=postgres.url(DB_NAME),
            REDIS_URL=redis.url,
            DJANGO_SETTINGS_MODULE="alongside.settings",
            LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"),
            ALONGSIDE_IDLE_SECONDS=str(int(args.minutes * 60 + 3600)),
        )
        os.environ.update(env)
        import psycopg

        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{DB_NAME}"')
        print(
            f"soak: migrating a fresh database on the private PostgreSQL (port {postgres.port})", flush=True
        )
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, env=env, check=True
        )
        import django

        django.setup()
        print(f"soak: {args.clients} clients, {args.sockets} members with a session each", flush=True)
        cast = build_cast(args.clients, args.sockets)
        servers = [start_daphne(env, workdir, n, args.connect_timeout) for n in range(1, args.processes + 1)]
        print(
            f"soak: {args.processes} daphne processes; {args.sockets} sockets for {args.minutes} min; "
            f"Redis restarted twice, PostgreSQL once",
            flush=True,
        )
        result = asyncio.run(soak(args, cast, servers, redis, postgres))
    finally:
        for server in servers:
            server.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=10)
            if server.process.poll() is None:
                server.process.kill()
        redis.cleanup()
        postgres.cleanup()
    print_report(result)
    print(f"server logs: {workdir}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["sockets_complete"] == result["sockets"] else 1


if __name__ == "__main__":
    sys.exit(main())
