"""Demo data for case conferences (called by the demo_data command once the people and clients exist).

- A past Team Around the Family meeting for the Okafor family: signed minutes, a family summary, and
  decisions whose agreed actions became actions on Grace's plan.
- An upcoming meeting of the Northbridge Risk Panel, chaired by Moira Lane, with three clients: Jade (with
  her consent), Harold (proceeding without consent, with the reason) and Sam Reilly, whose hidden member
  stays hidden. Invitations answered, an absent contributor report and pre-meeting reports, and notes the
  circles marked for the pack (each reader sees a marked note only if the note's visibility lets them).

Meetings are arranged through the services, which refuse dates in the past; the past meeting is held
"tomorrow" and then moved back in time, as if it had happened three weeks ago.
"""

import datetime

from django.utils import timezone

from circles import services as circle_services
from circles.access import record_access
from circles.models import CircleMember, Client, Consent
from conferences import services
from conferences.models import Contribution, Invitation, Meeting, MeetingType, MinutesVersion
from network.models import User
from sharing.access import notes_visible_filter
from sharing.models import Note


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _consent(lead: User, client: Client, given_by: str) -> None:
    circle_services.consent_record(
        actor=lead,
        client=client,
        scope=Consent.Scope.CONFERENCE,
        method=Consent.Method.WRITTEN,
        given_by=given_by,
    )


