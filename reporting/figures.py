"""The dashboard's figures, worked out from what practitioners already record. No extra fields, no
content: counts, medians and shares over many clients, never a client, a note or a goal's words.

Who counts: the clients whose circle had someone from the chosen organisations (and team) in it during the
period, by the organisation they were in the circle for (`CircleMember.organisation`, as it was then).
Hidden memberships are left out, as on the caseload page: nobody outside a circle learns of them.

Two kinds of figure, both filterable by period:
- as at the period's end ("now" by default): caseload, stages and time in stage, consent coverage;
- what happened in the period: actions done and dropped, actions due and whether they were done by their
  date, goal reviews, change in outcomes, referrals, meetings.

Every figure comes from a fixed number of queries (about a dozen) whatever the number of clients; the
rows are counted here, in Python, from narrow `values_list` reads.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from assessments.selectors import series_of_clients
from circles.models import CircleMember, Client, Consent, StageChange
from conferences.models import Meeting
from network.models import Organisation, Team, User
from referrals.models import Referral
from reporting.tables import Count, Published, Share, Table, mean_of, median_of
from sharing.models import Action, Goal, PlanChange

EXPIRING_DAYS = 30  # "consents ending soon": within this many days of the period's end
OPEN_STAGES = [stage for stage in Client.Stage if stage != Client.Stage.CLOSED]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    # Cached: the figures compare every row against these (100,000 times on one page of the large set),
    # and making a moment aware each time cost ~300 ms a page (bench/reporting.py --pg-db bench_large).
    @cached_property
    def start_at(self) -> datetime.datetime:
        return _midnight(self.start)

    @cached_property
    def end_at(self) -> datetime.datetime:
        """The end of the period's last day (the first moment after it)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def in_words(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Selection:
    """Whose figures, for when: the organisations (one, or a partnership's), perhaps one team, a period."""

    organisations: tuple[Organisation, ...]
    team: Team | None
    period: Period
    protect: bool  # a partnership view: small counts hidden, others rounded (reporting.tables)
    by_organisation: bool = False  # a partnership view: caseload by organisation rather than by worker


def _memberships(selection: Selection) -> QuerySet[CircleMember]:
    """The chosen people's (not hidden) professional memberships that overlap the period."""
    period = selection.period
    members = CircleMember.objects.filter(
        kind=CircleMember.Kind.PROFESSIONAL,
        is_hidden=False,
        organisation_id__in=[o.pk for o in selection.organisations],
        since__lt=period.end_at,
    ).filter(Q(until=None) | Q(until__gte=period.start_at))
    if selection.team is not None:
        members = members.filter(user__team_id=selection.team.pk)
    return members


def dashboard(selection: Selection) -> list[Published]:
    """Every table of the dashboard, published for the reader (protected in a partnership view)."""
    memberships = _memberships(selection)
    clients = memberships.values("client_id")
    period = selection.period
    rows = list(
        memberships.values_list("client_id", "user_id", "organisation_id", "user__team_id", "since", "until")
    )
    at_end = [r for r in rows if r[4] < period.end_at and (r[5] is None or r[5] >= period.end_at)]
    stages = _stages_at_end(clients, {r[0] for r in at_end}, period)
    open_at_end = {client for client, (stage, _days) in stages.items() if stage != Client.Stage.CLOSED}
    tables = [
        *_caseload(selection, [r for r in at_end if r[0] in open_at_end]),
        _stage_table(stages, _closed_in(clients, period)),
        *_plan_tables(clients, period),
        _outcomes(clients, period),
        *_referrals(selection),
        _meetings(clients, period),
        _consent(clients, open_at_end, period),
    ]
    return [Published(table, protect=selection.protect) for table in tables]


# Caseload, as at the end of the period (open cases only).


