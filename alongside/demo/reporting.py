"""Demo data for the dashboard (reporting/), for `manage.py demo_data`, once everything else is loaded.

Joan Pryce (team manager, Northbridge Council Early Help, an agency manager) sees meaningful figures:

- two teams, Families North (Priya, Joan) and Families South (two new family support workers, Kemi and
  Leon), each with clients of their own at different stages, moved there over the last months;
- plans with actions done on time, done late, dropped and overdue, and goal reviews done on time and late;
- PHQ-9 and Wellbeing domains baselines with follow-ups (better, the same, worse);
- referrals received from Hillview Primary School (accepted, first contact made, an outcome; one declined);
- the Team Around the Family meeting already in the demo (alongside/demo/conferences.py), signed off.

A partnership, "Northbridge Together", which Early Help and Northbridge Homes agreed to, led by Lena Ortiz
(lena@partnership.example), whose dashboard hides counts under 5 and rounds the rest.
"""

import datetime

from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Instrument
from circles import services as circle_services
from circles.models import CircleMember, Client, Consent
from network import services as network_services
from network.models import Organisation, User
from referrals import services as referral_services
from referrals.models import Referral
from reporting import services as reporting_services
from reporting.models import Partnership
from sharing import services as sharing_services
from sharing.models import Action, PlanChange

DEMO_PASSWORD = "alongside-demo"  # noqa: S105 (the demo's published password)
R = CircleMember.Role

# (given, family, lead key, stages as (days ago, stage), PHQ-9 totals' item scores (baseline, follow-up))
EARLY_HELP_CLIENTS = [
    ("Kayden", "Mills", "kemi", [(80, "assessment"), (60, "planning"), (40, "support")], (2, 1)),
    ("Layla", "Brooks", "kemi", [(50, "assessment"), (30, "planning")], (2, 2)),
    ("Mason", "Reid", "kemi", [(20, "assessment")], (1, 2)),
    (
        "Nora",
        "Hale",
        "leon",
        [(120, "assessment"), (100, "planning"), (70, "support"), (10, "review")],
        (3, 1),
    ),
    ("Omar", "Shah", "leon", [(35, "assessment"), (15, "planning")], (2, 1)),
    ("Pia", "Lund", "leon", [], None),
    ("Quinn", "Ellis", "priya", [(90, "assessment"), (75, "planning"), (45, "support")], (2, 1)),
    ("Rosa", "Diaz", "priya", [(25, "assessment")], None),
]


def load(people: dict[str, User], *, now: datetime.datetime) -> None:
    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    today = timezone.localdate()
    early_help = people["joan"].organisation
    assert early_help is not None
    ravi = people["ravi"]  # Early Help's agency admin
    north = network_services.team_create(actor=ravi, name="Families North")
    south = network_services.team_create(actor=ravi, name="Families South")
    for key, full_name in [("kemi", "Kemi Adebayo"), ("leon", "Leon Baptiste")]:
        people[key] = network_services.professional_create(
            actor=ravi,
            email=f"{key}@earlyhelp.example",
            full_name=full_name,
            organisation=early_help,
            job_title="Family support worker",
            password=DEMO_PASSWORD,
        )
    for key, team in [("priya", north), ("joan", north), ("kemi", south), ("leon", south)]:
        network_services.professional_update(actor=ravi, person=people[key], team=team)

    phq9 = Instrument.objects.get(code="phq-9")
    for n, (given, family, lead, stages, phq) in enumerate(EARLY_HELP_CLIENTS):
        actor = people[lead]
        client = circle_services.client_create(
            actor=actor,
            given_name=given,
            family_name=family,
            date_of_birth=datetime.date(1985 + n, 1 + n, 10 + n),
            lead_role=R.LEAD_PROFESSIONAL,
        )
        Client.objects.filter(pk=client.pk).update(created_at=ago(130), stage_since=ago(130))
        CircleMember.objects.filter(client=client).update(since=ago(130))
        for days, stage in stages:
            circle_services.client_stage_change(
                actor=actor, client=client, stage=stage, reason="As the work went on", at=ago(days)
            )
        circle_services.consent_record(
            actor=actor,
            client=client,
            scope=Consent.Scope.CIRCLE,
            method=Consent.Method.WRITTEN,
            given_by=f"{given} {family}",
            given_on=today - datetime.timedelta(days=120),
            # Two consents end within the month: the dashboard says so.
            expires_on=today + datetime.timedelta(days=12 + n) if n in (1, 4) else None,
        )
        if phq is not None:
            for days, score in ((95, phq[0]), (15, phq[1])):
                draft = assessment_services.assessment_start(actor=actor, client=client, instrument=phq9)
                assessment_services.assessment_complete(
                    actor=actor,
                    assessment=draft,
                    answers={str(i): {"score": score if i < 9 else 0} for i in range(1, 10)},
                    completed_at=ago(days),
                )
        _plan(actor, client, n, today=today, now=now)
    # Rosa's case moved on, then closed with her goals met.
    rosa = Client.objects.get(given_name="Rosa", family_name="Diaz")
    circle_services.client_stage_change(
        actor=people["priya"], client=rosa, stage="closed", reason="Goals met", outcome="goals_met", at=ago(4)
    )
    _referrals(people, early_help, today=today, now=now)

    partnership = Partnership.objects.create(name="Northbridge Together")
    lena = network_services.professional_create(
        actor=None,
        email="lena@partnership.example",
        full_name="Lena Ortiz",
        organisation=Organisation.objects.get(name="Northbridge Council Early Help"),
        job_title="Partnership lead, Northbridge Together",
        password=DEMO_PASSWORD,
        org_role=User.OrgRole.PARTNERSHIP_LEAD,
    )
    partnership.leads.add(lena)
    reporting_services.partnership_join(actor=ravi, partnership=partnership)
    homes = people["mark"].organisation
    assert homes is not None
    homes_admin = network_services.professional_create(
        actor=None,
        email="hollie@homes.example",
        full_name="Hollie Grant",
        organisation=homes,
        job_title="Systems administrator",
        password=DEMO_PASSWORD,
        org_role=User.OrgRole.ADMIN,
    )
    reporting_services.partnership_join(actor=homes_admin, partnership=partnership)


