"""Ten people edit one plan at once, through one real server process: nothing accepted is lost, nothing
refused is kept, and everyone refused was told so.

Ten circle members each make 50 edits over HTTP (GET for the ETag, then PATCH with If-Match), on threads,
in 50 rounds: in each round everyone reads, waits until everyone has read, then writes, and waits until
everyone has written (retries included) before the next round. So the race is made by the rounds, not by
how fast the machine is: editors who contest the same field in a round all start from the same version,
and all but the first to save are refused. The test is bounded by that count, not by a clock.
About half of each editor's edits go to a *contested* field, which five editors all write:

    even editors:  the goal's `in_own_words`          odd editors:  the shared action's `what`

and the rest to a field only that editor writes:

    editor 0: the goal's `success_looks_like`         editor 1: the goal's `review_on`
    editor 2: the shared action's `due_on`            editor 3: the shared action's `dropped_reason`
    editors 4-9: their own action (`what` and `due_on`, by turns)

so private edits often start from a version the contested edits have made stale: they must still be
accepted, because changes to *other* fields never conflict. Contested edits race each other and some are
refused (412, with the current values and the conflicting field); a refused edit is retried up to
MAX_RETRIES times from the ETag the 412 gave, each try with a value of its own.

Every value written is unique, so afterwards each accepted try can be found in the history and each
refused one can be shown to be absent.
"""

import concurrent.futures
import datetime
import http.client
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection
from rest_framework.test import APIClient

from circles.models import CircleMember
from realtime.models import Event
from sharing import selectors as sharing_selectors
from sharing import services
from sharing.models import Action, Goal, PlanChange
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, api_key_for
from tests.servers import running_server

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 10
EDITS_EACH = 50
MAX_RETRIES = 1
FIRST_DATE = datetime.date(2030, 1, 1)


@dataclass
class Target:
    kind: str  # "goals" or "actions": the URL segment
    item_id: int
    field: str


@dataclass
class Attempt:
    """One PATCH: who, which edit and which try of it, what was sent and what came back."""

    editor: int
    edit: int
    attempt: int  # 0 = first try, 1.. = retries after a 412
    target: Target
    value: Any
    base_etag: str
    status: int
    etag: str | None
    body: Any
    contested: bool

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.target.kind, self.target.item_id, self.target.field)