def load(people: dict[str, User]) -> None:
    moira = people["moira"]
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    # The Okafor family's Team Around the Family meeting, three weeks ago.
    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    daniel = Client.objects.get(given_name="Daniel", family_name="Okafor")
    _consent(people["priya"], grace, "Grace Okafor")
    _consent(people["priya"], daniel, "Grace Okafor (his mother)")
    taf = services.meeting_create(
        actor=moira,
        type=MeetingType.objects.get(name="Team Around the Family"),
        title="Okafor family: Team Around the Family",
        starts_at=_at(tomorrow, 10),
        duration_minutes=60,
        place="Northbridge Children's Centre, room 3",
        minute_taker=people["priya"],
    )
    grace_item = services.agenda_item_add(
        actor=moira,
        meeting=taf,
        client=grace,
        reason="Review the plan: the rent arrears and Grace's low mood",
        slot_minutes=30,
    )
    daniel_item = services.agenda_item_add(
        actor=moira, meeting=taf, client=daniel, reason="Daniel's attendance and mornings", slot_minutes=20
    )
    for invitation in taf.invitations.exclude(user=None).select_related("user"):
        assert invitation.user is not None
        services.invitation_answer(
            actor=invitation.user, invitation=invitation, answer=Invitation.Answer.ATTENDING
        )
    services.meeting_open(actor=moira, meeting=taf)
    for invitation in taf.invitations.all():
        status = "present" if invitation.user_id or invitation.kind == Invitation.Kind.CLIENT else "apologies"
        services.attendance_record(
            actor=moira,
            meeting=taf,
            invitation=invitation,
            status=status,
            for_family=invitation.kind == Invitation.Kind.CLIENT,
        )
    services.minutes_update(
        actor=people["priya"],
        item=grace_item,
        minutes=(
            "What is working well: the rent is being paid every month and the arrears are going down.\n"
            "What we are worried about: Grace says she feels low most mornings.\n"
            "What needs to happen: a GP appointment, and a plan for the arrears letter."
        ),
        base_version=grace_item.version,
    )
    priya_member = CircleMember.objects.get(client=grace, user=people["priya"], until=None)
    aisha_member = CircleMember.objects.get(client=grace, user=people["aisha"], until=None)
    services.decision_record(
        actor=moira,
        item=grace_item,
        text="Keep the plan as it is, with help for Grace's mood added.",
        agreed_by=["Moira Lane", "Priya Shah", "Aisha Khan", "Tom Hughes", "Grace Okafor"],
        actions=[
            {
                "what": "Book a GP appointment about low mood",
                "owner": aisha_member,
                "due_on": today + datetime.timedelta(days=7),
            },
            {
                "what": "Go with Grace to the housing office about the arrears letter",
                "owner": priya_member,
                "due_on": today + datetime.timedelta(days=10),
            },
        ],
    )
    services.item_close(actor=moira, item=grace_item, next_review_on=today + datetime.timedelta(days=42))
    services.minutes_update(
        actor=people["priya"],
        item=daniel_item,
        minutes="Daniel's attendance is 86 %, up from 78 %. Mornings are easier since the breakfast club.",
        base_version=daniel_item.version,
    )
    tom_member = CircleMember.objects.get(client=daniel, user=people["tom"], until=None)
    services.decision_record(
        actor=moira,
        item=daniel_item,
        text="Daniel keeps his breakfast club place.",
        agreed_by=["Moira Lane", "Tom Hughes", "Grace Okafor"],
        actions=[
            {
                "what": "Keep Daniel's breakfast club place to the summer",
                "owner": tom_member,
                "due_on": today + datetime.timedelta(days=30),
            }
        ],
    )
    services.item_close(actor=moira, item=daniel_item, next_review_on=today + datetime.timedelta(days=42))
    services.meeting_end(actor=moira, meeting=taf)
    services.minutes_sign_off(actor=moira, meeting=taf)
    services.family_summary_write(
        actor=moira,
        meeting=taf,
        text=(
            "We met to talk about how things are going.\n"
            "The rent is paid each month. Well done.\n"
            "Aisha will book you a doctor's visit about feeling low.\n"
            "Priya will go with you to the housing office.\n"
            "Daniel keeps his place at breakfast club.\n"
            "We will meet again in six weeks."
        ),
        next_meeting_on=today + datetime.timedelta(days=42),
    )
    # As if it had happened three weeks ago.
    back = datetime.timedelta(days=22)
    held = Meeting.objects.get(pk=taf.pk)
    Meeting.objects.filter(pk=taf.pk).update(
        starts_at=held.starts_at - back,
        opened_at=held.starts_at - back,
        ended_at=held.starts_at - back + datetime.timedelta(minutes=55),
        minutes_due_on=held.starts_at.date() - back + datetime.timedelta(days=7),
        signed_off_at=held.starts_at - back + datetime.timedelta(days=2),
        family_summary_at=held.starts_at - back + datetime.timedelta(days=2),
    )
    MinutesVersion.objects.filter(meeting=taf).update(at=held.starts_at - back + datetime.timedelta(days=2))

    # The Northbridge Risk Panel, next week.
    panel = services.panel_create(actor=moira, name="Northbridge Risk Panel")
    for key in ("helen", "kate", "mark"):
        services.panel_member_add(actor=moira, panel=panel, user=people[key], role="standing")
    risk = services.meeting_create(
        actor=moira,
        type=MeetingType.objects.get(name="Risk panel"),
        title="Northbridge Risk Panel",
        starts_at=_at(today + datetime.timedelta(days=6), 14),
        duration_minutes=90,
        place="Northbridge Civic Centre, committee room 1",
        video_link="https://meet.example.org/northbridge-risk-panel",
        panel=panel,
        minute_taker=people["joan"],
    )
    jade = Client.objects.get(given_name="Jade", family_name="Thompson")
    harold = Client.objects.get(given_name="Harold", family_name="Bennett")
    sam = Client.objects.get(given_name="Sam", family_name="Reilly")
    _consent(people["dan"], jade, "Jade Thompson")
    _consent(people["kate"], sam, "Sam Reilly")
    jade_item = services.agenda_item_add(
        actor=moira,
        meeting=risk,
        client=jade,
        reason="Missing from her placement three times this month",
        slot_minutes=25,
    )
    services.agenda_item_add(
        actor=moira,
        meeting=risk,
        client=harold,
        reason="Two falls and not eating well: risk of serious harm at home",
        slot_minutes=25,
        without_consent_reason=(
            "Harry has said no to a meeting about him. The risk of serious harm is high, so we are going ahead "
            "without his consent and will tell him what was decided."
        ),
    )
    sam_item = services.agenda_item_add(
        actor=moira,
        meeting=risk,
        client=sam,
        reason="Domestic abuse: the safety plan after Friday's incident",
        slot_minutes=30,
    )
    answers = {
        "helen": "attending",
        "kate": "attending",
        "dan": "attending",
        "ben": "apologies",
        "mark": "deputy",
    }
    for key, answer in answers.items():
        invited = Invitation.objects.filter(meeting=risk, user=people[key]).first()
        if invited:
            services.invitation_answer(
                actor=people[key],
                invitation=invited,
                answer=answer,
                deputy_name="Sarah Lee, Northbridge Homes" if answer == "deputy" else "",
            )
    services.contribution_add(
        actor=people["ben"],
        item=jade_item,
        kind=Contribution.Kind.ABSENT_REPORT,
        facts="Jade has been at college 9 days out of 10 this month. She left early twice, saying she felt unwell.",
        opinion="I think college is a safe place for her. She talks to me most days.",
    )
    services.contribution_add(
        actor=people["dan"],
        item=jade_item,
        kind=Contribution.Kind.AGENCY_REPORT,
        facts="Reported missing on 3, 11 and 19 of this month; back within 12 hours each time.",
        opinion="I am worried she is being drawn in by older young people in town.",
    )
    services.contribution_add(
        actor=people["kate"],
        item=sam_item,
        kind=Contribution.Kind.AGENCY_REPORT,
        facts="Police attended on Friday at 23:40. No arrest. A non-molestation order is in place until June.",
        opinion="The risk is high. The safety plan should be reviewed before any home visit.",
    )
    # Notes for the pack: Sam's lead and Jade's adviser each mark their client's latest note for the circle.
    for key, item in (("kate", sam_item), ("dan", jade_item)):
        marker = people[key]
        readable = notes_visible_filter(record_access(marker, item.client))
        note = (
            Note.objects.filter(readable, client=item.client, visibility=Note.Visibility.CIRCLE)
            .order_by("-created_at", "-pk")
            .first()
        )
        if note is not None:
            services.pack_note_add(actor=marker, item=item, note=note)
