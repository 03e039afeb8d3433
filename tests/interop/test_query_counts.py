"""$everything reads a bounded number of queries: the same for a client with one of each record as with many.

What they are, for a member of the circle (the lead, who also sees who looked), signed in with a session:
     2  the session and the person
     3  the client, the reader's membership, the client's consent (circles.access.record_access)
     1  the circle, now and before
     1  the consents
     5  the plan: the plan, its goals, their actions, the client's comments, the goals' assessment areas
     1  the assessments the reader may read
     4  the meetings: the meetings, the client's agenda items, the circle's invitations, their attendance
     1  who looked
     1  the audit row of this read
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import signed_in

from .conftest import add_records, everything_url

EVERYTHING_QUERIES = 19


def warmed_up(user):
    browser = signed_in(user)
    browser.get("/fhir/metadata")  # the session's first request refreshes its idle timer: not ours to count
    return browser


def count_queries(browser, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    return len(queries), response.json()


def test_everything_is_read_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    browser = warmed_up(world["alice"])
    url = everything_url(world["grace"])
    with django_assert_max_num_queries(EVERYTHING_QUERIES):
        few, small = count_queries(browser, url)
    add_records(world, n=6)
    many, large = count_queries(browser, url)
    assert len(large["entry"]) > len(small["entry"]) + 6 * 10
    assert many == few


def test_an_emergency_reader_costs_no_more(world, django_assert_max_num_queries):
    from circles import services as circle_services

    circle_services.emergency_access_start(
        actor=world["charlie"], client=world["grace"], reason="Called out at night about Grace"
    )
    browser = warmed_up(world["charlie"])
    with django_assert_max_num_queries(EVERYTHING_QUERIES + 1):
        count_queries(browser, everything_url(world["grace"]))