def _caseload(selection: Selection, at_end: list[tuple]) -> list[Table]:
    by_team: dict[int | None, set[int]] = defaultdict(set)
    for client_id, _user, _org, team_id, _since, _until in at_end:
        by_team[team_id].add(client_id)
    all_clients = {r[0] for r in at_end}
    team_names = dict(Team.objects.filter(organisation__in=selection.organisations).values_list("pk", "name"))
    team_rows: list[list] = [
        [team_names.get(team_id, "?"), Count(len(by_team[team_id]))]
        for team_id in sorted((t for t in by_team if t is not None), key=lambda t: team_names.get(t, ""))
    ]
    if None in by_team:
        team_rows.append(["No team", Count(len(by_team[None]))])
    team_rows.append(["All teams (each client once)", Count(len(all_clients))])
    teams = Table(
        key="caseload-teams",
        title="Caseload by team",
        columns=["Team", "Clients"],
        rows=team_rows,
        total_rows=1,
        note="Open cases with someone from the team in the circle at the end of the period. A client "
        "worked with by two teams counts once in each, and once in all.",
        reading=_read_caseload_teams,
    )
    if selection.by_organisation:
        by_org: dict[int, set[int]] = defaultdict(set)
        for client_id, _user, org_id, _team, _since, _until in at_end:
            by_org[org_id].add(client_id)
        org_rows: list[list] = [[o.name, Count(len(by_org[o.pk]))] for o in selection.organisations]
        org_rows.append(["All organisations (each client once)", Count(len(all_clients))])
        first = Table(
            key="caseload-organisations",
            title="Caseload by organisation",
            columns=["Organisation", "Clients"],
            rows=org_rows,
            total_rows=1,
            note="Open cases with someone from the organisation in the circle at the end of the period.",
            reading=_read_caseload_organisations,
        )
        return [first, teams]
    by_worker: dict[int, set[int]] = defaultdict(set)
    for client_id, user_id, _org, _team, _since, _until in at_end:
        by_worker[user_id].add(client_id)
    workers = User.objects.filter(
        organisation__in=selection.organisations, kind=User.Kind.PROFESSIONAL
    ).filter(Q(pk__in=list(by_worker)) | Q(is_active=True, org_role=User.OrgRole.PRACTITIONER))
    if selection.team is not None:
        workers = workers.filter(team_id=selection.team.pk)
    worker_rows: list[list] = [
        [
            person.full_name,
            team_names.get(person.team_id or 0, "No team"),
            Count(len(by_worker.get(person.pk, ()))),
        ]
        for person in workers.order_by("full_name").only("full_name", "team_id")
    ]
    counts = [len(v) for v in by_worker.values()]
    worker_rows.append(["Average per worker with clients", "", mean_of(counts)])
    first = Table(
        key="caseload-workers",
        title="Caseload by worker",
        columns=["Worker", "Team", "Clients"],
        rows=worker_rows,
        chart_column=2,
        total_rows=1,
        note="Open cases each person is in the circle of at the end of the period.",
        reading=_read_caseload_workers,
    )
    return [first, teams]


def _largest(table: Published, what: str, column: int = 1) -> str:
    shown = [row for row in table.body_rows if row[column].value is not None]
    if not shown:
        return "No figures to show for this choice."
    top = max(shown, key=lambda row: row[column].value or 0)
    return f"{top[0].text} has {what} ({top[column].text})."


# Stages, as at the end of the period.


def _stages_at_end(clients: QuerySet, at_end: set[int], period: Period) -> dict[int, tuple[str, int]]:
    """Each client's stage at the end of the period and the days they had been in it: worked back from
    their stage now through the stage changes since (the first change after the end says what it was)."""
    now = Client.objects.filter(pk__in=clients).values_list("pk", "stage", "stage_since", "created_at")
    changes: dict[int, list[tuple[datetime.datetime, str]]] = defaultdict(list)
    for client_id, at, from_stage in (
        StageChange.objects.filter(client_id__in=clients)
        .order_by("at", "pk")
        .values_list("client_id", "at", "from_stage")
    ):
        changes[client_id].append((at, from_stage))
    end = min(period.end_at, timezone.now())
    found = {}
    for client_id, stage, stage_since, created_at in now:
        if client_id not in at_end:
            continue
        moves = changes.get(client_id, [])
        after = [m for m in moves if m[0] >= period.end_at]
        before = [m for m in moves if m[0] < period.end_at]
        if after:
            stage = after[0][1]
            since = before[-1][0] if before else created_at
        else:
            since = stage_since
        found[client_id] = (stage, max(0, (end - since).days))  # whole days
    return found