def _plan(actor: User, client: Client, n: int, *, today: datetime.date, now: datetime.datetime) -> None:
    """A goal with four actions: done by its date, done late, dropped, and one overdue; a goal reviewed."""
    goal = sharing_services.goal_add(
        actor=actor, client=client, in_own_words="Things feel steadier at home", review_on=today
    )
    moves = [("done", 20, 22), ("done", 30, 25), ("dropped", None, 12), ("open", 8 + n, None)]
    for what, (status, due_days, done_days) in zip(
        [
            "Sort out the benefit forms",
            "Visit the family centre",
            "Join the Tuesday group",
            "Book a GP visit",
        ],
        moves,
        strict=True,
    ):
        action = sharing_services.action_add(actor=actor, goal=goal, what=what)
        if status != "open":
            sharing_services.action_set_status(
                actor=actor,
                action=action,
                status=status,
                dropped_reason="No longer needed" if status == "dropped" else "",
            )
        if due_days is not None:
            Action.objects.filter(pk=action.pk).update(due_on=today - datetime.timedelta(days=due_days))
        if done_days is not None:
            PlanChange.objects.filter(action=action, field="status").update(
                at=now - datetime.timedelta(days=done_days)
            )
    # The goal's review: due 14 days ago, done (the next date set) on time for some, late for others.
    sharing_services.goal_update(
        actor=actor,
        goal=goal,
        changes={"review_on": today + datetime.timedelta(days=42)},
        base_version=goal.version,
    )
    PlanChange.objects.filter(goal=goal, field="review_on").update(
        old_value=(today - datetime.timedelta(days=14)).isoformat(),
        at=now - datetime.timedelta(days=16 if n % 3 else 9),
    )


def _referrals(
    people: dict[str, User], early_help: Organisation, *, today: datetime.date, now: datetime.datetime
) -> None:
    """Hillview Primary School refers two of Kemi's and Leon's clients to Early Help's family support."""
    tom = people["tom"]
    for given, worker, accept in [("Kayden", "kemi", True), ("Nora", "leon", True), ("Omar", "leon", False)]:
        client = Client.objects.get(given_name=given)
        lead = CircleMember.objects.get(client=client, is_lead=True, until=None).user
        assert lead is not None
        circle_services.circle_member_add(
            actor=lead, client=client, kind=CircleMember.Kind.PROFESSIONAL, role=R.TEACHER, user=tom
        )
        circle_services.consent_record(
            actor=lead,
            client=client,
            scope=Consent.Scope.ORGANISATION,
            organisation=early_help,
            method=Consent.Method.WRITTEN,
            given_by=f"{given}'s parent",
        )
        referral = referral_services.referral_create(
            actor=tom,
            client=client,
            to_organisation=early_help,
            service="Family support",
            asked="Help with mornings and school attendance",
            reason="Attendance has fallen this term",
        )
        if accept:
            referral_services.referral_accept(actor=people["joan"], referral=referral, worker=people[worker])
            referral_services.referral_first_contact(actor=people[worker], referral=referral, on=today)
            referral_services.referral_outcome(actor=people[worker], referral=referral, outcome="got_help")
            Referral.objects.filter(pk=referral.pk).update(
                created_at=now - datetime.timedelta(days=40),
                answered_at=now - datetime.timedelta(days=37),
                first_contact_on=today - datetime.timedelta(days=33),
            )
        else:
            referral_services.referral_decline(
                actor=people["joan"], referral=referral, reason="Already supported by the family centre"
            )
