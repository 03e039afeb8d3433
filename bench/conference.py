#!/usr/bin/env python
"""A live case conference: how long from the chair moving to the next item until the LAST of 30 attendees'
pages hears it, beside bare Channels fan-out measured in the same run; and three people co-editing minutes.

Not a test (pytest never collects bench/): run it by hand, from the repository root.

    .venv/bin/python bench/conference.py                       # about a minute
    .venv/bin/python bench/conference.py --moves 40 --rounds 4 # a short run

It starts its OWN redis-server and PostgreSQL (tests/private_services.py: temporary directories, free
loopback ports, removed at the end), so it never touches the machine's shared servers. It migrates a fresh
database, builds through the services a panel with ATTENDEES standing members (each with a session), a
chair with an API token, and a risk panel meeting with four clients on its agenda, opened. Then two daphne
processes of Alongside and two of bare Channels (bench/baselines/bare_channels.py), all on that Redis:

- Alongside: ATTENDEES sockets on /ws/meetings/<id>/ (the meeting's stream), half on each process; a move is
  POST /api/v1/meetings/<id>/current-item/ to process 1 (the chair's token), answered after commit; the
  figure is the time from just before the request leaves to the LAST socket receiving its meeting.item_move;
- bare Channels: the same socket split; a write is POST /send to process 1, which group_sends.

Moves and bare sends alternate in rounds so that machine noise falls on both alike. Printed: p50/p95/max,
the ratio Alongside p95 / bare p95 and PASS/MISS against the issue's budget (within 2x bare Channels).

Then the co-editing check: three writers PATCH one item's minutes at once, each adding their own lines with
If-Match; a 412 makes the writer read the minutes again and put their line back on top of what is there
(what the page's merge does). At the end every line written must be in the minutes: lost = 0.
"""

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(REPO))
sys.path.append(str(BENCH))

from measure import percentile, summary  # noqa: E402

DB_NAME = "bench_conference"
BUDGET_RATIO = 2.0


def _common() -> Any:
    """bench/realtime.py's helpers (loaded by path: its module name would clash with the realtime app)."""
    spec = importlib.util.spec_from_file_location("bench_realtime", BENCH / "realtime.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


rt = _common()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--attendees", type=int, default=30, help="sockets per system, split over 2 processes"
    )
    parser.add_argument("--moves", type=int, default=100, help="chair moves (and as many bare sends)")
    parser.add_argument("--rounds", type=int, default=5, help="moves and bare sends interleave in rounds")
    parser.add_argument("--gap", type=float, default=0.05, help="pause between writes (s)")
    parser.add_argument("--minutes-edits", type=int, default=15, help="lines each of the 3 co-editors adds")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the whole run stops after this")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    if not (2 <= args.attendees <= 200 and 1 <= args.moves <= 2000 and 1 <= args.rounds <= args.moves):
        parser.error("attendees 2-200, moves 1-2000, rounds 1..moves")
    return args


def build_cast(attendees: int) -> dict[str, Any]:
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from circles import services as circles
    from circles.models import Consent
    from conferences import services
    from conferences.models import MeetingType
    from network.models import Organisation, User
    from network.services import api_token_create

    organisation = Organisation.objects.create(name="Bench Panel", kind=Organisation.Kind.SOCIAL_CARE)

    def person(name: str, **extra: Any) -> User:
        email = f"{name.lower().replace(' ', '.')}@bench.example"
        return User.objects.create_user(email, None, full_name=name, organisation=organisation, **extra)

    chair = person("Chair Person", org_role=User.OrgRole.PANEL_CHAIR)
    minute_takers = [person(f"Minute Taker {n}") for n in (1, 2)]
    panel = services.panel_create(actor=chair, name="Bench Risk Panel")
    members = [person(f"Attendee {n}") for n in range(attendees)]
    for user in members:
        services.panel_member_add(actor=chair, panel=panel, user=user, role="standing")
    meeting = services.meeting_create(
        actor=chair,
        type=MeetingType.objects.get(name="Risk panel"),
        title="Bench panel",
        starts_at=timezone.now() + datetime.timedelta(minutes=5),
        panel=panel,
        place="Room 1",
        minute_taker=minute_takers[0],
    )
    lead = person("Lead Worker")
    items = []
    for n in range(4):
        client = circles.client_create(actor=lead, given_name=f"Client{n}", family_name="Bench")
        circles.consent_record(
            actor=lead,
            client=client,
            scope=Consent.Scope.CONFERENCE,
            method=Consent.Method.WRITTEN,
            given_by="x",
        )
        items.append(services.agenda_item_add(actor=chair, meeting=meeting, client=client, reason="Bench"))
    services.meeting_open(actor=chair, meeting=meeting)
    # Three co-editors of the minutes: the chair and a minute-taker may write them; a second minute-taker is
    # made the meeting's for the co-editing phase by writing with the chair's own token as well.
    return {
        "meeting_id": meeting.pk,
        "items": [item.pk for item in items],
        "chair_token": api_token_create(actor=chair, name="bench")[1],
        "minute_token": api_token_create(actor=minute_takers[0], name="bench")[1],
        "sessions": [rt.make_session(user) for user in members],
        "cookie": settings.SESSION_COOKIE_NAME,
    }


