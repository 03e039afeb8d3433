"""Every published change, driven through its service: its event's payload comes back from JSON matching
the type its change declares, and the event carries the same name as the change's audit row.

In the manner of Zulip's verify_action: the payload a page receives is the payload the catalogue promises.
"""

import json

import pytest

from assessments import services as assessment_services
from assessments.models import Instrument
from audit.models import AuditEvent
from board import services as board_services
from changes.catalogue import catalogue, check_payload
from circles import services as circle_services
from circles.models import CircleMember
from conferences import services as meeting_services
from conferences.models import MeetingType
from network.services import professional_update
from portal import services as portal_services
from realtime.models import Event
from referrals import handovers
from referrals import services as referral_services
from referrals.models import InboxMember
from sharing import services as sharing_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_every_published_change(alice, bob, carol, charlie):
    client = circle_services.client_create(actor=alice, given_name="Amara", family_name="Mensah")
    circle_services.client_stage_change(
        actor=alice, client=client, stage="assessment", reason="Time to assess"
    )
    as_bob = circle_services.circle_member_add(
        actor=alice, client=client, kind="professional", role="social_worker", user=bob
    )
    as_carol = circle_services.circle_member_add(
        actor=alice, client=client, kind="professional", role="health_visitor", user=carol
    )
    circle_services.circle_member_add(
        actor=alice, client=client, kind="family", role="family_member", name="Ama Mensah"
    )
    circle_services.circle_lead_change(actor=alice, client=client, member=as_bob)
    consent = circle_services.consent_record(
        actor=bob, client=client, scope="circle", method="verbal", given_by="Amara Mensah"
    )
    circle_services.consent_withdraw(actor=bob, consent=consent)
    request = circle_services.join_request_create(
        actor=charlie, client=client, reason="We have a report about the flat.", role="police_officer"
    )
    circle_services.join_request_decide(actor=bob, request=request, approve=False)
    circle_services.emergency_access_start(
        actor=charlie, client=client, reason="A call about the flat tonight"
    )
    circle_services.circle_member_hide(
        actor=bob, client=client, member=as_carol, hidden=True, reason="Domestic abuse adviser"
    )
    circle_services.circle_member_remove(actor=bob, client=client, member=as_carol)

    note = sharing_services.note_create(actor=alice, client=client, text="One.", visibility="organisation")
    sharing_services.note_visibility_change(actor=alice, note=note, visibility="circle")
    sharing_services.note_visibility_change(actor=alice, note=note, visibility="organisation")

    goal = sharing_services.goal_add(actor=alice, client=client, in_own_words="Keep our flat")
    second = sharing_services.goal_add(actor=alice, client=client, in_own_words="See my sister")
    sharing_services.goal_update(
        actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1
    )
    mine = sharing_services.action_add(actor=alice, goal=goal, what="Open the post", owner_is_client=True)
    theirs = sharing_services.action_add(actor=alice, goal=goal, what="Ring the landlord")
    sharing_services.action_update(
        actor=alice, action=theirs, changes={"what": "Write to the landlord"}, base_version=1
    )
    sharing_services.plan_move(actor=alice, item=second, direction="up")
    sharing_services.plan_move(actor=alice, item=theirs, direction="up")
    sharing_services.plan_agree(
        actor=bob, client=client, participants=[CircleMember.objects.get(client=client, user=bob, until=None)]
    )
    invitation = portal_services.invitation_create(actor=bob, client=client, email="amara@example.org")
    amara = portal_services.invitation_accept(token=invitation.token)
    sharing_services.goal_comment_add(user=amara, goal=goal, text="I rang them today.")
    sharing_services.action_done_by_client(user=amara, action=mine)
    card = board_services.card_add(actor=alice, client=client, column="worry", text="Arrears", kind="harm")
    board_services.card_update(actor=alice, card=card, changes={"text": "Arrears of £900"}, base_version=1)
    board_services.card_move(actor=alice, card=card, column="next_step")
    board_services.card_make_goal(actor=alice, card=card)
    board_services.card_close(actor=alice, card=card, reason="Done")
    board_services.card_add_by_client(user=amara, client=client, column="working_well", text="My sister")
    board_services.scale_add(actor=alice, client=client, score=5, why="Halfway there")
    board_services.scale_add_by_client(user=amara, client=client, score=6)
    sharing_services.action_remove(actor=alice, action=theirs)
    sharing_services.goal_remove(actor=alice, goal=second)
    phq9 = Instrument.objects.get(code="phq-9")
    draft = assessment_services.assessment_start(actor=alice, client=client, instrument=phq9)
    done = assessment_services.assessment_complete(
        actor=alice, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 10)}
    )
    assessment_services.assessment_amend(
        actor=alice, assessment=done, answers={"1": {"score": 2}}, reason="Misheard question 1"
    )
    asked = assessment_services.self_rating_ask(actor=alice, client=client, instrument=phq9)
    assessment_services.self_rating_complete(
        user=amara, request=asked, answers={str(n): {"score": 0} for n in range(1, 10)}
    )
    goal_for_area = sharing_services.goal_add(actor=alice, client=client, in_own_words="Feel calmer")
    sharing_services.goal_address_set(actor=alice, goal=goal_for_area, instrument=phq9)
    circle_services.client_stage_change(
        actor=bob, client=client, stage="closed", reason="Moved to Leeds", outcome="moved_away"
    )
    circle_services.client_reopen(actor=bob, client=client, reason="Came back to the area")
    return client


