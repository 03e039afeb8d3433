"""Reads of case conferences. Each fetches *and* checks access (conferences/access.py over the policy)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from audit.services import audit_record
from board.selectors import ColumnView, pack_board
from circles import access as policy
from circles.models import CircleMember, Client
from conferences import access
from conferences import changes as c
from conferences.models import (
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    Invitation,
    Meeting,
    MeetingType,
    MinutesVersion,
    PackNote,
)
from conferences.types import type_definition
from network.roles import is_professional
from sharing import access as sharing_access
from sharing.models import Action, Goal, Note

if TYPE_CHECKING:
    from network.models import User


class MeetingNotFound(Http404):
    """Unknown, or not the asker's to see: both look the same."""


@dataclass
class MyMeetings:
    in_progress: list[Meeting] = field(default_factory=list)
    upcoming: list[Meeting] = field(default_factory=list)
    to_sign_off: list[Meeting] = field(default_factory=list)
    signed: list[Meeting] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.in_progress or self.upcoming or self.to_sign_off or self.signed)


def _meetings_of(user: "User") -> QuerySet[Meeting]:
    if not is_professional(user):
        return Meeting.objects.none()
    invited = Invitation.objects.filter(user=user).values("meeting")
    return Meeting.objects.filter(Q(chair=user) | Q(minute_taker=user) | Q(pk__in=invited))


def my_meetings(user: "User", *, signed_limit: int = 10) -> MyMeetings:
    """A chair's (or anyone's) meetings: in progress, upcoming, minutes to sign off, recently signed.

    Three queries however many meetings: the meetings with their type, panel and chair, and the agenda
    items' count in one go.
    """
    meetings = list(
        _meetings_of(user)
        .select_related("type", "panel", "chair", "minute_taker")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.only("pk", "meeting_id", "client_id"))
        )
        .order_by("starts_at", "pk")
    )
    mine = MyMeetings()
    for meeting in meetings:
        if meeting.status == Meeting.Status.IN_PROGRESS:
            mine.in_progress.append(meeting)
        elif meeting.status == Meeting.Status.SCHEDULED:
            mine.upcoming.append(meeting)
        elif meeting.minutes_status == Meeting.Minutes.DRAFT:
            mine.to_sign_off.append(meeting)
        else:
            mine.signed.append(meeting)
    mine.signed = sorted(mine.signed, key=lambda m: m.starts_at, reverse=True)[:signed_limit]
    return mine


def minutes_to_sign_off(user: "User") -> QuerySet[Meeting]:
    """For reminders: meetings this person chairs whose minutes are waiting for sign-off, soonest due first."""
    return (
        Meeting.objects.filter(chair=user, status=Meeting.Status.ENDED, minutes_status=Meeting.Minutes.DRAFT)
        .select_related("type")
        .order_by("minutes_due_on", "pk")
    )


