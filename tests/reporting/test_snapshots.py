"""Snapshots: an organisation's figures for a preset period, worked out ahead by a task, published
exactly as live figures are (the small world of conftest.py, counted by hand in test_figures.py)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from network.models import Organisation, Team
from reminders import tasks as reminders_tasks
from reporting import figures, snapshots, tasks
from reporting.models import Snapshot, SnapshotRun
from reporting.tables import Published
from tests.conftest import signed_in
from tests.factories import OrganisationFactory

PRESETS = pytest.mark.parametrize("months", snapshots.PRESETS)


def published(tables: list[Published]) -> list[dict]:
    """Everything a reader can be shown of each table: the JSON (cells, reading), the CSV and the chart."""
    return [{**t.as_json(), "csv": list(t.csv_rows()), "bars": t.bars} for t in tables]


def live(organisation, team, months, *, protect=False):
    selection = figures.Selection(
        organisations=(organisation,),
        team=team,
        period=snapshots.preset_period(months),
        protect=protect,
    )
    return figures.dashboard(selection)


@PRESETS
@pytest.mark.parametrize("team", [None, "north", "south"])
@pytest.mark.parametrize("protect", [False, True])
def test_a_snapshot_publishes_exactly_what_live_figures_do(world, early_help, teams, months, team, protect):
    chosen = teams[team] if team else None
    worked_out = live(early_help, chosen, months, protect=protect)
    # Through the database and back, as the page reads it.
    tasks.refresh_snapshots.call(snapshots.slot_of(timezone.now()).isoformat())
    kept = Snapshot.objects.get(organisation=early_help, team=chosen, months=months)
    assert published(snapshots.decode(kept.tables, protect=protect)) == published(worked_out)


@PRESETS
def test_the_page_csv_and_json_from_a_snapshot_match_live_figures(world, early_help, teams, mo, months):
    page = signed_in(mo)
    query = {"period": str(months), "team": teams["north"].pk}
    expected = published(live(early_help, teams["north"], months))
    first = page.get(reverse("reporting:dashboard"), query)  # no snapshot: worked out, and kept
    assert "as-at" not in first.content.decode()
    assert Snapshot.objects.filter(organisation=early_help, team=teams["north"], months=months).count() == 1
    second = page.get(reverse("reporting:dashboard"), query)  # from the snapshot
    assert published([c["table"] for c in second.context["charts"]]) == expected
    as_at = timezone.localtime(Snapshot.objects.get(team=teams["north"], months=months).computed_at)
    assert f"Figures as at {as_at:%H:%M}" in second.content.decode()
    answer = page.get("/api/v1/reporting/dashboard/", query).json()
    assert answer["from_snapshot"] is True
    assert [
        {k: t[k] for k in ("key", "title", "reading", "note", "columns", "rows")} for t in answer["tables"]
    ] == [{k: t[k] for k in ("key", "title", "reading", "note", "columns", "rows")} for t in expected]
    response = page.get(reverse("reporting:dashboard_csv", args=["actions"]), query)
    body = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert body == next(t["csv"] for t in expected if t["key"] == "actions")
    # Audit rows stay as they were: one per look, one per download.
    assert AuditEvent.objects.filter(action="dashboard.view").count() == 3
    assert AuditEvent.objects.filter(action="dashboard.download").count() == 1


def test_a_stale_snapshot_is_worked_out_again(world, early_help, mo):
    page = signed_in(mo)
    page.get(reverse("reporting:dashboard"), {"period": "12"})
    kept = Snapshot.objects.get(organisation=early_help, team=None, months=12)
    # Older than an hour (snapshots.FRESH_FOR), with a figure that is no longer true: not shown, worked out again and kept.
    stale = timezone.now() - snapshots.FRESH_FOR - datetime.timedelta(seconds=1)
    tables = kept.tables
    consent = next(t for t in tables if t["key"] == "consent")
    consent["rows"][0][1] = {"count": 999}
    Snapshot.objects.filter(pk=kept.pk).update(computed_at=stale, tables=tables)
    response = page.get(reverse("reporting:dashboard"), {"period": "12"})
    assert "as-at" not in response.content.decode()
    consent_shown = next(c["table"] for c in response.context["charts"] if c["table"].key == "consent")
    assert consent_shown.cell("Sharing under a current consent").text == "2"
    kept.refresh_from_db()
    assert kept.computed_at > stale
    assert kept.tables[-1]["rows"][0][1] == {"count": 2}


def test_a_snapshot_of_another_period_is_not_used(world, early_help, mo):
    """A snapshot made yesterday is of yesterday's "last 3 months", even if fresh by the clock."""
    page = signed_in(mo)
    page.get(reverse("reporting:dashboard"))
    kept = Snapshot.objects.get(organisation=early_help, team=None, months=3)
    Snapshot.objects.filter(pk=kept.pk).update(
        period_start=kept.period_start - datetime.timedelta(days=1),
        period_end=kept.period_end - datetime.timedelta(days=1),
    )
    assert "as-at" not in page.get(reverse("reporting:dashboard")).content.decode()


