#!/usr/bin/env python
"""The board: how long until a card edit reaches the LAST of 10 people on a board of 200 cards, beside bare
Channels fan-out measured in the same run.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    .venv/bin/python bench/board.py --embedded --edits 100        # SQLite + in-memory layer, 1 process each
    scripts/ensure-services && .venv/bin/python bench/board.py     # PostgreSQL + Redis, 2 processes each

It builds one client through the services (a lead who writes, --people circle members each with their own
session, --cards cards on the board), then starts two systems:

- Alongside (alongside.asgi under daphne): --people sockets on /ws/clients/<public_id>/?page=board, as the
  board page opens them, sending the page's ping every --ping seconds;
- bare Channels (bench/baselines/bare_channels.py under daphne): the same sockets, one group; a write is an HTTP
  POST that does `group_send` and answers: "HTTP in, fan-out out" without Django views, the database or access;
- a bare Django write (bench/baselines/bare_django_write.py under daphne): the same sockets; a write is an HTTP
  POST to a plain Django view (no middleware, authentication, access check, ORM, history or audit) that updates
  one row and inserts one in a transaction of the same database, and rings `group_send` on commit: the least a
  Django write can do before its fan-out. Not part of the budget: it tells how much of the gap to bare
  Channels is any committed Django write, and how much is Alongside's own work.

Then, in rounds so that machine noise falls on all alike, one write at a time with --gap between: an Alongside
card edit (PATCH /api/v1/clients/<id>/board/cards/<card>/ with If-Match, a random card of the 200, to process
1), then a bare-Channels send, then a bare Django write (to its process 1). For each, the time from just before the request leaves this process to the LAST
socket receiving the matching message (for Alongside: `board.card_update` with that card and version). Prints
p50/p95/max, each p95 over bare Channels' p95, PASS/MISS against the issue's budget (Alongside within 2x bare
Channels), and Alongside's p95 over the bare Django write's.

--embedded uses a SQLite file in a temporary directory and the in-memory channel layer, one process per system
(nothing shared with other users of the machine's PostgreSQL and Redis). Without it: PostgreSQL database
`bench_board` (dropped and re-created) and Redis under this run's own key prefixes, two processes per system,
the sockets split between them, exactly as bench/realtime.py does. Everything is on 127.0.0.1; every wait is
bounded, and the whole run by --max-seconds; servers, database and keys are removed at the end.
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
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
# This file is called board.py, like the app: make sure `import board` finds the app, not this file.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(REPO))
sys.path.append(str(BENCH))

from measure import cpu_seconds, percentile, summary  # noqa: E402

# bench/realtime.py's servers, sockets and HTTP client, loaded by path (its name is the app's too).
_spec = importlib.util.spec_from_file_location("bench_realtime", BENCH / "realtime.py")
assert _spec and _spec.loader
rt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rt)

DB_NAME = "bench_board"
BUDGET_RATIO = 2.0
BARE_WRITE = "bare Django write"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedded", action="store_true", help="SQLite + in-memory layer, 1 process each")
    parser.add_argument("--people", type=int, default=10, help="people on the board (one socket each)")
    parser.add_argument("--cards", type=int, default=200, help="cards on the board")
    parser.add_argument("--edits", type=int, default=200, help="writes per system")
    parser.add_argument(
        "--rounds", type=int, default=5, help="the writes are interleaved in this many rounds"
    )
    parser.add_argument("--gap", type=float, default=0.05, help="pause between writes (s)")
    parser.add_argument(
        "--ping", type=float, default=25.0, help="Alongside socket ping interval (s; 0: none)"
    )
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the whole run stops after this")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    rt.loopback_only(parser, args.pg, args.redis)
    if not (2 <= args.people <= 200 and 1 <= args.cards <= 5000 and 1 <= args.edits <= 5000):
        parser.error("people 2-200, cards 1-5000, edits 1-5000")
    if not 1 <= args.rounds <= min(args.edits, 100):
        parser.error("rounds 1-100 and no more than --edits")
    return args


def configure_embedded(workdir: Path) -> None:
    for name in ("DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "REDIS_PREFIX", "DJANGO_DEBUG"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ["SQLITE_PATH"] = str(workdir / "bench_board.sqlite3")


def build_cast(people: int, cards: int) -> dict[str, Any]:
    """A client with a circle of `people` and a board of `cards`, made through the services."""
    from django.conf import settings

    from board import services as board
    from circles import services as circles
    from circles.models import CircleMember, Consent
    from network.models import Organisation, User
    from network.services import api_token_create

    organisations = [
        Organisation.objects.create(name=f"Bench agency {n}", kind=Organisation.Kind.EARLY_HELP)
        for n in range(3)
    ]

    def person(name: str, n: int) -> User:
        email = f"{name.lower().replace(' ', '.')}@bench.example"
        return User.objects.create_user(email, None, full_name=name, organisation=organisations[n % 3])

    lead = person("Lead Worker", 0)
    client = circles.client_create(actor=lead, given_name="Grace", family_name="Bench")
    circles.consent_record(
        actor=lead, client=client, scope=Consent.Scope.CIRCLE, method=Consent.Method.WRITTEN, given_by="Grace"
    )
    members = [person(f"Member {n}", n) for n in range(people)]
    for user in members:
        circles.circle_member_add(
            actor=lead,
            client=client,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=CircleMember.Role.KEY_WORKER,
            user=user,
        )
    columns = ["worry", "working_well", "next_step"]
    made = [
        board.card_add(
            actor=members[n % people],
            client=client,
            column=columns[n % 3],
            kind="complicating" if n % 3 == 0 else "",
            text=f"Card {n}: something the circle wrote down about Grace's situation.",
        )
        for n in range(cards)
    ]
    return {
        "public_id": client.public_id,
        "cards": {card.pk: card.version for card in made},
        "writer_token": api_token_create(actor=lead, name="bench")[1],
        "sessions": [rt.make_session(user) for user in members],
        "cookie": settings.SESSION_COOKIE_NAME,
    }


def make_bare_tables(cards: int) -> None:
    """The rows the bare Django write changes (bench/baselines/bare_django_write.py), beside Alongside's."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare_card (id integer PRIMARY KEY, text text NOT NULL, version integer NOT NULL)"
        )
        cursor.execute(
            "CREATE TABLE bench_bare_event (id integer PRIMARY KEY "
            + ("AUTOINCREMENT" if connection.vendor == "sqlite" else "GENERATED ALWAYS AS IDENTITY")
            + ", card_id integer NOT NULL, version integer NOT NULL, text text NOT NULL)"
        )
        cursor.executemany(
            "INSERT INTO bench_bare_card (id, text, version) VALUES (%s, %s, 1)",
            [(n, f"Card {n}") for n in range(1, cards + 1)],
        )


