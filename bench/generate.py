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

| size  | stage changes | assessments | board cards | scales  | referrals | meetings | agenda items |
| ----- | ------------- | ----------- | ----------- | ------- | --------- | -------- | ------------ |
| small | ~2,700        | ~1,300      | ~3,800      | ~6,500  | ~190      | ~34      | ~110         |
| large | ~274,000      | ~131,000    | ~375,000    | ~640,000| ~18,000   | ~3,900   | ~13,700      |

Circles have 3–12 members (0–2 of them family), the first professional is the lead; 9 in 10 clients
have circle consent. Notes are spread over each client's life and stored in the order they were written,
all clients interleaved, as a real table fills; 15 % of clients have 3× the average (long, busy cases);
85 % are whole-circle, 8 % organisation-only, 5 % shared with the client, 2 % named people. Three in four
clients have a plan with two goals of two actions each, and their "created" rows in the plan's history.
Each note also has its `note.create` audit row (2,000,000 more rows in the large set), as the services
would have written.

The newer apps' rows (drawn from a second random stream, so the rows above stay as they were before them):

- teams: four per organisation; practitioners are spread over their organisation's four teams;
- stage history (`circles_stagechange`): every move that brought the client from intake to their stage,
  spread over the case's life, by the lead; the client's `stage_since` is the last move; a closing records
  an outcome (mostly goals met); one in ten clients in support got there again by a reopening;
- completed assessments: two in five clients have one or two of the shipped instruments (the versions the
  migrations load), each with a baseline a few weeks after the case opened and 0–4 follow-ups 6–12 weeks
  apart, most getting a little better; answers, result, total, band and flag are worked out with
  `assessments.scoring`, as the services do (~130,000 in the large set);
- board cards: half the clients have a board of 3–12 cards (worries, what's working well, next steps),
  a fifth of the worries closed, some next steps already plan goals and some worries linked to the goal
  that addresses them (~375,000); scales from 1–4 members every few weeks on two boards in three (~640,000);
- referrals: one in five clients with consent, from the lead's organisation to another, at every point of
  the loop (waiting, more information asked, accepted, first contact, outcome, declined, withdrawn), with
  each step in `referrals_referralstep` (~18,000 and ~52,000);
- meetings: about one per 25 clients of each organisation over the last 18 months and the next two,
  chaired by the organisation's manager, with 2–5 of its clients on the agenda (under their consent, or
  without it with a reason); past ones ended, four in five with minutes signed off (~3,900 and ~13,700).

Not written: audit rows and events for these (only notes have theirs), card histories, portal accounts.

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
TEAMS = ["North", "South", "East", "West"]
PATH = ["intake", "assessment", "planning", "support", "review", "closed"]
STAGE_REASONS = {
    "assessment": "First visit done; getting to know the family's situation",
    "planning": "Assessment finished; agreeing the plan together",
    "support": "Plan agreed; the support is under way",
    "review": "Time to look at how the plan is going",
    "closed": "Review held; the family is ready to carry on without us",
}
OUTCOMES = ["goals_met", "goals_met", "goals_met", "partly_met", "partly_met", "not_met", "moved_away",
            "no_longer_wanted", "transferred"]  # fmt: skip
