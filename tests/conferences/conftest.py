"""The cast for case conferences, beside tests/conftest.py's (Alice leads Grace's circle, Bob and Carol are
in it, Charlie is a Police practitioner outside it):

    Moira   a panel chair (Early Help), chairs the Northbridge Risk Panel
    Charlie a standing member of that panel: not in Grace's circle, so need-to-know applies to him
    Grace   has agreed to discussion at a case conference
"""

import datetime

import pytest
from django.utils import timezone

from circles.models import Consent
from conferences import services
from conferences.models import MeetingType
from tests.factories import ConsentFactory, UserFactory


@pytest.fixture
def moira(early_help):
    return UserFactory(
        email="moira@example.org", full_name="Moira Lane", organisation=early_help, org_role="panel_chair"
    )


@pytest.fixture
def panel(moira, charlie):
    panel = services.panel_create(actor=moira, name="Northbridge Risk Panel")
    services.panel_member_add(actor=moira, panel=panel, user=charlie, role="standing")
    return panel


@pytest.fixture
def conference_consent(grace, alice):
    return ConsentFactory(
        client=grace, scope=Consent.Scope.CONFERENCE, recorded_by=alice, given_by="Grace Okafor"
    )


def tomorrow_at(hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def meeting_type(name: str) -> MeetingType:
    """A type the data migration made (made again after a transactional test has flushed the tables)."""
    from conferences.migrations import _types

    family_invited, days, agenda = _types.DEFAULTS[name]
    kind, _ = MeetingType.objects.get_or_create(
        name=name,
        defaults={
            "family_invited": family_invited,
            "minutes_due_working_days": days,
            "standard_agenda": agenda,
        },
    )
    return kind


@pytest.fixture
def meeting(moira, panel, bob):
    return services.meeting_create(
        actor=moira,
        type=meeting_type("Risk panel"),
        title="Risk panel, December",
        starts_at=tomorrow_at(),
        panel=panel,
        place="Town Hall, room 2",
        minute_taker=None,
    )


@pytest.fixture
def item(meeting, moira, grace, conference_consent):
    return services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="Worries about school")
