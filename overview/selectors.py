"""Reads for the client page ("what is true now", "since you last looked") and My clients.

Everything here is derived from what is already recorded: the plan, the board, the circle, the outbox.
"Since you last looked" reads the outbox (realtime's Event rows after the person's last visit), filtered by
the same rule a live socket uses (`circles.access.may_receive`), so that the state a person saw plus the
events since is what a fresh load shows them.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from board.access import cards_visible_filter
from board.models import Card, Column, Scale
from board.selectors import ScaleLine, scales_for
from changes.catalogue import catalogue
from circles import access
from circles.access import RecordAccess, Viewer
from circles.models import Client, Consent
from circles.selectors import client_list_for_user, lead_panel_flags
from conferences.models import AgendaItem
from conferences.selectors import NextMeeting, next_meeting_for
from network.models import User
from overview.models import Visit
from realtime.models import Event
from referrals.selectors import panel_flags as referral_panel_flags
from sharing.models import Action, Goal

TOP_FEW = 3
SINCE_LIMIT = 1000  # events read for one client's "since you last looked"; past this, "more than"
MY_CLIENTS_LIMIT = 5000  # events read for all of My clients at once

# What each kind of change is called in the short list, by the first part of its name.
GROUPS = {
    "note": ("new or changed note", "new or changed notes"),
    "plan": ("plan change", "plan changes"),
    "board": ("board change", "board changes"),
    "circle": ("circle or consent change", "circle or consent changes"),
    "consent": ("circle or consent change", "circle or consent changes"),
    "join_request": ("circle or consent change", "circle or consent changes"),
    "emergency": ("circle or consent change", "circle or consent changes"),
    "client": ("change to the record", "changes to the record"),
}


@dataclass
class PlanProgress:
    done: int = 0
    total: int = 0
    overdue: int = 0
    next_due: Action | None = None


@dataclass
class Truth:
    """What is true about this person now."""

    plan: PlanProgress
    worries: list[Card]
    worry_count: int
    working_well: list[Card]
    working_well_count: int
    scales: list[ScaleLine]
    next_review: datetime.date | None
    goals: list[Goal] = field(default_factory=list)
    next_meeting: NextMeeting | None = None


@dataclass
class SinceItem:
    seq: int
    type: str
    means: str
    at: datetime.datetime
    card_id: int | None = None
    note_id: int | None = None


@dataclass
class Since:
    """What changed since this person last looked at this client."""

    first_visit: bool
    last_visit: datetime.datetime | None
    items: list[SinceItem] = field(default_factory=list)
    more: bool = False  # there were more than SINCE_LIMIT events

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def groups(self) -> list[str]:
        """ "2 new or changed notes", "1 board change"…, in the order of GROUPS."""
        counts = Counter(
            GROUPS.get(item.type.split(".")[0], ("other change", "other changes")) for item in self.items
        )
        return [f"{n} {one if n == 1 else many}" for (one, many), n in counts.items()]

    def card_ids(self) -> set[int]:
        return {item.card_id for item in self.items if item.card_id}

    def note_ids(self) -> set[int]:
        return {item.note_id for item in self.items if item.note_id}


def is_own(viewer: Viewer, event_type: str, audience: dict[str, Any]) -> bool:
    """One's own change is not news: the board and scales say who made them; a note says its author."""
    if audience.get("actor") == viewer.user_id:
        return True
    return event_type == "note.create" and audience.get("author") == viewer.user_id


def counts_for_viewer(
    viewer: Viewer, event_type: str, audience: dict[str, Any], payload: dict[str, Any] | None = None
) -> bool:
    """Is this event news to this person? As a live socket decides (realtime.consumers): the audience
    (`access.may_receive`) and, given the payload, the hidden-member rule (`access.event_for`: an event
    about a hidden member is not for anyone outside the circle, not even as a count)."""
    if event_type in catalogue and catalogue.get(event_type).is_read:
        return False
    if payload is not None and access.event_for(viewer, payload) is None:
        return False
    return access.may_receive(viewer, audience) and not is_own(viewer, event_type, audience)