# Instruments by code (shipped by the migrations), how often a client has each.
INSTRUMENT_WEIGHTS = {"wellbeing-domains": 4, "phq-9": 3, "gad-7": 2, "ons4": 2}
NARRATIVES = [
    "Talked it through together at home.", "Said it has been a hard few weeks.",
    "Feels things are moving in the right direction.", "Much the same as last time.",
]  # fmt: skip
CARD_TEXTS = {
    "worry": [
        ("harm", "Rent arrears have reached two months; a notice seeking possession came last week"),
        ("harm", "Missed three school days this month"),
        ("danger", "Could lose the flat if the arrears keep growing"),
        ("danger", "Mum may stop taking her medication when she is low"),
        ("complicating", "No family nearby to help with the children"),
        ("complicating", "The bus to the hospital takes over an hour"),
    ],
    "working_well": [
        ("", "Grandma visits every Sunday and the children love it"),
        ("", "Goes to the cooking group at the family hub each week"),
        ("", "Keeps every appointment with the health visitor"),
        ("", "The school knows the family well and keeps in touch"),
    ],
    "next_step": [
        ("", "Set up a payment plan with the housing office"),
        ("", "Find a place at the holiday club"),
        ("", "Book the GP medication review"),
        ("", "Agree a morning routine for school days"),
    ],
}
REFERRAL_SERVICES = [
    (
        "Debt advice",
        "Help to set up a payment plan for the rent arrears",
        "Arrears are growing; a notice came",
    ),
    (
        "Family support",
        "A family support worker for mornings and bedtimes",
        "Mum is struggling with routines",
    ),
    ("Talking therapy", "An assessment for talking therapy", "Low mood for several months"),
    ("Youth club", "A place at the youth club two evenings a week", "Wants to meet people his age"),
]
REFERRAL_STATUSES = (["sent"] * 10 + ["more_info"] * 3 + ["accepted"] * 12 + ["contacted"] * 20 + ["closed"] * 40
                     + ["declined"] * 10 + ["withdrawn"] * 5)  # fmt: skip
REFERRAL_OUTCOMES = ["got_help"] * 6 + [
    "could_not_contact",
    "not_eligible",
    "no_capacity",
    "no_longer_wanted",
]


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


