"""The cast for moving clients in: Adah, Early Help's agency admin, beside the usual cast (tests/conftest.py):
Alice and Bob work at Early Help, Carol at Community Health, Charlie at the police."""

import pytest

from network.models import User
from tests.factories import UserFactory

HEADER = "given_name,family_name,preferred_name,date_of_birth,pronouns,language,phone,email,address,accessibility_needs,lead_email,lead_role,members\n"


@pytest.fixture
def adah(early_help):
    return UserFactory(
        email="adah@example.org", full_name="Adah Admin", organisation=early_help, org_role=User.OrgRole.ADMIN
    )


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()