def last_visit(record: RecordAccess) -> Visit | None:
    return Visit.objects.filter(user=record.user, client=record.client).first()


def since_last_looked(record: RecordAccess, visit: Visit | None) -> Since:
    """The events after this person's last visit that they may receive, newest first (no query if none)."""
    if visit is None:
        return Since(first_visit=True, last_visit=None)
    since = Since(first_visit=False, last_visit=visit.at)
    if visit.seq >= record.client.last_event_seq:
        return since
    viewer = record.viewer()
    events = list(
        Event.objects.filter(client=record.client, seq__gt=visit.seq, seq__lte=record.client.last_event_seq)
        .order_by("-seq")
        .values("seq", "type", "payload", "audience", "created_at")[: SINCE_LIMIT + 1]
    )
    since.more = len(events) > SINCE_LIMIT
    for event in events[:SINCE_LIMIT]:
        if counts_for_viewer(viewer, event["type"], event["audience"], event["payload"]):
            since.items.append(
                SinceItem(
                    seq=event["seq"],
                    type=event["type"],
                    means=catalogue.get(event["type"]).means if event["type"] in catalogue else event["type"],
                    at=event["created_at"],
                    card_id=event["payload"].get("card_id"),
                    note_id=event["payload"].get("note_id"),
                )
            )
    return since


def record_flags(record: RecordAccess) -> dict[str, bool]:
    """One query: whether the client has any scales, any meeting with them on its agenda, (for the
    referrals panel, `referrals.selectors.panel_flags`) any open referral, handover or missing lead, and
    (for the lead, `circles.selectors.lead_panel_flags`) any request to join waiting or recent emergency
    access. The client page then leaves out the reads that could find nothing; what each read shows is
    unchanged."""
    client = record.client
    flags: dict[str, Any] = {
        "has_scales": Exists(Scale.objects.filter(client=client)),
        "has_meetings": Exists(AgendaItem.objects.filter(client=client)),
    }
    if record.membership is not None:  # the referrals panel is for the circle only
        flags.update(referral_panel_flags(client))
    flags.update(lead_panel_flags(record))
    row = Client.objects.filter(pk=client.pk).annotate(**flags).values(*flags).first()
    return row or {}


def truth_for(record: RecordAccess, has: dict[str, bool] | None = None) -> Truth:
    """Stage, plan progress, open worries and what is working well, scales, the next review, the next
    meeting (4 queries: goals with their plan figures, cards, scales, the meeting; the last two only if
    `has` (from `record_flags`) says there are scales or meetings to read, or without `has`)."""
    today = timezone.localdate()
    goals = _goals_with_figures(record.client, today)
    plan = PlanProgress(
        done=sum(goal.actions_done for goal in goals),  # type: ignore[attr-defined]
        total=sum(goal.actions_total for goal in goals),  # type: ignore[attr-defined]
        overdue=sum(goal.actions_overdue for goal in goals),  # type: ignore[attr-defined]
        next_due=_next_due(goals),
    )
    cards = list(
        Card.objects.filter(
            client=record.client, closed_at=None, column__in=[Column.WORRY, Column.WORKING_WELL]
        )
        .filter(cards_visible_filter(record))
        .select_related("author", "organisation")
        .order_by("position", "pk")
    )
    for card in cards:
        card.author_shown = access.person_label(record, card.author)
    worries = [card for card in cards if card.column == Column.WORRY]
    working_well = [card for card in cards if card.column == Column.WORKING_WELL]
    upcoming = [goal.review_on for goal in goals if goal.review_on and goal.review_on >= today]
    return Truth(
        plan=plan,
        worries=worries[:TOP_FEW],
        worry_count=len(worries),
        working_well=working_well[:TOP_FEW],
        working_well_count=len(working_well),
        scales=scales_for(record) if has is None or has.get("has_scales") else [],
        next_review=min(upcoming) if upcoming else None,
        goals=goals,
        next_meeting=next_meeting_for(record) if has is None or has.get("has_meetings") else None,
    )


OPEN_STATUSES = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]
COUNTED_STATUSES = [status for status in Action.Status.values if status != Action.Status.DROPPED]


