#!/usr/bin/env python
"""Idle live sockets: how many ONE Alongside daphne process holds, memory per socket, and idle CPU.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    scripts/ensure-services                    # PostgreSQL and Redis on 127.0.0.1
    .venv/bin/python bench/sockets.py          # about 3-4 minutes for 5,000 sockets

It makes its own PostgreSQL database `bench_sockets` (dropped and re-created) and builds CLIENTS clients through
the services, with USERS professionals in every circle (the memberships are bulk-inserted: the same rows
circle_member_add writes, without its audit and events, which would take minutes) and one signed-in database
session per user. Then, for each system in turn, on PostgreSQL + Redis (this run's own key prefixes):

- Alongside: one daphne process (alongside.asgi). SOCKETS authenticated sockets on /ws/clients/<public_id>/
  ?page=record, socket i on client i % CLIENTS as user (i // CLIENTS) % USERS, so each client page is open
  SOCKETS/CLIENTS times, by different people (their presence is exchanged as on a real page);
- bare Channels (bench/baselines/bare_channels.py): one daphne process, the same number of sockets, every consumer
  in one group.

The sockets are opened by WORKERS client processes (this file with --worker), a bounded number at a time, each
waiting for the server's first message ("hello" for Alongside). The figures:

- count reached (and failures), and how long opening them took;
- memory: VmRSS of the server process (/proc/<pid>/status) after one socket was opened and closed (warm), and
  after all are open and the presence chatter has settled; (after - before) / count = KB per socket;
- idle CPU % of the server process over --idle-seconds with every socket open and silent; and, for Alongside,
  over --ping-seconds with every socket sending the page's {"type": "ping"} every 25 s (staggered), which is what
  an open page does (heartbeat and presence).

Target: 5,000 sockets at <= 40 KB each. Everything is on 127.0.0.1; every wait is bounded, the whole run by
--max-seconds; servers, workers, database and Redis keys are removed at the end, also after an error or Ctrl-C.
"""

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(REPO))