def _referrals_and_handovers(client, alice, bob, charlie):
    """Bob (the lead now) refers Amara to Charlie's organisation three times; the lead changes hands."""
    police = charlie.organisation
    InboxMember.objects.create(organisation=police, user=charlie, named_by=charlie)
    circle_services.consent_record(
        actor=bob,
        client=client,
        scope="organisation",
        organisation=police,
        method="written",
        given_by="Amara",
    )

    def refer():
        return referral_services.referral_create(
            actor=bob, client=client, to_organisation=police, service="Diversion", asked="Help", reason="Why"
        )

    first = refer()
    referral_services.referral_info_request(actor=charlie, referral=first, question="Which school?")
    referral_services.referral_info_give(actor=bob, referral=first, answer="Hillview.")
    referral_services.referral_accept(actor=charlie, referral=first, worker=charlie)
    referral_services.referral_first_contact(actor=charlie, referral=first)
    referral_services.referral_outcome(actor=charlie, referral=first, outcome="got_help")
    referral_services.referral_decline(actor=charlie, referral=refer(), reason="Full.")
    referral_services.referral_withdraw(actor=bob, referral=refer())

    to_alice = CircleMember.objects.get(client=client, user=alice, until=None)
    offered = handovers.handover_offer(actor=bob, client=client, to_member=to_alice, summary="Over to you.")
    handovers.handover_cancel(actor=bob, handover=offered)
    handovers.handover_accept(
        actor=alice,
        handover=handovers.handover_offer(
            actor=bob, client=client, to_member=to_alice, summary="Over to you."
        ),
    )
    admin = UserFactory(organisation=alice.organisation, org_role="admin")
    professional_update(actor=admin, person=alice, is_active=False)  # the lead leaves: needs a new lead


def make_every_meeting_change(client, bob):
    """A case conference about the client, from arranging it to the family summary (its own stream)."""
    import datetime

    from django.utils import timezone

    from tests.factories import UserFactory

    chair = UserFactory(full_name="Moira Lane", org_role="panel_chair")
    circle_services.consent_record(
        actor=bob, client=client, scope="conference", method="verbal", given_by="Amara Mensah"
    )
    meeting = meeting_services.meeting_create(
        actor=chair,
        type=MeetingType.objects.get(name="Team Around the Family"),
        title="Amara's TAF",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="Children's Centre",
    )
    item = meeting_services.agenda_item_add(
        actor=chair, meeting=meeting, client=client, reason="How it is going"
    )
    invitation = meeting.invitations.get(user=bob)
    meeting_services.invitation_answer(actor=bob, invitation=invitation, answer="attending")
    meeting_services.contribution_add(actor=bob, item=item, kind="agency_report", facts="Rent paid.")
    note = sharing_services.note_create(actor=bob, client=client, text="For the meeting")
    meeting_services.pack_note_add(actor=bob, item=item, note=note)
    meeting_services.pack_note_remove(actor=bob, item=item, note=note)
    meeting_services.meeting_open(actor=chair, meeting=meeting)
    meeting_services.meeting_item_move(actor=chair, meeting=meeting, item=item)
    meeting_services.attendance_record(actor=chair, meeting=meeting, invitation=invitation, status="present")
    meeting_services.minutes_update(actor=chair, item=item, minutes="Going well.", base_version=item.version)
    meeting_services.decision_record(actor=chair, item=item, text="Carry on", agreed_by=["Moira Lane"])
    meeting_services.item_close(
        actor=chair, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    meeting_services.meeting_end(actor=chair, meeting=meeting)
    meeting_services.minutes_sign_off(actor=chair, meeting=meeting)
    meeting_services.minutes_amend(
        actor=chair, item=item, minutes="Going very well.", reason="A word was missing"
    )
    meeting_services.family_summary_write(actor=chair, meeting=meeting, text="Things are going well.")
    return meeting


def test_every_published_change_matches_its_declared_payload(alice, bob, carol, charlie):
    client = make_every_published_change(alice, bob, carol, charlie)
    meeting = make_every_meeting_change(client, bob)
    _referrals_and_handovers(client, alice, bob, charlie)  # last: the lead changes hands, then leaves

    events = list(Event.objects.filter(client=client).order_by("seq"))
    events += list(Event.objects.filter(stream=meeting.stream).order_by("seq"))
    for event in events:
        payload = json.loads(json.dumps(event.payload))  # what a page gets
        check_payload(catalogue.get(event.type).payload, payload, where=event.type)

    published = {change.name for change in catalogue if change.is_published}
    assert {event.type for event in events} == published  # the scenario drives every one of them


def test_each_event_has_an_audit_row_of_the_same_name(alice, bob, carol, charlie):
    client = make_every_published_change(alice, bob, carol, charlie)
    _referrals_and_handovers(client, alice, bob, charlie)

    events = list(Event.objects.filter(client=client).values_list("type", flat=True))
    audited = list(AuditEvent.objects.filter(client=client).values_list("action", flat=True))
    for name in set(events):
        # The founding lead's membership is audited as part of the client's creation, with no event.
        founding_lead = 1 if name == "circle.member_add" else 0
        assert audited.count(name) == events.count(name) + founding_lead, name