def text_value(value: str) -> str:
    """A string as COPY's text format wants it (JSON with backslashes, band labels, …)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def as_json(value: object) -> str:
    return text_value(json.dumps(value, ensure_ascii=False))


def copy_rows(cursor, table: str, columns: list[str], rows: Iterator[tuple]) -> int:
    """COPY rows (tuples of str/int/None, nothing needing escapes) into `table`, in chunks."""
    count = 0
    quoted = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
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


def check_columns(cursor, tables: dict[str, list[str]]) -> None:
    """Stop before loading if a table has a NOT NULL column (without a database default) that the generator
    does not write: the migrations moved on and this file has to follow."""
    missing = []
    for table, columns in tables.items():
        cursor.execute(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = %s AND is_nullable = 'NO'
              AND (column_default IS NULL OR column_default NOT LIKE 'nextval%%')
            """,
            [table],
        )
        missing += [f"{table}.{name}" for (name,) in cursor if name not in columns]
    if missing:
        raise SystemExit(f"bench/generate.py does not write these NOT NULL columns: {', '.join(missing)}")


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
        # The newer tables draw from their own generator, so the older tables' rows stay as they were.
        self.extra = random.Random(f"{seed}-extra")
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

    def teams(self) -> Iterator[tuple]:
        """Four teams per organisation; team (org, t) has the id (org - 1) * 4 + t + 1."""
        for org_id in self.org_ids:
            for t, name in enumerate(TEAMS):
                yield (
                    (org_id - 1) * len(TEAMS) + t + 1,
                    org_id,
                    f"{name} team",
                    ts(NOW - datetime.timedelta(days=900)),
                )

    def users(self, password_hash: str) -> Iterator[tuple]:
        rnd = self.random
        self.practitioners: list[tuple[int, int]] = []  # (user id, organisation id)
        self.staff: dict[int, list[int]] = {org_id: [] for org_id in self.org_ids}  # practitioners by org
        self.managers: dict[int, int] = {}
        user_id = 0
        joined = ts(NOW - datetime.timedelta(days=800))

        def row(prefix: str, number: int, role: str, org_id: int, team_id: int | None) -> tuple:
            name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
            email = f"{prefix}{number}@bench.example"
            return (
                user_id, password_hash, None, False, email, "professional", name, org_id, role,
                "", f"07700 9{user_id % 100000:05d}", False, True, joined, team_id,
            )  # fmt: skip

        n_orgs = len(self.org_ids)
        for number in range(1, self.size["practitioners"] + 1):
            user_id += 1
            org_id = self.org_ids[(number - 1) % n_orgs]
            self.practitioners.append((user_id, org_id))
            self.staff[org_id].append(user_id)
            team_id = (org_id - 1) * len(TEAMS) + ((number - 1) // n_orgs) % len(TEAMS) + 1
            yield row("p", number, "practitioner", org_id, team_id)
        for number, org_id in enumerate(self.org_ids, start=1):
            user_id += 1
            self.managers[org_id] = user_id
            yield row("m", number, "manager", org_id, None)
            user_id += 1
            yield row("a", number, "admin", org_id, None)
        self.last_user_id = user_id

    def clients(self) -> Iterator[tuple]:
        rnd = self.random
        n = self.size["clients"]
        seen: set[str] = set()
        from circles.public_id import ALPHABET, check_symbol, display

        self.client_created: list[datetime.datetime] = [NOW] * (n + 1)
        self.stage_moves: list[list[tuple]] = []
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
            moves = self.stage_history(created, stage)
            self.stage_moves.append(moves)
            yield (
                client_id, public_id, given, rnd.choice(FAMILY), "", born.isoformat(), "", "", "", "", "", "",
                stage, ts(created), None, 0, ts(NOW - datetime.timedelta(minutes=rnd.randint(0, 90_000))),
                ts(moves[-1][3] if moves else created), moves[-1][2] if stage == "closed" else "",
            )  # fmt: skip

    def stage_history(self, created: datetime.datetime, stage: str) -> list[tuple]:
        """The moves that brought a client from intake to `stage`: (from, to, outcome, at, reopening).
        One in ten clients in support got there again by a reopening after closing."""
        rnd = self.extra
        path = PATH[: PATH.index(stage) + 1]
        reopened = stage == "support" and rnd.random() < 0.1
        if reopened:
            path = PATH + ["support"]
        steps = len(path) - 1
        span = (NOW - datetime.timedelta(days=2) - created).total_seconds()
        times = sorted(created + datetime.timedelta(seconds=rnd.random() * span) for _ in range(steps))
        moves = []
        for index, at in enumerate(times):
            to = path[index + 1]
            outcome = rnd.choice(OUTCOMES) if to == "closed" else ""
            moves.append((path[index], to, outcome, at, reopened and index == steps - 1))
        return moves

    def stage_changes(self) -> Iterator[tuple]:
        row_id = 0
        for client_id, moves in enumerate(self.stage_moves):
            for from_stage, to_stage, outcome, at, reopening in moves:
                row_id += 1
                reason = (
                    "Reopened: new worries after the case closed" if reopening else STAGE_REASONS[to_stage]
                )
                yield (
                    row_id,
                    client_id + 1,
                    from_stage,
                    to_stage,
                    reason,
                    outcome,
                    reopening,
                    self.leads[client_id + 1],
                    ts(at),
                )

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
                    lead, False, "", since, None, chosen[0][0],
                )  # fmt: skip
            family_ids = []
            for _ in range(family):
                member_id += 1
                role, relationship = rnd.choice(FAMILY_ROLES)
                family_ids.append(member_id)
                yield (
                    member_id, client_id, "family", None, None, f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}",
                    relationship, f"07700 8{member_id % 100000:05d}", "", role, False, False, "", since, None,
                    chosen[0][0],
                )  # fmt: skip
            self.circles.append(circle)
            self.leads.append(chosen[0][0])
            self.family.append(family_ids)

    def consents(self) -> Iterator[tuple]:
        rnd = self.random
        consent_id = 0
        self.consented = [False] * (self.size["clients"] + 1)
        self.consent_of = [0] * (self.size["clients"] + 1)
        for client_id in range(1, self.size["clients"] + 1):
            if rnd.random() < 0.9:
                consent_id += 1
                self.consented[client_id] = True
                self.consent_of[client_id] = consent_id
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
        for row_id, (plan_id, goal_id, action_id, field, old, new, version, actor, at) in enumerate(
            self.changes, start=1
        ):
            yield (row_id, plan_id, goal_id, action_id, field, old, new, version, actor, at)

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
        # The plan's history: each goal's and action's "created" row; then (drawn from the second random
        # stream) each action's move to its status now, and the review date moved on for half the goals.
        self.changes: list[tuple] = []
        extra = self.extra
        goal_id = action_id = 0
        today = NOW.date()
        self.goals_of: dict[int, list[int]] = {}
        for client_id in range(1, self.size["clients"] + 1):
            plan_id = self.plan_of[client_id]
            if not plan_id:
                continue
            lead = self.leads[client_id]
            created_at = self.client_created[client_id]
            created = ts(created_at)
            owners = [member for member, _, _ in self.circles[client_id]] + self.family[client_id]
            for position, (words, success) in enumerate(rnd.sample(GOALS, 2)):
                goal_id += 1
                self.goals_of.setdefault(client_id, []).append(goal_id)
                review = (today + datetime.timedelta(days=rnd.randint(-30, 120))).isoformat()
                first_review = review
                reviewed_at = None
                if extra.random() < 0.5:  # reviewed once: the date moved on from an earlier one
                    earlier = datetime.date.fromisoformat(review) - datetime.timedelta(
                        days=extra.randint(60, 120)
                    )
                    moment = datetime.datetime.combine(earlier, datetime.time(10), tzinfo=datetime.UTC)
                    moment += datetime.timedelta(days=extra.randint(-10, 14))
                    if created_at < moment < NOW:
                        first_review, reviewed_at = earlier.isoformat(), moment
                goals.append((
                    goal_id, plan_id, position, words, success, review, True, 2 if reviewed_at else 1, lead, created,
                    None, "",
                ))  # fmt: skip
                snapshot = {"in_own_words": words, "success_looks_like": success, "review_on": first_review}
                self.changes.append(
                    (plan_id, goal_id, None, "created", None, json.dumps(snapshot), 1, lead, created)
                )
                if reviewed_at:
                    self.changes.append((
                        plan_id, goal_id, None, "review_on", json.dumps(first_review), json.dumps(review), 2, lead,
                        ts(reviewed_at),
                    ))  # fmt: skip
                for action_position in range(2):
                    action_id += 1
                    status = rnd.choice(ACTION_STATUSES)
                    self.changes.append((
                        plan_id, None, action_id, "created", None, json.dumps({"status": "not_started"}), 1, lead,
                        created,
                    ))  # fmt: skip
                    owner_is_client = rnd.random() < 0.1
                    due = (today + datetime.timedelta(days=rnd.randint(-40, 90))).isoformat()
                    version = 1
                    if status != "not_started":  # moved to its status around its due date (most on time)
                        due_at = datetime.datetime.combine(
                            datetime.date.fromisoformat(due), datetime.time(15), tzinfo=datetime.UTC
                        )
                        moment = due_at - datetime.timedelta(days=extra.uniform(-15, 40))
                        moment = min(max(moment, created_at + datetime.timedelta(hours=1)), NOW)
                        version = 2
                        self.changes.append((
                            plan_id, None, action_id, "status", json.dumps("not_started"), json.dumps(status), 2,
                            lead, ts(moment),
                        ))  # fmt: skip
                    actions.append((
                        action_id, goal_id, action_position, rnd.choice(ACTIONS),
                        None if owner_is_client else rnd.choice(owners), owner_is_client, due, status,
                        "Not needed any more" if status == "dropped" else "", True, version, lead, created, None,
                    ))  # fmt: skip
        return goals, actions

    # ------------------------------------------------------------ the newer apps (their own random stream)

    def professionals(self, client_id: int) -> list[tuple[int, int, int]]:
        return self.circles[client_id]

    def assessments(self, versions: dict[str, tuple[int, int, dict]]) -> Iterator[tuple]:
        """Completed assessments: two in five clients have 1–2 instruments, each with a baseline a few weeks
        after the case opened and 0–4 follow-ups 6–12 weeks apart, most getting a little better. Scored with
        the instrument's own rules (assessments.scoring), as the services do."""
        from assessments import scoring

        rnd = self.extra
        codes = [code for code in INSTRUMENT_WEIGHTS if code in versions]
        weights = [INSTRUMENT_WEIGHTS[code] for code in codes]
        row_id = 0
        for client_id in range(1, self.size["clients"] + 1):
            if rnd.random() >= 0.4:
                continue
            chosen = set(rnd.choices(codes, weights, k=rnd.choice((1, 1, 2))))
            start = self.client_created[client_id]
            for code in sorted(chosen):
                instrument_id, version_id, definition = versions[code]
                low, high = definition["scale"]["min"], definition["scale"]["max"]
                severity = rnd.uniform(0.25, 0.85)  # 1 = as bad as the scale goes
                at = start + datetime.timedelta(days=rnd.uniform(7, 60))
                for _ in range(1 + rnd.choice((0, 1, 1, 2, 2, 3, 4))):
                    if at >= NOW:
                        break
                    answers = {}
                    for item in definition["items"]:
                        lower_is_better = item.get("direction", definition["direction"]) == "lower_is_better"
                        level = min(1.0, max(0.0, severity + rnd.gauss(0, 0.15)))
                        value = round(low + (high - low) * (level if lower_is_better else 1 - level))
                        if any(flag["item"] == item["code"] for flag in definition.get("flags", [])):
                            value = value if rnd.random() < 0.1 else low
                        narrative = rnd.choice(NARRATIVES) if item.get("narrative") == "required" else ""
                        answers[item["code"]] = {"score": value, "narrative": narrative}
                    result = scoring.score(definition, answers)
                    _, author_id, org_id = rnd.choice(self.circles[client_id])
                    row_id += 1
                    stamp = ts(at)
                    yield (
                        row_id, client_id, instrument_id, version_id, author_id, org_id,
                        rnd.choice(("practitioner", "practitioner", "together")), "circle", "completed",
                        as_json(answers), as_json(result), result["total"] if result["total"] is not None else None,
                        text_value(result["band"]), bool(result["flags"]), stamp, stamp, None, "", stamp, stamp,
                    )  # fmt: skip
                    severity = min(1.0, max(0.0, severity + rnd.uniform(-0.2, 0.07)))
                    at += datetime.timedelta(days=rnd.uniform(42, 84))

    def cards(self) -> Iterator[tuple]:
        """Half the clients have a board of 3–12 cards; a fifth of the worries are closed; some next steps
        are already plan goals, and some worries are linked to the goal that addresses them."""
        rnd = self.extra
        row_id = 0
        self.boards: list[int] = []
        columns = ["worry"] * 4 + ["working_well"] * 4 + ["next_step"] * 2
        for client_id in range(1, self.size["clients"] + 1):
            if rnd.random() >= 0.5:
                continue
            self.boards.append(client_id)
            start = self.client_created[client_id]
            span = (NOW - start).total_seconds()
            goals = self.goals_of.get(client_id, [])
            positions = {"worry": 0, "working_well": 0, "next_step": 0}
            for _ in range(rnd.randint(3, 12)):
                column = rnd.choice(columns)
                kind, text = rnd.choice(CARD_TEXTS[column])
                _, author_id, org_id = rnd.choice(self.circles[client_id])
                created = start + datetime.timedelta(seconds=rnd.random() * span)
                roll = rnd.random()
                visibility = "circle" if roll < 0.85 else "organisation" if roll < 0.95 else "client"
                closed = column == "worry" and rnd.random() < 0.2
                closed_at = ts(created + (NOW - created) * rnd.random()) if closed else None
                goal = rnd.choice(goals) if goals and column == "next_step" and rnd.random() < 0.3 else None
                addressed = rnd.choice(goals) if goals and column == "worry" and rnd.random() < 0.3 else None
                row_id += 1
                yield (
                    row_id, client_id, column, kind, text, author_id, org_id, False, visibility, positions[column],
                    1, ts(created), ts(created), closed_at, "No longer a worry" if closed else "",
                    author_id if closed else None, goal, None, addressed,
                )  # fmt: skip
                positions[column] += 1

    def scales(self) -> Iterator[tuple]:
        """On two in three boards, 1–4 members give a 0–10 scale every few weeks, mostly rising."""
        rnd = self.extra
        row_id = 0
        for client_id in self.boards:
            if rnd.random() >= 2 / 3:
                continue
            people = rnd.sample(self.circles[client_id], min(len(self.circles[client_id]), rnd.randint(1, 4)))
            for _, person_id, org_id in people:
                score = rnd.randint(1, 6)
                at = self.client_created[client_id] + datetime.timedelta(days=rnd.uniform(14, 90))
                while at < NOW:
                    row_id += 1
                    yield (row_id, client_id, person_id, org_id, False, score, "Things are moving", ts(at))
                    score = min(10, max(0, score + rnd.choice((-1, 0, 1, 1, 2))))
                    at += datetime.timedelta(days=rnd.uniform(21, 120))

    def referrals(self) -> Iterator[tuple]:
        """One in five clients with consent has a referral from the lead's organisation to another; every
        step of its loop is kept (self.referral_steps)."""
        rnd = self.extra
        row_id = 0
        self.referral_steps: list[tuple] = []
        hour = datetime.timedelta(hours=1)
        for client_id in range(1, self.size["clients"] + 1):
            if not self.consented[client_id] or rnd.random() >= 0.2:
                continue
            _, referrer, from_org = self.circles[client_id][0]
            to_org = rnd.choice([org for org in self.org_ids if org != from_org])
            start = self.client_created[client_id]
            created = start + (NOW - datetime.timedelta(days=1) - start) * rnd.random()
            status = rnd.choice(REFERRAL_STATUSES)
            answered = min(created + datetime.timedelta(days=rnd.uniform(0.2, 14)), NOW - hour)
            if status in ("accepted", "contacted", "closed", "declined") and answered <= created:
                status = "sent"
            answerer = rnd.choice(self.staff[to_org])
            worker = rnd.choice(self.staff[to_org]) if status in ("accepted", "contacted", "closed") else None
            contact = None
            if status in ("contacted", "closed"):
                contact = min(answered + datetime.timedelta(days=rnd.uniform(1, 20)), NOW - hour)
            closed_at = None
            if status == "closed":
                closed_at = min(contact + datetime.timedelta(days=rnd.uniform(7, 90)), NOW - hour)
            elif status == "declined":
                closed_at = answered
            elif status == "withdrawn":
                closed_at = min(created + datetime.timedelta(days=rnd.uniform(1, 10)), NOW - hour)
            service, asked, reason = rnd.choice(REFERRAL_SERVICES)
            row_id += 1
            yield (
                row_id, client_id, from_org, to_org, referrer, service, asked, reason,
                rnd.choice(("routine", "routine", "soon", "urgent")), '["circle", "now"]', "", self.consent_of[client_id],
                status, ts(created), (created.date() + datetime.timedelta(days=10)).isoformat(),
                ts(answered) if status in ("accepted", "contacted", "closed", "declined") else None,
                answerer if status in ("accepted", "contacted", "closed", "declined") else None, worker,
                "We have no places for this age group" if status == "declined" else "", "",
                contact.date().isoformat() if contact else None,
                rnd.choice(REFERRAL_OUTCOMES) if status == "closed" else "", "", ts(closed_at) if closed_at else None,
            )  # fmt: skip
            steps = [("sent", referrer, from_org, created)]
            if status == "more_info":
                steps.append(("more_info", answerer, to_org, answered))
            if status in ("accepted", "contacted", "closed"):
                steps.append(("accepted", answerer, to_org, answered))
            if status == "declined":
                steps.append(("declined", answerer, to_org, answered))
            if contact:
                steps.append(("first_contact", worker, to_org, contact))
            if status == "closed":
                steps.append(("outcome", worker, to_org, closed_at))
            if status == "withdrawn":
                steps.append(("withdrawn", referrer, from_org, closed_at))
            for kind, actor, org, at in steps:
                self.referral_steps.append((row_id, kind, actor, org, ts(at)))

    def referral_step_rows(self) -> Iterator[tuple]:
        for step_id, (referral_id, kind, actor, org, at) in enumerate(self.referral_steps, start=1):
            yield (step_id, referral_id, kind, actor, org, "", at)

    def meetings(self, type_ids: list[int]) -> Iterator[tuple]:
        """About one meeting per 25 clients over the last 18 months (and the next two), chaired by the
        organisation's manager, with 2–5 of its clients on the agenda; past ones ended, most signed off
        within their 5 working days (self.agenda)."""
        rnd = self.extra
        by_org: dict[int, list[int]] = {org: [] for org in self.org_ids}
        for client_id in range(1, self.size["clients"] + 1):
            by_org[self.circles[client_id][0][2]].append(client_id)
        self.agenda: list[tuple] = []
        row_id = 0
        for org_id in self.org_ids:
            clients = by_org[org_id]
            chair = self.managers[org_id]
            for _ in range(len(clients) // 25):
                starts = NOW + datetime.timedelta(days=rnd.uniform(-540, 60))
                past = starts < NOW - datetime.timedelta(hours=2)
                due = starts.date() + datetime.timedelta(days=7)
                signed = past and rnd.random() < 0.8
                signed_at = starts + datetime.timedelta(days=rnd.uniform(0.5, 12)) if signed else None
                if signed_at and signed_at > NOW:
                    signed_at = NOW - datetime.timedelta(minutes=5)
                row_id += 1
                type_id = rnd.choice(type_ids)
                yield (
                    row_id, None, type_id, f"Case meeting {starts:%d %b %Y}", ts(starts), 90, "Family hub, room 2",
                    "", chair, chair, True, "ended" if past else "scheduled", None, None,
                    ts(starts) if past else None, ts(starts + datetime.timedelta(minutes=90)) if past else None,
                    "signed" if signed else "draft", due.isoformat() if past else None,
                    ts(signed_at) if signed_at else None, "", None, None, chair,
                    ts(starts - datetime.timedelta(days=14)),
                )  # fmt: skip
                for position, client_id in enumerate(
                    rnd.sample(clients, min(len(clients), rnd.randint(2, 5)))
                ):
                    consent = self.consent_of[client_id] or None
                    self.agenda.append((
                        row_id, client_id, position, "Review how the plan is going", 20,
                        "consent" if consent else "without_consent", consent,
                        "" if consent else "Risk of serious harm to the children; the lead agreed it with the manager",
                        "Agreed the next steps; review in six weeks." if past else "", 1,
                        "closed" if past else "open", None, False, chair, ts(starts - datetime.timedelta(days=7)),
                    ))  # fmt: skip

    def agenda_items(self) -> Iterator[tuple]:
        for item_id, row in enumerate(self.agenda, start=1):
            yield (item_id, *row)


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
        "network_team": ["id", "organisation_id", "name", "created_at"],
        "network_user": [
            "id", "password", "last_login", "is_superuser", "email", "kind", "full_name", "organisation_id",
            "org_role", "job_title", "phone", "is_staff", "is_active", "date_joined", "team_id",
        ],
        "circles_client": [
            "id", "public_id", "given_name", "family_name", "preferred_name", "date_of_birth", "pronouns",
            "language", "phone", "email", "address", "accessibility_needs", "stage", "created_at",
            "created_by_id", "last_event_seq", "last_activity_at", "stage_since", "outcome",
        ],
        "circles_circlemember": [
            "id", "client_id", "kind", "user_id", "organisation_id", "name", "relationship", "phone", "email",
            "role", "is_lead", "is_hidden", "hidden_reason", "since", "until", "added_by_id",
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
            "version", "created_by_id", "created_at", "removed_at", "addresses_item",
        ],
        "sharing_planchange": [
            "id", "plan_id", "goal_id", "action_id", "field", "old_value", "new_value", "version", "actor_id", "at",
        ],
        "sharing_action": [
            "id", "goal_id", "position", "what", "owner_id", "owner_is_client", "due_on", "status",
            "dropped_reason", "shared_with_client", "version", "created_by_id", "created_at", "removed_at",
        ],
        "circles_stagechange": [
            "id", "client_id", "from_stage", "to_stage", "reason", "outcome", "is_reopening", "by_id", "at",
        ],
        "assessments_assessment": [
            "id", "client_id", "instrument_id", "version_id", "author_id", "organisation_id", "completed_by",
            "visibility", "status", "answers", "result", "total", "band", "flagged", "completed_at", "recorded_at",
            "amends_id", "amendment_reason", "created_at", "updated_at",
        ],
        "board_card": [
            "id", "client_id", "column", "kind", "text", "author_id", "organisation_id", "by_client", "visibility",
            "position", "version", "created_at", "updated_at", "closed_at", "closed_reason", "closed_by_id",
            "goal_id", "action_id", "addressed_by_id",
        ],
        "board_scale": ["id", "client_id", "person_id", "organisation_id", "by_client", "score", "why", "at"],
        "referrals_referral": [
            "id", "client_id", "from_organisation_id", "to_organisation_id", "referrer_id", "service", "asked",
            "reason", "urgency", "shares", "now_summary", "consent_id", "status", "created_at", "answer_due_on",
            "answered_at", "answered_by_id", "worker_id", "declined_reason", "suggestion", "first_contact_on",
            "outcome", "outcome_note", "closed_at",
        ],
        "referrals_referralstep": ["id", "referral_id", "kind", "actor_id", "organisation_id", "text", "at"],
        "conferences_meeting": [
            "id", "panel_id", "type_id", "title", "starts_at", "duration_minutes", "place", "video_link", "chair_id",
            "minute_taker_id", "family_invited", "status", "current_item_id", "item_started_at", "opened_at",
            "ended_at", "minutes_status", "minutes_due_on", "signed_off_at", "family_summary", "family_summary_at",
            "next_meeting_on", "created_by_id", "created_at",
        ],
        "conferences_agendaitem": [
            "id", "meeting_id", "client_id", "position", "reason", "slot_minutes", "basis", "consent_id",
            "without_consent_reason", "minutes", "version", "status", "next_review_on", "close_case", "added_by_id",
            "added_at",
        ],
    }  # fmt: skip

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        check_columns(cursor, tables)
        cursor.execute(
            """
            SELECT i.code, i.id, v.id, v.definition FROM assessments_instrument i
            JOIN assessments_instrumentversion v ON v.instrument_id = i.id AND v.number = i.current_version
            WHERE i.organisation_id IS NULL
            """
        )
        versions = {
            code: (instrument_id, version_id, definition)
            for code, instrument_id, version_id, definition in cursor
        }
        cursor.execute("SELECT id FROM conferences_meetingtype WHERE organisation_id IS NULL ORDER BY id")
        type_ids = [row[0] for row in cursor]
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        rebuild = without_indexes(cursor, list(tables))

        def load(table: str, rows: Iterator[tuple]) -> None:
            count = copy_rows(cursor, table, tables[table], rows)
            world.counts[table] = count
            step(f"{table}: {count:,} rows")

        load("network_organisation", world.organisations())
        load("network_team", world.teams())
        load("network_user", world.users(make_password(PASSWORD)))
        load("circles_client", world.clients())
        load("circles_circlemember", world.members())
        load("circles_stagechange", world.stage_changes())
        world.stage_moves = []
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
        world.changes = []
        load("assessments_assessment", world.assessments(versions))
        load("board_card", world.cards())
        load("board_scale", world.scales())
        load("referrals_referral", world.referrals())
        load("referrals_referralstep", world.referral_step_rows())
        load("conferences_meeting", world.meetings(type_ids))
        load("conferences_agendaitem", world.agenda_items())
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