def meetings_to_sign_off_due_by(day: datetime.date) -> QuerySet[Meeting]:
    """For a daily scan (reminders): every meeting whose minutes are due by `day` and not yet signed off."""
    return Meeting.objects.filter(
        status=Meeting.Status.ENDED, minutes_status=Meeting.Minutes.DRAFT, minutes_due_on__lte=day
    ).select_related("chair", "type")


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting with a client on its agenda, for "what is true now"."""

    meeting: Meeting
    may_open: bool  # chair, minute-taker or invited: the meeting's page opens for them


def names_for_meetings(user: "User", meetings: "list[Meeting]") -> policy.Names:
    """How people are named to `user` across a list of meetings (read by `my_meetings`, their agendas
    prefetched): the policy's rule for every client on any of their agendas at once, so someone hidden in
    one of those circles that `user` is not in is named on none of them. Two queries however many meetings."""
    clients = {item.client_id for meeting in meetings for item in meeting.items.all()}
    return policy.names_for_person_in(user, clients)


def next_meeting_for(record: policy.RecordAccess) -> NextMeeting | None:
    """The next meeting (or the one under way) with this client on the agenda that the viewer may know of:
    the client's circle knows of its own client's meetings (as it reads their pack); anyone else only of the
    meetings they chair, minute or are invited to. One query."""
    if not is_professional(record.user) or not record.may_view:
        return None
    meetings = _meetings_known_to(record).filter(
        Q(status=Meeting.Status.IN_PROGRESS)
        | Q(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now() - datetime.timedelta(hours=12)),
    )
    meeting = (
        meetings.annotate(may_open=ExpressionWrapper(_involved(record.user), output_field=BooleanField()))
        .select_related("type")
        .order_by("starts_at", "pk")
        .first()
    )
    if meeting is None:
        return None
    return NextMeeting(meeting=meeting, may_open=bool(getattr(meeting, "may_open", False)))


def _involved(user: "User") -> Q:
    """For a query on meetings: does `user` chair, minute or have an invitation to it?"""
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), user=user)
    return Q(chair=user) | Q(minute_taker=user) | Q(Exists(invited))


def _meetings_known_to(record: policy.RecordAccess) -> QuerySet[Meeting]:
    """Meetings with this client on the agenda that the viewer may know of: all of them for the client's
    circle (it reads its own client's pack); only those they chair, minute or are invited to for anyone else
    (emergency access)."""
    meetings = Meeting.objects.filter(items__client=record.client)
    if record.membership is None:
        meetings = meetings.filter(_involved(record.user))
    return meetings


@dataclass
class ClientMeeting:
    """One meeting with the client on its agenda, as someone reading the client's record may know of it."""

    meeting: Meeting
    item: AgendaItem
    # The invitations of people in the client's circle whom the reader may see, and of the client.
    invitations: list[Invitation] = field(default_factory=list)
    attendance: dict[int, Attendance] = field(default_factory=dict)  # by invitation id


def client_meetings_for(record: policy.RecordAccess, members: "list[CircleMember]") -> list[ClientMeeting]:
    """Every meeting with this client on the agenda that the viewer may know of, oldest first, with the
    client's item, and the invitations (and attendance) of the client and of `members` (the circle as the
    viewer may see it, from circles.selectors.circle_members): never anyone else on the meeting. Four
    queries however many meetings."""
    if not is_professional(record.user) or not record.may_view:
        return []
    items = AgendaItem.objects.filter(client=record.client)
    meetings = list(
        _meetings_known_to(record)
        .select_related("type", "panel", "chair", "minute_taker")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="client_items"))
        .order_by("starts_at", "pk")
    )
    if not meetings:
        return []
    users = [m.user_id for m in members if m.user_id]
    family = [m.pk for m in members if not m.user_id]
    invitations = list(
        Invitation.objects.filter(meeting__in=meetings)
        .filter(
            Q(user_id__in=users)
            | Q(member_id__in=family)
            | Q(kind=Invitation.Kind.CLIENT, client=record.client)
        )
        .select_related("user", "member")
        .order_by("kind", "name", "pk")
    )
    attendance = {
        a.invitation_id: a for a in Attendance.objects.filter(invitation__in=[i.pk for i in invitations])
    }
    by_meeting: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
    return [
        ClientMeeting(
            meeting=meeting,
            item=meeting.client_items[0],  # type: ignore[attr-defined]  # the prefetch's to_attr
            invitations=by_meeting.get(meeting.pk, []),
            attendance={i.pk: attendance[i.pk] for i in by_meeting.get(meeting.pk, []) if i.pk in attendance},
        )
        for meeting in meetings
    ]


@dataclass(frozen=True)
class AgendaChoice:
    meeting: Meeting
    label: str


def meetings_to_put_on(record: policy.RecordAccess) -> list[AgendaChoice]:
    """Meetings a circle's lead may put their client on from the client page: every upcoming panel meeting
    (a panel's meetings are the partnership's), and any other upcoming meeting they chair, minute or are
    invited to, less those the client is already on. A meeting the lead is not part of is named by its
    panel and kind, not its title (a title may name another family). One query."""
    user = record.user
    if not record.may_manage_circle:
        return []
    invited = Invitation.objects.filter(meeting=OuterRef("pk"), user=user)
    involved = Q(chair=user) | Q(minute_taker=user) | Exists(invited)
    meetings = (
        Meeting.objects.filter(Q(panel__isnull=False) | involved, status=Meeting.Status.SCHEDULED)
        .filter(starts_at__gt=timezone.now())
        .exclude(items__client=record.client)
        .annotate(involved=ExpressionWrapper(involved, output_field=BooleanField()))
        .select_related("type", "panel")
        .order_by("starts_at", "pk")
    )
    choices = []
    for meeting in meetings:
        when = f"{timezone.localtime(meeting.starts_at):%-d %B %Y, %H:%M}"
        if getattr(meeting, "involved", False) or meeting.panel is None:
            name = meeting.title
        else:
            name = f"{meeting.panel.name} ({meeting.type.name})"
        choices.append(AgendaChoice(meeting=meeting, label=f"{name}, {when}"))
    return choices


