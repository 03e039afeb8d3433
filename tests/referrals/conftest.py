"""Beside the fixed cast: Riverside Housing, the organisation Grace is referred to.

Hattie   Riverside Housing's agency manager: the referrals inbox
Ian      a housing officer there, whom Hattie names as the worker
Grace    has agreed (in writing) to share information with Riverside Housing
"""

import pytest

from circles.models import Consent
from network.models import User
from referrals import services
from tests.factories import ConsentFactory, OrganisationFactory, UserFactory


@pytest.fixture
def housing(db):
    return OrganisationFactory(name="Riverside Housing", kind="housing")


@pytest.fixture
def hattie(housing):
    return UserFactory(
        email="hattie@example.org",
        full_name="Hattie Manager",
        organisation=housing,
        org_role=User.OrgRole.MANAGER,
    )


@pytest.fixture
def ian(housing):
    return UserFactory(email="ian@example.org", full_name="Ian Housing", organisation=housing)


@pytest.fixture
def grace_consents_to_housing(grace, alice, housing):
    return ConsentFactory(
        client=grace,
        scope=Consent.Scope.ORGANISATION,
        organisation=housing,
        recorded_by=alice,
        given_by="Grace Okafor",
    )


@pytest.fixture
def referral(grace, alice, housing, hattie, grace_consents_to_housing):
    return services.referral_create(
        actor=alice,
        client=grace,
        to_organisation=housing,
        service="Tenancy support",
        asked="Help Grace keep her flat.",
        reason="Rent arrears since March.",
        now_summary="Grace lives with her two children.",
    )