def _goals_with_figures(client: Client, today: datetime.date) -> list[Goal]:
    """The plan's goals in order, each with its actions counted (dropped and removed ones left out: done,
    total, overdue) and its next open action due from today on: one query, however many goals and actions."""
    counted = Q(actions__removed_at=None, actions__status__in=COUNTED_STATUSES)
    open_actions = Q(actions__removed_at=None, actions__status__in=OPEN_STATUSES)
    upcoming = Action.objects.filter(
        goal=OuterRef("pk"), removed_at=None, status__in=OPEN_STATUSES, due_on__gte=today
    ).order_by("due_on", "pk")
    return list(
        Goal.objects.filter(plan__client=client, removed_at=None)
        .annotate(
            actions_total=Count("actions", filter=counted),
            actions_done=Count(
                "actions", filter=Q(actions__removed_at=None, actions__status=Action.Status.DONE)
            ),
            actions_overdue=Count("actions", filter=open_actions & Q(actions__due_on__lt=today)),
            next_action_id=Subquery(upcoming.values("pk")[:1]),
            next_action_due_on=Subquery(upcoming.values("due_on")[:1]),
            next_action_what=Subquery(upcoming.values("what")[:1]),
        )
        .order_by("position", "pk")
    )


def _next_due(goals: list[Goal]) -> Action | None:
    """The open action due soonest from today on, over all the goals (earliest date, then the first made),
    from the goals' annotations: the same action as ordering the plan's actions by (due_on, pk)."""
    firsts = [goal for goal in goals if goal.next_action_id is not None]  # type: ignore[attr-defined]
    if not firsts:
        return None
    goal = min(firsts, key=lambda g: (g.next_action_due_on, g.next_action_id))  # type: ignore[attr-defined]
    return Action(
        pk=goal.next_action_id,  # type: ignore[attr-defined]
        goal=goal,
        due_on=goal.next_action_due_on,  # type: ignore[attr-defined]
        what=goal.next_action_what,  # type: ignore[attr-defined]
    )


def new_counts_for(user: User, clients: list[Client]) -> dict[int, int]:
    """For My clients: how many things are new for `user` on each client since their last visit (3 queries
    for any number of clients: visits, events, consents)."""
    if not clients:
        return {}
    by_id = {client.pk: client for client in clients}
    visits = dict(Visit.objects.filter(user=user, client_id__in=by_id).values_list("client_id", "seq"))
    unseen = Q()
    for client_id, client in by_id.items():
        seq = visits.get(client_id, 0)
        if seq < client.last_event_seq:
            unseen |= Q(client_id=client_id, seq__gt=seq)
    if not unseen:
        return dict.fromkeys(by_id, 0)
    sharing = set(
        Consent.objects.current()
        .filter(client_id__in=by_id)
        .filter(
            Q(scope=Consent.Scope.CIRCLE)
            | Q(scope=Consent.Scope.ORGANISATION, organisation_id=user.organisation_id)
        )
        .values_list("client_id", flat=True)
    )
    # My clients are the circles `user` is in now, so no event is about someone hidden from them: the
    # payloads need not be read (counts_for_viewer without one).
    viewers = {
        client_id: Viewer(
            user_id=user.pk,
            organisation_id=user.organisation_id,
            shares_across_organisations=client_id in sharing,
        )
        for client_id in by_id
    }
    counts = dict.fromkeys(by_id, 0)
    events = Event.objects.filter(unseen).order_by("-seq").values_list("client_id", "type", "audience")
    for client_id, event_type, audience in events[:MY_CLIENTS_LIMIT]:
        if counts_for_viewer(viewers[client_id], event_type, audience):
            counts[client_id] += 1
    return counts


def my_clients(user: User, *, sort: str = "") -> list[Client]:
    """My clients with `new_count` on each; sorted by it (most first) if asked, else by latest activity."""
    clients = list(client_list_for_user(user))
    counts = new_counts_for(user, clients)
    for client in clients:
        client.new_count = counts.get(client.pk, 0)  # type: ignore[attr-defined]
    if sort == "new":
        clients.sort(key=lambda client: -client.new_count)  # type: ignore[attr-defined]
    return clients
