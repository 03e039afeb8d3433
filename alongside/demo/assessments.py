"""Demo assessments and stages (shared/SCENARIOS.md), through the services, for `manage.py demo_data`.

Grace has three Wellbeing domains assessments over six months (a baseline and two follow-ups) and a PHQ-9
series that improves; Harold's case has a stage history with one loop (review → assessment again); Jade has
rated herself once in the portal; one case is closed with an outcome.
"""

import datetime

from assessments import services as assessment_services
from assessments.models import Instrument
from circles import services as circle_services
from circles.models import Client
from network.models import User

WELLBEING = [
    "home",
    "money",
    "health",
    "safety",
    "relationships",
    "daily-living",
    "learning-work",
    "feeling-good",
]

# Grace's Wellbeing domains, six months apart from first to last: (days ago, scores, why), in the worker's
# words. Home and money move; health is steady; feeling good follows.
GRACE_WELLBEING = [
    (
        180,
        [3, 2, 4, 6, 5, 5, 4, 3],
        {
            "home": "Two letters from the landlord this month about the arrears.",
            "money": "Universal Credit cut after a missed appointment; using the food bank.",
            "health": "Low mood most days; has not seen the GP yet.",
            "safety": "Feels safe at home; worried about the stairwell at night.",
            "relationships": "Ama helps when she can; few friends nearby.",
            "daily-living": "Keeping on top of meals and school runs, just.",
            "learning-work": "Would like to go back to the care course one day.",
            "feeling-good": "Says she cannot remember the last good day.",
        },
    ),
    (
        90,
        [5, 4, 5, 6, 6, 6, 4, 5],
        {
            "home": "Repayment plan agreed with Northbridge Homes; no new letters.",
            "money": "Benefit restored; budget sheet on the fridge.",
            "health": "GP appointment made; started a short course of talking therapy.",
            "safety": "Light fixed in the stairwell.",
            "relationships": "Goes to the Tuesday group at the family centre.",
            "daily-living": "Mornings easier since Daniel's breakfast club.",
            "learning-work": "Looked at the college's evening courses.",
            "feeling-good": "Some good days now; still tired.",
        },
    ),
    (
        10,
        [6, 5, 6, 7, 7, 7, 5, 6],
        {
            "home": "Arrears down by half; the landlord is happy with the plan.",
            "money": "Paying the plan every month; no food bank since the spring.",
            "health": "Finished the talking therapy; sleeping better.",
            "safety": "No worries raised.",
            "relationships": "Made a friend at the Tuesday group; sees Ama every week.",
            "daily-living": "Managing well; asks for help with forms only.",
            "learning-work": "Signed up for an evening course in September.",
            "feeling-good": "Says she feels like herself again, most days.",
        },
    ),
]
# Grace's PHQ-9 with Aisha, the health visitor: 16 (moderately severe) down to 6 (mild) over six months.
GRACE_PHQ9 = [
    (170, [2, 2, 2, 2, 2, 2, 2, 2, 0]),
    (120, [2, 2, 2, 1, 1, 2, 1, 1, 0]),
    (60, [1, 1, 1, 1, 1, 1, 1, 1, 0]),
    (15, [1, 1, 1, 1, 0, 1, 1, 0, 0]),
]
# Harold's case: (days ago, stage, why). It came back to assessment after his second fall.
HAROLD_STAGES = [
    (300, "assessment", "First visit done; a care needs assessment is due."),
    (270, "planning", "Needs assessed: falls, medication and meals."),
    (250, "support", "Plan agreed with Harold and Michael."),
    (150, "review", "Three-month review of the care package."),
    (140, "assessment", "A second fall at home: his needs are looked at again."),
    (120, "planning", "New plan: grab rails, a falls alarm and a daily call."),
    (110, "support", "Grab rails fitted and the alarm set up."),
    (20, "review", "Six-month review with Harold, Michael and the home care team."),
]


def load_assessments(people: dict[str, User], *, now: datetime.datetime) -> None:
    """Called by demo_data once the clients, plans and portal accounts exist."""

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    wellbeing = Instrument.objects.get(code="wellbeing-domains")
    for days, scores, why in GRACE_WELLBEING:
        draft = assessment_services.assessment_start(
            actor=people["priya"], client=grace, instrument=wellbeing, completed_by="together"
        )
        assessment_services.assessment_complete(
            actor=people["priya"],
            assessment=draft,
            answers={
                code: {"score": score, "narrative": why[code]}
                for code, score in zip(WELLBEING, scores, strict=True)
            },
            completed_at=ago(days),
        )
    phq9 = Instrument.objects.get(code="phq-9")
    for days, scores in GRACE_PHQ9:
        draft = assessment_services.assessment_start(
            actor=people["aisha"], client=grace, instrument=phq9, visibility="organisation"
        )
        assessment_services.assessment_complete(
            actor=people["aisha"],
            assessment=draft,
            answers={str(n): {"score": score} for n, score in enumerate(scores, start=1)},
            completed_at=ago(days),
        )

    # Harold's case starts at intake in the demo; its history since, with its loop, ending at review.
    harold = Client.objects.get(given_name="Harold")
    for days, stage, reason in HAROLD_STAGES:
        circle_services.client_stage_change(
            actor=people["helen"], client=harold, stage=stage, reason=reason, at=ago(days)
        )

    # Jade rated herself once in the portal, when Dan asked.
    jade = Client.objects.get(given_name="Jade")
    asked = assessment_services.self_rating_ask(actor=people["dan"], client=jade, instrument=wellbeing)
    jade_user = User.objects.get(email="jade@example.org")
    assessment_services.self_rating_complete(
        user=jade_user,
        request=asked,
        answers={
            code: {"score": score, "narrative": ""}
            for code, score in zip(WELLBEING, [4, 3, 7, 8, 6, 5, 7, 6], strict=True)
        },
    )

    # One case closed with an outcome: the first of the other clients, by their lead.
    scenario = ["Grace", "Daniel", "Ruth", "Harold", "Jade", "Sam"]
    closing = Client.objects.exclude(given_name__in=scenario).order_by("pk").first()
    if closing is not None:
        lead = closing.members.get(until=None, is_lead=True).user
        assert lead is not None
        circle_services.client_stage_change(
            actor=lead,
            client=closing,
            stage="closed",
            reason="Goals met and reviewed together; the family is managing on their own.",
            outcome="goals_met",
            at=ago(5),
        )
