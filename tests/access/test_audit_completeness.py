"""Every service that writes leaves an audit row; reads of a record are logged; the trail is append-only."""

import inspect

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, InternalError

from assessments import services as assessment_services
from assessments.models import Instrument
from assessments.packs import pack_from
from audit.models import AuditEvent
from circles import services as circle_services
from circles.models import CircleMember, Consent
from conferences import services as meeting_services
from conferences.models import Invitation, MeetingType
from network import services as network_services
from network.models import User
from packs import services as pack_services
from portal import services as portal_services
from realtime import services as realtime_services
from referrals import handovers
from referrals import services as referral_services
from reminders import services as reminder_services
from reporting import services as reporting_services
from reporting.figures import Period, Selection
from reporting.models import Partnership
from sharing import services as note_services
from sharing.models import PlanTemplate
from sharing.services import notes as notes_module
from sharing.services import plans as plans_module
from sharing.services import templates as templates_module
from tests.conftest import signed_in
from tests.factories import ConsentFactory, FamilyMemberFactory, NoteFactory, UserFactory

SERVICE_MODULES = [
    circle_services,
    referral_services,
    handovers,
    reminder_services,
    assessment_services,
    notes_module,
    plans_module,
    templates_module,
    pack_services,
    network_services,
    realtime_services,
    portal_services,
    meeting_services,
    reporting_services,
]
# Writes that are not about anyone's record, and say why they are not audited.
NOT_AUDITED = {
    "realtime.services.notifications_mark_read": "a person's own inbox, not part of any record",
    # The dashboard's snapshots: figures worked out ahead from what is recorded (derived, no content, no
    # client); looking at them is audited as before (dashboard.view, dashboard.download).
    "reporting.services.snapshot_keep": "derived figures kept for the next look; the look itself is audited",
    "reporting.services.snapshot_save": "derived figures kept for the next look; the look itself is audited",
    "reporting.services.snapshots_refresh": "derived figures worked out ahead by a task; no one looks",
}


def public_services():
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{module.__name__}.{name}"


