"""A client with one (or more) of every kind of record FHIR exports, made through the services.

Grace's circle, beside tests/conftest.py's Alice (lead), Bob and Carol:
    Dina    a domestic-abuse adviser (Safe Haven), a hidden member: never named outside the circle
    Ama     Grace's sister (family)
    Eve     a youth worker who has left the circle
Moira chairs a panel whose meetings Grace is on: one upcoming, one that has happened (Bob was there).
Charlie (Police, outside the circle) breaks the glass on Grace's record in some tests.
"""

import datetime

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Instrument
from audit.services import audit_read
from circles import access
from circles import services as circle_services
from circles.models import CircleMember, Consent
from conferences import services as meeting_services
from network.models import User
from sharing import services as plan_services
from sharing.models import GoalComment
from tests.conferences.conftest import meeting_type, tomorrow_at
from tests.factories import (
    ConsentFactory,
    FamilyMemberFactory,
    MemberFactory,
    OrganisationFactory,
    UserFactory,
    assessment_done,
)


def everything_url(client) -> str:
    return f"/fhir/Patient/{client.public_id}/$everything"


def wellbeing_scores(start: int) -> list[int]:
    return [min(10, start + n % 3) for n in range(8)]


def add_records(world: dict, *, n: int = 1) -> None:
    """`n` more of each kind of record for Grace (the query-count test asks for more of everything)."""
    alice, bob, carol, grace = world["alice"], world["bob"], world["carol"], world["grace"]
    phq9, wellbeing = Instrument.objects.get(code="phq-9"), Instrument.objects.get(code="wellbeing-domains")
    for i in range(n):
        goal = plan_services.goal_add(
            actor=alice,
            client=grace,
            in_own_words=f"Keep our flat ({i})",
            success_looks_like="No letters about the rent",
            review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        plan_services.goal_address_set(actor=alice, goal=goal, instrument=wellbeing, item="home")
        plan_services.action_add(
            actor=alice,
            goal=goal,
            what="Call the housing office",
            owner=CircleMember.objects.get(client=grace, user=bob, until=None),
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
        plan_services.action_add(
            actor=alice, goal=goal, what="Open the post on Mondays", owner_is_client=True
        )
        plan_services.action_add(actor=alice, goal=goal, what="Talk to Dina", owner=world["dina_member"])
        dropped = plan_services.action_add(actor=alice, goal=goal, what="Ask for a loan")
        plan_services.action_set_status(
            actor=alice, action=dropped, status="dropped", dropped_reason="Grace chose not to"
        )
        GoalComment.objects.create(goal=goal, author=world["grace_user"], text="I want to stay here.")
        done = assessment_services.assessment_complete(
            actor=alice,
            assessment=assessment_services.assessment_start(actor=alice, client=grace, instrument=phq9),
            answers={str(q): {"score": 1} for q in range(1, 10)},
        )
        if i == 0:
            world["phq9"] = done
            world["amendment"] = assessment_services.assessment_amend(
                actor=alice,
                assessment=done,
                answers={str(q): {"score": 2} for q in range(1, 10)},
                reason="Question 3 was misheard",
            )
        world.setdefault("wellbeing", []).append(
            assessment_done(
                author=bob, client=grace, code="wellbeing-domains", scores=wellbeing_scores(3 + i)
            )
        )
        assessment_done(
            author=world["grace_user"],
            client=grace,
            code="ons4",
            scores=[6, 7, 5, 3],
            completed_by="client",
            visibility="client",
        )
        # Carol's own organisation only: Alice and Bob (Early Help) may not read it, whatever the consent.
        world.setdefault("carol_only", []).append(
            assessment_done(
                author=carol, client=grace, code="gad-7", scores=[1] * 7, visibility="organisation"
            )
        )
        ConsentFactory(
            client=grace, scope=Consent.Scope.ORGANISATION, organisation=world["police"], recorded_by=alice
        )
        meeting = meeting_services.meeting_create(
            actor=world["moira"],
            type=meeting_type("Risk panel"),
            title=f"Risk panel ({i})",
            starts_at=tomorrow_at(9 + i % 8) + datetime.timedelta(days=i // 8),
            panel=world["panel"],
            place="Town Hall, room 2",
        )
        meeting_services.agenda_item_add(
            actor=world["moira"], meeting=meeting, client=grace, reason="Worries about school"
        )
        audit_read(record=access.record_access(bob, grace), action="client.view")


@pytest.fixture
def world(alice, bob, carol, charlie, grace, police, django_capture_on_commit_callbacks):
    safe_haven = OrganisationFactory(name="Safe Haven", kind="voluntary")
    dina = UserFactory(full_name="Dina Hidden", organisation=safe_haven)
    dina_member = MemberFactory(client=grace, user=dina, role=CircleMember.Role.ADVOCATE)
    circle_services.circle_member_hide(
        actor=alice, client=grace, member=dina_member, hidden=True, reason="Safety: she must not be traced"
    )
    ama = FamilyMemberFactory(client=grace, name="Ama Okafor", relationship="Sister")
    eve = MemberFactory(
        client=grace, user=UserFactory(full_name="Eve Leaver"), role=CircleMember.Role.YOUTH_WORKER
    )
    circle_services.circle_member_remove(actor=alice, client=grace, member=eve)
    grace_user = UserFactory(full_name="Grace Okafor", organisation=None, kind=User.Kind.CLIENT)
    family_consent = circle_services.consent_record(
        actor=alice,
        client=grace,
        scope=Consent.Scope.FAMILY_PORTAL,
        method=Consent.Method.VERBAL,
        given_by="Grace Okafor",
        family_member=ama,
    )
    circle_services.consent_withdraw(actor=alice, consent=family_consent, note="Grace will tell Ama herself")
    ConsentFactory(client=grace, scope=Consent.Scope.CONFERENCE, recorded_by=alice, given_by="Grace Okafor")
    moira = UserFactory(full_name="Moira Lane", organisation=alice.organisation, org_role="panel_chair")
    panel = meeting_services.panel_create(actor=moira, name="Northbridge Risk Panel")
    world = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "charlie": charlie,
        "grace": grace,
        "police": police,
        "dina": dina,
        "dina_member": dina_member,
        "ama": ama,
        "eve": eve,
        "grace_user": grace_user,
        "moira": moira,
        "panel": panel,
    }
    add_records(world)
    # A meeting that has happened: opened, Bob there, ended.
    held = meeting_services.meeting_create(
        actor=moira,
        type=meeting_type("Risk panel"),
        title="Risk panel, last month",
        starts_at=tomorrow_at(15),
        panel=panel,
        place="Town Hall, room 1",
    )
    item = meeting_services.agenda_item_add(actor=moira, meeting=held, client=grace, reason="How it went")
    meeting_services.meeting_open(actor=moira, meeting=held)
    meeting_services.attendance_record(
        actor=moira, meeting=held, invitation=held.invitations.get(user=bob), status="present"
    )
    meeting_services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    world["held"] = meeting_services.meeting_end(actor=moira, meeting=held)
    world["held_item"] = item
    # Never exported: a draft (its author's only).
    world["draft"] = assessment_services.assessment_start(
        actor=alice, client=grace, instrument=Instrument.objects.get(code="phq-9")
    )
    return world
