"""The fixed cast, as in shared/STYLE.md.

Alice leads the circle of client Grace (Early Help). Bob is in the circle, from Alice's organisation.
Carol is in the circle, from another organisation (Health). Charlie works in a third organisation and has
no access to Grace at all.
"""

import pytest
from django.test import Client as BrowserClient
from rest_framework.test import APIClient

from circles.models import CircleMember
from tests.factories import ClientFactory, ConsentFactory, MemberFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run as they are enqueued; tests of the real queue and its workers set TASKS back."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def early_help(db):
    return OrganisationFactory(name="Early Help", kind="early_help")


@pytest.fixture
def health(db):
    return OrganisationFactory(name="Community Health", kind="health")


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Police", kind="police")


@pytest.fixture
def alice(early_help):
    return UserFactory(email="alice@example.org", full_name="Alice Lead", organisation=early_help)


@pytest.fixture
def bob(early_help):
    return UserFactory(email="bob@example.org", full_name="Bob Same-Org", organisation=early_help)


@pytest.fixture
def carol(health):
    return UserFactory(email="carol@example.org", full_name="Carol Other-Org", organisation=health)


@pytest.fixture
def charlie(police):
    return UserFactory(email="charlie@example.org", full_name="Charlie Outsider", organisation=police)


@pytest.fixture
def grace(alice, bob, carol):
    """A client whose circle is Alice (lead), Bob and Carol; Grace agreed to share with the whole circle."""
    client = ClientFactory(given_name="Grace", family_name="Okafor")
    MemberFactory(client=client, user=alice, is_lead=True, role=CircleMember.Role.LEAD_PROFESSIONAL)
    MemberFactory(client=client, user=bob)
    MemberFactory(client=client, user=carol, role=CircleMember.Role.HEALTH_VISITOR)
    ConsentFactory(client=client, recorded_by=alice, given_by="Grace Okafor")
    return client


def signed_in(user) -> BrowserClient:
    browser = BrowserClient()
    browser.force_login(user)
    return browser


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def as_alice(alice):
    return signed_in(alice)


@pytest.fixture
def as_bob(bob):
    return signed_in(bob)


@pytest.fixture
def as_carol(carol):
    return signed_in(carol)


@pytest.fixture
def as_charlie(charlie):
    return signed_in(charlie)


@pytest.fixture
def shipped_instruments(db):
    """The shipped instruments, for tests whose database is emptied between tests (transactional ones)."""
    from assessments.models import Instrument, InstrumentVersion
    from assessments.shipped import load_shipped

    load_shipped(Instrument, InstrumentVersion)