def call(name, cast):
    """Call one service with valid arguments, as the person who may."""
    alice, bob, charlie, grace, admin = (
        cast["alice"],
        cast["bob"],
        cast["charlie"],
        cast["grace"],
        cast["admin"],
    )
    bob_member = CircleMember.objects.get(client=grace, user=bob)

    def goal():
        return note_services.goal_add(actor=alice, client=grace, in_own_words="A goal")

    def action(**extra):
        return note_services.action_add(actor=alice, goal=goal(), what="An action", **extra)

    def gad7_draft():
        return assessment_services.assessment_start(
            actor=bob, client=grace, instrument=Instrument.objects.get(code="gad-7")
        )

    def own_instrument():
        gad7 = Instrument.objects.get(code="gad-7").versions.get(number=1).definition
        return {**gad7, "code": "our-gad", "name": "Our GAD", "licence": ""}

    def portal_client():
        invitation = portal_services.invitation_create(actor=alice, client=grace, email="grace@example.org")
        return portal_services.invitation_accept(token=invitation.token)

    def in_transaction(service, **kwargs):
        def run():
            with transaction.atomic():
                circle_services._lock(grace)
                return service(**kwargs)

        return run

    def referral():
        police = charlie.organisation
        ConsentFactory(client=grace, scope="organisation", organisation=police, recorded_by=alice)
        return referral_services.referral_create(
            actor=alice, client=grace, to_organisation=police, service="Diversion", asked="Help", reason="Why"
        )

    def police_manager():
        return UserFactory(organisation=charlie.organisation, org_role=User.OrgRole.MANAGER)

    def accepted():
        answered = referral_services.referral_accept(
            actor=police_manager(), referral=referral(), worker=charlie
        )
        return answered

    def offered():
        return handovers.handover_offer(actor=alice, client=grace, to_member=bob_member, summary="Yours.")

    referral_calls = {
        "circles.services.circle_member_join": in_transaction(
            circle_services.circle_member_join, actor=alice, client=grace, user=charlie, role="police_officer"
        ),
        "circles.services.circle_lead_change_accepted": in_transaction(
            circle_services.circle_lead_change_accepted, actor=bob, client=grace, member=bob_member
        ),
        "reminders.services.preference_set": lambda: reminder_services.preference_set(
            actor=bob, kind="action.due", delivery="at_once"
        ),
        "referrals.services.referral_create": referral,
        "referrals.services.referral_accept": accepted,
        "referrals.services.referral_decline": lambda: referral_services.referral_decline(
            actor=police_manager(), referral=referral(), reason="Full"
        ),
        "referrals.services.referral_info_request": lambda: referral_services.referral_info_request(
            actor=police_manager(), referral=referral(), question="Which school?"
        ),
        "referrals.services.referral_info_give": lambda: referral_services.referral_info_give(
            actor=alice,
            referral=referral_services.referral_info_request(
                actor=police_manager(), referral=referral(), question="Which school?"
            ),
            answer="Hillview",
        ),
        "referrals.services.referral_first_contact": lambda: referral_services.referral_first_contact(
            actor=charlie, referral=accepted()
        ),
        "referrals.services.referral_outcome": lambda: referral_services.referral_outcome(
            actor=charlie, referral=accepted(), outcome="could_not_contact"
        ),
        "referrals.services.referral_withdraw": lambda: referral_services.referral_withdraw(
            actor=alice, referral=referral()
        ),
        "referrals.services.inbox_member_set": lambda: referral_services.inbox_member_set(
            actor=police_manager(), user=charlie, works_inbox=True
        ),
        "referrals.handovers.handover_offer": offered,
        "referrals.handovers.handover_accept": lambda: handovers.handover_accept(
            actor=bob, handover=offered()
        ),
        "referrals.handovers.handover_cancel": lambda: handovers.handover_cancel(
            actor=alice, handover=offered()
        ),
        "referrals.handovers.lead_left": lambda: network_services.professional_update(
            actor=admin, person=alice, is_active=False
        ),
    }

    def meeting(**extra):
        import datetime

        from django.utils import timezone

        kind, _ = MeetingType.objects.get_or_create(name="Review")
        return meeting_services.meeting_create(
            actor=cast["chair"],
            type=kind,
            title="A review",
            starts_at=timezone.now() + datetime.timedelta(days=1),
            place="Hall",
            **extra,
        )

    def item(**extra):
        if not Consent.objects.filter(client=grace, scope="conference").exists():
            circle_services.consent_record(
                actor=alice, client=grace, scope="conference", method="verbal", given_by="G"
            )
        return meeting_services.agenda_item_add(
            actor=cast["chair"], meeting=meeting(**extra), client=grace, reason="Why"
        )

    def in_the_pack():
        agenda_item = item()
        note = note_services.note_create(actor=bob, client=grace, text="For the pack")
        meeting_services.pack_note_add(actor=bob, item=agenda_item, note=note)
        return {"item": agenda_item, "note": note}

    def opened(**extra):
        agenda_item = item(**extra)
        meeting_services.meeting_open(actor=cast["chair"], meeting=agenda_item.meeting)
        return agenda_item

    def ended():
        agenda_item = opened()
        import datetime

        from django.utils import timezone

        meeting_services.item_close(
            actor=cast["chair"],
            item=agenda_item,
            next_review_on=timezone.localdate() + datetime.timedelta(days=9),
        )
        return agenda_item, meeting_services.meeting_end(actor=cast["chair"], meeting=agenda_item.meeting)

    def signed():
        agenda_item, done = ended()
        meeting_services.minutes_sign_off(actor=cast["chair"], meeting=done)
        return agenda_item

    chair = cast["chair"]
    in_meeting = {
        "conferences.services.panel_create": lambda: meeting_services.panel_create(actor=chair, name="P"),
        "conferences.services.panel_member_add": lambda: meeting_services.panel_member_add(
            actor=chair,
            panel=meeting_services.panel_create(actor=chair, name="P"),
            user=charlie,
            role="standing",
        ),
        "conferences.services.meeting_create": lambda: meeting(),
        "conferences.services.agenda_item_add": lambda: item(),
        "conferences.services.pack_note_add": lambda: meeting_services.pack_note_add(
            actor=bob,
            item=item(),
            note=note_services.note_create(actor=bob, client=grace, text="For the pack"),
        ),
        "conferences.services.pack_note_remove": lambda: meeting_services.pack_note_remove(
            actor=bob, **in_the_pack()
        ),
        "conferences.services.invitation_answer": lambda: meeting_services.invitation_answer(
            actor=bob, invitation=Invitation.objects.get(meeting=item().meeting, user=bob), answer="attending"
        ),
        "conferences.services.contribution_add": lambda: meeting_services.contribution_add(
            actor=bob, item=item(), kind="agency_report", facts="Facts"
        ),
        "conferences.services.meeting_open": lambda: meeting_services.meeting_open(
            actor=chair, meeting=item().meeting
        ),
        "conferences.services.meeting_item_move": lambda: (
            lambda i: meeting_services.meeting_item_move(actor=chair, meeting=i.meeting, item=i)
        )(opened()),
        "conferences.services.attendance_record": lambda: (
            lambda i: meeting_services.attendance_record(
                actor=chair, meeting=i.meeting, invitation=i.meeting.invitations.first(), status="present"
            )
        )(opened()),
        "conferences.services.minutes_update": lambda: (
            lambda i: meeting_services.minutes_update(
                actor=chair, item=i, minutes="Said", base_version=i.version
            )
        )(opened()),
        "conferences.services.decision_record": lambda: meeting_services.decision_record(
            actor=chair, item=opened(), text="Agreed", agreed_by=["Chair"]
        ),
        "conferences.services.item_close": lambda: ended(),
        "conferences.services.meeting_end": lambda: ended(),
        "conferences.services.minutes_sign_off": lambda: signed(),
        "conferences.services.minutes_amend": lambda: meeting_services.minutes_amend(
            actor=chair, item=signed(), minutes="Corrected", reason="A typo"
        ),
        "conferences.services.family_summary_write": lambda: meeting_services.family_summary_write(
            actor=chair, meeting=ended()[1], text="We agreed to carry on."
        ),
    }

    calls = (
        in_meeting
        | referral_calls
        | {
            "circles.services.client_create": lambda: circle_services.client_create(
                actor=alice, given_name="New", family_name="Client"
            ),
            "circles.services.client_stage_change": lambda: circle_services.client_stage_change(
                actor=alice, client=grace, stage="support", reason="Plan agreed"
            ),
            "circles.services.client_reopen": lambda: circle_services.client_reopen(
                actor=alice,
                client=circle_services.client_stage_change(
                    actor=alice, client=grace, stage="closed", reason="Done", outcome="goals_met"
                ),
                reason="Back again",
            ),
            "assessments.services.assessment_start": lambda: assessment_services.assessment_start(
                actor=bob, client=grace, instrument=Instrument.objects.get(code="gad-7")
            ),
            "assessments.services.assessment_draft_save": lambda: assessment_services.assessment_draft_save(
                actor=bob, assessment=gad7_draft(), answers={"1": {"score": 1}}
            ),
            "assessments.services.assessment_discard": lambda: assessment_services.assessment_discard(
                actor=bob, assessment=gad7_draft()
            ),
            "assessments.services.assessment_complete": lambda: assessment_services.assessment_complete(
                actor=bob, assessment=gad7_draft(), answers={str(n): {"score": 1} for n in range(1, 8)}
            ),
            "assessments.services.assessment_amend": lambda: assessment_services.assessment_amend(
                actor=bob,
                assessment=assessment_services.assessment_complete(
                    actor=bob, assessment=gad7_draft(), answers={str(n): {"score": 1} for n in range(1, 8)}
                ),
                answers={"1": {"score": 3}},
                reason="Misheard",
            ),
            "assessments.services.self_rating_ask": lambda: assessment_services.self_rating_ask(
                actor=bob, client=grace, instrument=Instrument.objects.get(code="ons4")
            ),
            "assessments.services.self_rating_complete": lambda: assessment_services.self_rating_complete(
                user=portal_client(),
                request=assessment_services.self_rating_ask(
                    actor=bob, client=grace, instrument=Instrument.objects.get(code="gad-7")
                ),
                answers={str(n): {"score": 1} for n in range(1, 8)},
            ),
            "assessments.services.instrument_save": lambda: assessment_services.instrument_save(
                actor=admin, definition=own_instrument()
            ),
            "assessments.services.pack_import": lambda: assessment_services.pack_import(
                actor=admin, pack=pack_from([own_instrument()])
            ),
            "circles.services.circle_member_add": lambda: circle_services.circle_member_add(
                actor=alice, client=grace, kind="professional", role="police_officer", user=charlie
            ),
            "circles.services.circle_member_remove": lambda: circle_services.circle_member_remove(
                actor=alice, client=grace, member=bob_member
            ),
            "circles.services.circle_member_hide": lambda: circle_services.circle_member_hide(
                actor=alice, client=grace, member=bob_member, hidden=True, reason="Domestic abuse adviser"
            ),
            "circles.services.circle_lead_change": lambda: circle_services.circle_lead_change(
                actor=alice, client=grace, member=bob_member
            ),
            "circles.services.consent_record": lambda: circle_services.consent_record(
                actor=alice, client=grace, scope="conference", method="verbal", given_by="Grace"
            ),
            "circles.services.consent_withdraw": lambda: circle_services.consent_withdraw(
                actor=alice, consent=Consent.objects.get(client=grace, scope="circle")
            ),
            "circles.services.join_request_create": lambda: circle_services.join_request_create(
                actor=charlie, client=grace, reason="I met Grace today", role="police_officer"
            ),
            "circles.services.join_request_decide": lambda: circle_services.join_request_decide(
                actor=alice,
                request=circle_services.join_request_create(
                    actor=charlie, client=grace, reason="I met Grace today", role="police_officer"
                ),
                approve=True,
            ),
            "circles.services.emergency_access_start": lambda: circle_services.emergency_access_start(
                actor=charlie, client=grace, reason="Police call at night, need contacts"
            ),
            "sharing.services.notes.note_create": lambda: note_services.note_create(
                actor=bob, client=grace, text="Seen today"
            ),
            "sharing.services.plans.goal_add": lambda: note_services.goal_add(
                actor=bob, client=grace, in_own_words="Keep our flat"
            ),
            "sharing.services.plans.goal_update": lambda: note_services.goal_update(
                actor=bob, goal=goal(), changes={"in_own_words": "Stay in our flat"}, base_version=1
            ),
            "sharing.services.plans.goal_address_set": lambda: note_services.goal_address_set(
                actor=bob, goal=goal(), instrument=Instrument.objects.get(code="gad-7")
            ),
            "sharing.services.plans.goal_remove": lambda: note_services.goal_remove(actor=bob, goal=goal()),
            "sharing.services.plans.action_add": lambda: note_services.action_add(
                actor=bob, goal=goal(), what="Call"
            ),
            "sharing.services.plans.action_update": lambda: note_services.action_update(
                actor=bob, action=action(), changes={"what": "Phone"}, base_version=1
            ),
            "sharing.services.plans.action_set_status": lambda: note_services.action_set_status(
                actor=bob, action=action(), status="done"
            ),
            "sharing.services.plans.action_done_by_client": lambda: note_services.action_done_by_client(
                user=portal_client(), action=action(owner_is_client=True)
            ),
            "sharing.services.plans.goal_comment_add": lambda: note_services.goal_comment_add(
                user=portal_client(), goal=goal(), text="In my words"
            ),
            "sharing.services.plans.action_remove": lambda: note_services.action_remove(
                actor=bob, action=action()
            ),
            "sharing.services.plans.plan_move": lambda: note_services.plan_move(
                actor=bob, item=goal(), direction="up"
            ),
            "sharing.services.plans.plan_agree": lambda: note_services.plan_agree(
                actor=alice, client=grace, participants=[bob_member]
            ),
            "portal.services.invitation_create": lambda: portal_services.invitation_create(
                actor=alice, client=grace, email="grace@example.org"
            ),
            "portal.services.invitation_revoke": lambda: portal_services.invitation_revoke(
                actor=alice,
                invitation=portal_services.invitation_create(
                    actor=alice, client=grace, email="grace@example.org"
                ),
            ),
            "portal.services.invitation_accept": lambda: portal_services.invitation_accept(
                token=portal_services.invitation_create(
                    actor=alice, client=grace, email="grace@example.org"
                ).token
            ),
            "sharing.services.notes.note_visibility_change": lambda: note_services.note_visibility_change(
                actor=alice, note=NoteFactory(client=grace, author=alice), visibility="organisation"
            ),
            "network.services.organisation_create": lambda: network_services.organisation_create(
                actor=admin, name="New Agency", kind="health"
            ),
            "network.services.professional_create": lambda: network_services.professional_create(
                actor=admin, email="new@example.org", full_name="New Person", organisation=admin.organisation
            ),
            "network.services.professional_update": lambda: network_services.professional_update(
                actor=admin, person=bob, org_role="manager"
            ),
            "network.services.organisation_set_two_factor": lambda: (
                network_services.organisation_set_two_factor(
                    actor=admin, organisation=admin.organisation, required=True
                )
            ),
            "network.services.team_create": lambda: network_services.team_create(actor=admin, name="North"),
            "reporting.services.dashboard_viewed": lambda: reporting_services.dashboard_viewed(
                actor=admin, selection=_selection(admin), partnership=None
            ),
            "reporting.services.dashboard_downloaded": lambda: reporting_services.dashboard_downloaded(
                actor=admin, selection=_selection(admin), partnership=None, table="consent"
            ),
            "reporting.services.partnership_join": lambda: reporting_services.partnership_join(
                actor=admin, partnership=Partnership.objects.create(name="Together")
            ),
            "reporting.services.partnership_leave": lambda: reporting_services.partnership_leave(
                actor=admin,
                partnership=reporting_services.partnership_join(
                    actor=admin, partnership=Partnership.objects.create(name="Together")
                ).partnership,
            ),
            "sharing.services.templates.plan_from_template": lambda: note_services.plan_from_template(
                actor=alice,
                client=grace,
                template=PlanTemplate.objects.get(name="Team Around the Family plan"),
            ),
            "sharing.services.templates.plan_template_save": lambda: note_services.plan_template_save(
                actor=admin, definition={"name": "Our plan", "goals": [{"in_own_words": "Keep our home"}]}
            ),
            "conferences.services.meeting_type_save": lambda: meeting_services.meeting_type_save(
                actor=admin, definition={"name": "Family meeting"}
            ),
            "packs.services.pack_export": lambda: pack_services.pack_export(actor=admin),
            "packs.services.pack_apply": lambda: pack_services.pack_apply(
                actor=admin,
                pack={
                    "format": "alongside-pack",
                    "version": 1,
                    "meeting_types": [{"name": "Family meeting"}],
                },
            ),
            "network.services.api_token_create": lambda: network_services.api_token_create(
                actor=bob, name="Script"
            ),
            "network.services.api_token_revoke": lambda: network_services.api_token_revoke(
                actor=bob, token=network_services.api_token_create(actor=bob, name="Script")[0]
            ),
        }
    )
    return calls[name]