def _closed_in(clients: QuerySet, period: Period) -> int:
    return (
        StageChange.objects.filter(
            client_id__in=clients,
            to_stage=Client.Stage.CLOSED,
            at__gte=period.start_at,
            at__lt=period.end_at,
        )
        .values("client_id")
        .distinct()
        .count()
    )


def _stage_table(stages: dict[int, tuple[str, int]], closed_in_period: int) -> Table:
    by_stage: dict[str, list[int]] = defaultdict(list)
    for stage, days in stages.values():
        by_stage[stage].append(days)
    rows: list[list] = [
        [stage.label, Count(len(by_stage[stage])), median_of(by_stage[stage])] for stage in OPEN_STAGES
    ]
    rows.append(["Closed during the period", Count(closed_in_period), ""])
    return Table(
        key="stages",
        title="Clients by stage",
        columns=["Stage", "Clients", "Median days in the stage"],
        rows=rows,
        total_rows=1,
        note="The stage of each open case at the end of the period, and how long it had been there; "
        "and the cases closed during the period.",
        reading=_read_stages,
    )


# Plan progress, during the period.


def _plan_tables(clients: QuerySet, period: Period) -> list[Table]:
    status_changes = PlanChange.objects.filter(
        plan__client_id__in=clients, field="status", action__isnull=False
    )
    in_period: Counter[str] = Counter()
    seen: set[tuple[int, str]] = set()
    for action_id, new in status_changes.filter(
        at__gte=period.start_at, at__lt=period.end_at, new_value__in=["done", "dropped"]
    ).values_list("action_id", "new_value"):
        if (action_id, str(new)) not in seen:
            seen.add((action_id, str(new)))
            in_period[str(new)] += 1
    due = list(
        Action.objects.filter(
            goal__plan__client_id__in=clients,
            removed_at=None,
            goal__removed_at=None,
            due_on__gte=period.start,
            due_on__lte=period.end,
        ).values_list("pk", "status", "due_on")
    )
    done_at: dict[int, datetime.datetime] = {}
    for action_id, at in (
        status_changes.filter(action_id__in=[a[0] for a in due], new_value="done")
        .order_by("at")
        .values_list("action_id", "at")
    ):
        done_at[action_id] = at  # the last time it was marked done
    today = timezone.localdate()
    outcome: Counter[str] = Counter()
    for action_id, status, due_on in due:
        assert due_on is not None  # filtered on it
        if status == Action.Status.DONE:
            when = done_at.get(action_id)
            on_time = when is None or timezone.localtime(when).date() <= due_on
            outcome["on time" if on_time else "late"] += 1
        elif status == Action.Status.DROPPED:
            outcome["dropped"] += 1
        elif due_on < today:
            outcome["overdue"] += 1
        else:
            outcome["not yet"] += 1
    actions = Table(
        key="actions",
        title="Plan actions",
        columns=["Actions", "Number"],
        rows=[
            ["Done during the period", Count(in_period["done"])],
            ["Dropped during the period", Count(in_period["dropped"])],
            ["Due in the period: done by their date", Count(outcome["on time"])],
            ["Due in the period: done after their date", Count(outcome["late"])],
            ["Due in the period: dropped", Count(outcome["dropped"])],
            ["Due in the period: still open and overdue", Count(outcome["overdue"])],
            ["Due in the period: still open, due today", Count(outcome["not yet"])],
            ["Due in the period: done by their date (share)", Share(outcome["on time"], len(due))],
        ],
        total_rows=1,
        note="Actions in the plans of these clients. Overdue: open, and its date has passed.",
        reading=_read_actions,
    )
    return [actions, _reviews(clients, period)]


