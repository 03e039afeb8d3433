"""Load fictional demo data (shared/SCENARIOS.md), through the services, once. Running it again changes nothing.

python manage.py demo_data
"""

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from alongside.demo import board as demo_board
from alongside.demo import conferences as demo_conferences
from alongside.demo import packs as demo_packs
from alongside.demo import subject_access as demo_subject_access
from alongside.demo.assessments import load_assessments
from alongside.demo.referrals import load_referrals
from alongside.demo.reporting import load as load_reporting
from circles import services as circle_services
from circles.models import CircleMember, Client, Consent
from network import services as network_services
from network.models import Organisation, User
from portal import services as portal_services
from sharing import services as sharing_services
from sharing.models import Note

DEMO_PASSWORD = "alongside-demo"  # noqa: S105 (fictional accounts on a laptop)
R = CircleMember.Role

ORGANISATIONS = [
    ("Northbridge Council Early Help", Organisation.Kind.EARLY_HELP, "01632 960 100", "earlyhelp.example"),
    ("Northbridge Adult Social Care", Organisation.Kind.SOCIAL_CARE, "01632 960 200", "adultcare.example"),
    ("Northbridge Leaving Care Team", Organisation.Kind.SOCIAL_CARE, "01632 960 300", "leavingcare.example"),
    ("Riverside NHS Community Trust", Organisation.Kind.HEALTH, "01632 960 400", "riverside-nhs.example"),
    ("Hillview Primary School", Organisation.Kind.EDUCATION, "01632 960 500", "hillview.example"),
    ("Northbridge College", Organisation.Kind.EDUCATION, "01632 960 550", "college.example"),
    ("Northbridge Homes", Organisation.Kind.HOUSING, "01632 960 600", "homes.example"),
    ("Northbridge Police", Organisation.Kind.POLICE, "01632 960 700", "police.example"),
    ("Safe Haven", Organisation.Kind.VOLUNTARY, "01632 960 800", "safehaven.example"),
    ("Harbour Home Care", Organisation.Kind.OTHER, "01632 960 900", "harbourcare.example"),
]
DOMAINS = {name: domain for name, _kind, _phone, domain in ORGANISATIONS}

# (key, full name, organisation, job title, default role in a circle)
PEOPLE = [
    ("priya", "Priya Shah", "Northbridge Council Early Help", "Family support worker", R.FAMILY_SUPPORT),
    ("tom", "Tom Hughes", "Hillview Primary School", "Pastoral lead", R.TEACHER),
    ("aisha", "Aisha Khan", "Riverside NHS Community Trust", "Health visitor", R.HEALTH_VISITOR),
    ("mark", "Mark Ellis", "Northbridge Homes", "Housing officer", R.HOUSING_OFFICER),
    ("helen", "Helen Carter", "Northbridge Adult Social Care", "Social worker", R.SOCIAL_WORKER),
    ("nadia", "Nadia Rahman", "Riverside NHS Community Trust", "Practice nurse", R.NURSE),
    (
        "owen",
        "Owen Price",
        "Riverside NHS Community Trust",
        "Occupational therapist",
        R.OCCUPATIONAL_THERAPIST,
    ),
    ("lucy", "Lucy Morgan", "Harbour Home Care", "Care co-ordinator", R.SUPPORT_WORKER),
    ("dan", "Dan Fletcher", "Northbridge Leaving Care Team", "Personal adviser", R.PERSONAL_ADVISER),
    ("chloe", "Chloe Adams", "Safe Haven", "Youth worker", R.YOUTH_WORKER),
    ("rachel", "Rachel Green", "Safe Haven", "Domestic abuse adviser", R.ADVOCATE),
    ("kate", "Kate Walsh", "Northbridge Police", "Public protection officer", R.POLICE_OFFICER),
    ("ben", "Ben Clarke", "Northbridge College", "College tutor", R.TEACHER),
    ("sophie", "Sophie Turner", "Safe Haven", "Substance misuse worker", R.SUPPORT_WORKER),
]
# People whose role in their organisation is more than practitioner: (key, org role).
ORG_ROLES = {"joan": User.OrgRole.MANAGER, "ravi": User.OrgRole.ADMIN, "moira": User.OrgRole.PANEL_CHAIR}
PEOPLE += [
    ("joan", "Joan Pryce", "Northbridge Council Early Help", "Team manager", R.KEY_WORKER),
    ("ravi", "Ravi Patel", "Northbridge Council Early Help", "Systems administrator", R.KEY_WORKER),
    ("moira", "Moira Lane", "Northbridge Adult Social Care", "Risk panel chair", R.KEY_WORKER),
]

