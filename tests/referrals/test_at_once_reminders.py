""" "At once" reminders: sent when the change that causes them commits (a task per change), with the daily
scan as the safety net; a reminder sent by one path is never sent again by the other on the same day."""

import pytest
from django.utils import timezone

from realtime.models import Notification
from referrals import services as referral_services
from reminders import at_once, scan
from reminders.models import AtOnceSent, DigestSent, OutgoingEmail
from reminders.services import preference_set

pytestmark = pytest.mark.django_db

WAITING = "A referral from Early Help is waiting for your answer."


def refer(alice, grace, housing, **extra):
    return referral_services.referral_create(
        actor=alice,
        client=grace,
        to_organisation=housing,
        service=extra.get("service", "Tenancy support"),
        asked="Help Grace keep her flat.",
        reason="Rent arrears since March.",
    )


@pytest.fixture
def hattie_wants_them_at_once(hattie):
    preference_set(actor=hattie, kind="referral.waiting", delivery="at_once")
    return hattie


def told(user):
    return list(
        Notification.objects.filter(user=user, kind="reminder.referral.waiting").values_list(
            "text", flat=True
        )
    )


def at_once_mail(user):
    return OutgoingEmail.objects.filter(to=user.email, message_id__startswith=f"<reminder-{user.pk}-")


def test_it_is_sent_when_the_referral_commits(
    alice,
    grace,
    housing,
    hattie_wants_them_at_once,
    grace_consents_to_housing,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    hattie = hattie_wants_them_at_once
    with django_capture_on_commit_callbacks(execute=True):
        refer(alice, grace, housing)
    assert told(hattie) == [WAITING.replace("Early Help", alice.organisation.name)]
    mail = at_once_mail(hattie).get()
    assert mail.sent_at is not None  # the task sent it from the outbox there and then
    assert [m.to for m in mailoutbox] == [[hattie.email]] and "waiting for your answer" in mailoutbox[0].body
    assert (
        AtOnceSent.objects.filter(user=hattie, day=timezone.localdate(), kind="referral.waiting").count() == 1
    )

    # The day's scan, later: Hattie's day is delivered, but the referral is not sent at once again.
    assert scan.run_day(timezone.localdate(), "worker-1")["ran"]
    assert DigestSent.objects.filter(user=hattie).exists()
    assert len(told(hattie)) == 1 and at_once_mail(hattie).count() == 1
    assert AtOnceSent.objects.filter(user=hattie).count() == 1


def test_the_scan_is_the_safety_net_and_the_late_task_sends_nothing_twice(
    alice, grace, housing, hattie_wants_them_at_once, grace_consents_to_housing
):
    """The change's task never ran (a worker down: no on-commit here); the day's scan sends it at once.
    When the task does run, late, Hattie has had it already."""
    hattie = hattie_wants_them_at_once
    refer(alice, grace, housing)
    assert told(hattie) == []
    scan.run_day(timezone.localdate(), "worker-1")
    assert len(told(hattie)) == 1 and at_once_mail(hattie).count() == 1
    assert at_once.send_for_client(grace.pk, ["referral.waiting"]) == 0
    assert len(told(hattie)) == 1 and at_once_mail(hattie).count() == 1


def test_a_second_referral_is_sent_at_once_but_the_first_not_again(
    alice,
    grace,
    housing,
    hattie_wants_them_at_once,
    grace_consents_to_housing,
    django_capture_on_commit_callbacks,
):
    hattie = hattie_wants_them_at_once
    with django_capture_on_commit_callbacks(execute=True):
        refer(alice, grace, housing)
    with django_capture_on_commit_callbacks(execute=True):
        refer(alice, grace, housing, service="Money advice")
    assert len(told(hattie)) == 2 and at_once_mail(hattie).count() == 2
    # The same task twice (enqueued by two changes) sends nothing more.
    assert at_once.send_for_client(grace.pk, ["referral.waiting"]) == 0
    assert AtOnceSent.objects.filter(user=hattie).count() == 2


def test_only_those_who_chose_at_once_hear_at_once(
    alice, grace, housing, hattie, grace_consents_to_housing, django_capture_on_commit_callbacks
):
    """Hattie keeps the default (the daily digest): the referral reaches her bell through the referral's own
    notification, and her reminder waits for the digest."""
    with django_capture_on_commit_callbacks(execute=True):
        refer(alice, grace, housing)
    assert told(hattie) == [] and not at_once_mail(hattie).exists()
    assert not AtOnceSent.objects.exists()
    scan.run_day(timezone.localdate(), "worker-1")
    digest = OutgoingEmail.objects.get(to=hattie.email, message_id__startswith="<digest-")
    assert "waiting for your answer" in digest.body


def test_the_client_must_be_one_the_kind_can_be_asked_about(grace):
    with pytest.raises(ValueError):
        at_once.remind_on_commit(client_id=grace.pk, kinds=["no.such"])
    with pytest.raises(ValueError):
        at_once.remind_on_commit(client_id=grace.pk, kinds=["meeting.upcoming"])  # read whole, not per client