def meeting_get_for_user(user: "User", meeting_id: int | str) -> access.MeetingAccess:
    """The meeting and what `user` may do with it; 404 unless they may see it at all."""
    meeting = (
        Meeting.objects.filter(pk=meeting_id).select_related("type", "panel", "chair", "minute_taker").first()
    )
    if meeting is None or not is_professional(user):
        raise MeetingNotFound("No such meeting")
    meeting_access = access.meeting_access(user, meeting)
    if not meeting_access.may_view:
        raise MeetingNotFound("No such meeting")
    return meeting_access


def agenda_for(meeting_access: access.MeetingAccess) -> list[AgendaItem]:
    """The agenda: each item with its client, decisions (named as this person may know who agreed:
    `label_decisions`) and the plan actions they made (four queries)."""
    items = list(
        meeting_access.meeting.items.select_related("client").prefetch_related(
            "decisions", "decisions__plan_actions__action"
        )
    )
    for item in items:
        label_decisions(meeting_access, item.decisions.all())
    return items


def label_decisions(meeting_access: access.MeetingAccess, decisions: "Iterable[Decision]") -> list[Decision]:
    """Set each decision's `agreed_by_shown` and `dissent_shown`: who agreed and who disagreed, as this
    person may know them. The names were written down as text when the decision was recorded (the form
    offers those present as its recorder knew them); each goes through the policy's person_label, so a
    hidden member of a circle on the agenda reads "A member of the circle" to anyone outside it."""
    names = meeting_access.names
    labelled = list(decisions)
    for decision in labelled:
        decision.agreed_by_shown = [policy.person_label(names, str(name)) for name in decision.agreed_by]  # type: ignore[attr-defined]
        decision.dissent_shown = [  # type: ignore[attr-defined]
            {**one, "name": policy.person_label(names, str(one.get("name", "")))}
            for one in decision.dissent
            if isinstance(one, dict)
        ]
    return labelled


def item_get_for(meeting_access: access.MeetingAccess, item_id: int | str) -> AgendaItem:
    item = meeting_access.meeting.items.filter(pk=item_id).select_related("client", "meeting").first()
    if item is None:
        raise MeetingNotFound("No such item")
    return item


def invitee(invitation: Invitation) -> "User | CircleMember | str":
    """Who an invitation is for, as the policy's person_label takes them."""
    return invitation.member or invitation.user or invitation.name


def invitations_for(meeting_access: access.MeetingAccess) -> list[dict[str, Any]]:
    """Who is invited and how they answered; a hidden member whom this person may not know is left out."""
    names = meeting_access.names
    rows = []
    attendance = {a.invitation_id: a for a in meeting_access.meeting.attendance.all()}
    invitations = meeting_access.meeting.invitations.select_related("member", "user").order_by("kind", "name")
    for invitation in invitations:
        if policy.hides(names, invitee(invitation)):
            continue
        name = policy.person_label(names, invitee(invitation))
        rows.append(
            {
                "invitation": invitation,
                "name": name,
                "organisation": invitation.organisation_name,
                "attendance": attendance.get(invitation.pk),
            }
        )
    return rows


def attendee_names(meeting_access: access.MeetingAccess) -> list[str]:
    names = meeting_access.names
    shown = [policy.person_label(names, meeting_access.meeting.chair)]
    if meeting_access.meeting.minute_taker:
        shown.append(policy.person_label(names, meeting_access.meeting.minute_taker))
    shown += [
        row["name"]
        for row in invitations_for(meeting_access)
        if row["attendance"] and row["attendance"].status == "present"
    ]
    return [name for name in shown if name]


@dataclass
class Pack:
    item: AgendaItem
    client: Client
    people: list[dict[str, str]]
    goals: list[Goal]
    contributions: list[Contribution]
    board: list[ColumnView] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # marked for the pack, and readable by this reader
    may_choose_notes: bool = False  # a member of the client's circle, before the meeting has ended


class PackNotAvailable(Http404):
    """Not this person's to read: outside the circle and outside the need-to-know window."""


