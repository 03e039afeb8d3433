"""Shared pieces for the configuration pack tests: agency admins, and an agency's configuration built
through the owning apps' services (an instrument, a plan template, a meeting type)."""

import copy
import json
from pathlib import Path

import pytest

from assessments import services as assessment_services
from assessments.models import Instrument, InstrumentVersion
from audit.models import AuditEvent
from conferences import services as meeting_services
from conferences.models import MeetingType
from network.models import User
from sharing import services as plan_services
from sharing.models import PlanTemplate
from tests.factories import OrganisationFactory, UserFactory

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "sample-pack.json"

INSTRUMENT = {
    "code": "hillside-coping",
    "name": "Coping check (Hillside)",
    "summary": "Three questions; the answers are added up.",
    "question": "How true is this for you now?",
    "scale": {"code": "zero-to-four", "min": 0, "max": 4, "labels": {"0": "Not at all", "4": "Completely"}},
    "scoring": "sum",
    "direction": "higher_is_better",
    "items": [
        {"code": "sleep", "text": "I sleep well enough.", "narrative": "none"},
        {"code": "eat", "text": "I eat regular meals.", "narrative": "none"},
        {"code": "talk", "text": "I have someone to talk to.", "narrative": "optional"},
    ],
    "bands": [{"from": 0, "to": 5, "label": "Struggling"}, {"from": 6, "to": 12, "label": "Coping"}],
    "meaningful_change": 2,
    "flags": [],
    "completed_by": ["practitioner", "together"],
    "reassess_days": 30,
    "licence": "",
}
TEMPLATE = {
    "name": "Hillside housing plan",
    "description": "For tenants at risk of losing their home.",
    "goals": [
        {
            "in_own_words": "Stay in my flat",
            "review_in_days": 30,
            "actions": [
                {"what": "Ask for a repayment plan", "due_in_days": 7},
                {"what": "Bring the rent book", "owner": "client"},
            ],
        }
    ],
}
MEETING_TYPE = {
    "name": "Tenancy review",
    "family_invited": False,
    "minutes_due_working_days": 3,
    "standard_agenda": ["The tenancy now", "What needs to happen"],
}


def admin_of(organisation) -> User:
    return UserFactory(organisation=organisation, org_role=User.OrgRole.ADMIN)


@pytest.fixture
def hillside():
    return OrganisationFactory(name="Hillside Housing")


@pytest.fixture
def eastvale():
    return OrganisationFactory(name="Eastvale Family Hub")


@pytest.fixture
def hillside_admin(hillside) -> User:
    return admin_of(hillside)


@pytest.fixture
def eastvale_admin(eastvale) -> User:
    return admin_of(eastvale)


@pytest.fixture
def hillside_configured(hillside_admin):
    return configure(hillside_admin)


def configure(hillside_admin):
    """Hillside keeps one instrument (at version 2), one plan template and one meeting type."""
    instrument = assessment_services.instrument_save(
        actor=hillside_admin, definition=copy.deepcopy(INSTRUMENT)
    )
    changed = copy.deepcopy(INSTRUMENT) | {"reassess_days": 60}
    assessment_services.instrument_save(actor=hillside_admin, definition=changed, instrument=instrument)
    plan_services.plan_template_save(actor=hillside_admin, definition=copy.deepcopy(TEMPLATE))
    meeting_services.meeting_type_save(actor=hillside_admin, definition=copy.deepcopy(MEETING_TYPE))
    return hillside_admin


def sample_pack() -> dict:
    return json.loads(SAMPLE.read_text())


def the_state() -> tuple:
    """Everything a pack could change, to show that something changed nothing."""
    return (
        sorted(Instrument.objects.values_list("code", "current_version", "organisation_id")),
        sorted(InstrumentVersion.objects.values_list("instrument__code", "number")),
        sorted(PlanTemplate.objects.values_list("name", "organisation_id", "description")),
        sorted(MeetingType.objects.values_list("name", "organisation_id", "minutes_due_working_days")),
        AuditEvent.objects.count(),
    )


def content(pack: dict) -> dict:
    """A pack without what says who wrote it and when."""
    return {key: value for key, value in pack.items() if key not in ("organisation", "exported_at")}
