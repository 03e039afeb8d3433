"""The dashboard costs the same number of queries for one client as for many, and a page read from a
snapshot costs a handful."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory, UserFactory

# Session and user (2), the organisation's teams for the form (1); the figures (15): memberships, stage
# changes, clients now, team names, workers, cases closed, actions done or dropped, actions due (and
# when they were done, once there are any), review date changes, goals waiting, assessments (and their
# instruments' versions, once there are any), referrals, meetings, consents; the audit row (savepoint,
# insert, release: 3); the base page's unread count (1); the session saved (savepoint, update, release: 3).
# A preset period with no fresh snapshot: + looking for the snapshot (1), and keeping the figures as one
# (savepoint, update, savepoint, insert, release, release: 6).
QUERIES = 25 + 7  # the most: 30 here, + 2 when there are actions due and assessments
# Read from a snapshot: session and user (2), teams (1), the snapshot (1), the audit row (3), unread (1).
FROM_SNAPSHOT = 8


@pytest.mark.parametrize("clients", [1, 20])
def test_dashboard_queries_stay_flat(django_assert_max_num_queries, early_help, mo, teams, clients):
    worker = UserFactory(organisation=early_help, team=teams["north"])
    for _ in range(clients):
        MemberFactory(client=ClientFactory(), user=worker)
    browser = signed_in(mo)
    with django_assert_max_num_queries(QUERIES):
        assert browser.get(reverse("reporting:dashboard")).status_code == 200


@pytest.mark.parametrize("clients", [1, 20])
def test_a_page_from_a_snapshot_reads_one_row(django_assert_num_queries, early_help, mo, teams, clients):
    worker = UserFactory(organisation=early_help, team=teams["north"])
    for _ in range(clients):
        MemberFactory(client=ClientFactory(), user=worker)
    browser = signed_in(mo)
    browser.get(reverse("reporting:dashboard"), {"period": "12"})  # worked out, and kept
    with django_assert_num_queries(FROM_SNAPSHOT):
        response = browser.get(reverse("reporting:dashboard"), {"period": "12"})
    assert 'id="as-at"' in response.content.decode()
