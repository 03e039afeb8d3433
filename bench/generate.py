#!/usr/bin/env python
"""Build a council-sized Alongside database in PostgreSQL, for the benchmarks.

    .venv/bin/python bench/generate.py --size small     # database bench_small: 1,000 clients
    .venv/bin/python bench/generate.py --size large     # database bench_large: 100,000 clients

It drops and re-creates the database (`--db`, default `bench_<size>`, on `--pg`, loopback only), migrates
it with Django, then writes the rows with PostgreSQL's COPY, skipping the ORM and the services: a few
million rows through the services would take hours. The shape follows the services' rules (one current
lead per circle, consent before sharing, notes written by circle members, actions owned by members), so
every page and endpoint works on it as on real data.

| size  | organisations | practitioners | clients | circle members | notes     | goals   | actions |
| ----- | ------------- | ------------- | ------- | -------------- | --------- | ------- | ------- |
| small | 12            | 100           | 1,000   | ~7,500         | 20,000    | 1,500   | 3,000   |
| large | 120           | 10,000        | 100,000 | ~750,000       | 2,000,000 | 150,000 | 300,000 |

Circles have 3–12 members (0–2 of them family), the first professional is the lead; 9 in 10 clients
have circle consent. Notes are spread over each client's life and stored in the order they were written,
all clients interleaved, as a real table fills; 15 % of clients have 3× the average (long, busy cases);
85 % are whole-circle, 8 % organisation-only, 5 % shared with the client, 2 % named people. Three in four
clients have a plan with two goals of two actions each, and their "created" rows in the plan's history.
Each note also has its `note.create` audit row (2,000,000 more rows in the large set), as the services
would have written.

Everyone signs in with the password `alongside-bench`; practitioners are p<N>@bench.example (p1, p2, …),
managers m<N>@…, admins a<N>@…. Random but repeatable: the same `--seed` builds the same rows.

Indexes and foreign keys of the big tables are dropped for the load and rebuilt after it (one sort each
instead of millions of random inserts), then the tables are ANALYZEd.
"""

import argparse
import datetime
import io
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SIZES = {
    "small": {"organisations": 12, "practitioners": 100, "clients": 1_000, "notes": 20_000},
    "large": {"organisations": 120, "practitioners": 10_000, "clients": 100_000, "notes": 2_000_000},
}
PASSWORD = "alongside-bench"
NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
CHUNK = 50_000

