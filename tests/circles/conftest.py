import pytest

from tests.factories import FamilyMemberFactory


@pytest.fixture
def mary(grace):
    """Grace's mother: a family contact in the circle, with no account."""
    return FamilyMemberFactory(
        client=grace,
        name="Mary Okafor",
        relationship="Mother",
        phone="07700 900123",
        email="mary@example.net",
    )