def _reviews(clients: QuerySet, period: Period) -> Table:
    """A goal's review is done when its review date is moved on (the next review set): on time if that
    happened by the date it replaced. A review date in the period that has passed unmoved is overdue."""
    on_time = late = 0
    for old, at in PlanChange.objects.filter(
        plan__client_id__in=clients, field="review_on", goal__isnull=False
    ).values_list("old_value", "at"):
        try:
            was = datetime.date.fromisoformat(str(old))
        except (TypeError, ValueError):
            continue  # the first review date set: nothing was due
        if period.start <= was <= period.end:
            if timezone.localtime(at).date() <= was:
                on_time += 1
            else:
                late += 1
    today = timezone.localdate()
    waiting = Goal.objects.filter(
        plan__client_id__in=clients,
        removed_at=None,
        review_on__gte=period.start,
        review_on__lte=min(period.end, today - datetime.timedelta(days=1)),
    ).count()
    return Table(
        key="goal-reviews",
        title="Goal reviews",
        columns=["Reviews due in the period", "Number"],
        rows=[
            ["Reviewed by the review date", Count(on_time)],
            ["Reviewed after the review date", Count(late)],
            ["Review date passed, not reviewed yet", Count(waiting)],
            ["Reviewed on time (share)", Share(on_time, on_time + late + waiting)],
        ],
        total_rows=1,
        note="A goal is reviewed when its next review date is set; on time if that was done by the date due.",
        reading=_read_goal_reviews,
    )


# Change in outcomes: baseline → latest, by the instruments' own thresholds (assessments.scoring).


def _outcomes(clients: QuerySet, period: Period) -> Table:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for _client_id, series in series_of_clients(clients, until=period.end_at):
        if len(series.points) < 2 or series.latest.at < period.start_at:
            continue
        for change in series.changes:
            groups[(series.definition["name"], change.label)].append(change)
    rows: list[list] = []
    for (instrument, domain), changes in sorted(groups.items()):
        better = sum(1 for c in changes if c.direction == "better")
        worse = sum(1 for c in changes if c.direction == "worse")
        rows.append(
            [
                f"{instrument}: {domain}",
                Share(better, len(changes)),
                Count(len(changes)),
                mean_of(c.baseline for c in changes),
                mean_of(c.latest for c in changes),
                Count(better),
                Count(len(changes) - better - worse),
                Count(worse),
            ]
        )
    return Table(
        key="outcomes",
        title="Change in outcomes",
        columns=[
            "Instrument and area",
            "Meaningful improvement",
            "Clients",
            "Average at baseline",
            "Average latest",
            "Better",
            "No real change",
            "Worse",
        ],
        rows=rows,
        note="Clients with a baseline and a follow-up, the latest in the period: from the first "
        "assessment to the latest, better or worse by at least the instrument's meaningful change.",
        reading=_read_outcomes,
    )


# Referrals, made during the period.


