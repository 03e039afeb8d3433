"""Demo referrals, a handover, and what makes reminders on the first morning.

- Early Help refers Grace Okafor to Northbridge Homes for tenancy support: accepted (Mark, already in
  her circle, is the worker) and first contact made.
- Hillview Primary School refers Daniel Okafor to Safe Haven's youth club: waiting, and past the day
  Safe Haven set to answer by, so both sides see it flagged.
- The Leaving Care Team refers Jade Thompson to Northbridge Homes: declined (she is 16), with a suggestion.
- Helen offers the lead for Harold to Nadia: waiting for Nadia.
- Reminders: Jade's plan has an action overdue by 9 days (Ben, and Dan as lead), Sam's consent to share
  with the circle ends in 10 days (Kate), Grace's plan already has overdue actions. Everyone's digest is on
  their Reminders page (/reminders/) from the first sign-in.
"""

import datetime

from django.utils import timezone

from circles import services as circle_services
from circles.models import CircleMember, Client, Consent
from network import services as network_services
from network.models import User
from referrals import handovers
from referrals import services as referral_services
from referrals.models import Referral, ReferralSettings
from sharing import services as sharing_services

DEMO_PASSWORD = "alongside-demo"  # noqa: S105 (the demo's published password)


def load_referrals(people: dict[str, User]) -> None:
    today = timezone.localdate()
    homes, haven = people["mark"].organisation, people["chloe"].organisation
    assert homes is not None and haven is not None
    # Each receiving organisation's referrals inbox is worked by its manager.
    femi = network_services.professional_create(
        actor=None,
        email="femi@homes.example",
        full_name="Femi Okoye",
        organisation=homes,
        job_title="Tenancy services manager",
        password=DEMO_PASSWORD,
        org_role=User.OrgRole.MANAGER,
    )
    amira = network_services.professional_create(
        actor=None,
        email="amira@safehaven.example",
        full_name="Amira Hassan",
        organisation=haven,
        job_title="Youth services manager",
        password=DEMO_PASSWORD,
        org_role=User.OrgRole.MANAGER,
    )
    ReferralSettings.objects.create(organisation=haven, answer_within_days=5)

    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    daniel = Client.objects.get(given_name="Daniel", family_name="Okafor")
    jade = Client.objects.get(given_name="Jade", family_name="Thompson")
    harold = Client.objects.get(given_name="Harold", family_name="Bennett")
    sam = Client.objects.get(given_name="Sam", family_name="Reilly")

    def consent(lead: str, client: Client, organisation, given_by: str) -> None:  # type: ignore[no-untyped-def]
        circle_services.consent_record(
            actor=people[lead],
            client=client,
            scope=Consent.Scope.ORGANISATION,
            organisation=organisation,
            method=Consent.Method.WRITTEN,
            given_by=given_by,
        )

    consent("priya", grace, homes, "Grace Okafor")
    housing = referral_services.referral_create(
        actor=people["priya"],
        client=grace,
        to_organisation=homes,
        service="Tenancy sustainment",
        asked="Help Grace agree a plan for the rent arrears and keep the tenancy.",
        reason="Three months of arrears after her hours were cut; a notice letter arrived last week.",
        urgency=Referral.Urgency.SOON,
    )
    referral_services.referral_accept(actor=femi, referral=housing, worker=people["mark"])
    referral_services.referral_first_contact(actor=people["mark"], referral=housing)

    consent("priya", daniel, haven, "Grace Okafor (Daniel's mother)")
    youth = referral_services.referral_create(
        actor=people["tom"],
        client=daniel,
        to_organisation=haven,
        service="After-school youth club",
        asked="A place at the Wednesday youth club, and a worker Daniel can talk to.",
        reason="Daniel is often alone after school and says he has no friends outside class.",
    )
    # Sent a week ago: past the five days Safe Haven asked for, so both sides see it flagged.
    Referral.objects.filter(pk=youth.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7),
        answer_due_on=today - datetime.timedelta(days=2),
    )

    consent("dan", jade, homes, "Jade Thompson")
    supported = referral_services.referral_create(
        actor=people["dan"],
        client=jade,
        to_organisation=homes,
        service="Supported housing",
        asked="A supported flat when Jade leaves her foster placement.",
        reason="Jade's placement ends in the spring and she wants to stay near college.",
    )
    referral_services.referral_decline(
        actor=femi,
        referral=supported,
        reason="Our supported flats are for people aged 18 and over; Jade is 16.",
        suggestion="Northbridge Council's 16-17 housing pathway",
    )

    handovers.handover_offer(
        actor=people["helen"],
        client=harold,
        to_member=CircleMember.objects.get(client=harold, user=people["nadia"], until=None),
        summary="Harry is settled at home with four care visits a day. Michael visits on Sundays.\n"
        "Next review in six weeks. He has asked that the care agency sees only what it needs.",
    )

    # Reminders for the first morning: an action overdue by 9 days (Ben; and Dan, the lead, after 7 days),
    # and a consent that ends in 10 days (Kate).
    goal = sharing_services.goal_add(actor=people["dan"], client=jade, in_own_words="Stay at college")
    sharing_services.action_add(
        actor=people["dan"],
        goal=goal,
        what="Bursary form for the spring term",
        owner=CircleMember.objects.get(client=jade, user=people["ben"], until=None),
        due_on=today - datetime.timedelta(days=9),
    )
    circle_services.consent_record(
        actor=people["kate"],
        client=sam,
        scope=Consent.Scope.CIRCLE,
        method=Consent.Method.VERBAL,
        given_by="Sam Reilly",
        expires_on=today + datetime.timedelta(days=10),
    )
    del amira  # works Safe Haven's inbox: sign in as her to answer Daniel's referral
