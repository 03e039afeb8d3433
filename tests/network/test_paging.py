"""Paging without counting: one row more than the page shows says whether there is a next page."""

import pytest

from network.models import Organisation
from network.paging import Page
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven():
    for n in range(7):
        OrganisationFactory(name=f"Org {n}")
    return Organisation.objects.filter(name__startswith="Org ").order_by("name")


@pytest.mark.parametrize(
    ("number", "shown", "has_previous", "has_next"),
    [
        ("1", ["Org 0", "Org 1", "Org 2"], False, True),
        ("2", ["Org 3", "Org 4", "Org 5"], True, True),
        ("3", ["Org 6"], True, False),
        (None, ["Org 0", "Org 1", "Org 2"], False, True),
        ("nonsense", ["Org 0", "Org 1", "Org 2"], False, True),
        ("-4", ["Org 0", "Org 1", "Org 2"], False, True),
        ("99", ["Org 0", "Org 1", "Org 2"], False, True),  # past the end (an old link): the first page
    ],
)
def test_pages(seven, number, shown, has_previous, has_next):
    page = Page(seven, number, 3)
    assert [org.name for org in page] == shown
    assert (page.has_previous, page.has_next, page.has_other_pages) == (
        has_previous,
        has_next,
        has_previous or has_next,
    )


def test_it_never_counts(seven, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = Page(seven, "2", 3)
    assert (page.previous_page_number, page.number, page.next_page_number, len(page)) == (1, 2, 3, 3)
