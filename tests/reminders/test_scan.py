"""The daily scan: what each person is told, through their preferences, once; never about a client they
cannot see; in a number of queries that does not grow with the number of clients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import CircleMember
from realtime.models import Notification
from reminders import scan
from reminders.models import DayReminder, DigestSent, OutgoingEmail, ReminderPreference, ScanRun
from reminders.registry import Reminder, ReminderKind, registry
from reminders.services import preference_set
from tests.factories import ClientFactory, ConsentFactory, MemberFactory
from tests.reminders.conftest import add_due_action, days

pytestmark = pytest.mark.django_db


def texts_for(user, reminders):
    return sorted((r.kind, r.text) for r in reminders if r.user_id == user.pk)


def test_each_person_is_told_what_is_theirs(reminders_world, alice, bob, carol):
    found = scan.collect(timezone.localdate())
    overdue_since = days(-10).strftime("%-d %B")
    assert texts_for(bob, found) == [("action.due", f"Your action for Grace was due on {overdue_since}.")]
    assert texts_for(alice, found) == sorted(
        [
            ("action.overdue_lead", f"An action in Grace's plan was due on {overdue_since}."),
            ("consent.expiring", f"Grace's consent ends on {days(5):%-d %B}."),
            ("goal.review", f"A goal in Grace's plan is due for review on {days(3):%-d %B}."),
            (
                "join_request.waiting",
                f"Someone has been waiting since {days(-3):%-d %B} to join Grace's circle.",
            ),
        ]
    )
    assert texts_for(carol, found) == []


def test_an_action_due_in_a_week_is_not_yet_a_reminder(grace, bob):
    add_due_action(grace, bob, due_on=days(7))
    assert scan.collect(timezone.localdate()) == []


def test_reminders_never_tell_anyone_about_a_client_they_cannot_see(grace, alice, charlie):
    """A kind that got it wrong (Charlie is not in Grace's circle) is caught by the scan's own check."""
    wrong = ReminderKind(
        "test.wrong",
        "A careless kind",
        lambda today: [Reminder("test.wrong", charlie.pk, "Grace: something", "/", client_id=grace.pk)],
    )
    registry.register(wrong)
    try:
        assert [r for r in scan.collect(timezone.localdate()) if r.kind == "test.wrong"] == []
    finally:
        registry._kinds.pop("test.wrong")


def test_someone_who_left_the_circle_hears_nothing_more(reminders_world, bob):
    member = CircleMember.objects.get(client=reminders_world, user=bob)
    member.until = timezone.now()
    member.save()
    assert texts_for(bob, scan.collect(timezone.localdate())) == []


def test_preferences_at_once_digest_or_not_at_all(reminders_world, alice, bob, mailoutbox):
    preference_set(actor=alice, kind="consent.expiring", delivery="at_once")
    preference_set(actor=alice, kind="goal.review", delivery="off")
    today = timezone.localdate()
    assert scan.run_day(today, "worker-1")["delivered"] == 2

    alice_mail = OutgoingEmail.objects.filter(to=alice.email)
    assert alice_mail.count() == 2  # one at once, one digest
    digest = alice_mail.get(message_id__startswith="<digest-")
    assert "join Grace's circle" in digest.body and "overdue" not in digest.subject
    assert "consent ends" not in digest.body  # that one came at once
    assert "review" not in digest.body  # not at all
    bell = list(Notification.objects.filter(user=alice).values_list("kind", flat=True))
    assert sorted(bell) == ["reminder.consent.expiring", "reminder.digest"]
    assert OutgoingEmail.objects.filter(to=bob.email).count() == 1


def test_the_day_runs_once(reminders_world, alice, bob):
    today = timezone.localdate()
    first = scan.run_day(today, "worker-1")
    second = scan.run_day(today, "worker-2")
    assert first["ran"] and not second["ran"]
    assert DigestSent.objects.filter(day=today).count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_a_stale_run_is_taken_over_and_nobody_hears_twice(reminders_world, alice, bob, settings):
    today = timezone.localdate()
    # A worker claimed the day, told Bob, then died (its heartbeat stopped ten minutes ago).
    ScanRun.objects.create(
        period=today, claimed_by="dead", heartbeat_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    bob_plan = next(p for p in scan.plans_for(scan.collect(today)) if p.user == bob)
    assert scan.deliver(bob_plan, today)
    assert scan.run_day(today, "worker-2") == {"day": today.isoformat(), "ran": True, "delivered": 1}
    run = ScanRun.objects.get(period=today)
    assert run.claimed_by == "worker-2" and run.takeovers == 1 and run.finished_at
    assert OutgoingEmail.objects.filter(to=bob.email).count() == 1


def test_a_running_scan_is_left_alone(reminders_world):
    today = timezone.localdate()
    ScanRun.objects.create(period=today, claimed_by="alive", heartbeat_at=timezone.now())
    assert scan.run_day(today, "worker-2") == {"day": today.isoformat(), "ran": False}
    assert not DigestSent.objects.exists()


@pytest.mark.parametrize("clients", [1, 20])
def test_the_scans_query_count_is_flat_in_the_number_of_clients(alice, bob, early_help, clients):
    for n in range(clients):
        client = ClientFactory(given_name=f"C{n}")
        MemberFactory(client=client, user=alice, is_lead=True, role="lead_professional")
        MemberFactory(client=client, user=bob)
        add_due_action(client, bob, due_on=days(-10))
        ConsentFactory(client=client, scope="circle", recorded_by=alice, expires_on=days(3))
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        plans = scan.plans_for(scan.collect(today))
    # The kinds read whole, once: 1. minutes to sign off (none), 2. meetings coming up (none, so no
    # invitations), 3. the portal's meetings coming up (none, so no portal accounts). 4. The lowest and
    # highest client ids (one slice of clients here, REMINDERS_CLIENT_SLICE wide). For the slice: 5. open
    # actions due, with owner and client, 6. the leads of clients whose actions are overdue long enough (no
    # portal query: none of the actions is the client's own), 7. the instruments' reassessment intervals,
    # 8. the latest assessments (none, so no leads to look up), 9. consents ending soon with their client,
    # 10. their leads, 11. goals to review (none, so no leads to look up), 12. requests to join waiting
    # (none), 13. referrals waiting, 14. the check that each person is in the circle now. Then 15. the
    # people, 16. their preferences.
    assert len(queries) == 16, "\n".join(q["sql"][:90] for q in queries)
    assert sum(len(p.bell) for p in plans) == 3 * clients


def test_preferences_are_checked(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        preference_set(actor=alice, kind="no.such", delivery="digest")
    with pytest.raises(ValidationError):
        preference_set(actor=alice, kind="action.due", delivery="weekly")
    assert not ReminderPreference.objects.exists()


def test_a_batch_that_meets_someone_already_done_gives_the_others_theirs(reminders_world, alice, bob):
    today = timezone.localdate()
    plans = scan.plans_for(scan.collect(today))
    DigestSent.objects.create(user=bob, day=today)  # another worker got to Bob a moment ago
    assert scan.deliver_batch(plans, today) == 1
    assert OutgoingEmail.objects.filter(to=alice.email).count() == 1
    assert not OutgoingEmail.objects.filter(to=bob.email).exists()


def test_the_scan_reads_clients_a_slice_at_a_time_and_finds_the_same(alice, bob, early_help, settings):
    for n in range(5):
        client = ClientFactory(given_name=f"C{n}")
        MemberFactory(client=client, user=alice, is_lead=True, role="lead_professional")
        MemberFactory(client=client, user=bob)
        add_due_action(client, bob, due_on=days(-10))
        ConsentFactory(client=client, scope="circle", recorded_by=alice, expires_on=days(3))
    today = timezone.localdate()
    whole = sorted(scan.collect(today), key=repr)
    settings.REMINDERS_CLIENT_SLICE = 2
    assert len(list(scan.client_slices())) == 3
    assert sorted(scan.collect(today), key=repr) == whole and len(whole) == 15
    assert scan.run_day(today, "worker-1")["delivered"] == 2
    assert ScanRun.objects.get(period=today).reminders == 15
    assert not DayReminder.objects.exists()  # the working rows go when the run finishes


def test_a_run_taken_over_before_it_had_gathered_gathers_again(reminders_world, alice, bob, carol, settings):
    """A worker died while writing the day's reminders down: what it wrote is not trusted (Carol's row is
    left over from it); the next worker gathers the day again from the start."""
    today = timezone.localdate()
    stale = timezone.now() - datetime.timedelta(seconds=settings.REMINDERS_STALE_SECONDS + 5)
    run = ScanRun.objects.create(period=today, claimed_by="dead", heartbeat_at=stale)
    DayReminder.objects.create(
        run=run, user_id=carol.pk, kind="consent.expiring", text="Half written", url="/"
    )
    assert scan.run_day(today, "worker-2")["delivered"] == 2
    assert not DigestSent.objects.filter(user=carol).exists()
    assert {d.user for d in DigestSent.objects.all()} == {alice, bob}
    assert ScanRun.objects.get(period=today).collected_at is not None
