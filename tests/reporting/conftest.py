"""A small world for the dashboard, every figure counted by hand (see each test's comments).

Early Help has two teams: Families North (Wren) and Families South (Sol); Nell has no team. Mo manages.

    client     circle (Early Help)      stage now (since)         consent to share with the circle
    Zeb        Wren (lead)              support (10 days)         current
    Yara       Wren, Sol                assessment (20 days)      current, ends in 10 days
    Xan        Sol                      intake (created 5 days)   withdrawn
    Will       Nell                     closed 7 days ago         -
    Vic        Wren until 200 days ago  intake (500 days)         -
    Umar       Police only                                          (not Early Help's)
"""

import datetime

import pytest
from django.utils import timezone

from circles.models import Client, StageChange
from conferences.models import AgendaItem, Meeting, MeetingType
from network.models import Team, User
from referrals.models import Referral
from sharing.models import Action, Goal, Plan, PlanChange
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    MemberFactory,
    UserFactory,
    assessment_done,
)


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def day(n: int) -> datetime.date:
    """n days from today (negative: ago)."""
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def teams(early_help):
    return {
        "north": Team.objects.create(organisation=early_help, name="Families North"),
        "south": Team.objects.create(organisation=early_help, name="Families South"),
    }


@pytest.fixture
def mo(early_help):
    return UserFactory(full_name="Mo Manager", organisation=early_help, org_role=User.OrgRole.MANAGER)


