"""Reassessments due: the lead hears once an instrument's interval has passed since the latest completed
assessment, only of assessments they may read, in a number of queries flat in the number of clients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import reminder_kinds
from reminders import scan
from reminders.registry import registry
from tests.factories import ClientFactory, MemberFactory, UserFactory, assessment_done

pytestmark = pytest.mark.django_db


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def reassess(reminders, user=None):
    return sorted(
        r.text
        for r in reminders
        if r.kind == "assessment.reassess" and (user is None or r.user_id == user.pk)
    )


def test_the_kind_is_registered_when_django_starts():
    assert "assessment.reassess" in registry


def test_the_lead_hears_once_the_interval_has_passed(grace, alice, bob):
    done = assessment_done(author=bob, client=grace, code="phq-9", scores=[1] * 9, at=ago(15))
    found = scan.collect(timezone.localdate())
    last = timezone.localtime(done.completed_at).strftime("%-d %B")
    assert reassess(found, alice) == [f"Grace's PHQ-9 is due again (last done on {last})."]
    assert reassess(found, bob) == []  # the lead's to arrange


def test_a_recent_assessment_is_not_yet_due(grace, alice, bob):
    assessment_done(author=bob, client=grace, code="phq-9", scores=[1] * 9, at=ago(15))
    assessment_done(author=bob, client=grace, code="phq-9", scores=[1] * 9, at=ago(3))
    assert reassess(scan.collect(timezone.localdate())) == []


def test_the_lead_never_hears_of_an_assessment_kept_from_them(grace, alice, carol):
    """Carol's (Health) assessment is her organisation's only: Alice (Early Help) may not read it."""
    assessment_done(
        author=carol, client=grace, code="gad-7", scores=[1] * 7, at=ago(30), visibility="organisation"
    )
    assert reassess(scan.collect(timezone.localdate())) == []


def test_nobody_hears_of_a_client_whose_circle_they_left(grace, alice, bob):
    from circles.models import CircleMember

    assessment_done(author=bob, client=grace, code="phq-9", scores=[1] * 9, at=ago(15))
    CircleMember.objects.filter(client=grace, user=alice).update(until=timezone.now())
    assert reassess(scan.collect(timezone.localdate())) == []


@pytest.mark.parametrize("clients", [1, 15])
def test_the_query_count_is_flat_in_the_number_of_clients(early_help, clients):
    lead = UserFactory(organisation=early_help)
    for n in range(clients):
        client = ClientFactory(given_name=f"C{n}")
        MemberFactory(client=client, user=lead, is_lead=True, role="lead_professional")
        assessment_done(author=lead, client=client, code="phq-9", scores=[1] * 9, at=ago(20))
        assessment_done(author=lead, client=client, code="gad-7", scores=[1] * 7, at=ago(2))
    with CaptureQueriesContext(connection) as queries:
        found = list(reminder_kinds.reassessments_due(timezone.localdate()))
    # 1. the instruments' current versions (their intervals), 2. the latest completed assessments, by
    # client, instrument and who may read them, 3. the clients' leads.
    assert len(queries) == 3
    assert len(found) == clients