def _referrals(selection: Selection) -> list[Table]:
    period = selection.period
    ids = [o.pk for o in selection.organisations]
    received = Q(to_organisation_id__in=ids)
    sent = Q(from_organisation_id__in=ids)
    if selection.team is not None:
        received &= Q(worker__team_id=selection.team.pk)
        sent &= Q(referrer__team_id=selection.team.pk)
    rows = _referral_rows(received, sent, period)
    S = Referral.Status
    got = [r for r in rows if r[0]]
    to_accept = [(r[3] - r[2]).total_seconds() / 86400 for r in got if r[4] is not None and r[3]]
    to_contact = [(r[5] - timezone.localtime(r[2]).date()).days for r in got if r[5] is not None]
    statuses = Counter(r[1] for r in got)
    volume = Table(
        key="referrals",
        title="Referrals",
        columns=["Referrals", "Number"],
        rows=[
            ["Sent by us", Count(sum(1 for r in rows if r[6]))],
            ["Received", Count(len(got))],
            ["Received: accepted", Count(sum(1 for r in got if r[4] is not None))],
            ["Received: declined", Count(statuses[S.DECLINED])],
            ["Received: withdrawn by the referrer", Count(statuses[S.WITHDRAWN])],
            ["Received: waiting for an answer", Count(statuses[S.SENT] + statuses[S.MORE_INFO])],
            ["Median days to accept", median_of(to_accept)],
            ["Median days to first contact", median_of(to_contact)],
        ],
        total_rows=2,
        note="Referrals made during the period: sent by these people, or received by the organisation "
        "(with a team chosen: accepted for a worker in it).",
        reading=_read_referrals,
    )
    outcomes = Counter(r[1] == S.CLOSED and r[7] for r in got)
    outcome_rows: list[list] = [[label, Count(outcomes[value])] for value, label in Referral.Outcome.choices]
    open_now = (S.ACCEPTED, S.CONTACTED)
    outcome_rows.append(["Accepted, no outcome yet", Count(sum(1 for r in got if r[1] in open_now))])
    results = Table(
        key="referral-outcomes",
        title="What became of referrals received",
        columns=["Outcome", "Referrals"],
        rows=outcome_rows,
        note="The outcome recorded by the receiving organisation, for referrals received in the period.",
        reading=_read_referral_outcomes,
    )
    return [volume, results]


def _referral_rows(received: Q, sent: Q, period: Period) -> list[tuple]:
    """(received?, status, made at, answered at, worker, first contact on, sent?, outcome) per referral."""
    flags = Referral.objects.filter(
        received | sent, created_at__gte=period.start_at, created_at__lt=period.end_at
    ).annotate(
        is_received=Case(When(received, then=Value(True)), default=Value(False), output_field=BooleanField()),
        is_sent=Case(When(sent, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )
    return list(
        flags.values_list(
            "is_received",
            "status",
            "created_at",
            "answered_at",
            "worker_id",
            "first_contact_on",
            "is_sent",
            "outcome",
        )
    )


# Meetings that ended during the period, with one of these clients on the agenda.


def _meetings(clients: QuerySet, period: Period) -> Table:
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.ENDED,
            ended_at__gte=period.start_at,
            ended_at__lt=period.end_at,
            items__client_id__in=clients,
        )
        .values_list("pk", "minutes_status", "minutes_due_on", "signed_off_at")
        .distinct()
    )
    today = timezone.localdate()
    counts: Counter[str] = Counter()
    for _pk, minutes, due_on, signed_at in meetings:
        if minutes == Meeting.Minutes.SIGNED and signed_at is not None:
            on_time = due_on is None or timezone.localtime(signed_at).date() <= due_on
            counts["on time" if on_time else "late"] += 1
        elif due_on is not None and due_on < today:
            counts["overdue"] += 1
        else:
            counts["not yet"] += 1
    return Table(
        key="meetings",
        title="Meetings",
        columns=["Meetings held", "Number"],
        rows=[
            ["Held", Count(len(meetings))],
            ["Minutes signed off on time", Count(counts["on time"])],
            ["Minutes signed off late", Count(counts["late"])],
            ["Minutes not signed off, past their date", Count(counts["overdue"])],
            ["Minutes not signed off, not due yet", Count(counts["not yet"])],
            ["Signed off on time (share)", Share(counts["on time"], len(meetings))],
        ],
        total_rows=1,
        note="Meetings that ended during the period with at least one of these clients on the agenda.",
        reading=_read_meetings,
    )


# Consent, as at the end of the period.