def pack_for(meeting_access: access.MeetingAccess, item: AgendaItem) -> Pack:
    """A client's conference pack, derived from the record: who is involved (never a hidden member), what
    is true now, the plan, and the reports and contributions written for the meeting.

    Readable by the client's circle, and by others in this meeting only within the need-to-know window;
    every read is audited with the meeting as its reason. Nothing here gives access to the rest of the record.
    """
    record = policy.record_access(meeting_access.user, item.client)
    if not meeting_access.may_read_pack(item, record):
        raise PackNotAvailable("No such pack")
    people = []
    members = CircleMember.objects.filter(client=item.client, until=None, is_hidden=False).select_related(
        "user", "organisation"
    )
    for member in members:
        if not policy.hides(record, member):
            people.append(
                {
                    "name": policy.person_label(record, member),
                    "role": member.get_role_display(),
                    "organisation": member.organisation.name if member.organisation else "",
                    "lead": "yes" if member.is_lead else "",
                }
            )
    actions = Action.objects.filter(removed_at=None).select_related("owner__user")
    goals = list(
        Goal.objects.filter(plan__client=item.client, removed_at=None)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )
    for goal in goals:
        for action in goal.actions.all():
            if action.owner_is_client:
                label = item.client.given_name
            elif action.owner is not None:
                label = policy.person_label(record, action.owner)
            else:
                label = ""
            setattr(action, "owner_label", label)  # noqa: B010 (for the template; not a model field)
    contributions = list(item.contributions.select_related("author"))
    for contribution in contributions:
        # The author as this reader may know them; a hidden member's organisation goes with their name.
        hidden = contribution.author is not None and policy.hides(record, contribution.author)
        contribution.author_shown = policy.HIDDEN_LABEL if hidden else contribution.author_name  # type: ignore[attr-defined]
        contribution.organisation_shown = "" if hidden else contribution.organisation_name  # type: ignore[attr-defined]
    with transaction.atomic():
        audit_record(
            actor=meeting_access.user,
            action=c.PACK_VIEW.name,
            client=item.client,
            obj=item,
            after={"meeting_id": meeting_access.meeting.pk, "reason": f"meeting {meeting_access.meeting.pk}"},
        )
    board = pack_board(record)
    return Pack(
        item=item,
        client=item.client,
        people=people,
        goals=goals,
        contributions=contributions,
        board=board,
        notes=pack_notes(record, item),
        may_choose_notes=access.may_mark_for_pack(record, item),
    )


def pack_notes(record: policy.RecordAccess, item: AgendaItem) -> list[Note]:
    """The notes marked for this item's pack that this reader may read (the note's own rule, per reader:
    access.pack_notes_filter), oldest first, each with its author as this reader may know them. Call it
    only for someone who may read the pack (pack_for, or the API after may_read_pack). One query."""
    marked = PackNote.objects.filter(item=item, removed_at=None).values("note")
    notes = list(
        Note.objects.filter(access.pack_notes_filter(record), client=item.client, pk__in=marked)
        .select_related("author", "organisation")
        .order_by("created_at", "pk")
    )
    return [label_note(record, note) for note in notes]


def label_note(record: policy.RecordAccess, note: Note) -> Note:
    """Set the note's author and organisation as this reader may know them (for pages and the API)."""
    hidden = policy.hides(record, note.author)
    note.author_shown = policy.person_label(record, note.author)  # type: ignore[attr-defined]
    note.organisation_shown = "" if hidden or note.organisation is None else note.organisation.name  # type: ignore[attr-defined]
    return note


def pack_notes_read(meeting_access: access.MeetingAccess, item: AgendaItem) -> list[Note]:
    """The API's read of an item's marked notes: only for someone who may read the pack, and audited as a
    pack read (with the meeting as its reason)."""
    record = policy.record_access(meeting_access.user, item.client)
    if not meeting_access.may_read_pack(item, record):
        raise PackNotAvailable("No such pack")
    notes = pack_notes(record, item)
    with transaction.atomic():
        audit_record(
            actor=meeting_access.user,
            action=c.PACK_VIEW.name,
            client=item.client,
            obj=item,
            after={
                "meeting_id": meeting_access.meeting.pk,
                "reason": f"meeting {meeting_access.meeting.pk}",
                "part": "notes",
            },
        )
    return notes


def note_for_pack(circle_pack: "CirclePack", note_id: int | str) -> Note | None:
    """One of the client's notes that this circle member may read, or None."""
    record = circle_pack.record
    return (
        Note.objects.filter(
            sharing_access.notes_visible_filter(record), client=circle_pack.item.client, pk=note_id
        )
        .select_related("author", "organisation")
        .first()
    )


@dataclass(frozen=True)
class CirclePack:
    """A circle member choosing notes for their client's pack for one meeting."""

    record: policy.RecordAccess
    item: AgendaItem
    may_mark: bool  # the meeting has not ended


