#!/usr/bin/env python
"""The managers' dashboard at scale: server time of the page (and of the JSON), p50/p95, and its queries.

    .venv/bin/python bench/reporting.py                               # embedded: its own SQLite file
    .venv/bin/python bench/reporting.py --orgs 20 --clients 1000     # bigger
    .venv/bin/python bench/reporting.py --pg-db bench_large          # on the generated large set (PostgreSQL)

With `--pg-db` it uses that database (bench/generate.py's large set: 120 organisations of ~830 clients,
4 teams each, with stage history, assessments, referrals and meetings) as the manager of its first
organisation (m1@bench.example), the first team for the one-team view; whatever the requests write (their
audit rows) is rolled back at the end, so the data set is left as it was.

Embedded, it makes a fresh SQLite database in a temporary folder, migrates it and writes, with
bulk_create (no services: a million rows through them would take hours), `--orgs` organisations of
`--practitioners` practitioners each (in 4 teams) and `--clients` clients each, shaped like
bench/generate.py's large set and the data the dashboard reads:

- circles of 3–6 professionals, mostly from the client's own organisation, one of them the lead;
- each client's stage history (1–4 moves over the last year), consent to share with the circle for 9 in 10
  (some ending within the month, some withdrawn);
- three in four clients have a plan with 2 goals of 2 actions (due dates spread over the year, done on
  time, late, dropped or open), their status changes and review-date changes in the plan's history;
- two in five have a PHQ-9 baseline and a follow-up;
- 20 referrals per 100 clients between organisations, with answers, first contacts and outcomes;
- one meeting per 20 clients with two of them on its agenda, most signed off.

The large set of bench/generate.py has 120 organisations of ~830 clients; the dashboard reads one
organisation's rows (through indexes on the client), so what matters is the rows per organisation
(`--clients`), with the tables around it large enough for the indexes to be used.

It measures, through Django's whole stack in-process (`django.test.Client`, as bench/pages.py does), as
the agency manager of the first organisation: the dashboard page (the last 12 months, the default 3
months, one team) and the API's JSON, `--requests` each after `--warmup`: p50/p95 server time, CPU
time per request, and the query count. Budget (issue 16): p95 ≤ 300 ms.

It measures twice: cold (every snapshot deleted before each request, untimed: the figures are worked
out for the request, then kept, as when no fresh snapshot exists) and warm (after the snapshot task,
`reporting.tasks.refresh_snapshots`, has made the organisation's snapshots: what the page reads while the
clock keeps them fresh), and prints how long the task took for the organisation. On `--pg-db`, a set built
before the snapshots' tables and the dashboard's two indexes gets them inside the bench's transaction
(rolled back at the end).
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import loopback_only, percentile, set_up_django  # noqa: E402 (bench/ is on the path)

BUDGET_P95_MS = 300.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-db", help="measure on this PostgreSQL database (e.g. bench_large)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--orgs", type=int, default=10)
    parser.add_argument("--practitioners", type=int, default=80, help="per organisation")
    parser.add_argument("--clients", type=int, default=1000, help="per organisation")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--cold-requests",
        type=int,
        default=20,
        help="requests of the cold run (no snapshot: worked out live, and kept); 0 to skip it",
    )
    args = parser.parse_args()
    if args.pg_db:
        loopback_only(parser, args.pg)
    return args


def main() -> None:
    args = parse_args()
    folder = set_up_django(args.pg, args.pg_db, "alongside-bench-reporting-")
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if args.pg_db:
        from network.models import Team, User

        manager = User.objects.filter(org_role="manager", organisation__isnull=False).order_by("pk").first()
        assert manager is not None, f"no manager in {args.pg_db}: build it with bench/generate.py"
        team = Team.objects.filter(organisation_id=manager.organisation_id).order_by("pk").first()
        assert team is not None, f"no team in {args.pg_db}: build it with bench/generate.py"
        team_id = team.pk
        with connection.cursor() as cursor:
            counts = {}
            for table in ("circles_client", "circles_circlemember", "circles_stagechange", "sharing_action",
                          "sharing_planchange", "assessments_assessment", "referrals_referral",
                          "conferences_meeting"):  # fmt: skip
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
        print(f"{args.pg_db} ({connection.vendor}), as {manager.email}: {counts}")
    else:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        manager, team_id, counts = build(args)
        print(f"built in {time.perf_counter() - started:.0f} s: {counts}")
    try:
        with transaction.atomic():
            if args.pg_db:
                schema_inside(connection)
            measure(args, manager, team_id, connection)
            transaction.set_rollback(True)  # leave the data set as it was (audit rows, snapshots, schema)
    finally:
        if folder is not None:
            folder.cleanup()


def schema_inside(connection) -> None:  # type: ignore[no-untyped-def]
    """On a generated set built before them: the snapshots' tables and the dashboard's two indexes
    (reporting 0002, sharing 0007, circles 0006), made inside the bench's transaction and rolled back with
    it, so the shared data set is left as it was."""
    from circles.models import StageChange
    from reporting.models import Snapshot, SnapshotRun
    from sharing.models import PlanChange

    tables = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in (SnapshotRun, Snapshot):
            if model._meta.db_table not in tables:
                editor.create_model(model)
        for model, name in (
            (PlanChange, "planchange_field_at_idx"),
            (StageChange, "stagechange_to_stage_at_idx"),
        ):
            with connection.cursor() as cursor:
                existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
            if name not in existing:
                editor.add_index(model, next(i for i in model._meta.indexes if i.name == name))


def measure(args: argparse.Namespace, manager, team_id: int, connection) -> None:  # type: ignore[no-untyped-def]
    """Cold (no snapshot before each request: worked out live, and kept), then with the snapshots made by
    the task for the manager's organisation (what the page reads when the clock keeps them fresh)."""
    from django.test import Client as Browser
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reporting import snapshots, tasks
    from reporting.models import Snapshot, SnapshotRun

    browser = Browser()
    browser.force_login(manager)
    cases = [
        ("page, last 12 months", "/organisation/dashboard/", {"period": "12"}),
        ("page, last 3 months", "/organisation/dashboard/", {}),
        ("page, one team, 12 months", "/organisation/dashboard/", {"period": "12", "team": team_id}),
        ("JSON, last 12 months", "/api/v1/reporting/dashboard/", {"period": "12"}),
        ("CSV (stages), 12 months", "/organisation/dashboard/tables/stages.csv", {"period": "12"}),
    ]

    def forget() -> None:
        Snapshot.objects.all().delete()

    def run(title: str, requests: int, before=None) -> float:  # type: ignore[no-untyped-def]
        print(f"\n{title}\n{'':28} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8} {'queries':>8}")
        worst = 0.0
        for label, url, query in cases:
            for _ in range(args.warmup if before is None else 1):
                assert browser.get(url, query).status_code == 200
            times, cpu = [], []
            for _ in range(requests):
                if before is not None:
                    before()  # not timed
                c0, t0 = time.process_time(), time.perf_counter()
                response = browser.get(url, query)
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert response.status_code == 200
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as queries:
                browser.get(url, query)
            p95 = percentile(times, 95)
            worst = max(worst, p95)
            print(
                f"{label:28} {percentile(times, 50):8.1f} {p95:8.1f} {percentile(cpu, 50):8.1f} {len(queries):8d}"
            )
        print(f"budget p95 ≤ {BUDGET_P95_MS:.0f} ms: {'PASS' if worst <= BUDGET_P95_MS else 'MISS'}")
        return worst

    if args.cold_requests:
        run("cold: no snapshot (worked out for the request, then kept)", args.cold_requests, before=forget)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            forget()
            with CaptureQueriesContext(connection) as queries:
                browser.get("/organisation/dashboard/", {"period": "12"})
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
                print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:150]}")
    forget()
    SnapshotRun.objects.all().delete()
    slot = snapshots.slot_of(timezone.now())
    started = time.perf_counter()
    result = tasks.refresh_snapshots.call(slot.isoformat(), organisation_ids=[manager.organisation_id])
    print(
        f"\nthe task, for organisation {manager.organisation_id}: {result['snapshots']} snapshots "
        f"(the organisation and its teams × 3 periods) in {time.perf_counter() - started:.1f} s"
    )
    sizes = [len(json.dumps(t)) for t in Snapshot.objects.values_list("tables", flat=True)]
    print(f"snapshot sizes (JSON): {min(sizes):,}–{max(sizes):,} characters")
    run("warm: snapshots made by the task (fresh)", args.requests)