def test_two_dates_and_partnerships_are_worked_out_live(world, mo):
    page = signed_in(mo)
    query = {"period": "dates", "from": snapshots.preset_period(3).start, "to": timezone.localdate()}
    page.get(reverse("reporting:dashboard"), query)
    response = page.get(reverse("reporting:dashboard"), query)
    assert "as-at" not in response.content.decode()
    assert not Snapshot.objects.exists()


def test_the_task_refreshes_every_organisation_once_per_slot(world, early_help, police, teams):
    OrganisationFactory(name="Youth Service")
    slot = snapshots.slot_of(timezone.now())
    result = tasks.refresh_snapshots.call(slot.isoformat())
    organisations, teams_all = Organisation.objects.count(), Team.objects.count()
    assert organisations == 3 and teams_all == 2
    assert result == {
        "slot": slot.isoformat(),
        "claimed": True,
        "organisations": 3,
        "snapshots": (organisations + teams_all) * 3,
    }
    for organisation in Organisation.objects.all():
        assert sorted(
            Snapshot.objects.filter(organisation=organisation, team=None).values_list("months", flat=True)
        ) == [3, 6, 12]
    assert Snapshot.objects.filter(team=teams["north"]).count() == 3
    run = SnapshotRun.objects.get()
    assert run.slot == slot and run.finished_at is not None and run.snapshots == result["snapshots"]
    # The same slot again (another tick, another worker): nothing done.
    before = dict(Snapshot.objects.values_list("pk", "computed_at"))
    assert tasks.refresh_snapshots.call(slot.isoformat())["claimed"] is False
    assert dict(Snapshot.objects.values_list("pk", "computed_at")) == before


def test_the_reminders_clock_enqueues_the_refresh_once_per_slot(world, early_help):
    now = timezone.now()
    slot = snapshots.slot_of(now)
    assert f"refresh_snapshots {slot.isoformat()}" in reminders_tasks.enqueue_due_work(
        now
    )  # runs at once here
    assert SnapshotRun.objects.get(slot=slot).finished_at is not None
    assert Snapshot.objects.filter(organisation=early_help, team=None).count() == 3
    assert not any(line.startswith("refresh_snapshots") for line in reminders_tasks.enqueue_due_work(now))
    later = now + snapshots.REFRESH_EVERY
    assert f"refresh_snapshots {snapshots.slot_of(later).isoformat()}" in reminders_tasks.enqueue_due_work(
        later
    )


def test_the_slots_are_ten_minutes():
    at = datetime.datetime(2026, 12, 1, 10, 17, 42, tzinfo=datetime.UTC)
    assert snapshots.slot_of(at) == datetime.datetime(2026, 12, 1, 10, 10, tzinfo=datetime.UTC)


def test_a_run_out_of_time_leaves_the_rest_first_in_line_for_the_next(world, early_help, police):
    youth = OrganisationFactory(name="Youth Service")
    now = timezone.now()
    first = tasks.refresh_snapshots.call(snapshots.slot_of(now).isoformat(), budget_seconds=0)
    assert first["organisations"] == 1  # at least one, however short the budget
    assert set(Snapshot.objects.values_list("organisation", flat=True)) == {early_help.pk}
    later = snapshots.slot_of(now + snapshots.REFRESH_EVERY).isoformat()
    assert tasks.refresh_snapshots.call(later, budget_seconds=0)["organisations"] == 1
    assert set(Snapshot.objects.values_list("organisation", flat=True)) == {early_help.pk, police.pk}
    latest = snapshots.slot_of(now + 2 * snapshots.REFRESH_EVERY).isoformat()
    tasks.refresh_snapshots.call(latest, budget_seconds=0)
    assert Snapshot.objects.filter(organisation=youth, team=None).count() == 3
    # Then the oldest again: Early Help's.
    before = Snapshot.objects.filter(organisation=early_help).values_list("computed_at", flat=True)
    oldest = max(before)
    tasks.refresh_snapshots.call(
        snapshots.slot_of(now + 3 * snapshots.REFRESH_EVERY).isoformat(), budget_seconds=0
    )
    assert (
        min(Snapshot.objects.filter(organisation=early_help).values_list("computed_at", flat=True)) > oldest
    )