def _common() -> Any:
    """bench/realtime.py's helpers (loaded by path: its module name would clash with the realtime app)."""
    spec = importlib.util.spec_from_file_location("bench_realtime", BENCH / "realtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DB_NAME = "bench_sockets"
TARGET_SOCKETS = 5000
TARGET_KB = 40.0


# ---------------------------------------------------------------- the client worker (a separate process)


async def worker_main() -> None:
    """Reads a JSON spec on stdin, opens the sockets, reports, then obeys 'ping N' / 'quiet' / 'close' lines."""
    import websockets

    common = _common()
    common.raise_fd_limit()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**26)  # the spec is one long line
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    spec = json.loads(await reader.readline())
    limit = asyncio.Semaphore(spec["concurrency"])
    sockets: list[Any] = []
    tasks: list[asyncio.Task] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + spec["connect_seconds"]

    async def drain(socket: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for _message in socket:
                pass

    async def open_one(url: str, headers: dict) -> None:
        async with limit:
            if time.monotonic() > deadline:
                errors["time limit"] = errors.get("time limit", 0) + 1
                return
            try:
                socket = await websockets.connect(
                    url,
                    origin=spec["origin"],
                    additional_headers=headers,
                    open_timeout=30,
                    ping_interval=None,  # the server pings (daphne, 20 s); a page does not add its own
                    max_queue=None,
                    compression=None,
                )
                if spec["hello"]:
                    first = json.loads(await asyncio.wait_for(socket.recv(), 30))
                    if first.get("type") != "hello":
                        raise RuntimeError(f"first message {first.get('type')}")
            except Exception as exc:  # noqa: BLE001 (counted and reported)
                name = type(exc).__name__ + (f" {exc}"[:60] if "Status" in type(exc).__name__ else "")
                errors[name] = errors.get(name, 0) + 1
                return
            sockets.append(socket)
            tasks.append(asyncio.create_task(drain(socket)))

    started = time.monotonic()
    await asyncio.gather(*(open_one(url, headers) for url, headers in spec["sockets"]))
    print(json.dumps({"connected": len(sockets), "errors": errors, "seconds": time.monotonic() - started}))
    sys.stdout.flush()

    pingers: list[asyncio.Task] = []

    async def ping(socket: Any, every: float) -> None:
        await asyncio.sleep(random.uniform(0, every))  # noqa: S311 (pages open at different times)
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await socket.send('{"type": "ping"}')
                await asyncio.sleep(every)

    while line := (await reader.readline()).decode().strip():
        if line.startswith("ping"):
            every = float(line.split()[1])
            pingers = [asyncio.create_task(ping(s, every)) for s in sockets]
        elif line == "quiet":
            for task in pingers:
                task.cancel()
            pingers = []
        elif line == "count":
            open_now = sum(1 for s in sockets if s.state.name == "OPEN")
            print(json.dumps({"open": open_now}))
            sys.stdout.flush()
        elif line == "close":
            break
    for task in pingers + tasks:
        task.cancel()
    await asyncio.gather(*(asyncio.wait_for(s.close(), 5) for s in sockets), return_exceptions=True)
    print(json.dumps({"closed": len(sockets)}))
    sys.stdout.flush()


class Workers:
    """The client processes holding the sockets; stopped (closing stdin, then SIGTERM) on exit."""

    def __init__(self, count: int, workdir: Path) -> None:
        self.processes: list[subprocess.Popen] = []
        for n in range(count):
            log = open(workdir / f"worker-{n}.log", "w")  # noqa: SIM115 (the process keeps it)
            self.processes.append(
                subprocess.Popen(  # noqa: S603
                    [sys.executable, str(Path(__file__).resolve()), "--worker"],
                    cwd=REPO,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                    start_new_session=True,
                )
            )

    def send(self, line: str) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.stdin.write(line + "\n")
                process.stdin.flush()

    def read_all(self, timeout: float) -> list[dict]:
        """One JSON line from each worker, each within `timeout` (else an error entry)."""
        import selectors

        out = []
        for process in self.processes:
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                if selector.select(timeout) and (line := process.stdout.readline()):
                    out.append(json.loads(line))
                else:
                    out.append({"error": "no answer", "returncode": process.poll()})
        return out

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(Exception):
                if process.poll() is None:
                    process.stdin.write("close\n")
                    process.stdin.close()
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


# ---------------------------------------------------------------- the benchmark


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=TARGET_SOCKETS, help="sockets per system")
    parser.add_argument(
        "--clients", type=int, default=500, help="Alongside clients the sockets are spread over"
    )
    parser.add_argument(
        "--users", type=int, default=10, help="professionals (one session each), in every circle"
    )
    parser.add_argument("--workers", type=int, default=2, help="client processes opening the sockets")
    parser.add_argument("--concurrency", type=int, default=20, help="handshakes in flight per worker")
    parser.add_argument("--connect-seconds", type=float, default=240.0, help="time limit for opening them")
    parser.add_argument(
        "--settle", type=float, default=10.0, help="pause after opening, before measuring (s)"
    )
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="idle CPU window (s)")
    parser.add_argument(
        "--ping-seconds", type=float, default=30.0, help="CPU window with page pings (s; 0: skip)"
    )
    parser.add_argument("--skip-bare", action="store_true", help="Alongside only")
    parser.add_argument(
        "--redis-max-connections",
        type=int,
        default=0,
        help="pass max_connections=N in the servers' Redis URL (0: as configured; redis-py 8 allows 100)",
    )
    parser.add_argument("--max-seconds", type=float, default=900.0, help="the whole run stops after this")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return args
    _common().loopback_only(parser, args.pg, args.redis)
    if not (1 <= args.sockets <= 15000 and 1 <= args.clients <= 5000 and 1 <= args.users <= 200):
        parser.error("sockets 1-15000, clients 1-5000, users 1-200")
    if not 1 <= args.workers <= 8 or not 1 <= args.concurrency <= 200:
        parser.error("workers 1-8, concurrency 1-200")
    return args


def build_cast(clients: int, users: int) -> tuple[list[str], list[str], str]:
    """(client public ids, session keys, session cookie name)."""
    from django.conf import settings

    from circles import services as circles
    from circles.models import CircleMember
    from network.models import Organisation, User

    common = _common()
    organisation = Organisation.objects.create(name="Bench Early Help", kind=Organisation.Kind.EARLY_HELP)

    def person(name: str) -> User:
        email = f"{name.lower().replace(' ', '.')}@bench.example"
        return User.objects.create_user(email, None, full_name=name, organisation=organisation)

    lead = person("Lead Worker")
    people = [person(f"Worker {n}") for n in range(users)]
    made = [
        circles.client_create(actor=lead, given_name=f"Client{n}", family_name="Bench")
        for n in range(clients)
    ]
    CircleMember.objects.bulk_create(
        [
            CircleMember(
                client=client,
                kind=CircleMember.Kind.PROFESSIONAL,
                role=CircleMember.Role.KEY_WORKER,
                user=user,
                organisation=organisation,
                added_by=lead,
            )
            for client in made
            for user in people
        ],
        batch_size=2000,
    )
    return [c.public_id for c in made], [common.make_session(u) for u in people], settings.SESSION_COOKIE_NAME


