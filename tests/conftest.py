"""The fixed cast, as in shared/STYLE.md.

Alice leads the circle of client Grace (Early Help). Bob is in the circle, from Alice's organisation.
Carol is in the circle, from another organisation (Health). Charlie works in a third organisation and has
no access to Grace at all.
"""

import contextlib
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import transaction
from django.db.models.signals import post_migrate
from django.test import Client as BrowserClient
from django.test import override_settings
from rest_framework.test import APIClient

from circles.models import CircleMember
from tests.factories import ClientFactory, ConsentFactory, MemberFactory, OrganisationFactory, UserFactory

FAST_PASSWORDS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORDS


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run as they are enqueued; tests of the real queue and its workers set TASKS back."""
    settings.TASKS = IMMEDIATE_TASKS


# The data migrations that write rows (each idempotent), as (module, function).
DATA_MIGRATIONS = [
    ("assessments.migrations.0002_shipped_packs", "load"),
    ("conferences.migrations.0002_meeting_types", "add_types"),
    ("sharing.migrations.0006_plan_templates", "add_shipped_templates"),
]


def _put_back_migrated_rows(sender, **kwargs):
    """A transactional test empties every table when it ends (Django's flush), and with them the rows the
    data migrations wrote: the shipped instruments, meeting types and plan templates. The flush then sends
    post_migrate, as a migration does: put those rows back, so the tests after it in the same process find
    the database as migrated, whatever order they run in (pytest-xdist's work stealing mixes the order)."""
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(django_apps, None)


post_migrate.connect(
    _put_back_migrated_rows,
    sender=django_apps.get_app_config("assessments"),
    dispatch_uid="tests-migrated-rows",
)


ORGANISATIONS = {
    "early_help": ("Early Help", "early_help"),
    "health": ("Community Health", "health"),
    "police": ("Police", "police"),
}
PEOPLE = {  # who: (email, full name, organisation)
    "alice": ("alice@example.org", "Alice Lead", "early_help"),
    "bob": ("bob@example.org", "Bob Same-Org", "early_help"),
    "carol": ("carol@example.org", "Carol Other-Org", "health"),
    "charlie": ("charlie@example.org", "Charlie Outsider", "police"),
}


def organisation(key):
    name, kind = ORGANISATIONS[key]
    return OrganisationFactory(name=name, kind=kind)


def person(key, organisation):
    email, full_name, _organisation = PEOPLE[key]
    return UserFactory(email=email, full_name=full_name, organisation=organisation)


def circle_of_grace(alice, bob, carol):
    """A client whose circle is Alice (lead), Bob and Carol; Grace agreed to share with the whole circle."""
    client = ClientFactory(given_name="Grace", family_name="Okafor")
    MemberFactory(client=client, user=alice, is_lead=True, role=CircleMember.Role.LEAD_PROFESSIONAL)
    MemberFactory(client=client, user=bob)
    MemberFactory(client=client, user=carol, role=CircleMember.Role.HEALTH_VISITOR)
    ConsentFactory(client=client, recorded_by=alice, given_by="Grace Okafor")
    return client


def the_cast():
    """The whole fixed cast at once (as the fixtures below make it), for a world built once per module."""
    organisations = {key: organisation(key) for key in ORGANISATIONS}
    cast = {key: person(key, organisations[PEOPLE[key][2]]) for key in PEOPLE}
    cast["grace"] = circle_of_grace(cast["alice"], cast["bob"], cast["carol"])
    return organisations | cast


@pytest.fixture
def early_help(db):
    return organisation("early_help")


@pytest.fixture
def health(db):
    return organisation("health")


@pytest.fixture
def police(db):
    return organisation("police")


@pytest.fixture
def alice(early_help):
    return person("alice", early_help)


@pytest.fixture
def bob(early_help):
    return person("bob", early_help)


@pytest.fixture
def carol(health):
    return person("carol", health)


@pytest.fixture
def charlie(police):
    return person("charlie", police)


@pytest.fixture
def grace(alice, bob, carol):
    return circle_of_grace(alice, bob, carol)


@contextlib.contextmanager
def built_once(django_db_blocker, build):
    """For a module-scoped fixture: `build()` once, in a transaction rolled back at the end of the module.

    Each test's own transaction (the `db` fixture, which the test must ask for) nests in it as a savepoint
    and is rolled back after the test, so every test starts from exactly what `build()` made, as if it were
    built afresh (as Django's setUpTestData does for a TestCase class)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORDS, TASKS=IMMEDIATE_TASKS):
                built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