class Api:
    """A tiny HTTP client for one editor: a DRF token, one fresh loopback connection per request."""

    def __init__(self, base: str, token: str, public_id: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.token = token
        self.prefix = f"/api/v1/clients/{public_id}/plan"

    def call(
        self, method: str, path: str, body: dict | None = None, if_match: str | None = None
    ) -> tuple[int, str | None, Any]:
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if if_match is not None:
            headers["If-Match"] = if_match
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, self.prefix + path, body=data, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            status, etag = response.status, response.getheader("ETag")
        finally:
            connection.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return status, etag, parsed

    def read(self, target: Target) -> tuple[int, str | None, Any]:
        return self.call("GET", f"/{target.kind}/{target.item_id}/")

    def patch(self, target: Target, value: Any, etag: str) -> tuple[int, str | None, Any]:
        return self.call("PATCH", f"/{target.kind}/{target.item_id}/", {target.field: value}, if_match=etag)


def value_for(field: str, editor: int, edit: int, attempt: int) -> Any:
    """A value nobody else ever writes: text names the editor, edit and try; dates are spread apart."""
    if field in ("review_on", "due_on"):
        return (FIRST_DATE + datetime.timedelta(days=editor * 500 + edit * 10 + attempt)).isoformat()
    return f"Editor {editor} edit {edit} try {attempt}"


def etag_version(etag: str) -> int:
    return int(etag.strip('"').rsplit("-v", 1)[1])


def run_editor(
    api: Api, editor: int, contested: Target, private: list[Target], rounds: threading.Barrier
) -> tuple[list[Attempt], list[str]]:
    """Make EDITS_EACH edits, one a round; return every PATCH made, and anything unexpected."""
    try:
        return _edits(api, editor, contested, private, rounds)
    except BaseException:
        rounds.abort()  # the others stop waiting for this editor (BrokenBarrierError) rather than hang
        raise


def _edits(
    api: Api, editor: int, contested: Target, private: list[Target], rounds: threading.Barrier
) -> tuple[list[Attempt], list[str]]:
    rng = random.Random(editor)  # noqa: S311 (a test's schedule, not a secret)
    attempts: list[Attempt] = []
    problems: list[str] = []
    for edit in range(EDITS_EACH):
        is_contested = rng.random() < 0.5
        target = contested if is_contested else private[edit % len(private)]
        status, etag, body = api.read(target)
        rounds.wait()  # everyone has read: this round's writes all start from what was there before them
        if status != 200 or not etag:
            problems.append(f"editor {editor} GET {target}: {status} {body!r}")
            rounds.wait()
            continue
        time.sleep(rng.uniform(0, 0.003))  # a moment to think, so the order of the writes varies
        for attempt in range(MAX_RETRIES + 1):
            value = value_for(target.field, editor, edit, attempt)
            status, new_etag, body = api.patch(target, value, etag)
            attempts.append(
                Attempt(editor, edit, attempt, target, value, etag, status, new_etag, body, is_contested)
            )
            if status == 200:
                break
            if status != 412:
                problems.append(f"editor {editor} PATCH {target} -> {status}: {body!r}")
                break
            # Refused: the editor must be told what it says now, and which field collided.
            if not (isinstance(body, dict) and "current" in body and "conflicts" in body and new_etag):
                problems.append(f"editor {editor}: a 412 without current/conflicts/ETag: {body!r}")
                break
            etag = new_etag  # look at what it says now, then choose to write ours over it
        rounds.wait()  # everyone has written: the next round reads what this one left
    return attempts, problems


def shown(body: dict, field: str) -> Any:
    """A field as the API shows it, in the form history keeps it (an owner as their member id)."""
    if field == "owner":
        return "client" if body["owner_is_client"] else body["owner"] and body["owner"]["member_id"]
    return body[field]


def history_of(kind: str, item_id: int) -> list[PlanChange]:
    key = "goal_id" if kind == "goals" else "action_id"
    return list(PlanChange.objects.filter(**{key: item_id}).order_by("pk"))


# Only a guard against a hang (the suite's is 120 s): the rounds bound the work, and a busy machine may
# take longer over them without anything being wrong.
@pytest.mark.timeout(900)
def test_ten_editors_fifty_edits_each_lose_nothing(alice, bob, carol, grace):
    # The cast: Alice, Bob and Carol, and seven more members of Grace's circle.
    organisation = OrganisationFactory(name="Family Support", kind="early_help")
    people = [alice, bob, carol]
    for n in range(EDITORS - len(people)):
        user = UserFactory(full_name=f"Editor {n + 3}", organisation=organisation)
        MemberFactory(client=grace, user=user, role=CircleMember.Role.KEY_WORKER)
        people.append(user)
    tokens = [api_key_for(person) for person in people]

    goal = services.goal_add(
        actor=alice, client=grace, in_own_words="I want to get back to college", success_looks_like="Enrolled"
    )
    shared = services.action_add(actor=alice, goal=goal, what="Find a course")
    own = {
        editor: services.action_add(actor=people[editor], goal=goal, what=f"Editor {editor}'s own task")
        for editor in range(4, EDITORS)
    }

    contested = {
        editor: Target("goals", goal.pk, "in_own_words")
        if editor % 2 == 0
        else Target("actions", shared.pk, "what")
        for editor in range(EDITORS)
    }
    private = {
        0: [Target("goals", goal.pk, "success_looks_like")],
        1: [Target("goals", goal.pk, "review_on")],
        2: [Target("actions", shared.pk, "due_on")],
        3: [Target("actions", shared.pk, "dropped_reason")],
    } | {
        editor: [Target("actions", action.pk, "what"), Target("actions", action.pk, "due_on")]
        for editor, action in own.items()
    }
    items = {("goals", goal.pk): goal, ("actions", shared.pk): shared} | {
        ("actions", action.pk): action for action in own.values()
    }

    with running_server() as base:
        apis = [Api(base, token, grace.public_id) for token in tokens]
        initial = {key: apis[0].read(Target(key[0], key[1], ""))[2] for key in items}
        rounds = threading.Barrier(EDITORS)
        with concurrent.futures.ThreadPoolExecutor(max_workers=EDITORS) as pool:
            futures = [
                pool.submit(run_editor, apis[e], e, contested[e], private[e], rounds) for e in range(EDITORS)
            ]
            results = [future.result() for future in futures]
        # What a fresh reader sees at the end, and the history as the API tells it.
        final = {key: apis[0].read(Target(key[0], key[1], "")) for key in items}
        api_history = {key: apis[0].call("GET", f"/{key[0]}/{key[1]}/history/") for key in items}

    attempts = [attempt for editor_attempts, _ in results for attempt in editor_attempts]
    problems = [problem for _, editor_problems in results for problem in editor_problems]
    assert not problems, "\n".join(problems[:20])

    accepted = [a for a in attempts if a.status == 200]
    refused = [a for a in attempts if a.status == 412]
    retries = [a for a in attempts if a.attempt > 0]
    edits = {(a.editor, a.edit) for a in attempts}
    given_up = edits - {(a.editor, a.edit) for a in accepted}

    # Every editor made all its edits, and the race really happened: both outcomes, and retries.
    assert len(edits) == EDITORS * EDITS_EACH
    assert len(accepted) + len(refused) == len(attempts)
    assert accepted and refused and retries
    # The rounds make the race: whenever several editors contested one field in a round, all read the same
    # version, so exactly one first try was accepted and each of the others was refused.
    first_tries = Counter((a.edit, a.key) for a in attempts if a.contested and a.attempt == 0)
    first_accepted = Counter((a.edit, a.key) for a in accepted if a.contested and a.attempt == 0)
    assert all(first_accepted[race] == 1 for race in first_tries), first_accepted
    assert sum(n - 1 for n in first_tries.values()) == len([a for a in refused if a.attempt == 0])
    # Only contested fields are ever refused: changes to other fields of the same item never conflict,
    # however stale the version they started from.
    assert all(a.contested for a in refused)

    # Each 412 told the editor who got there first, on which field, and what the item says now.
    names = {person.full_name for person in people}
    for a in refused:
        assert set(a.body["conflicts"]) == {a.target.field}, a.body
        conflict = a.body["conflicts"][a.target.field]
        assert conflict["by"] in names
        assert a.value not in (conflict["current"], a.body["current"][a.target.field])
        assert a.etag == a.body["current"]["etag"]
        assert a.body["current"]["version"] > etag_version(a.base_etag)

    # The history, item by item. Every value written is unique, so each accepted try is found by its value.
    written: dict[int, PlanChange] = {}  # id(attempt) -> the change it made
    for (kind, item_id), item in items.items():
        history = history_of(kind, item_id)
        assert history[0].field == "created" and history[0].version == 1
        changes = history[1:]
        # One accepted PATCH = one field = one new version: strictly increasing, no duplicates, no gaps.
        versions = [change.version for change in changes]
        assert versions == list(range(2, len(changes) + 2)), (kind, item_id, versions)
        by_value = {(change.field, json.dumps(change.new_value)): change for change in changes}
        assert len(by_value) == len(changes)
        mine = [a for a in accepted if (a.target.kind, a.target.item_id) == (kind, item_id)]
        for a in mine:
            change = by_value.get((a.target.field, json.dumps(a.value)))
            assert change is not None, f"accepted but not in the history: {a}"
            assert change.actor_id == people[a.editor].pk, a
            written[id(a)] = change
        # Nothing else: the history is exactly the accepted writes, one row each.
        assert sorted(written[id(a)].version for a in mine) == versions, (kind, item_id)
        # No refused value was ever stored.
        mine_refused = [a for a in refused if (a.target.kind, a.target.item_id) == (kind, item_id)]
        assert not {(a.target.field, json.dumps(a.value)) for a in mine_refused} & set(by_value)
        # ... and each refusal had a cause: someone had changed that field since the version it started
        # from, and the value the 412 named was a real value of that field.
        for a in mine_refused:
            since = [
                c for c in changes if c.field == a.target.field and c.version > etag_version(a.base_etag)
            ]
            assert since, a
            assert a.body["conflicts"][a.target.field]["current"] in {c.new_value for c in since}, a
        assert {c.field for c in changes} <= {
            t.field for e in range(EDITORS) for t in [contested[e], *private[e]]
        }

        # The history as the API tells it is the same.
        status, _etag, told = api_history[(kind, item_id)]
        assert status == 200
        assert [(c["field"], c["version"], c["old_value"], c["new_value"]) for c in told] == [
            (c.field, c.version, c.old_value, c.new_value) for c in history
        ]

        # Field by field: as many rows as accepted writes that changed it, each starting from the value the
        # one before left; what a reader sees at the end is the last accepted write.
        status, _etag, now = final[(kind, item_id)]
        assert status == 200
        assert now["version"] == len(changes) + 1
        for field in item.EDITABLE:
            rows = [c for c in changes if c.field == field]
            writes = sorted(
                (a for a in mine if a.target.field == field), key=lambda a: written[id(a)].version
            )
            assert len(rows) == len(writes), (kind, item_id, field)
            previous = shown(initial[(kind, item_id)], field)
            for row in rows:
                assert row.old_value == previous, (kind, item_id, field, row.version)
                previous = row.new_value
            expected = writes[-1].value if writes else shown(initial[(kind, item_id)], field)
            assert shown(now, field) == expected == previous, (kind, item_id, field)

    # Each 200 said the value was saved, with the version (and ETag) that this very write made.
    for a in accepted:
        made = written[id(a)].version
        assert a.etag == f'"{a.target.kind[:-1]}-{a.target.item_id}-v{a.body["version"]}"'
        assert a.body["version"] == made > etag_version(a.base_etag), a
        assert a.body[a.target.field] == a.value, a
    # Private edits were accepted although others had saved changes to the same item since their read.
    assert any(not a.contested and written[id(a)].version > etag_version(a.base_etag) + 1 for a in accepted)

    # And every accepted write rang the outbox once, in order, with the version it made.
    events = list(Event.objects.filter(client=grace).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    updates = Counter(
        ("goals", e.payload["goal_id"], e.payload["version"])
        if e.type == "plan.goal_update"
        else ("actions", e.payload["action_id"], e.payload["version"])
        for e in events
        if e.type in ("plan.goal_update", "plan.action_update")
    )
    assert updates == Counter((a.target.kind, a.target.item_id, written[id(a)].version) for a in accepted)
    assert Goal.objects.get(pk=goal.pk).version == final[("goals", goal.pk)][2]["version"]
    assert Action.objects.get(pk=shared.pk).version == final[("actions", shared.pk)][2]["version"]

    print(
        f"\n{len(edits)} edits, {len(attempts)} PATCHes: {len(accepted)} accepted, {len(refused)} refused "
        f"(412), {len(retries)} of them retries, {len(given_up)} edits given up"
    )


def test_a_200_reports_the_version_its_own_write_made(alice, bob, grace, monkeypatch):
    goal = services.goal_add(actor=alice, client=grace, in_own_words="I want to get back to college")
    url = f"/api/v1/clients/{grace.public_id}/plan/goals/{goal.pk}/"
    api = APIClient()
    api.force_authenticate(alice)
    etag = api.get(url)["ETag"]
    assert etag == f'"goal-{goal.pk}-v1"'

    # Bob saves a change to another field just after Alice's write (v2), before her response is read.
    real_get = sharing_selectors.goal_get_for
    calls = []
    bob_done = threading.Event()

    def bob_writes() -> None:
        try:
            services.goal_update(
                actor=bob, goal=goal, changes={"success_looks_like": "Enrolled by June"}, base_version=2
            )
        finally:
            connection.close()
            bob_done.set()

    bob_thread = threading.Thread(target=bob_writes)

    def goal_get_for(record, goal_id):
        calls.append(goal_id)
        if len(calls) == 2:  # the read that makes Alice's response
            bob_thread.start()
            bob_done.wait(timeout=3)  # (with the fix, Bob waits for Alice's transaction instead)
        return real_get(record, goal_id)

    monkeypatch.setattr(sharing_selectors, "goal_get_for", goal_get_for)
    response = api.patch(url, {"in_own_words": "College in September"}, format="json", HTTP_IF_MATCH=etag)
    bob_thread.join(timeout=30)

    assert response.status_code == 200
    assert Goal.objects.get(pk=goal.pk).version == 3  # both writes were saved
    # Alice is told what *her* write made: v2, her words, Bob's change not yet in it.
    assert response.data["version"] == 2
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert response.data["in_own_words"] == "College in September"
    assert response.data["success_looks_like"] == ""