NOTE_LINES = {
    Note.Kind.VISIT: [
        "Home visit. {name} was in and talked openly about the last fortnight.",
        "Visited at home. The flat was warm and tidy; {name} said things feel calmer.",
        "Visit cut short: {name} had an appointment. Rearranged for next week.",
    ],
    Note.Kind.PHONE_CALL: [
        "Phoned {name} to check in. No new worries raised.",
        "Call with {name}: asked for help with a form from the council. Agreed to go through it together.",
        "Tried to call twice, no answer. Left a message and sent a text.",
    ],
    Note.Kind.MEETING: [
        "Review meeting held. Everyone agreed the plan is on track; next review in six weeks.",
        "Met with {name} and the school to talk about attendance. A morning routine was agreed.",
    ],
    Note.Kind.OBSERVATION: [
        "{name} seemed brighter today and was laughing with staff.",
        "{name} looked tired and said they had not slept well this week.",
    ],
    Note.Kind.UPDATE: [
        "Housing benefit claim submitted; decision expected within four weeks.",
        "Referral to the food bank made; vouchers collected.",
        "GP appointment booked for next Tuesday.",
        "Attendance this half term is 86 %, up from 78 %.",
        "Sent the updated plan to everyone in the circle.",
    ],
    Note.Kind.CONCERN: [
        "Worried about missed medication: the blister pack had three days untouched.",
        "Rent arrears letter received; {name} is anxious about it. Agreed to speak to housing this week.",
    ],
}

GIVEN = [
    "Aaron",
    "Beth",
    "Callum",
    "Dina",
    "Evie",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Joy",
    "Kwame",
    "Leah",
    "Milo",
    "Nia",
    "Oscar",
    "Poppy",
    "Reece",
    "Sana",
    "Tariq",
    "Una",
    "Vera",
    "Wes",
    "Zara",
]
FAMILY = [
    "Adeyemi",
    "Brennan",
    "Cole",
    "Dawson",
    "Evans",
    "Fraser",
    "Gill",
    "Hart",
    "Iqbal",
    "Jones",
    "Kowalski",
    "Lewis",
    "Murphy",
    "Novak",
    "Osei",
    "Patel",
    "Quinn",
    "Ross",
    "Singh",
    "Taylor",
]


