"""Demo data for the board and "since you last looked".

- Grace Okafor's board: four worries, five things working well, three next steps (two already on the plan),
  one worry linked to the goal that addresses it; scales from Priya, Tom and Aisha over three months.
- Harold Bennett's board, with his son Michael's own cards and scale from the portal.
- Priya has new things waiting on three clients: she last looked before her colleagues' latest changes.
"""

import datetime

from django.utils import timezone

from board import services as board_services
from board.models import Scale
from circles.models import Client
from network.models import User
from overview.services import visit_record
from sharing import services as sharing_services
from sharing.models import Goal, Note

DAY = datetime.timedelta(days=1)


def load(people: dict[str, User]) -> None:
    priya, tom, aisha, mark = (people[k] for k in ("priya", "tom", "aisha", "mark"))
    helen, owen, lucy = (people[k] for k in ("helen", "owen", "lucy"))
    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    daniel = Client.objects.get(given_name="Daniel", family_name="Okafor")
    ruth = Client.objects.get(given_name="Ruth", family_name="Okafor")
    harold = Client.objects.get(given_name="Harold")

    # Priya looked at each of her clients yesterday; what follows happened since, on three of them.
    for client in Client.objects.filter(members__user=priya, members__until=None):
        visit_record(user=priya, client=client, seq=client.last_event_seq)

    _grace(grace, priya, tom, aisha, mark)
    _harold(harold, helen, owen, lucy)
    sharing_services.note_create(
        actor=tom,
        client=daniel,
        kind=Note.Kind.OBSERVATION,
        text="Daniel was on time every day this week and joined the football club at lunch.",
    )
    sharing_services.note_create(
        actor=aisha,
        client=ruth,
        kind=Note.Kind.VISIT,
        text="Ruth's 2-year review: growing well, talking in short sentences. Next check in three months.",
    )


def _card(actor: User, client: Client, column: str, text: str, kind: str = "", visibility: str = "circle"):
    return board_services.card_add(
        actor=actor, client=client, column=column, text=text, kind=kind, visibility=visibility
    )


def _grace(grace: Client, priya: User, tom: User, aisha: User, mark: User) -> None:
    flat = Goal.objects.get(plan__client=grace, in_own_words="Keep our flat")
    school = Goal.objects.get(plan__client=grace, in_own_words="Daniel going to school every day")
    arrears = _card(
        priya, grace, "worry", "Rent arrears of £1,150; the housing association has sent a notice.", "harm"
    )
    _card(tom, grace, "worry", "Daniel's attendance has fallen to 78 % this term.", "harm")
    _card(
        aisha,
        grace,
        "worry",
        "Grace's low mood: if it gets worse, the children's mornings could fall apart.",
        "danger",
    )
    _card(mark, grace, "worry", "The boiler keeps failing, so the flat is cold and damp.", "complicating")
    for actor, text, visibility in [
        (priya, "Grace asks for help when she needs it and keeps her appointments.", "client"),
        (tom, "Daniel is kind to younger children and loves football.", "client"),
        (aisha, "Ruth is growing well and meets her milestones.", "client"),
        (priya, "Ama, Grace's sister, helps with the school run twice a week.", "circle"),
        (mark, "Grace has paid something towards the rent every month since June.", "circle"),
    ]:
        _card(actor, grace, "working_well", text, visibility=visibility)
    repayment = _card(mark, grace, "next_step", "Agree an affordable repayment plan with Northbridge Homes.")
    breakfast = _card(tom, grace, "next_step", "Daniel to join the breakfast club on Mondays.")
    _card(aisha, grace, "next_step", "Grace to see the GP about her low mood.")
    board_services.card_make_action(actor=priya, card=repayment, goal=flat)
    board_services.card_make_action(actor=tom, card=breakfast, goal=school)
    board_services.card_link(
        actor=priya,
        card=arrears,
        addressed_by=flat,
        evidence=Note.objects.filter(client=grace, author=priya).order_by("-created_at")[:1],
    )
    now = timezone.now()
    for actor, scores in [
        (priya, [(3, "Arrears growing and no plan yet."), (4, "A plan is in place."), (5, "Payments made.")]),
        (tom, [(4, "Attendance poor."), (5, "Better since the check-ins."), (6, "Daniel is settling.")]),
        (aisha, [(3, "Grace is very low."), (3, "Still low; on the GP list."), (5, "Sleeping better.")]),
    ]:
        for days_ago, (score, why) in zip((88, 45, 4), scores, strict=True):
            scale = board_services.scale_add(actor=actor, client=grace, score=score, why=why)
            Scale.objects.filter(pk=scale.pk).update(at=now - days_ago * DAY)


def _harold(harold: Client, helen: User, owen: User, lucy: User) -> None:
    _card(helen, harold, "worry", "Two falls at home this year; the last one at night.", "harm")
    _card(lucy, harold, "worry", "Harry sometimes misses his evening tablets.", "danger")
    _card(owen, harold, "worry", "The stairs are steep and the lighting is poor.", "complicating")
    _card(helen, harold, "working_well", "Neighbours check in on Harry every day.", visibility="client")
    _card(lucy, harold, "working_well", "Harry walks to the shop every morning.", visibility="client")
    _card(owen, harold, "next_step", "Fit a second stair rail and brighter bulbs.", visibility="client")
    michael = User.objects.get(email="michael@example.org")
    board_services.card_add_by_client(
        user=michael, client=harold, column="working_well", text="Dad loves our Sunday phone calls."
    )
    board_services.card_add_by_client(
        user=michael,
        client=harold,
        column="worry",
        text="I worry Dad forgets to eat when nobody is with him.",
    )
    now = timezone.now()
    for actor, score, why, days_ago in [
        (helen, 5, "Safer since the grab rails, but the nights worry me.", 30),
        (helen, 6, "Tablets on time since the reminder calls.", 3),
        (owen, 5, "Stairs still a risk.", 10),
    ]:
        scale = board_services.scale_add(actor=actor, client=harold, score=score, why=why)
        Scale.objects.filter(pk=scale.pk).update(at=now - days_ago * DAY)
    scale = board_services.scale_add_by_client(
        user=michael, client=harold, score=4, why="He sounds lonely on the phone."
    )
    Scale.objects.filter(pk=scale.pk).update(at=now - 2 * DAY)