def board_key(raw: str) -> Any:
    message = json.loads(raw)
    if message.get("type") != "event" or message.get("event") != "board.card_update":
        return None
    return ("card", message["payload"]["card_id"], message["payload"]["version"])


async def run(
    args: argparse.Namespace,
    cast: dict,
    alongside: list,
    bare: list,
    bare_write: list,
    report: Any,
    stop_at: float,
):
    n = args.people
    processes = len(alongside)

    def listeners(group: list, path: str, key_of: Any, arrivals: Any, cookie: bool) -> list:
        out = []
        for i in range(n):
            port = group[i % processes].port
            headers = {"Cookie": f"{cast['cookie']}={cast['sessions'][i]}"} if cookie else {}
            out.append(
                rt.Listener(
                    i, f"ws://127.0.0.1:{port}{path}", f"http://127.0.0.1:{port}", headers, key_of, arrivals
                )
            )
        return out

    a_arrivals = rt.Arrivals(n)
    a_listeners = listeners(
        alongside, f"/ws/clients/{cast['public_id']}/?page=board", board_key, a_arrivals, True
    )
    api = rt.Http(alongside[0].port)
    auth = {"Authorization": f"Token {cast['writer_token']}"}
    versions = dict(cast["cards"])
    rng = random.Random(13)  # noqa: S311 (which card: a fixed, fair spread)

    async def write_card(i: int) -> tuple[float, Any]:
        card_id = rng.choice(list(versions))
        path = f"/api/v1/clients/{cast['public_id']}/board/cards/{card_id}/"
        if_match = f'"card-{card_id}-v{versions[card_id]}"'
        sent_at, status, _headers, body = await api.request(
            "PATCH",
            path,
            {"text": f"Card {card_id}, edit {i}: the arrears are growing."},
            auth | {"If-Match": if_match},
        )
        if status != 200:
            raise RuntimeError(f"card edit {i}: {status} {body}")
        versions[card_id] = body["version"]
        return sent_at, ("card", card_id, body["version"])

    b_arrivals = rt.Arrivals(n)
    b_listeners = listeners(bare, "/ws/", rt.text_key, b_arrivals, False)
    bare_http = rt.Http(bare[0].port)

    async def write_bare(i: int) -> tuple[float, Any]:
        sent_at, status, _h, _b = await bare_http.request("POST", f"/send?text=b{i}")
        if status != 204:
            raise RuntimeError(f"bare send {i}: {status}")
        return sent_at, f"b{i}"

    w_arrivals = rt.Arrivals(n)
    w_listeners = listeners(bare_write, "/ws/", rt.text_key, w_arrivals, False)
    write_http = rt.Http(bare_write[0].port)
    bare_rng = random.Random(17)  # noqa: S311 (which row: a fixed, fair spread)

    async def write_bare_django(i: int) -> tuple[float, Any]:
        card = bare_rng.randint(1, args.cards)
        sent_at, status, _h, body = await write_http.request("POST", f"/write?card={card}&text=w{i}")
        if status != 200:
            raise RuntimeError(f"bare Django write {i}: {status} {body}")
        return sent_at, f"w{card}-{body['version']}"

    systems = [
        rt.System("Alongside card edit", a_arrivals, a_listeners, write_card),
        rt.System("bare Channels", b_arrivals, b_listeners, write_bare),
        rt.System(BARE_WRITE, w_arrivals, w_listeners, write_bare_django),
    ]
    try:
        for group, ping, hello in (
            (a_listeners, args.ping, True),
            (b_listeners, 0, False),
            (w_listeners, 0, False),
        ):
            for start in range(0, len(group), 5):
                await asyncio.gather(*(s.connect(hello, ping) for s in group[start : start + 5]))
        await asyncio.sleep(1.5)  # presence chatter settles
        report.say(f"  {n} sockets per system connected, over {processes} process(es)")
        pids = [s.process.pid for s in alongside]
        cpu_before = cpu_seconds(pids)
        for round_no in range(args.rounds):
            for system in systems:
                share = args.edits // args.rounds + (1 if round_no < args.edits % args.rounds else 0)
                for _ in range(share):
                    if time.monotonic() > stop_at:
                        raise TimeoutError("--max-seconds reached")
                    sent_at, key = await system.write(len(system.latencies) + system.timeouts)
                    if await system.arrivals.wait(key, 10):
                        system.latencies.append((max(system.arrivals.at[key].values()) - sent_at) * 1000)
                    else:
                        system.timeouts += 1
                    await asyncio.sleep(args.gap)
            print(f"  round {round_no + 1}/{args.rounds} done ({rt.uptime_line()})", flush=True)
        cpu_after = cpu_seconds(pids)
        per_write = sum(b - a for a, b in zip(cpu_before, cpu_after, strict=True)) * 1000 / args.edits
        report.figures["alongside_server_cpu_ms_per_edit"] = per_write
    finally:
        await asyncio.gather(
            *(s.close() for s in a_listeners + b_listeners + w_listeners), return_exceptions=True
        )
        await api.close()
        await bare_http.close()
        await write_http.close()
    return systems