def move_key_maker() -> Any:
    """A socket's k-th meeting.item_move answers the k-th move (moves are made one at a time)."""
    seen = {"moves": 0}

    def key_of(raw: str) -> Any:
        message = json.loads(raw)
        if message.get("type") == "event" and message.get("event") == "meeting.item_move":
            seen["moves"] += 1
            return ("move", seen["moves"])
        return None

    return key_of


async def run(args: argparse.Namespace, cast: dict[str, Any], by_name: dict[str, list], report: Any) -> dict:
    n = args.attendees
    alongside, bare = by_name["alongside"], by_name["bare"]
    a_arrivals, b_arrivals = rt.Arrivals(n), rt.Arrivals(n)
    a_listeners, b_listeners = [], []
    for i in range(n):
        a_port, b_port = alongside[i % 2].port, bare[i % 2].port
        a_listeners.append(
            rt.Listener(
                i,
                f"ws://127.0.0.1:{a_port}/ws/meetings/{cast['meeting_id']}/",
                f"http://127.0.0.1:{a_port}",
                {"Cookie": f"{cast['cookie']}={cast['sessions'][i]}"},
                move_key_maker(),
                a_arrivals,
            )
        )
        b_listeners.append(
            rt.Listener(
                i, f"ws://127.0.0.1:{b_port}/ws/", f"http://127.0.0.1:{b_port}", {}, rt.text_key, b_arrivals
            )
        )
    api = rt.Http(alongside[0].port)
    bare_http = rt.Http(bare[0].port)
    chair = {"Authorization": f"Token {cast['chair_token']}"}
    moves: list[float] = []
    bares: list[float] = []
    lost = {"moves": 0, "bare": 0}
    try:
        for group, hello in ((a_listeners, True), (b_listeners, False)):
            for start in range(0, len(group), 5):
                await asyncio.gather(
                    *(s.connect(hello, 25.0 if hello else 0) for s in group[start : start + 5])
                )
        await asyncio.sleep(1.5)
        report.say(
            f"  {n} attendees per system connected, {n - n // 2} on process 1 and {n // 2} on process 2"
        )
        move_no = 0
        for round_no in range(args.rounds):
            share = args.moves // args.rounds + (1 if round_no < args.moves % args.rounds else 0)
            for _ in range(share):
                move_no += 1
                item = cast["items"][move_no % len(cast["items"])]
                sent_at, status, _h, body = await api.request(
                    "POST", f"/api/v1/meetings/{cast['meeting_id']}/current-item/", {"item": item}, chair
                )
                if status != 200:
                    raise RuntimeError(f"move {move_no}: {status} {body}")
                if await a_arrivals.wait(("move", move_no), 10):
                    moves.append((max(a_arrivals.at[("move", move_no)].values()) - sent_at) * 1000)
                else:
                    lost["moves"] += 1
                await asyncio.sleep(args.gap)
            for k in range(share):
                text = f"b{round_no}-{k}"
                sent_at, status, _h, _b = await bare_http.request("POST", f"/send?text={text}")
                if status != 204:
                    raise RuntimeError(f"bare send: {status}")
                if await b_arrivals.wait(text, 10):
                    bares.append((max(b_arrivals.at[text].values()) - sent_at) * 1000)
                else:
                    lost["bare"] += 1
                await asyncio.sleep(args.gap)
            print(f"  round {round_no + 1}/{args.rounds} done ({rt.uptime_line()})", flush=True)
    finally:
        await asyncio.gather(*(s.close() for s in a_listeners + b_listeners), return_exceptions=True)
        await api.close()
        await bare_http.close()
    coedit = await co_edit(args, cast, alongside)
    return {"moves": moves, "bare": bares, "lost": lost, "coedit": coedit}