class Command(BaseCommand):
    help = "Load fictional demo organisations, practitioners, clients, circles and notes (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(name=ORGANISATIONS[0][0]).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                self.load()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {Client.objects.count()} clients and {Note.objects.count()} notes."
                )
            )
        self.print_sign_ins()

    def load(self) -> None:
        rng = random.Random(2026)  # the same demo every time
        self.now = timezone.now()
        orgs = {
            name: network_services.organisation_create(actor=None, name=name, kind=kind, phone=phone)
            for name, kind, phone, _domain in ORGANISATIONS
        }
        self.people: dict[str, User] = {}
        self.roles: dict[str, str] = {}
        for key, full_name, org, title, role in PEOPLE:
            self.people[key] = network_services.professional_create(
                actor=None,
                email=demo_email(key, org),
                full_name=full_name,
                organisation=orgs[org],
                job_title=title,
                phone=f"07700 900{len(self.people):03d}",
                password=DEMO_PASSWORD,
                org_role=ORG_ROLES.get(key, User.OrgRole.PRACTITIONER),
            )
            self.roles[key] = role
        if not User.objects.filter(email="admin@alongside.example").exists():
            User.objects.create_superuser(
                "admin@alongside.example", DEMO_PASSWORD, full_name="Site Administrator"
            )

        # Scenario 1: the Okafor family (early help).
        grace = self.client(
            "priya",
            "Grace",
            "Okafor",
            datetime.date(1992, 3, 14),
            stage=Client.Stage.SUPPORT,
            members=["tom", "aisha", "mark"],
            family=[("Ama Okafor", "Sister", R.FAMILY_MEMBER, "07700 900555")],
        )
        daniel = self.client(
            "priya",
            "Daniel",
            "Okafor",
            datetime.date(2017, 6, 2),
            stage=Client.Stage.SUPPORT,
            members=["tom"],
            family=[("Grace Okafor", "Mother", R.FAMILY_MEMBER, "07700 900556")],
        )
        ruth = self.client(
            "priya",
            "Ruth",
            "Okafor",
            datetime.date(2022, 9, 20),
            stage=Client.Stage.SUPPORT,
            members=["aisha"],
            family=[("Grace Okafor", "Mother", R.FAMILY_MEMBER, "07700 900556")],
        )
        # Scenario 2: Mr Harold Bennett (adult social care).
        harold = self.client(
            "helen",
            "Harold",
            "Bennett",
            datetime.date(1945, 1, 30),
            stage=Client.Stage.INTAKE,  # his stages since, with a loop, are in alongside/demo/assessments.py
            members=["nadia", "owen", "lucy"],
            family=[("Michael Bennett", "Son", R.FAMILY_MEMBER, "07700 900557")],
            preferred_name="Harry",
        )
        # Scenario 3: Jade Thompson (leaving care).
        jade = self.client(
            "dan",
            "Jade",
            "Thompson",
            datetime.date(2009, 5, 11),
            stage=Client.Stage.SUPPORT,
            members=["ben", "chloe", "helen"],
            family=[("Sue Marsh", "Foster carer", R.CARER, "07700 900558")],
            pronouns="she/her",
        )
        # Scenario 4: Sam Reilly (risk panel).
        sam = self.client(
            "kate",
            "Sam",
            "Reilly",
            datetime.date(1997, 8, 23),
            stage=Client.Stage.ASSESSMENT,
            members=["mark", "sophie"],
            pronouns="they/them",
        )
        # Sam's domestic abuse adviser is a hidden member: nobody outside the circle sees her.
        circle_services.circle_member_add(
            actor=self.people["kate"],
            client=sam,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=R.ADVOCATE,
            user=self.people["rachel"],
            is_hidden=True,
            hidden_reason="Domestic abuse adviser: Sam's safety depends on nobody outside the circle knowing.",
        )
        for client, count in [(grace, 24), (daniel, 14), (ruth, 10), (harold, 22), (jade, 18), (sam, 14)]:
            self.notes(rng, client, count)

        # Twenty more clients with varied circles.
        keys = [key for key in self.people if key not in ORG_ROLES]
        for i in range(20):
            lead = keys[i % len(keys)]
            others = rng.sample([k for k in keys if k != lead], rng.randint(1, 5))
            family = (
                [(f"{rng.choice(GIVEN)} {FAMILY[i]}", "Parent", R.FAMILY_MEMBER, "")] if i % 3 == 0 else []
            )
            client = self.client(
                lead,
                GIVEN[i],
                FAMILY[i],
                datetime.date(rng.randint(1950, 2018), rng.randint(1, 12), rng.randint(1, 28)),
                stage=rng.choice(list(Client.Stage)[:5]),
                members=others,
                family=family,
            )
            self.notes(rng, client, rng.randint(6, 14))
        # Jade agreed to share with her circle but not with her birth mother, who is not in it.
        # Harold withdrew his consent to share with the whole circle; he still shares with the NHS trust.
        harold_circle = Consent.objects.get(client=harold, scope=Consent.Scope.CIRCLE)
        circle_services.consent_withdraw(
            actor=self.people["helen"],
            consent=harold_circle,
            note="Harry asked for the home care agency to see only what they need; reviewing at his next visit.",
        )
        circle_services.consent_record(
            actor=self.people["helen"],
            client=harold,
            scope=Consent.Scope.ORGANISATION,
            organisation=self.people["nadia"].organisation,
            method=Consent.Method.VERBAL,
            given_by="Harold Bennett",
        )
        circle_services.consent_record(
            actor=self.people["helen"],
            client=harold,
            scope=Consent.Scope.FAMILY_PORTAL,
            family_member=CircleMember.objects.get(client=harold, name="Michael Bennett"),
            method=Consent.Method.WRITTEN,
            given_by="Harold Bennett",
        )
        # Restricted notes: a note for named people only, in Sam's circle.
        sharing_services.note_create(
            actor=self.people["rachel"],
            client=sam,
            kind=Note.Kind.CONCERN,
            visibility=Note.Visibility.NAMED,
            named_people=[self.people["kate"]],
            text="Sam disclosed a new incident on Friday. Safety plan updated; please call me before any home visit.",
        )
        # A practice nurse who met Grace asks to join her circle; Priya (lead) will see it waiting.
        circle_services.join_request_create(
            actor=self.people["nadia"],
            client=grace,
            role=R.NURSE,
            reason="Grace came to the surgery about her low mood today. I would like to help with the plan.",
        )
        # Emergency access, used once by an out-of-hours social worker.
        circle_services.emergency_access_start(
            actor=self.people["helen"],
            client=sam,
            reason="Out-of-hours call from police at 02:10: Sam at A&E. Need the safety plan and contacts now.",
        )
        self.plans()
        self.portal()
        load_assessments(self.people, now=self.now)
        demo_conferences.load(self.people)
        demo_packs.load(self.people)
        # One past member, to show that history is kept.
        circle_services.circle_member_remove(
            actor=self.people["priya"],
            client=grace,
            member=CircleMember.objects.get(client=grace, user=self.people["mark"]),
        )
        circle_services.circle_member_add(
            actor=self.people["priya"],
            client=grace,
            kind=CircleMember.Kind.PROFESSIONAL,
            role=R.HOUSING_OFFICER,
            user=self.people["mark"],
        )
        demo_board.load(self.people)
        load_referrals(self.people)
        load_reporting(self.people, now=self.now)
        demo_subject_access.load(self.people)

    def client(
        self,
        lead: str,
        given: str,
        family_name: str,
        dob: datetime.date,
        *,
        stage: str,
        members: list[str],
        family: Sequence[tuple[str, str, str, str]] | None = None,
        **extra: str,
    ) -> Client:
        actor = self.people[lead]
        role = (
            R.LEAD_PROFESSIONAL
            if self.roles[lead] in (R.SOCIAL_WORKER, R.FAMILY_SUPPORT)
            else self.roles[lead]
        )
        client = circle_services.client_create(
            actor=actor, given_name=given, family_name=family_name, date_of_birth=dob, lead_role=role, **extra
        )
        if stage != Client.Stage.INTAKE:
            circle_services.client_stage_change(
                actor=actor, client=client, stage=stage, reason="Where the case stood when the demo began"
            )
        for key in members:
            circle_services.circle_member_add(
                actor=actor,
                client=client,
                kind=CircleMember.Kind.PROFESSIONAL,
                role=self.roles[key],
                user=self.people[key],
            )
        for name, relationship, role, phone in family or []:
            circle_services.circle_member_add(
                actor=actor,
                client=client,
                kind=CircleMember.Kind.FAMILY,
                role=role,
                name=name,
                relationship=relationship,
                phone=phone,
            )
        adult = (timezone.localdate() - dob).days >= 16 * 365
        circle_services.consent_record(
            actor=actor,
            client=client,
            scope=Consent.Scope.CIRCLE,
            method=Consent.Method.WRITTEN if adult else Consent.Method.VERBAL,
            given_by=f"{given} {family_name}" if adult else f"{given}'s parent",
            given_on=timezone.localdate() - datetime.timedelta(days=120),
        )
        return client

    def notes(self, rng: random.Random, client: Client, count: int) -> None:
        authors = [
            m.user
            for m in CircleMember.objects.filter(
                client=client, until=None, user__isnull=False
            ).select_related("user")
            if m.user is not None
        ]
        start = self.now - datetime.timedelta(days=120)
        moments = sorted(
            start + datetime.timedelta(minutes=rng.randint(0, 120 * 24 * 60)) for _ in range(count)
        )
        for moment in moments:
            kind = rng.choice(list(NOTE_LINES))
            visibility = Note.Visibility.ORGANISATION if rng.random() < 0.1 else Note.Visibility.CIRCLE
            sharing_services.note_create(
                actor=rng.choice(authors),
                client=client,
                kind=kind,
                visibility=visibility,
                text=rng.choice(NOTE_LINES[kind]).format(name=client.preferred_name or client.given_name),
                written_at=moment,
            )

    def plans(self) -> None:
        """Plans in varied states: agreed and changed since, overdue actions, one not yet agreed."""
        today = timezone.localdate()
        day = datetime.timedelta(days=1)

        def member(client: Client, key: str) -> CircleMember:
            return CircleMember.objects.get(client=client, user=self.people[key], until=None)

        grace = Client.objects.get(given_name="Grace", family_name="Okafor")
        priya, tom, aisha, mark = (self.people[k] for k in ("priya", "tom", "aisha", "mark"))
        flat = sharing_services.goal_add(
            actor=priya,
            client=grace,
            in_own_words="Keep our flat",
            success_looks_like="No more letters about the rent. The arrears are paid off by the summer.",
            review_on=today + 30 * day,
        )
        school = sharing_services.goal_add(
            actor=priya,
            client=grace,
            in_own_words="Daniel going to school every day",
            success_looks_like="Attendance back above 95 %. Daniel says he likes school.",
            review_on=today + 42 * day,
        )
        myself = sharing_services.goal_add(
            actor=aisha,
            client=grace,
            in_own_words="Feel more like myself",
            success_looks_like="Sleeping better; going out with the children at the weekend.",
        )
        actions = [
            (flat, "Apply for a discretionary housing payment", member(grace, "priya"), -5, "in_progress"),
            (
                flat,
                "Agree a repayment plan with the housing officer",
                member(grace, "mark"),
                10,
                "not_started",
            ),
            (flat, "Open the post every Monday with Ama", "client", 3, "not_started"),
            (school, "Walk Daniel to school on Mondays and Thursdays", "client", -2, "in_progress"),
            (school, "Daily check-in with Daniel at 8.45", member(grace, "tom"), 14, "done"),
            (myself, "Book a GP appointment about low mood", "client", -9, "not_started"),
            (myself, "Visit the family centre's Tuesday group", member(grace, "aisha"), 21, "not_started"),
        ]
        for goal, what, owner, days, status in actions:
            action = sharing_services.action_add(
                actor=priya,
                goal=goal,
                what=what,
                owner=owner if isinstance(owner, CircleMember) else None,
                owner_is_client=owner == "client",
                due_on=today + days * day,
            )
            if status != "not_started":
                sharing_services.action_set_status(
                    actor=tom if goal == school else priya, action=action, status=status
                )
        everyone = list(CircleMember.objects.filter(client=grace, until=None))
        sharing_services.plan_agree(
            actor=priya, client=grace, participants=everyone, note="First review, at home"
        )
        sharing_services.goal_update(
            actor=tom,
            goal=school,
            changes={"success_looks_like": "Attendance back above 95 %. Daniel says school is OK."},
            base_version=school.version,
        )
        sharing_services.plan_agree(actor=priya, client=grace, participants=everyone, note="Six-week review")
        sharing_services.goal_update(
            actor=priya,
            goal=flat,
            changes={"review_on": today + 45 * day},
            base_version=flat.version + 0,
        )

        harold = Client.objects.get(given_name="Harold")
        helen = self.people["helen"]
        safe = sharing_services.goal_add(
            actor=helen,
            client=harold,
            in_own_words="Stay in my own home, safely",
            success_looks_like="No more falls. Tablets taken every day.",
            review_on=today + 28 * day,
        )
        for what, owner, due_in in [
            ("Fit grab rails in the bathroom", member(harold, "owen"), -12),
            ("Set up a dosette box and daily reminder call", member(harold, "lucy"), 5),
            ("Walk to the shop each morning", "client", None),
        ]:
            sharing_services.action_add(
                actor=helen,
                goal=safe,
                what=what,
                owner=owner if isinstance(owner, CircleMember) else None,
                owner_is_client=owner == "client",
                due_on=today + due_in * day if due_in is not None else None,
            )
        sharing_services.plan_agree(
            actor=helen,
            client=harold,
            participants=list(CircleMember.objects.filter(client=harold, until=None)),
        )

        jade = Client.objects.get(given_name="Jade")
        dan = self.people["dan"]
        home = sharing_services.goal_add(
            actor=dan,
            client=jade,
            in_own_words="Have my own place that feels like home",
            success_looks_like="Moved in next month, with furniture and the bills set up.",
            review_on=today + 35 * day,
        )
        for what, owner, days in [
            ("Choose furniture with the setting-up-home grant", "client", 7),
            ("Set up gas and electricity accounts", member(jade, "dan"), -1),
        ]:
            sharing_services.action_add(
                actor=dan,
                goal=home,
                what=what,
                owner=owner if isinstance(owner, CircleMember) else None,
                owner_is_client=owner == "client",
                due_on=today + days * day,
            )

    def portal(self) -> None:
        """Jade uses the portal herself; Harold's son Michael sees it with Harold's consent; Grace's sister
        Ama did, until Grace withdrew that consent."""
        jade = Client.objects.get(given_name="Jade")
        harold = Client.objects.get(given_name="Harold")
        grace = Client.objects.get(given_name="Grace", family_name="Okafor")
        for lead, client, email, member in [
            ("dan", jade, "jade@example.org", None),
            (
                "helen",
                harold,
                "michael@example.org",
                CircleMember.objects.get(client=harold, name="Michael Bennett"),
            ),
        ]:
            invitation = portal_services.invitation_create(
                actor=self.people[lead], client=client, email=email, member=member
            )
            portal_services.invitation_accept(token=invitation.token)
        ama = CircleMember.objects.get(client=grace, name="Ama Okafor")
        consent = circle_services.consent_record(
            actor=self.people["priya"],
            client=grace,
            scope=Consent.Scope.FAMILY_PORTAL,
            family_member=ama,
            method=Consent.Method.VERBAL,
            given_by="Grace Okafor",
        )
        invitation = portal_services.invitation_create(
            actor=self.people["priya"], client=grace, email="ama@example.org", member=ama
        )
        portal_services.invitation_accept(token=invitation.token)
        circle_services.consent_withdraw(
            actor=self.people["priya"], consent=consent, note="Grace would rather tell Ama herself for now."
        )
        # A note shared with Jade (her plan already has things for her to tick off).
        sharing_services.note_create(
            actor=self.people["dan"],
            client=jade,
            visibility=Note.Visibility.CLIENT,
            text="Great to see you today, Jade. The furniture grant has been approved: £800.",
        )

    def print_sign_ins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, full_name, job, org in (
            User.objects.filter(email__in=[demo_email(k, o) for k, _, o, _, _ in PEOPLE])
            .values_list("email", "full_name", "job_title", "organisation__name")
            .order_by("pk")
        ):
            self.stdout.write(f"  {email:<28} {full_name}, {job}, {org}")
        self.stdout.write(f"  {'admin@alongside.example':<28} Site administrator (/admin/)")
        if User.objects.filter(email="lena@partnership.example").exists():
            self.stdout.write(
                f"  {'lena@partnership.example':<28} Lena Ortiz, partnership lead (Dashboard: Northbridge Together)"
            )
        self.stdout.write("Portal (clients and family sign in with a code, emailed to this terminal):")
        self.stdout.write(f"  {'jade@example.org':<28} Jade Thompson, client")
        self.stdout.write(
            f"  {'michael@example.org':<28} Michael Bennett, Harold's son (with Harold's consent)"
        )
        self.stdout.write(
            "Try: priya (a lead, with a request to join waiting), tom (a member), joan (a manager),"
        )
        self.stdout.write(
            "     ravi (an agency admin: Your organisation: people and teams, packs, imports, subject access"
            " with Grace Okafor's export ready),"
        )
        self.stdout.write("     kate (Sam Reilly's lead: see the emergency access).")


def demo_email(key: str, organisation: str) -> str:
    return f"{key}@{DOMAINS[organisation]}"