def _consent(clients: QuerySet, open_at_end: set[int], period: Period) -> Table:
    end, end_at = period.end, period.end_at
    covered: set[int] = set()
    expiring: set[int] = set()
    soon = end + datetime.timedelta(days=EXPIRING_DAYS)
    for client_id, expires_on, withdrawn_at in Consent.objects.filter(
        client_id__in=clients, scope=Consent.Scope.CIRCLE, given_on__lte=end
    ).values_list("client_id", "expires_on", "withdrawn_at"):
        if client_id not in open_at_end:
            continue
        if withdrawn_at is not None and withdrawn_at < end_at:
            continue
        if expires_on is not None and expires_on < end:
            continue
        covered.add(client_id)
        if expires_on is not None and expires_on <= soon:
            expiring.add(client_id)
    return Table(
        key="consent",
        title="Consent to share with the circle",
        columns=["Open cases", "Clients"],
        rows=[
            ["Sharing under a current consent", Count(len(covered))],
            ["No current consent to share with the circle", Count(len(open_at_end - covered))],
            [f"Consent ends within {EXPIRING_DAYS} days", Count(len(expiring))],
            ["Covered (share)", Share(len(covered), len(open_at_end))],
        ],
        total_rows=1,
        note="Open cases at the end of the period, and whether the client's consent to share with the "
        "whole circle was in force then.",
        reading=_read_consent,
    )


# Each table's one line in words, read from the published cells (so it never says more than they do).
# Named by the table's key: a snapshot (reporting.snapshots) keeps the cells, and its tables get their
# reading from here when they are loaded.


def _counted(text: str, one: str, many: str) -> str:
    """A shown count and its noun: "1 meeting", "3 meetings", "fewer than 5 meetings"."""
    return f"{text} {one if text == '1' else many}"


def _read_caseload_teams(t: Published) -> str:
    return f"{_counted(t.cell('All teams (each client once)').text, 'open case', 'open cases')} at the end of the period."


def _read_caseload_organisations(t: Published) -> str:
    return _largest(t, "the most open cases")


def _read_caseload_workers(t: Published) -> str:
    return (
        f"On average {_counted(t.cell('Average per worker with clients', 2).text, 'open case', 'open cases')} "
        f"each, for people with any; {_largest(t, 'the most', column=2)}"
    )


def _read_stages(t: Published) -> str:
    return _largest(t, "the most clients")


def _read_actions(t: Published) -> str:
    return (
        f"{_counted(t.cell('Done during the period').text, 'action', 'actions')} done and "
        f"{t.cell('Due in the period: still open and overdue').text} overdue; "
        f"{t.cell('Due in the period: done by their date (share)').text} of those due were done by their date."
    )


def _read_goal_reviews(t: Published) -> str:
    return f"{t.cell('Reviewed on time (share)').text} of goal reviews due were done on time."


def _read_outcomes(t: Published) -> str:
    if not t.body_rows:
        return "No client has a baseline and a follow-up in this period."
    return _largest(t, "the largest share improving")


def _read_referrals(t: Published) -> str:
    return (
        f"{_counted(t.cell('Received').text, 'referral', 'referrals')} received; median "
        f"{_counted(t.cell('Median days to accept').text, 'day', 'days')} to accept and "
        f"{_counted(t.cell('Median days to first contact').text, 'day', 'days')} to first contact."
    )


def _read_referral_outcomes(t: Published) -> str:
    return _largest(t, "the most referrals")


def _read_meetings(t: Published) -> str:
    return (
        f"{_counted(t.cell('Held').text, 'meeting', 'meetings')} held; minutes signed off on time for "
        f"{t.cell('Signed off on time (share)').text}."
    )


def _read_consent(t: Published) -> str:
    return (
        f"{t.cell('Covered (share)').text} of open cases share under a current consent; "
        f"{t.cell(f'Consent ends within {EXPIRING_DAYS} days').text} end within {EXPIRING_DAYS} days."
    )


READINGS: dict[str, Callable[[Published], str]] = {
    "caseload-workers": _read_caseload_workers,
    "caseload-organisations": _read_caseload_organisations,
    "caseload-teams": _read_caseload_teams,
    "stages": _read_stages,
    "actions": _read_actions,
    "goal-reviews": _read_goal_reviews,
    "outcomes": _read_outcomes,
    "referrals": _read_referrals,
    "referral-outcomes": _read_referral_outcomes,
    "meetings": _read_meetings,
    "consent": _read_consent,
}