async def co_edit(args: argparse.Namespace, cast: dict[str, Any], alongside: list) -> dict[str, Any]:
    """Three writers (the chair and the minute-taker on process 1, the chair again on process 2) each add
    their lines to one item's minutes at once, If-Match on every PATCH; a 412 means read again and re-apply."""
    url = f"/api/v1/meetings/{cast['meeting_id']}/items/{cast['items'][0]}/minutes/"
    writers = [
        ("chair-1", alongside[0].port, cast["chair_token"]),
        ("minutes-1", alongside[0].port, cast["minute_token"]),
        ("chair-2", alongside[1].port, cast["chair_token"]),
    ]
    written: list[str] = []
    clashes = {"412": 0}

    async def writer(name: str, port: int, token: str) -> None:
        http = rt.Http(port)
        auth = {"Authorization": f"Token {token}"}
        try:
            for k in range(args.minutes_edits):
                line = f"{name} line {k}"
                while True:
                    _at, status, headers, body = await http.request("GET", url, headers=auth)
                    assert status == 200, (status, body)
                    minutes = body["minutes"]
                    new = f"{minutes}\n{line}" if minutes else line
                    _at, status, _h, body = await http.request(
                        "PATCH", url, {"minutes": new}, auth | {"If-Match": headers["etag"]}
                    )
                    if status == 200:
                        written.append(line)
                        break
                    if status != 412:
                        raise RuntimeError(f"{name}: {status} {body}")
                    clashes["412"] += 1
        finally:
            await http.close()

    await asyncio.gather(*(writer(*w) for w in writers))
    http = rt.Http(alongside[1].port)
    _at, _status, _h, body = await http.request(
        "GET", url, headers={"Authorization": f"Token {cast['chair_token']}"}
    )
    await http.close()
    final = set(body["minutes"].split("\n"))
    return {
        "written": len(written),
        "clashes_412": clashes["412"],
        "lost": len([x for x in written if x not in final]),
    }


def main() -> int:
    from tests.private_services import PrivatePostgres, PrivateRedis

    args = parse_args()
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    workdir = Path(tempfile.mkdtemp(prefix="alongside-bench-conf-"))
    rt.raise_fd_limit()
    report = rt.Report()
    redis, postgres = PrivateRedis(), PrivatePostgres()
    try:
        redis.start()
        postgres.start()
        import psycopg

        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{DB_NAME}"')
        rt.configure_environment(postgres.url().rsplit("/", 1)[0], redis.url, DB_NAME, "conf")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        cast = build_cast(args.attendees)
        rt.close_django_connections()
        report.say(
            "Alongside case-conference benchmark: 2 processes per system, private PostgreSQL + Redis; "
            "writes to process 1"
        )
        report.say(f"  before: {rt.uptime_line()}")
        bare_prefix = f"bench-bare-conf-{os.getpid()}"
        specs = [
            ("alongside-1", rt.daphne("alongside.asgi:application"), {}),
            ("alongside-2", rt.daphne("alongside.asgi:application"), {}),
            ("bare-1", rt.daphne("bare_channels:application"), rt.bare_env(redis.url, bare_prefix)),
            ("bare-2", rt.daphne("bare_channels:application"), rt.bare_env(redis.url, bare_prefix)),
        ]
        with rt.servers(specs, workdir) as started_servers:
            by_name = {"alongside": started_servers[0:2], "bare": started_servers[2:4]}
            result = asyncio.wait_for(run(args, cast, by_name, report), args.max_seconds)
            figures = asyncio.run(result)
        move, bare = summary(figures["moves"]), summary(figures["bare"])
        ratio = move["p95"] / bare["p95"] if bare["p95"] else float("nan")
        report.say(
            f"\nChair moves to the next item -> the LAST of {args.attendees} attendees' sockets hears it (ms)"
        )
        report.say(f"  {'':<26}{'p50':>8}{'p95':>8}{'max':>8}{'n':>6}{'lost':>6}")
        report.say(
            f"  {'Alongside item move':<26}{move['p50']:8.1f}{move['p95']:8.1f}{move['max']:8.1f}"
            f"{move['n']:6d}{figures['lost']['moves']:6d}"
        )
        report.say(
            f"  {'bare Channels':<26}{bare['p50']:8.1f}{bare['p95']:8.1f}{bare['max']:8.1f}"
            f"{bare['n']:6d}{figures['lost']['bare']:6d}"
        )
        verdict = "PASS" if ratio <= BUDGET_RATIO and figures["lost"]["moves"] == 0 else "MISS"
        report.say(
            f"  p95 ratio Alongside / bare Channels: {ratio:.2f}  ({verdict}: budget <= {BUDGET_RATIO}x)"
        )
        co = figures["coedit"]
        report.say(
            f"\nThree co-editors of one item's minutes: {co['written']} lines saved, {co['clashes_412']} clashes "
            f"answered 412 and re-applied, {co['lost']} lost ({'PASS' if co['lost'] == 0 else 'MISS'})"
        )
        report.say(f"\nwhole run {time.monotonic() - started:.0f} s; after: {rt.uptime_line()}")
        if args.json:
            out = {
                "move": move,
                "bare": bare,
                "ratio_p95": ratio,
                "lost": figures["lost"],
                "coedit": co,
                "p95_all": percentile(figures["moves"], 95),
                "settings": {k: v for k, v in vars(args).items() if k != "json"},
            }
            args.json.write_text(json.dumps(out, indent=2, default=str) + "\n")
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        with contextlib.suppress(Exception):
            rt.close_django_connections()
        redis.cleanup()
        postgres.cleanup()
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