def socket_specs(args: argparse.Namespace, port: int, alongside: bool, cast: tuple) -> list[list]:
    public_ids, sessions, cookie = cast
    specs = []
    for i in range(args.sockets):
        if alongside:
            client = public_ids[i % len(public_ids)]
            session = sessions[(i // len(public_ids)) % len(sessions)]
            specs.append(
                [f"ws://127.0.0.1:{port}/ws/clients/{client}/?page=record", {"Cookie": f"{cookie}={session}"}]
            )
        else:
            specs.append([f"ws://127.0.0.1:{port}/ws/", {}])
    return specs


def cpu_percent(pid: int, seconds: float, common: Any) -> float:
    before, t0 = common.cpu_seconds([pid])[0], time.monotonic()
    time.sleep(seconds)
    return (common.cpu_seconds([pid])[0] - before) / (time.monotonic() - t0) * 100


def warm_up(port: int, alongside: bool, cast: tuple, count: int = 40) -> None:
    """Open `count` sockets at once and close them, so the code paths are loaded and the thread and database
    pools have grown before the 'before' memory reading (otherwise that growth is counted per socket)."""
    import websockets

    public_ids, sessions, cookie = cast

    async def one(i: int) -> None:
        url = f"ws://127.0.0.1:{port}" + (
            f"/ws/clients/{public_ids[i % len(public_ids)]}/?page=warm" if alongside else "/ws/"
        )
        headers = {"Cookie": f"{cookie}={sessions[i % len(sessions)]}"} if alongside else {}
        async with websockets.connect(
            url, origin=f"http://127.0.0.1:{port}", additional_headers=headers, open_timeout=30
        ) as socket:
            if alongside:
                await asyncio.wait_for(socket.recv(), 30)
            await asyncio.sleep(1.0)

    async def all_of_them() -> None:
        await asyncio.gather(*(one(i) for i in range(count)))

    asyncio.run(all_of_them())
    time.sleep(2.0)


def measure(
    name: str, args: argparse.Namespace, server: Any, alongside: bool, cast: tuple, workdir: Path, report: Any
) -> dict:
    common = _common()
    pid = server.process.pid
    warm_up(server.port, alongside, cast)
    rss_before = common.proc_status_kb(pid)
    figures: dict[str, Any] = {"rss_before_kb": rss_before}
    specs = socket_specs(args, server.port, alongside, cast)
    workers = Workers(args.workers, workdir)
    try:
        for n, _process in enumerate(workers.processes):
            chunk = specs[n :: args.workers]
            spec = {
                "sockets": chunk,
                "origin": f"http://127.0.0.1:{server.port}",
                "hello": alongside,
                "concurrency": args.concurrency,
                "connect_seconds": args.connect_seconds,
            }
            workers.processes[n].stdin.write(json.dumps(spec) + "\n")
            workers.processes[n].stdin.flush()
        answers = workers.read_all(args.connect_seconds + 90)
        connected = sum(a.get("connected", 0) for a in answers)
        errors: dict[str, int] = {}
        for answer in answers:
            for kind, count in answer.get("errors", {}).items():
                errors[kind] = errors.get(kind, 0) + count
            if "error" in answer:
                errors[answer["error"]] = errors.get(answer["error"], 0) + 1
        opening = max((a.get("seconds", 0.0) for a in answers), default=0.0)
        report.say(
            f"  {name}: {connected}/{args.sockets} sockets open in {opening:.0f} s"
            + (f"; failed: {errors}" if errors else "")
        )
        time.sleep(args.settle)
        workers.send("count")
        still_open = sum(a.get("open", 0) for a in workers.read_all(30))
        rss_after = common.proc_status_kb(pid)
        per_socket = (rss_after - rss_before) / still_open if still_open else float("nan")
        report.say(
            f"    still open after {args.settle:.0f} s: {still_open}; server RSS {rss_before / 1024:.0f} MB -> "
            f"{rss_after / 1024:.0f} MB = {per_socket:.1f} KB per socket   ({common.uptime_line()})"
        )
        idle = cpu_percent(pid, args.idle_seconds, common)
        report.say(f"    idle CPU of the server, {args.idle_seconds:.0f} s, sockets silent: {idle:.1f} %")
        figures |= {
            "connected": connected,
            "still_open": still_open,
            "failed": errors,
            "opening_seconds": opening,
            "rss_after_kb": rss_after,
            "kb_per_socket": per_socket,
            "idle_cpu_percent": idle,
        }
        if alongside and args.ping_seconds > 0:
            workers.send("ping 25")
            time.sleep(2)
            pinging = cpu_percent(pid, args.ping_seconds, common)
            workers.send("quiet")
            rss_pinging = common.proc_status_kb(pid)
            report.say(
                f"    CPU with every page pinging every 25 s (heartbeat + presence), {args.ping_seconds:.0f} s: "
                f"{pinging:.1f} %; RSS then {rss_pinging / 1024:.0f} MB   ({common.uptime_line()})"
            )
            figures |= {"ping_cpu_percent": pinging, "rss_pinging_kb": rss_pinging}
    finally:
        workers.stop()
    return figures


def main() -> int:
    args = parse_args()
    if args.worker:
        asyncio.run(worker_main())
        return 0
    common = _common()
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    workdir = Path(tempfile.mkdtemp(prefix="alongside-bench-sockets-"))
    common.configure_environment(args.pg, args.redis, DB_NAME, "sockets")
    server_redis = os.environ["REDIS_URL"]
    if args.redis_max_connections:
        server_redis += f"&max_connections={args.redis_max_connections}"
        os.environ["REDIS_URL"] = server_redis
    bare_prefix = f"bench-bare-sockets-{os.getpid()}"
    common.raise_fd_limit()
    report = common.Report()
    try:
        common.recreate_database(args.pg, DB_NAME)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        cast = build_cast(args.clients, args.users)
        found = common.versions(args.redis)
        common.close_django_connections()
        report.say(
            f"Idle sockets on ONE server process: {args.sockets} sockets, PostgreSQL + Redis; Alongside sockets over "
            f"{args.clients} clients x {args.users} users ({args.sockets / args.clients:.0f} per client page)"
        )
        report.say("  " + ", ".join(f"{k} {v}" for k, v in found.items()))
        report.say(f"  before: {common.uptime_line()}")
        report.figures["versions"] = found
        report.figures["settings"] = {k: v for k, v in vars(args).items() if k not in ("json", "worker")}
        report.say(f"  servers' Redis URL: {server_redis}")
        systems = [("Alongside", "alongside.asgi:application", {}, True)]
        if not args.skip_bare:
            systems.append(
                (
                    "bare Channels",
                    "bare_channels:application",
                    common.bare_env(server_redis, bare_prefix),
                    False,
                )
            )
        for name, app, env, alongside in systems:
            if time.monotonic() - started > args.max_seconds:
                report.say(f"  {name}: skipped, --max-seconds")
                continue
            with common.servers([(name.replace(" ", "-"), common.daphne(app), env)], workdir) as (server,):
                report.figures[name] = measure(name, args, server, alongside, cast, workdir, report)
        report.say(
            f"\nOne server process, {args.sockets} sockets (target {TARGET_SOCKETS} at <= {TARGET_KB:.0f} KB each)"
        )
        report.say(f"  {'':<16}{'open':>7}{'KB/socket':>11}{'idle CPU':>10}{'CPU pinging':>13}   verdict")
        for name, *_rest in systems:
            f = report.figures.get(name)
            if not f:
                continue
            ok = f["still_open"] >= TARGET_SOCKETS and f["kb_per_socket"] <= TARGET_KB
            ping = f"{f['ping_cpu_percent']:.1f} %" if "ping_cpu_percent" in f else "-"
            verdict = ("PASS" if ok else "MISS") if name == "Alongside" else ""
            report.say(
                f"  {name:<16}{f['still_open']:>7}{f['kb_per_socket']:>11.1f}{f['idle_cpu_percent']:>9.1f} %{ping:>13}   {verdict}"
            )
            if name == "Alongside":
                report.figures["verdict"] = {"pass": ok}
        report.say(f"\nwhole run {time.monotonic() - started:.0f} s; {common.uptime_line()}")
        if args.json:
            args.json.write_text(json.dumps(report.figures, indent=2, default=str) + "\n")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        with contextlib.suppress(Exception):
            common.close_django_connections()
        with contextlib.suppress(Exception):
            common.drop_database(args.pg, DB_NAME)
        with contextlib.suppress(Exception):
            common.clear_redis(args.redis, [os.environ["REDIS_PREFIX"], bare_prefix])
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