def item_for_circle(user: "User", meeting_id: int | str, item_id: int | str) -> CirclePack:
    """An agenda item, for a current member of the client's circle (whether or not they were invited: the
    circle knows of its own client's meetings); 404 for anyone else, as for an unknown item."""
    item = (
        AgendaItem.objects.filter(pk=item_id, meeting_id=meeting_id)
        .select_related("meeting__type", "client")
        .first()
    )
    if item is None or not is_professional(user):
        raise MeetingNotFound("No such item")
    record = policy.record_access(user, item.client)
    if record.membership is None:
        raise MeetingNotFound("No such item")
    return CirclePack(record=record, item=item, may_mark=access.may_mark_for_pack(record, item))


def notes_to_mark(circle_pack: CirclePack, *, limit: int = 50) -> list[Note]:
    """The client's notes this member may read, newest first (the most recent `limit`, and any already
    marked), each with `in_pack`. Two queries."""
    record, item = circle_pack.record, circle_pack.item
    marked = set(PackNote.objects.filter(item=item, removed_at=None).values_list("note_id", flat=True))
    visible = Note.objects.filter(sharing_access.notes_visible_filter(record), client=item.client)
    notes = list(
        visible.filter(
            Q(pk__in=list(marked)) | Q(pk__in=visible.order_by("-created_at", "-pk").values("pk")[:limit])
        )
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    for note in notes:
        note.in_pack = note.pk in marked  # type: ignore[attr-defined]
        note.author_shown = policy.person_label(record, note.author)  # type: ignore[attr-defined]
    return notes


def minutes_versions(meeting_access: access.MeetingAccess) -> list[MinutesVersion]:
    return list(meeting_access.meeting.minutes_versions.select_related("by"))


def audit_minutes_read(meeting_access: access.MeetingAccess, items: list[AgendaItem]) -> None:
    with transaction.atomic():
        for item in items:
            audit_record(
                actor=meeting_access.user,
                action=c.MINUTES_VIEW.name,
                client=item.client,
                obj=item,
                after={"meeting_id": meeting_access.meeting.pk},
            )


# The portal: a client's own meetings (those the family is invited to).


def portal_meetings(user: Any, client: Client) -> list[dict[str, Any]]:
    """The client's meetings for the portal: when, where, what for, who is coming, the family summary."""
    if policy.portal_access(user, client) is None:
        return []
    items = (
        AgendaItem.objects.filter(client=client, meeting__family_invited=True)
        .select_related("meeting__type", "meeting__chair")
        .prefetch_related(
            Prefetch(
                "meeting__invitations",
                queryset=Invitation.objects.exclude(answer=Invitation.Answer.APOLOGIES).select_related(
                    "member", "user"
                ),
            )
        )
        .order_by("-meeting__starts_at")
    )
    now = timezone.now()
    # Professionals from this client's circle who are invited (hidden members never are, nor shown).
    circle_users = set(
        CircleMember.objects.filter(
            client=client, until=None, is_hidden=False, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    names = policy.names_for(client, sees_hidden=False)  # the portal never knows hidden members
    result = []
    for item in items:
        meeting = item.meeting
        coming = [policy.person_label(names, meeting.chair)]
        for invitation in meeting.invitations.all():
            if invitation.kind == Invitation.Kind.CIRCLE and invitation.user_id not in circle_users:
                continue  # another client's circle: not this family's business
            if (
                invitation.kind in (Invitation.Kind.FAMILY, Invitation.Kind.CLIENT)
                and invitation.client_id != client.pk
            ):
                continue
            if not policy.hides(names, invitee(invitation)):
                coming.append(policy.person_label(names, invitee(invitation)))
        result.append(
            {
                "meeting": meeting,
                "item": item,
                "upcoming": meeting.starts_at > now and meeting.status == Meeting.Status.SCHEDULED,
                "coming": [name for name in coming if name],
            }
        )
    return result


# Meeting types, compared with one a configuration pack brings.


def meeting_type_compare(*, actor: "User", definition: dict) -> Literal["new", "changed", "unchanged"]:
    """What saving this (checked, normalised) meeting type would do: "new", "changed" or "unchanged".

    Raises ValidationError if a different type of that name is kept by another agency or ships with
    Alongside (types are named uniquely, and only their keeper changes them).
    """
    existing = MeetingType.objects.filter(name=definition["name"]).first()
    if existing is None:
        return "new"
    if type_definition(existing) == definition:
        return "unchanged"
    if existing.organisation_id is None or existing.organisation_id != actor.organisation_id:
        keeper = "ships with Alongside" if existing.organisation_id is None else "is kept by another agency"
        raise ValidationError(
            {
                "name": f"A different meeting type called {definition['name']!r} {keeper}: rename yours in the pack."
            }
        )
    return "changed"
