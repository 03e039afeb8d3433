"""Beside the fixed cast: Erin, Early Help's agency admin (Alice's and Bob's organisation); Ida, Grace's
hidden domestic abuse adviser from Safe Haven; Len, who left Grace's circle; Olu, another client discussed
at the same meeting; and Harriet, the agency admin of Riverside Housing, which has nobody in Grace's circle.

`grace_record` furnishes Grace's record with one of every kind of thing the export covers.
"""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Instrument
from audit.services import audit_read
from board import services as board_services
from circles import access
from circles import services as circle_services
from circles.models import CircleMember, Consent, PortalAccess
from conferences import services as meeting_services
from conferences.models import MeetingType
from network.models import User
from referrals import services as referral_services
from sharing import services as sharing_services
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    FamilyMemberFactory,
    MemberFactory,
    OrganisationFactory,
    UserFactory,
    assessment_done,
)

IDA_NAME = "Ida Hiddenworth"
IDA_EMAIL = "ida.hiddenworth@safehaven.example"


@pytest.fixture
def erin(early_help):
    return UserFactory(
        email="erin@example.org", full_name="Erin Admin", organisation=early_help, org_role=User.OrgRole.ADMIN
    )


@pytest.fixture
def housing(db):
    return OrganisationFactory(name="Riverside Housing", kind="housing")


@pytest.fixture
def harriet(housing):
    return UserFactory(
        email="harriet@example.org",
        full_name="Harriet Housing-Admin",
        organisation=housing,
        org_role=User.OrgRole.ADMIN,
    )


@pytest.fixture
def safe_haven(db):
    return OrganisationFactory(name="Safe Haven", kind="voluntary")


@pytest.fixture
def ida(safe_haven):
    return UserFactory(email=IDA_EMAIL, full_name=IDA_NAME, organisation=safe_haven)


@pytest.fixture
def grace_record(grace, alice, bob, carol, ida, police):
    """Grace's record with a note, a plan (goal, action, a change), an assessment, board cards, a meeting
    with a decision (Olu on the same agenda), a referral, consents, a stage change, a member who left, a
    hidden member, a family member with contact details, portal access and reads of the record."""
    ida_member = MemberFactory(
        client=grace,
        user=ida,
        role=CircleMember.Role.ADVOCATE,
        is_hidden=True,
        hidden_reason="Domestic abuse adviser: Grace's safety depends on it.",
    )
    len_ = UserFactory(full_name="Len Leaver", organisation=alice.organisation)
    MemberFactory(
        client=grace,
        user=len_,
        since=timezone.now() - datetime.timedelta(days=60),
        until=timezone.now() - datetime.timedelta(days=30),
    )
    ama = FamilyMemberFactory(
        client=grace, name="Ama Okafor", relationship="Sister", phone="07700 900555", email="ama@example.org"
    )
    world = {"ida_member": ida_member, "ama": ama}
    # Notes: Alice's, which mentions Ida by name; Ida's own (circle-wide: Grace consents to share);
    # Carol's "my organisation only" (Community Health's, not Early Help's to disclose).
    world["note"] = sharing_services.note_create(
        actor=alice,
        client=grace,
        text=f"Spoke to {IDA_NAME} about the safety plan. Rent arrears down to £300.",
    )
    world["ida_note"] = sharing_services.note_create(
        actor=ida, client=grace, text="Safety plan reviewed with Grace."
    )
    world["carol_private"] = sharing_services.note_create(
        actor=carol, client=grace, text="Health visitor's own note about Ruth.", visibility="organisation"
    )
    # The plan: a goal, an action Ida owns, and a change to it.
    goal = sharing_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    action = sharing_services.action_add(
        actor=alice, goal=goal, what="Call the housing office", owner=ida_member
    )
    sharing_services.action_set_status(actor=bob, action=action, status="in_progress")
    world |= {"goal": goal, "action": action}
    # An assessment, and board cards (one by Ida).
    world["assessment"] = assessment_done(
        author=alice, client=grace, code="phq-9", scores=[1] * 9, narrative="Sleeping better this week."
    )
    world["card"] = board_services.card_add(
        actor=alice, client=grace, column="worry", kind="harm", text="Rent arrears since March"
    )
    world["ida_card"] = board_services.card_add(
        actor=ida, client=grace, column="working_well", text="Grace keeps to the safety plan"
    )
    # A meeting with Grace and Olu on the agenda, and a decision about Grace that Ida agreed to.
    chair = UserFactory(
        full_name="Moira Chair", organisation=alice.organisation, org_role=User.OrgRole.PANEL_CHAIR
    )
    olu = ClientFactory(given_name="Olu", family_name="Bello")
    MemberFactory(client=olu, user=carol, is_lead=True, role=CircleMember.Role.LEAD_PROFESSIONAL)
    ConsentFactory(client=grace, scope=Consent.Scope.CONFERENCE, recorded_by=alice)
    ConsentFactory(client=olu, scope=Consent.Scope.CONFERENCE, recorded_by=carol)
    meeting = meeting_services.meeting_create(
        actor=chair,
        type=MeetingType.objects.get(name="Risk panel"),
        title="Risk panel, December",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="Town Hall",
    )
    item = meeting_services.agenda_item_add(actor=chair, meeting=meeting, client=grace, reason="The tenancy")
    meeting_services.agenda_item_add(actor=chair, meeting=meeting, client=olu, reason="Olu's school place")
    world["decision"] = meeting_services.decision_record(
        actor=chair,
        item=item,
        text="Ask the landlord for a repayment plan",
        agreed_by=["Moira Chair", IDA_NAME],
    )
    world |= {"meeting": meeting, "item": item, "olu": olu}
    # A referral to the police (Grace consents to share with them), and a stage change.
    ConsentFactory(client=grace, scope=Consent.Scope.ORGANISATION, organisation=police, recorded_by=alice)
    world["referral"] = referral_services.referral_create(
        actor=alice,
        client=grace,
        to_organisation=police,
        service="Youth diversion",
        asked="Help",
        reason="Why",
    )
    circle_services.client_stage_change(
        actor=alice, client=grace, stage="assessment", reason="Starting the assessment"
    )
    # Grace uses the portal; Alice and Ida looked at the record.
    PortalAccess.objects.create(user=UserFactory(organisation=None, kind=User.Kind.CLIENT), client=grace)
    audit_read(record=access.record_access(alice, grace), action="client.view")
    audit_read(record=access.record_access(ida, grace), action="client.view")
    return world


@pytest.fixture
def phq9(db):
    return Instrument.objects.get(code="phq-9")