def _selection(admin):
    import datetime

    return Selection(
        organisations=(admin.organisation,),
        team=None,
        period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        protect=False,
    )


@pytest.fixture
def cast(alice, bob, charlie, grace, early_help):
    FamilyMemberFactory(client=grace)
    admin = UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN)
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    return {"alice": alice, "bob": bob, "charlie": charlie, "grace": grace, "admin": admin, "chair": chair}


def test_every_service_is_listed_here(cast):
    for name in public_services():
        if name in NOT_AUDITED:
            continue
        try:
            call(name, cast)
        except KeyError:
            pytest.fail(f"{name} is a new service: add it to this test, so we know it is audited")


@pytest.mark.parametrize("name", sorted(set(public_services()) - set(NOT_AUDITED)))
def test_each_write_leaves_an_audit_row(name, cast):
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    call(name, cast)()
    new = AuditEvent.objects.exclude(pk__in=before)
    assert new.exists(), f"{name} wrote without an audit row"
    # Each row says who did it (services called by people).
    assert all(row.actor_id for row in new), [row.action for row in new if not row.actor_id]


def test_reads_of_a_record_are_logged(alice, grace):
    note = NoteFactory(client=grace, author=alice)
    browser = signed_in(alice)
    browser.get(f"/clients/{grace.public_id}/")
    browser.get(f"/clients/{grace.public_id}/notes/{note.pk}/")
    browser.get(f"/api/v1/clients/{grace.public_id}/notes/")
    actions = list(AuditEvent.objects.filter(actor=alice, client=grace).values_list("action", flat=True))
    assert {"client.view", "note.view", "note.list"} <= set(actions)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_audit_table_refuses_changes_on_postgresql(statement, alice, grace):
    circle_services.client_stage_change(actor=alice, client=grace, stage="review", reason="Time to look back")
    assert AuditEvent.objects.exists()
    with pytest.raises((DatabaseError, InternalError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.filter(action="client.stage_change").exists()