GIVEN = (
    "Aaliyah Aaron Abdul Ada Adam Aisha Alfie Ali Alice Amara Amelia Amir Amy Ana Anna Archie Arthur Ava "
    "Ayesha Bella Ben Bilal Billy Bogdan Callum Caleb Charlie Chloe Connor Daisy Daniel Darius David Dylan "
    "Eden Elijah Ella Ellie Emily Emma Erin Ethan Eva Evie Ewa Faith Fatima Finley Florence Freddie Freya "
    "George Grace Hannah Harley Harold Harry Harvey Hassan Henry Holly Ibrahim Imogen Isaac Isabella Isla "
    "Jack Jacob Jade Jake James Jamie Jasmine Jayden Jessica Joseph Joshua Kacper Kai Katie Kayla Keira Kian "
    "Layla Leah Leo Lewis Liam Lily Logan Lola Louie Lucas Lucy Luke Maisie Malik Maria Marcus Maryam Mason "
    "Matilda Max Maya Mia Michael Millie Mohammed Molly Muhammad Nathan Noah Olivia Omar Oscar Owen Phoebe "
    "Poppy Priya Rhys Riley Rosie Ruby Ryan Sam Samuel Sara Scarlett Sienna Sofia Sophie Stanley Summer "
    "Teddy Theo Thomas Toby Tommy Tyler Victoria Willow Yusuf Zain Zara Zofia"
).split()
FAMILY = (
    "Adams Ahmed Akhtar Ali Allen Anderson Asante Bailey Baker Barnes Bell Bennett Boateng Brown Butler "
    "Campbell Carter Chapman Clarke Collins Cook Cooper Cox Davies Davis Dixon Edwards Ellis Evans Fisher "
    "Fletcher Foster Fraser Gibson Graham Gray Green Griffiths Hall Harris Harrison Hill Holmes Hughes Hunt "
    "Hussain Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy Khan King Knight Kowalski Lee Lewis "
    "Lloyd Marshall Martin Mason Matthews Mensah Miller Mills Mitchell Moore Morgan Morris Murphy Murray "
    "Nowak Okafor Owen Palmer Parker Patel Pearson Phillips Powell Price Rahman Reid Reynolds Richards "
    "Richardson Roberts Robinson Rogers Rose Ross Russell Scott Shaw Simpson Singh Smith Stevens Stewart "
    "Taylor Thomas Thompson Turner Walker Ward Watson White Wilkinson Williams Wilson Wood Wright Young"
).split()
ORG_KINDS = ["social_care", "early_help", "health", "education", "housing", "police", "voluntary"]
ORG_WORDS = {
    "social_care": "Children's Social Care",
    "early_help": "Early Help",
    "health": "Community Health",
    "education": "Academy",
    "housing": "Housing Services",
    "police": "Police Safeguarding",
    "voluntary": "Family Support Trust",
}
PLACES = (
    "Northfield Eastgate Westbrook Southmead Riverside Hillcrest Oakwood Ashford Elmhurst Brookside Kingsway "
    "Queensgate Millbrook Fairview Highbury Lowfield Greenhill Stonebridge Meadowbank Woodside"
).split()
ROLES = [
    "key_worker", "social_worker", "family_support", "health_visitor", "nurse", "gp", "teacher",
    "housing_officer", "police_officer", "personal_adviser", "youth_worker", "advocate", "support_worker",
]  # fmt: skip
FAMILY_ROLES = [
    ("family_member", "Mother"),
    ("family_member", "Brother"),
    ("carer", "Carer"),
    ("friend", "Neighbour"),
]
STAGES = ["intake", "assessment", "planning", "support", "support", "support", "review", "closed"]
NOTE_KINDS = ["update", "update", "update", "visit", "phone_call", "meeting", "observation", "concern"]
NOTE_TEXTS = [
    "Home visit. {n} was in good spirits and showed me the new routine chart on the fridge.",
    "Phone call with {n}. The rent arrears letter has come again; we agreed to call the housing office together.",
    "School says attendance is up to 92 % this half term. {n} is proud of it.",
    "Missed appointment. Left a card and will try again on Thursday afternoon.",
    "Met {n} at the family hub. Talked through the budget sheet and the food bank referral.",
    "GP letter received: medication review booked for next month.",
    "{n} said the nights are still hard. Agreed a plan for what to do when things feel too much.",
    "Case discussion with the team. No new concerns; keep the current plan and review in four weeks.",
    "Joint visit with the health visitor. The flat is warm and tidy; the boiler has been fixed.",
    "{n} wants to try the cooking group at the community centre. I will find out the dates.",
    "Police contact overnight: a noise complaint, no offences. {n} was calm when we spoke this morning.",
    "Benefits form completed together and posted. Copy kept by {n}.",
]
GOALS = [
    ("I want to keep our flat", "No letters about rent for three months"),
    ("I want to go back to college", "I am enrolled and going three days a week"),
    ("I want to feel less alone", "I see someone I like at least twice a week"),
    ("I want my kids to get to school on time", "They are in class by 8:50 every day for a month"),
    ("I want to sleep better", "I sleep through most nights"),
    ("I want to sort out my money", "Bills paid on time, with a bit left over"),
]
ACTIONS = [
    "Call the housing office together", "Fill in the college form", "Find a cooking group nearby",
    "Set up a payment plan for the arrears", "Book a GP appointment", "Make a bedtime routine chart",
    "Visit the family hub", "Apply for the school uniform grant",
]  # fmt: skip
ACTION_STATUSES = ["not_started", "not_started", "in_progress", "in_progress", "done", "dropped"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--db", help="database name (default bench_<size>); dropped and re-created")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    host = args.pg.split("://", 1)[1].split("@")[-1].split("/")[0].rsplit(":", 1)[0]
    if host not in ("127.0.0.1", "localhost", "[::1]"):
        parser.error(f"loopback only: {args.pg}")
    args.db = args.db or f"bench_{args.size}"
    if not args.db.replace("_", "").isalnum():
        parser.error("--db: letters, digits and _ only")
    return args


# ---------------------------------------------------------------- COPY helpers


def ts(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def copy_rows(cursor, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    """COPY rows (tuples of str/int/None, nothing needing escapes) into `table`, in chunks."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(r"\N" if value is None else str(value) for value in row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def without_indexes(cursor, tables: list[str]) -> Callable[[], None]:
    """Drop the secondary indexes and foreign keys of `tables`; return a function that rebuilds them."""
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")

    def rebuild() -> None:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')

    return rebuild


# ---------------------------------------------------------------- the data


class World:
    """Everything generated, kept as plain lists so later tables can point at earlier rows."""

    def __init__(self, size: str, seed: int) -> None:
        self.size = SIZES[size]
        self.random = random.Random(seed)
        self.counts: dict[str, int] = {}

    def organisations(self) -> Iterator[tuple]:
        n = self.size["organisations"]
        self.org_ids = list(range(1, n + 1))
        for org_id in self.org_ids:
            kind = ORG_KINDS[(org_id - 1) % len(ORG_KINDS)]
            place = PLACES[(org_id - 1) // len(ORG_KINDS) % len(PLACES)]
            number = (org_id - 1) // (len(ORG_KINDS) * len(PLACES))
            name = f"{place} {ORG_WORDS[kind]}" + (f" {number + 1}" if number else "")
            yield (
                org_id,
                name,
                kind,
                f"0161 496 {org_id:04d}",
                False,
                ts(NOW - datetime.timedelta(days=900)),
            )

    def users(self, password_hash: str) -> Iterator[tuple]:
        rnd = self.random
        self.practitioners: list[tuple[int, int]] = []  # (user id, organisation id)
        user_id = 0
        joined = ts(NOW - datetime.timedelta(days=800))

        def row(prefix: str, number: int, role: str, org_id: int) -> tuple:
            name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
            email = f"{prefix}{number}@bench.example"
            return (
                user_id, password_hash, None, False, email, "professional", name, org_id, role,
                "", f"07700 9{user_id % 100000:05d}", False, True, joined,
            )  # fmt: skip

        for number in range(1, self.size["practitioners"] + 1):
            user_id += 1
            org_id = self.org_ids[(number - 1) % len(self.org_ids)]
            self.practitioners.append((user_id, org_id))
            yield row("p", number, "practitioner", org_id)
        for number, org_id in enumerate(self.org_ids, start=1):
            user_id += 1
            yield row("m", number, "manager", org_id)
            user_id += 1
            yield row("a", number, "admin", org_id)
        self.last_user_id = user_id

    def clients(self) -> Iterator[tuple]:
        rnd = self.random
        n = self.size["clients"]
        seen: set[str] = set()
        from circles.public_id import ALPHABET, check_symbol, display

        self.client_created: list[datetime.datetime] = [NOW] * (n + 1)
        for client_id in range(1, n + 1):
            while True:
                payload = "".join(rnd.choice(ALPHABET) for _ in range(7))
                public_id = display(payload + check_symbol(payload))
                if public_id not in seen:
                    seen.add(public_id)
                    break
            created = NOW - datetime.timedelta(days=rnd.randint(30, 1100), minutes=rnd.randint(0, 1440))
            self.client_created[client_id] = created
            born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rnd.randint(0, 29_000))
            given = rnd.choice(GIVEN)
            stage = rnd.choice(STAGES)
            yield (
                client_id, public_id, given, rnd.choice(FAMILY), "", born.isoformat(), "", "", "", "", "", "",
                stage, ts(created), None, 0, ts(NOW - datetime.timedelta(minutes=rnd.randint(0, 90_000))),
                ts(created), "goals_met" if stage == "closed" else "",
            )  # fmt: skip

    def members(self) -> Iterator[tuple]:
        rnd = self.random
        self.circles: list[list[tuple[int, int, int]]] = [[]]  # client -> [(member id, user id, org id)]
        self.leads: list[int] = [0]
        self.family: list[list[int]] = [[]]
        member_id = 0
        practitioners = self.practitioners
        for client_id in range(1, self.size["clients"] + 1):
            size = rnd.randint(3, 12)
            family = min(rnd.choice((0, 0, 0, 1, 1, 2)), size - 1)
            chosen = rnd.sample(practitioners, size - family)
            since = ts(self.client_created[client_id])
            circle = []
            for index, (user_id, org_id) in enumerate(chosen):
                member_id += 1
                lead = index == 0
                role = "lead_professional" if lead else rnd.choice(ROLES)
                circle.append((member_id, user_id, org_id))
                yield (
                    member_id, client_id, "professional", user_id, org_id, "", "", "", "", role,
                    lead, False, since, None, chosen[0][0],
                )  # fmt: skip
            family_ids = []
            for _ in range(family):
                member_id += 1
                role, relationship = rnd.choice(FAMILY_ROLES)
                family_ids.append(member_id)
                yield (
                    member_id, client_id, "family", None, None, f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}",
                    relationship, f"07700 8{member_id % 100000:05d}", "", role, False, False, since, None,
                    chosen[0][0],
                )  # fmt: skip
            self.circles.append(circle)
            self.leads.append(chosen[0][0])
            self.family.append(family_ids)

    def consents(self) -> Iterator[tuple]:
        rnd = self.random
        consent_id = 0
        self.consented = [False] * (self.size["clients"] + 1)
        for client_id in range(1, self.size["clients"] + 1):
            if rnd.random() < 0.9:
                consent_id += 1
                self.consented[client_id] = True
                created = self.client_created[client_id]
                yield (
                    consent_id, client_id, "circle", None, None, rnd.choice(("verbal", "written")), "The client",
                    created.date().isoformat(), None, self.leads[client_id], ts(created), None, None, "",
                )  # fmt: skip

    def notes(self) -> Iterator[tuple]:
        """Notes in the order they were written (all clients interleaved, as in a real table, so one
        client's notes are spread over the table rather than side by side); also remembers the
        named-people rows and the audit rows to write."""
        rnd = self.random
        n_clients = self.size["clients"]
        average = self.size["notes"] / n_clients
        # 15 % of clients are busy (3× the average), the rest share what is left: the total stays the target.
        quiet = average * (1 - 0.15 * 3) / 0.85
        remaining = self.size["notes"]
        texts = [text.replace("{n}", "They") for text in NOTE_TEXTS]
        written: list[tuple] = []
        for client_id in range(1, n_clients + 1):
            mean = average * 3 if rnd.random() < 0.15 else quiet
            count = min(remaining, max(0, round(rnd.uniform(0.5, 1.5) * mean)))
            if client_id == n_clients:
                count = remaining
            remaining -= count
            circle = self.circles[client_id]
            start = self.client_created[client_id]
            span = (NOW - start).total_seconds()
            for _ in range(count):
                _, author_id, org_id = rnd.choice(circle)
                roll = rnd.random()
                if roll < 0.85:
                    visibility = "circle"
                elif roll < 0.93:
                    visibility = "organisation"
                elif roll < 0.98:
                    visibility = "client"
                else:
                    visibility = "named"
                other = rnd.choice(circle)[1] if visibility == "named" else 0
                written.append(
                    (
                        start + datetime.timedelta(seconds=rnd.random() * span),
                        client_id, author_id, org_id, rnd.choice(NOTE_KINDS), rnd.choice(texts), visibility, other,
                    )
                )  # fmt: skip
        written.sort(key=lambda note: note[0])
        self.named: list[tuple[int, int]] = []
        self.note_audit: list[tuple[int, int, int, str]] = []
        for note_id, (created, client_id, author_id, org_id, kind, text, visibility, other) in enumerate(
            written, start=1
        ):
            if other and other != author_id:
                self.named.append((note_id, other))
            stamp = ts(created)
            self.note_audit.append((note_id, author_id, client_id, stamp))
            yield (note_id, client_id, author_id, org_id, kind, text, visibility, stamp)

    def note_named(self) -> Iterator[tuple]:
        for row_id, (note_id, user_id) in enumerate(self.named, start=1):
            yield (row_id, note_id, user_id)

    def audit(self) -> Iterator[tuple]:
        for row_id, (note_id, actor_id, client_id, stamp) in enumerate(self.note_audit, start=1):
            yield (
                row_id, stamp, actor_id, "note.create", client_id, "note", note_id, None, None, "127.0.0.1",
                "bench", "web", False,
            )  # fmt: skip

    def plan_changes(self) -> Iterator[tuple]:
        for row_id, (plan_id, goal_id, action_id, snapshot, actor, at) in enumerate(self.changes, start=1):
            yield (row_id, plan_id, goal_id, action_id, "created", None, snapshot, 1, actor, at)

    def plans(self) -> Iterator[tuple]:
        rnd = self.random
        self.plan_of: list[int] = [0] * (self.size["clients"] + 1)
        plan_id = 0
        n = self.size["clients"]
        with_plan = set(rnd.sample(range(1, n + 1), n * 3 // 4))
        for client_id in range(1, n + 1):
            if client_id in with_plan:
                plan_id += 1
                self.plan_of[client_id] = plan_id
                yield (plan_id, client_id, 1, ts(self.client_created[client_id]))

    def goals_and_actions(self) -> tuple[list[tuple], list[tuple]]:
        rnd = self.random
        goals, actions = [], []
        self.changes: list[tuple] = []  # each goal's and action's "created" row in the plan's history
        goal_id = action_id = 0
        today = NOW.date()
        for client_id in range(1, self.size["clients"] + 1):
            plan_id = self.plan_of[client_id]
            if not plan_id:
                continue
            lead = self.leads[client_id]
            created = ts(self.client_created[client_id])
            owners = [member for member, _, _ in self.circles[client_id]] + self.family[client_id]
            for position, (words, success) in enumerate(rnd.sample(GOALS, 2)):
                goal_id += 1
                review = (today + datetime.timedelta(days=rnd.randint(-30, 120))).isoformat()
                goals.append(
                    (goal_id, plan_id, position, words, success, review, True, 1, lead, created, None)
                )
                snapshot = {"in_own_words": words, "success_looks_like": success, "review_on": review}
                self.changes.append((plan_id, goal_id, None, json.dumps(snapshot), lead, created))
                for action_position in range(2):
                    action_id += 1
                    status = rnd.choice(ACTION_STATUSES)
                    self.changes.append(
                        (plan_id, None, action_id, json.dumps({"status": "not_started"}), lead, created)
                    )
                    owner_is_client = rnd.random() < 0.1
                    due = (today + datetime.timedelta(days=rnd.randint(-40, 90))).isoformat()
                    actions.append((
                        action_id, goal_id, action_position, rnd.choice(ACTIONS),
                        None if owner_is_client else rnd.choice(owners), owner_is_client, due, status,
                        "Not needed any more" if status == "dropped" else "", True, 1, lead, created, None,
                    ))  # fmt: skip
        return goals, actions


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    url = f"{args.pg.rstrip('/')}/{args.db}"
    os.environ.update(
        {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "alongside.settings", "LOG_LEVEL": "ERROR"}
    )
    os.environ.pop("REDIS_URL", None)

    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.db}"')

    def step(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)

    step(f"migrating {args.db}")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=REPO, check=True)

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    world = World(args.size, args.seed)
    tables = {
        "network_organisation": ["id", "name", "kind", "phone", "require_two_factor", "created_at"],
        "network_user": [
            "id", "password", "last_login", "is_superuser", "email", "kind", "full_name", "organisation_id",
            "org_role", "job_title", "phone", "is_staff", "is_active", "date_joined",
        ],
        "circles_client": [
            "id", "public_id", "given_name", "family_name", "preferred_name", "date_of_birth", "pronouns",
            "language", "phone", "email", "address", "accessibility_needs", "stage", "created_at",
            "created_by_id", "last_event_seq", "last_activity_at", "stage_since", "outcome",
        ],
        "circles_circlemember": [
            "id", "client_id", "kind", "user_id", "organisation_id", "name", "relationship", "phone", "email",
            "role", "is_lead", "is_hidden", "since", "until", "added_by_id",
        ],
        "circles_consent": [
            "id", "client_id", "scope", "organisation_id", "family_member_id", "method", "given_by", "given_on",
            "expires_on", "recorded_by_id", "recorded_at", "withdrawn_at", "withdrawn_by_id", "withdrawal_note",
        ],
        "sharing_note": ["id", "client_id", "author_id", "organisation_id", "kind", "text", "visibility", "created_at"],
        "sharing_note_named_people": ["id", "note_id", "user_id"],
        "audit_auditevent": [
            "id", "at", "actor_id", "action", "client_id", "object_type", "object_id", "before", "after",
            "ip_address", "user_agent", "via", "emergency",
        ],
        "sharing_plan": ["id", "client_id", "version", "created_at"],
        "sharing_goal": [
            "id", "plan_id", "position", "in_own_words", "success_looks_like", "review_on", "shared_with_client",
            "version", "created_by_id", "created_at", "removed_at",
        ],
        "sharing_planchange": [
            "id", "plan_id", "goal_id", "action_id", "field", "old_value", "new_value", "version", "actor_id", "at",
        ],
        "sharing_action": [
            "id", "goal_id", "position", "what", "owner_id", "owner_is_client", "due_on", "status",
            "dropped_reason", "shared_with_client", "version", "created_by_id", "created_at", "removed_at",
        ],
    }  # fmt: skip

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        rebuild = without_indexes(cursor, list(tables))

        def load(table: str, rows: Iterator[tuple]) -> None:
            count = copy_rows(cursor, table, tables[table], rows)
            world.counts[table] = count
            step(f"{table}: {count:,} rows")

        load("network_organisation", world.organisations())
        load("network_user", world.users(make_password(PASSWORD)))
        load("circles_client", world.clients())
        load("circles_circlemember", world.members())
        load("circles_consent", world.consents())
        load("sharing_note", world.notes())
        load("sharing_note_named_people", world.note_named())
        load("audit_auditevent", world.audit())
        world.note_audit = []
        load("sharing_plan", world.plans())
        goals, actions = world.goals_and_actions()
        load("sharing_goal", iter(goals))
        load("sharing_action", iter(actions))
        load("sharing_planchange", world.plan_changes())
        # Latest activity: the newest note, as the services keep it.
        cursor.execute(
            """
            UPDATE circles_client c SET last_activity_at = n.latest
            FROM (SELECT client_id, max(created_at) AS latest FROM sharing_note GROUP BY client_id) n
            WHERE n.client_id = c.id
            """
        )
        step("rebuilding indexes and foreign keys")
        rebuild()
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"
            )
        connection.commit()

    with psycopg.connect(url, autocommit=True) as connection:
        step("VACUUM ANALYZE")
        connection.execute("VACUUM ANALYZE")
        size = connection.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]

    step(f"done: {args.db} ({size}), everyone's password is {PASSWORD!r}")
    for table, count in world.counts.items():
        print(f"  {table:28} {count:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
