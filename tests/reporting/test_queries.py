"""The dashboard costs the same number of queries for one client as for many."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory, UserFactory

# Session and user (2), the organisation's teams for the form (1); the figures (15): memberships, stage
# changes, clients now, team names, workers, cases closed, actions done or dropped, actions due (and
# when they were done, once there are any), review date changes, goals waiting, assessments (and their
# instruments' versions, once there are any), referrals, meetings, consents; the audit row (savepoint,
# insert, release: 3); the base page's unread count (1); the session saved (savepoint, update, release: 3).
QUERIES = 25  # the most: 23 here, + 2 when there are actions due and assessments


@pytest.mark.parametrize("clients", [1, 20])
def test_dashboard_queries_stay_flat(django_assert_max_num_queries, early_help, mo, teams, clients):
    worker = UserFactory(organisation=early_help, team=teams["north"])
    for _ in range(clients):
        MemberFactory(client=ClientFactory(), user=worker)
    browser = signed_in(mo)
    with django_assert_max_num_queries(QUERIES):
        assert browser.get(reverse("reporting:dashboard")).status_code == 200
