#!/usr/bin/env python
"""Moving clients in and out, embedded (SQLite, no PostgreSQL, no Redis): an import of 10,000 clients with
its progress watched, and the CSV export of 10,000 and of 100,000 clients with its peak memory.

    .venv/bin/python bench/importing.py                  # ~5 minutes on the 2-core machine

In a fresh SQLite file (deleted afterwards, unless --keep):

1. **the import**: an agency admin's file of 10,000 clients (each with a lead from the organisation and one
   or two other professionals, 40 % of them from another organisation): the dry run (`import_check`, as the
   upload page runs it), then `import_start`, which puts the task on the database queue; a real worker
   (`manage.py db_worker --max-tasks 1`, a process of its own) runs it while this process reads the job row
   every 0.25 s, as the page's progress bar does. Reported: the dry run's time, the time from "Import" to
   done, the worker's own time, and every progress reading.
2. **the export**: another organisation with 100,000 clients (made through the same bulk path, in ten
   files' worth), then the CSV download of each organisation (10,000 and 100,000 clients) through Django's
   whole stack (`django.test.Client`, the streamed response read to the end), each in a fresh process:
   the Python heap's peak while streaming (tracemalloc) and the process's peak RSS (ru_maxrss).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def setup_django(sqlite: Path) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.update(
        {"SQLITE_PATH": str(sqlite), "DJANGO_SETTINGS_MODULE": "alongside.settings", "LOG_LEVEL": "ERROR"}
    )
    import django

    django.setup()


def make_file(rng: random.Random, n: int, leads: list[str], others: list[str]) -> bytes:
    lines = ["given_name,family_name,date_of_birth,phone,address,lead_email,lead_role,members"]
    for i in range(n):
        lead = rng.choice(leads)
        chosen = rng.sample([email for email in others if email != lead][:80], rng.randint(1, 2))
        members = "; ".join(f"{email}:Key worker" for email in chosen)
        lines.append(
            f"Given{i},Family{rng.randint(0, 5000)},{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/"
            f'{rng.randint(1940, 2020)},07700 9{i % 100000:05d},"{i} High Street\nNorthbridge",'
            f"{lead},Social worker,{members}"
        )
    return ("\n".join(lines) + "\n").encode()


def people(org_name: str, count: int, prefix: str, admin: bool = False):
    from network.models import Organisation, User

    org = Organisation.objects.create(name=org_name, kind="social_care")
    staff = [
        User.objects.create_user(
            f"{prefix}{n}@bench.example", organisation=org, full_name=f"{prefix.title()} {n}"
        )
        for n in range(count)
    ]
    boss = (
        User.objects.create_user(
            f"{prefix}-admin@bench.example", organisation=org, org_role="admin", full_name="Admin"
        )
        if admin
        else None
    )
    return org, staff, boss


def run_import(args: argparse.Namespace, sqlite: Path) -> dict:
    from importing import services
    from importing.models import ImportJob

    rng = random.Random(2026)
    _org, staff, admin = people("Bench Early Help", 50, "eh", admin=True)
    _health, nurses, _ = people("Bench Health", 20, "nurse")
    content = make_file(rng, args.rows, [u.email for u in staff], [u.email for u in nurses + staff])
    started = time.perf_counter()
    try:
        job, checked = services.import_check(actor=admin, file_name="bench.csv", content=content)
    except services.FileHasProblems as exc:
        raise SystemExit([p.text for p in exc.checked.problems[:5]]) from None
    dry_run = time.perf_counter() - started
    assert checked.ok, checked.problems[:3]
    print(
        f"dry run: {args.rows:,} rows, {len(content) / 1e6:.1f} MB, {dry_run:.1f} s; "
        f"{job.member_count:,} members, {job.duplicate_count} likely duplicates",
        flush=True,
    )

    clicked = time.perf_counter()
    services.import_start(actor=admin, job=job)  # on the database queue: the worker below takes it
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--max-tasks", "1", "--no-startup-delay", "-v", "0"],
        cwd=REPO,
        env=os.environ.copy(),
    )
    readings = []
    last = None
    while True:
        row = ImportJob.objects.values(
            "status", "rows_checked", "row_count", "started_at", "finished_at"
        ).get(pk=job.pk)
        fresh = ImportJob(**{k: v for k, v in row.items()})
        reading = (round(time.perf_counter() - clicked, 2), row["status"], row["rows_checked"], fresh.percent)
        if reading[1:] != last:
            readings.append(reading)
            last = reading[1:]
        if row["status"] in ("done", "failed"):
            break
        time.sleep(0.25)
    total = time.perf_counter() - clicked
    worker.wait(timeout=120)
    job.refresh_from_db()
    in_worker = (job.finished_at - job.started_at).total_seconds()
    print(
        f"import: {job.status}, {job.created_count:,} clients; {total:.1f} s from start to done, "
        f"{in_worker:.1f} s in the worker",
        flush=True,
    )
    for seconds, status, rows, percent in readings:
        print(f"  {seconds:6.2f} s  {status:9}  {rows:6,} rows checked  {percent:3d} %")
    return {
        "rows": args.rows,
        "dry_run_s": round(dry_run, 2),
        "start_to_done_s": round(total, 2),
        "in_worker_s": round(in_worker, 2),
        "status": job.status,
        "created": job.created_count,
        "progress": readings,
    }


def make_big_org(n: int) -> float:
    from django.db import transaction

    from circles.bulk import NewClient, clients_register_many

    _org, staff, admin = people("Bench Big Council", 200, "big", admin=True)
    rng = random.Random(7)
    started = time.perf_counter()
    import datetime

    for start in range(0, n, 10_000):
        batch = [
            NewClient(
                details={
                    "given_name": f"Big{i}",
                    "family_name": f"Family{rng.randint(0, 9999)}",
                    "date_of_birth": datetime.date(
                        rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28)
                    ),
                    "phone": f"+44 7700 9{i:06d}",
                    "address": f"{i} Long Road\nNorthbridge",
                },
                lead=rng.choice(staff),
                lead_role="social_worker",
                members=[(user, "key_worker") for user in rng.sample(staff, 2)],
            )
            for i in range(start, min(n, start + 10_000))
        ]
        for new in batch:  # no one twice in a circle
            new.members = [(u, r) for u, r in new.members if u != new.lead]
        with transaction.atomic():
            clients_register_many(actor=admin, clients=batch)
    return time.perf_counter() - started


def measure_export(admin_email: str) -> dict:
    """In this (fresh) process: download the admin's organisation's clients, streamed, to the end."""
    from django.test import Client as Browser

    from network.models import User

    admin = User.objects.get(email=admin_email)
    browser = Browser()
    browser.force_login(admin)
    browser.get("/organisation/imports/")  # warm: URLs, middleware, templates loaded before measuring
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = browser.get("/organisation/imports/clients.csv")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")  # csv's line ends; an address's own line breaks are \n
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "status": response.status_code,
        "lines": lines,
        "mb": round(size / 1e6, 1),
        "seconds": round(seconds, 1),
        "heap_peak_mb": round((peak - baseline) / 1e6, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="clients in the imported file")
    parser.add_argument("--big", type=int, default=100_000, help="clients of the organisation exported")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--sqlite", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export-for", help=argparse.SUPPRESS)  # the child process that measures one export
    args = parser.parse_args()

    if args.export_for:
        setup_django(args.sqlite)
        print(json.dumps(measure_export(args.export_for)))
        return 0

    sqlite = Path(tempfile.mkdtemp(prefix="bench-importing-")) / "bench.sqlite3"
    setup_django(sqlite)
    from django.core.management import call_command

    print(f"SQLite file: {sqlite}", flush=True)
    call_command("migrate", verbosity=0)
    figures: dict = {"import": run_import(args, sqlite)}
    made = make_big_org(args.big)
    print(f"made {args.big:,} clients through circles.bulk in {made:.1f} s", flush=True)
    figures["bulk_make_s"] = round(made, 1)
    figures["export"] = {}
    for label, email in (("10k", "eh-admin@bench.example"), ("100k", "big-admin@bench.example")):
        child = subprocess.run(
            [sys.executable, __file__, "--sqlite", str(sqlite), "--export-for", email],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        figures["export"][label] = result
        print(f"export {label}: {result}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if not args.keep:
        for path in sqlite.parent.iterdir():
            path.unlink()
        sqlite.parent.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