@pytest.fixture
def world(early_help, police, teams, mo):
    wren = UserFactory(full_name="Wren Worker", organisation=early_help, team=teams["north"])
    sol = UserFactory(full_name="Sol Worker", organisation=early_help, team=teams["south"])
    nell = UserFactory(full_name="Nell Noteam", organisation=early_help)
    pc = UserFactory(full_name="Pat Constable", organisation=police)

    def client(name, *, stage="intake", since_days=0, created_days=0):
        return ClientFactory(
            given_name=name,
            family_name="Zzyzx",
            stage=stage,
            stage_since=days_ago(since_days),
            created_at=days_ago(max(created_days, since_days)),
        )

    zeb = client("Zeb", stage="support", since_days=10, created_days=100)
    yara = client("Yara", stage="assessment", since_days=20, created_days=100)
    xan = client("Xan", created_days=5, since_days=5)
    will = client("Will", stage="closed", since_days=7, created_days=100)
    Client.objects.filter(pk=will.pk).update(outcome="goals_met")
    vic = client("Vic", since_days=500)
    umar = client("Umar", since_days=30)
    MemberFactory(client=zeb, user=wren, is_lead=True, since=days_ago(100))
    MemberFactory(client=yara, user=wren, since=days_ago(100))
    MemberFactory(client=yara, user=sol, since=days_ago(100))
    MemberFactory(client=xan, user=sol, since=days_ago(5))
    MemberFactory(client=will, user=nell, since=days_ago(100))
    MemberFactory(client=vic, user=wren, since=days_ago(500), until=days_ago(200))
    MemberFactory(client=umar, user=pc, since=days_ago(30))
    # A hidden member from Early Help: never counted (nobody outside the circle learns of them).
    MemberFactory(client=umar, user=nell, is_hidden=True, since=days_ago(30))
    StageChange.objects.create(
        client=will,
        from_stage="support",
        to_stage="closed",
        reason="Done",
        outcome="goals_met",
        at=days_ago(7),
    )
    StageChange.objects.create(
        client=zeb, from_stage="planning", to_stage="support", reason="Plan", at=days_ago(10)
    )
    StageChange.objects.create(
        client=yara, from_stage="intake", to_stage="assessment", reason="A", at=days_ago(20)
    )

    ConsentFactory(client=zeb, recorded_by=wren, given_on=day(-90))
    ConsentFactory(client=yara, recorded_by=wren, given_on=day(-90), expires_on=day(10))
    ConsentFactory(client=xan, recorded_by=sol, given_on=day(-4), withdrawn_at=days_ago(1))

    # Zeb's plan: four actions, three goals with reviews.
    plan = Plan.objects.create(client=zeb)
    goal = Goal.objects.create(plan=plan, in_own_words="SECRET GOAL WORDS", created_by=wren)

    def action(what, *, due, status):
        return Action.objects.create(goal=goal, what=what, due_on=due, status=status, created_by=wren)

    def status_change(item, new, at):
        PlanChange.objects.create(
            plan=plan,
            action=item,
            field="status",
            old_value="not_started",
            new_value=new,
            version=2,
            actor=wren,
            at=at,
        )

    a1 = action("a1", due=day(-5), status="done")  # due 5 days ago, done 6 days ago: on time
    status_change(a1, "done", days_ago(6))
    action("a2", due=day(-3), status="not_started")  # overdue
    a3 = action("a3", due=day(-10), status="done")  # due 10 days ago, done yesterday: late
    status_change(a3, "done", days_ago(1))
    a4 = action("a4", due=None, status="dropped")  # dropped 2 days ago
    status_change(a4, "dropped", days_ago(2))
    a5 = action("a5", due=day(-400), status="done")  # long ago: in no figure of the last 3 months
    status_change(a5, "done", days_ago(400))

    def review(old, at):
        g = Goal.objects.create(plan=plan, in_own_words="g", created_by=wren, review_on=day(30))
        PlanChange.objects.create(
            plan=plan,
            goal=g,
            field="review_on",
            old_value=old.isoformat(),
            new_value=day(30).isoformat(),
            version=2,
            actor=wren,
            at=at,
        )

    review(day(-10), days_ago(12))  # reviewed before its date: on time
    review(day(-20), days_ago(15))  # five days late
    Goal.objects.create(plan=plan, in_own_words="g3", created_by=wren, review_on=day(-3))  # not reviewed

    # PHQ-9: Zeb 16 → 8 (better by 8; the threshold is 6), Yara 12 → 11 (no real change), Xan once.
    assessment_done(author=wren, client=zeb, code="phq-9", scores=[2] * 8 + [0], at=days_ago(60))
    assessment_done(author=wren, client=zeb, code="phq-9", scores=[1] * 8 + [0], at=days_ago(10))
    assessment_done(author=wren, client=yara, code="phq-9", scores=[2] * 6 + [0] * 3, at=days_ago(60))
    assessment_done(author=sol, client=yara, code="phq-9", scores=[2] * 5 + [1] + [0] * 3, at=days_ago(9))
    assessment_done(author=sol, client=xan, code="phq-9", scores=[1] * 9, at=days_ago(2))

    # Referrals: Police sent Early Help two (one accepted for Wren, one declined); Early Help sent one.
    consent = ConsentFactory(client=zeb, recorded_by=wren, scope="organisation", organisation=police)

    def referral(**fields):
        base = dict(
            client=zeb,
            referrer=pc,
            from_organisation=police,
            to_organisation=early_help,
            service="s",
            asked="SECRET ASK",
            reason="SECRET REASON",
            consent=consent,
            answer_due_on=day(5),
        )
        return Referral.objects.create(**(base | fields))

    referral(
        status="closed",
        created_at=days_ago(20),
        answered_at=days_ago(18),
        worker=wren,
        first_contact_on=day(-16),
        outcome="got_help",
        closed_at=days_ago(3),
    )
    referral(status="declined", created_at=days_ago(15), answered_at=days_ago(14))
    referral(
        status="sent",
        created_at=days_ago(3),
        referrer=wren,
        from_organisation=early_help,
        to_organisation=police,
    )
    referral(status="sent", created_at=days_ago(300))  # before the period

    # Meetings: about Zeb (signed off on time), about Xan (not signed, past due), about Umar (not ours).
    kind, _ = MeetingType.objects.get_or_create(name="Team Around the Family")

    def meeting(about, *, ended, due, signed=None):
        m = Meeting.objects.create(
            type=kind,
            title="SECRET TITLE",
            starts_at=days_ago(ended),
            created_by=mo,
            chair=mo,
            status="ended",
            ended_at=days_ago(ended),
            minutes_due_on=day(due),
            signed_off_at=signed,
            minutes_status="signed" if signed else "draft",
        )
        AgendaItem.objects.create(
            meeting=m,
            client=about,
            reason="r",
            basis="without_consent",
            without_consent_reason="w",
            added_by=mo,
        )
        return m

    meeting(zeb, ended=10, due=-5, signed=days_ago(8))
    meeting(xan, ended=20, due=-15)
    meeting(umar, ended=5, due=1)
    return {"wren": wren, "sol": sol, "nell": nell, "pc": pc, "clients": [zeb, yara, xan, will, vic, umar]}
