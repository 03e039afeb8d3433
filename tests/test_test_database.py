"""The test database stays as migrated, whatever order the tests run in (tests/conftest.py)."""

import pytest

from assessments.models import Instrument
from conferences.models import MeetingType
from sharing.models import PlanTemplate

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_transactional_test_ends_with_a_flush():
    assert Instrument.objects.exists()


def test_the_next_one_still_finds_what_the_data_migrations_wrote():
    assert Instrument.objects.exists()
    assert MeetingType.objects.exists()
    assert PlanTemplate.objects.exists()