def build(args: argparse.Namespace):
    from django.utils import timezone

    from assessments import scoring
    from assessments.models import Assessment, Instrument
    from circles.models import CircleMember, Client, Consent, StageChange
    from conferences.models import AgendaItem, Meeting, MeetingType
    from network.models import Organisation, Team, User
    from referrals.models import Referral
    from sharing.models import Action, Goal, Plan, PlanChange

    rng = random.Random(args.seed)
    now = timezone.now()
    today = timezone.localdate()

    def ago(days: float) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Agency {i}", kind="early_help") for i in range(args.orgs)
    )
    teams = Team.objects.bulk_create(Team(organisation=o, name=f"Team {t}") for o in orgs for t in range(4))
    team_of = {o.pk: [t for t in teams if t.organisation_id == o.pk] for o in orgs}
    users = User.objects.bulk_create(
        User(
            email=f"p{o.pk}-{i}@bench.example",
            full_name=f"Practitioner {o.pk}-{i}",
            organisation=o,
            team=team_of[o.pk][i % 4],
        )
        for o in orgs
        for i in range(args.practitioners)
    )
    manager = User.objects.create_user(
        "manager@bench.example",
        "alongside-bench",
        full_name="Manager",
        organisation=orgs[0],
        org_role="manager",
    )
    staff = {o.pk: [u for u in users if u.organisation_id == o.pk] for o in orgs}
    clients = Client.objects.bulk_create(
        Client(
            public_id=f"B{n:07d}"[:8],
            given_name="Bench",
            family_name=f"Client{n}",
            stage=rng.choice(["intake", "assessment", "planning", "support", "review", "support", "closed"]),
            stage_since=ago(rng.uniform(0, 120)),
            outcome="",
            created_at=ago(rng.uniform(120, 400)),
        )
        for n in range(args.orgs * args.clients)
    )
    Client.objects.filter(stage="closed").update(outcome="goals_met")
    members, stages, consents = [], [], []
    home = {}
    for n, client in enumerate(clients):
        org = orgs[n % args.orgs]
        home[client.pk] = org
        circle = rng.sample(staff[org.pk], rng.randint(2, 4))
        other = orgs[rng.randrange(args.orgs)]
        circle += rng.sample(staff[other.pk], rng.randint(1, 2))
        seen = set()
        for i, person in enumerate(circle):
            if person.pk in seen:
                continue
            seen.add(person.pk)
            ended = rng.random() < 0.1
            members.append(
                CircleMember(
                    client=client,
                    user=person,
                    organisation_id=person.organisation_id,
                    role="key_worker",
                    is_lead=i == 0,
                    since=client.created_at,
                    until=ago(rng.uniform(1, 100)) if ended and i else None,
                )
            )
        path = ["intake", "assessment", "planning", "support", "review"]
        for k in range(rng.randint(1, 4)):
            stages.append(
                StageChange(
                    client=client,
                    from_stage=path[k],
                    to_stage=path[k + 1],
                    reason="Moved",
                    at=ago(300 - 70 * k),
                )
            )
        if rng.random() < 0.9:
            consents.append(
                Consent(
                    client=client,
                    scope="circle",
                    method="written",
                    given_by="The client",
                    given_on=today - datetime.timedelta(days=200),
                    expires_on=today + datetime.timedelta(days=rng.randint(1, 400))
                    if rng.random() < 0.3
                    else None,
                    withdrawn_at=ago(10) if rng.random() < 0.05 else None,
                    recorded_by=circle[0],
                )
            )
    CircleMember.objects.bulk_create(members, batch_size=5000)
    StageChange.objects.bulk_create(stages, batch_size=5000)
    Consent.objects.bulk_create(consents, batch_size=5000)

    planned = [c for c in clients if rng.random() < 0.75]
    plans = Plan.objects.bulk_create(Plan(client=c) for c in planned)
    lead_of = {c.pk: staff[home[c.pk].pk][0] for c in clients}
    goals = Goal.objects.bulk_create(
        Goal(
            plan=p,
            in_own_words="A goal",
            created_by=lead_of[p.client_id],
            review_on=today + datetime.timedelta(days=rng.randint(-60, 60)),
        )
        for p in plans
        for _ in range(2)
    )
    actions = Action.objects.bulk_create(
        Action(
            goal=g,
            what="An action",
            created_by=g.created_by,
            due_on=today + datetime.timedelta(days=rng.randint(-360, 30)),
            status=rng.choice(["not_started", "in_progress", "done", "done", "dropped"]),
        )
        for g in goals
        for _ in range(2)
    )
    plan_of = {g.pk: g.plan_id for g in goals}
    changes = [
        PlanChange(
            plan_id=plan_of[a.goal_id],
            action=a,
            field="status",
            old_value="not_started",
            new_value=a.status,
            version=2,
            actor=a.created_by,
            at=ago(rng.uniform(0, 365)),
        )
        for a in actions
        if a.status in ("done", "dropped")
    ]
    changes += [
        PlanChange(
            plan_id=g.plan_id,
            goal=g,
            field="review_on",
            old_value=(today - datetime.timedelta(days=rng.randint(1, 300))).isoformat(),
            new_value=g.review_on.isoformat(),
            version=2,
            actor=g.created_by,
            at=ago(rng.uniform(0, 300)),
        )
        for g in goals
        if rng.random() < 0.5
    ]
    PlanChange.objects.bulk_create(changes, batch_size=5000)

    phq9 = Instrument.objects.get(code="phq-9")
    version = phq9.versions.get(number=phq9.current_version)
    assessments = []
    for client in clients:
        if rng.random() < 0.4:
            for days in (rng.uniform(150, 300), rng.uniform(0, 140)):
                answers = {
                    item["code"]: {"score": rng.randint(0, 3) if item["code"] != "9" else 0}
                    for item in version.definition["items"]
                }
                result = scoring.score(version.definition, answers)
                assessments.append(
                    Assessment(
                        client=client,
                        instrument=phq9,
                        version=version,
                        author=lead_of[client.pk],
                        status="completed",
                        answers=answers,
                        result=result,
                        total=result["total"],
                        band=result["band"],
                        completed_at=ago(days),
                        recorded_at=ago(days),
                    )
                )
    Assessment.objects.bulk_create(assessments, batch_size=5000)

    consent_any = {c.client_id: c for c in Consent.objects.all()}
    referrals = []
    for client in rng.sample(clients, len(clients) // 5):
        if client.pk not in consent_any:
            continue
        made = ago(rng.uniform(0, 365))
        status = rng.choice(["sent", "accepted", "contacted", "closed", "closed", "declined"])
        others = [o for o in orgs if o.pk != home[client.pk].pk]
        worker = rng.choice(staff[rng.choice(others).pk])
        referrals.append(
            Referral(
                client=client,
                from_organisation=home[client.pk],
                to_organisation=worker.organisation,
                referrer=lead_of[client.pk],
                service="Support",
                asked="Help",
                reason="Why",
                consent=consent_any[client.pk],
                status=status,
                created_at=made,
                answer_due_on=made.date() + datetime.timedelta(days=10),
                answered_at=None if status == "sent" else made + datetime.timedelta(days=rng.uniform(0, 9)),
                worker=worker if status in ("accepted", "contacted", "closed") else None,
                first_contact_on=made.date() + datetime.timedelta(days=rng.randint(2, 20))
                if status in ("contacted", "closed")
                else None,
                outcome="got_help" if status == "closed" else "",
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=5000)

    kind, _ = MeetingType.objects.get_or_create(name="Team Around the Family")
    meetings = Meeting.objects.bulk_create(
        Meeting(
            type=kind,
            title="Meeting",
            starts_at=ago(d),
            chair=manager,
            created_by=manager,
            status="ended",
            ended_at=ago(d),
            minutes_due_on=(ago(d) + datetime.timedelta(days=7)).date(),
            minutes_status="signed" if rng.random() < 0.8 else "draft",
        )
        for d in (rng.uniform(0, 365) for _ in range(len(clients) // 20))
    )
    Meeting.objects.filter(minutes_status="signed").update(signed_off_at=timezone.now())
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=m,
            client=c,
            reason="r",
            basis="without_consent",
            without_consent_reason="w",
            added_by=manager,
        )
        for m in meetings
        for c in rng.sample(clients, 2)
    )
    counts = {
        "organisations": len(orgs),
        "practitioners": len(users),
        "clients": len(clients),
        "circle members": len(members),
        "stage changes": len(stages),
        "actions": len(actions),
        "plan history": len(changes),
        "assessments": len(assessments),
        "referrals": len(referrals),
        "meetings": len(meetings),
    }
    return manager, team_of[orgs[0].pk][0].pk, counts


if __name__ == "__main__":
    main()