def print_table(report: Any, systems: list, people: int, cards: int) -> None:
    bare = next(s for s in systems if s.name == "bare Channels")
    bare_p95 = percentile(bare.latencies, 95)
    report.say(
        f"\nTime from the write leaving the client to the LAST of {people} people on a {cards}-card board (ms)"
    )
    write = next(s for s in systems if s.name == BARE_WRITE)
    write_p95 = percentile(write.latencies, 95)
    report.say(f"  {'':<22}{'p50':>8}{'p95':>8}{'max':>8}{'n':>6}{'lost':>6}   p95/bare   budget (<=2x bare)")
    for system in systems:
        s = summary(system.latencies)
        ratio = s["p95"] / bare_p95 if bare_p95 else float("nan")
        line = f"  {system.name:<22}{s['p50']:8.1f}{s['p95']:8.1f}{s['max']:8.1f}{s['n']:6d}{system.timeouts:6d}   {ratio:8.2f}"
        figures = s | {"lost": system.timeouts, "ratio_to_bare_p95": ratio}
        if system.name.startswith("Alongside"):
            ok = ratio <= BUDGET_RATIO and system.timeouts == 0
            to_write = s["p95"] / write_p95 if write_p95 else float("nan")
            line += f"   {'PASS' if ok else 'MISS'}; {to_write:.2f}x the bare Django write"
            report.figures["verdict_within_2x_bare"] = ok
            figures["ratio_to_bare_django_write_p95"] = to_write
        report.say(line)
        report.figures[system.name] = figures


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    stop_at = started + args.max_seconds
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    workdir = Path(tempfile.mkdtemp(prefix="alongside-bench-board-"))
    bare_prefix = f"bench-board-bare-{os.getpid()}"
    if args.embedded:
        configure_embedded(workdir)
    else:
        rt.configure_environment(args.pg, args.redis, DB_NAME, "board")
    rt.raise_fd_limit()
    report = rt.Report()
    try:
        if not args.embedded:
            rt.recreate_database(args.pg, DB_NAME)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        built = time.monotonic()
        cast = build_cast(args.people, args.cards)
        make_bare_tables(args.cards)
        rt.close_django_connections()
        mode = (
            "SQLite + in-memory layer, 1 process per system"
            if args.embedded
            else "PostgreSQL + Redis, 2 processes per system"
        )
        report.say(
            f"Alongside board benchmark: {args.people} people, {args.cards} cards; {mode}; writes to process 1"
        )
        report.say(
            f"  cast built through the services in {time.monotonic() - built:.1f} s; before: {rt.uptime_line()}"
        )
        report.figures["settings"] = {k: str(v) for k, v in vars(args).items() if k != "json"}
        copies = 1 if args.embedded else 2
        bare_env: dict[str, str | None] = (
            {"PYTHONPATH": str(BENCH / "baselines"), "BARE_REDIS_URL": None, "DJANGO_SETTINGS_MODULE": None}
            if args.embedded
            else rt.bare_env(args.redis, bare_prefix)
        )
        specs = [
            (f"alongside-{k}", rt.daphne("alongside.asgi:application"), {}) for k in range(1, copies + 1)
        ]
        specs += [
            (f"bare-{k}", rt.daphne("bare_channels:application"), bare_env) for k in range(1, copies + 1)
        ]
        write_env = dict(bare_env)
        if args.embedded:
            write_env["BARE_SQLITE_PATH"] = os.environ["SQLITE_PATH"]
        else:
            write_env["BARE_REDIS_PREFIX"] = f"{bare_prefix}-write"
            write_env["BARE_DATABASE_URL"] = os.environ["DATABASE_URL"]
        specs += [
            (f"bare-write-{k}", rt.daphne("bare_django_write:application"), write_env)
            for k in range(1, copies + 1)
        ]
        with rt.servers(specs, workdir) as up:
            systems = asyncio.run(
                run(
                    args,
                    cast,
                    up[:copies],
                    up[copies : 2 * copies],
                    up[2 * copies :],
                    report,
                    stop_at,
                )
            )
        print_table(report, systems, args.people, args.cards)
        report.say(
            f"  Alongside server CPU per card edit: {report.figures['alongside_server_cpu_ms_per_edit']:.1f} ms"
        )
        report.say(f"\nwhole run {time.monotonic() - started:.0f} s; {rt.uptime_line()}")
        if args.json:
            args.json.write_text(json.dumps(report.figures, indent=2, default=str) + "\n")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        with contextlib.suppress(Exception):
            rt.close_django_connections()
        if not args.embedded:
            with contextlib.suppress(Exception):
                rt.drop_database(args.pg, DB_NAME)
            with contextlib.suppress(Exception):
                rt.clear_redis(args.redis, [os.environ["REDIS_PREFIX"], bare_prefix, f"{bare_prefix}-write"])
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
