"""Who may do what with a case conference, written over the policy's RecordAccess (circles/access.py).

- The chair runs the meeting: agenda, attendance, moving through the items, minutes, decisions, sign-off,
  the family summary.
- The minute-taker co-edits the minutes with the chair and records attendance and decisions.
- Invitees see the meeting. A client's conference pack (and that item's minutes and decisions) is for:
  people in that client's circle; the chair and the minute-taker; and the panel's standing members, who are
  in no circle, only from their invitation until PACK_DAYS_AFTER days after the meeting (need to know).
  Someone invited from one client's circle sees nothing of the other clients' items. After the window a
  standing member no longer sees the meeting at all. Every pack read is audited with the meeting as its
  reason.
- A client on the agenda needs a lawful basis: their current "discuss at a case conference" consent, or a
  recorded reason for proceeding without it. Only the chair, or the lead of the client's circle, puts a
  client on the agenda.
- Clients and family (portal) see only their own meetings, and only those the family is invited to.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from circles import access as policy
from circles.models import CircleMember, Client, Consent
from conferences.models import AgendaItem, Invitation, Meeting, PanelMember
from network.models import User
from network.roles import is_professional
from sharing.access import notes_visible_filter


def pack_days_after() -> int:
    return int(settings.PACK_DAYS_AFTER)


def is_chair_of_any_panel(user: "User | Any") -> bool:
    return is_professional(user) and (
        user.org_role == User.OrgRole.PANEL_CHAIR
        or PanelMember.objects.filter(user=user, role=PanelMember.Role.CHAIR, until=None).exists()
    )


def may_arrange_meetings(user: "User | Any") -> bool:
    """Panel chairs arrange meetings (and chair them)."""
    return is_chair_of_any_panel(user)


def conference_consent(client: Client) -> Consent | None:
    """The client's current consent to discussion at a case conference, if any."""
    return (
        Consent.objects.current()
        .filter(client=client, scope=Consent.Scope.CONFERENCE)
        .order_by("-recorded_at")
        .first()
    )


@dataclass(frozen=True)
class MeetingAccess:
    """What one person may do with one meeting, right now."""

    user: "User"
    meeting: Meeting
    invitation: Invitation | None

    @cached_property
    def names(self) -> policy.Names:
        """How people are named to this person on this meeting's pages: the policy's rule for every client on
        the agenda at once (a hidden member of a circle this person is not in is never named)."""
        clients = self.meeting.items.values_list("client_id", flat=True)
        return policy.names_for_person_in(self.user, clients)

    @property
    def chair_label(self) -> str:
        """The chair as this person may know them (the policy's person_label)."""
        return policy.person_label(self.names, self.meeting.chair)

    @property
    def minute_taker_label(self) -> str:
        return policy.person_label(self.names, self.meeting.minute_taker)

    @property
    def is_chair(self) -> bool:
        return self.meeting.chair_id == self.user.pk

    @property
    def is_minute_taker(self) -> bool:
        return self.meeting.minute_taker_id == self.user.pk

    @property
    def is_standing_member(self) -> bool:
        return self.invitation is not None and self.invitation.kind == Invitation.Kind.STANDING

    @property
    def may_view(self) -> bool:
        if not is_professional(self.user):
            return False
        if self.is_chair or self.is_minute_taker:
            return True
        if self.invitation is None:
            return False
        return self.invitation.kind != Invitation.Kind.STANDING or self.in_window()

    @property
    def may_run(self) -> bool:
        return is_professional(self.user) and self.is_chair

    @property
    def may_minute(self) -> bool:
        return is_professional(self.user) and (self.is_chair or self.is_minute_taker)

    @property
    def may_add_to_agenda_any(self) -> bool:
        return self.may_run

    def window_ends(self) -> datetime.datetime:
        return self.meeting.starts_at + datetime.timedelta(days=pack_days_after())

    def in_window(self, now: datetime.datetime | None = None) -> bool:
        """Need to know: from the invitation (or the meeting's arranging) until N days after the meeting."""
        now = now or timezone.now()
        start = self.invitation.created_at if self.invitation else self.meeting.created_at
        return start <= now <= self.window_ends()

    def may_read_pack(self, item: AgendaItem, record: policy.RecordAccess | None = None) -> bool:
        if item.meeting_id != self.meeting.pk or not is_professional(self.user):
            return False
        if self.is_chair or self.is_minute_taker:
            return True  # they keep the minutes, and amend them after
        record = record or policy.record_access(self.user, item.client)
        if record.membership is not None:
            return True  # the circle sees its own client's pack, as it sees the record
        return self.is_standing_member and self.in_window()


def meeting_access(user: "User", meeting: Meeting) -> MeetingAccess:
    invitation = None
    if is_professional(user):
        invitation = Invitation.objects.filter(meeting=meeting, user=user).first()
    return MeetingAccess(user=user, meeting=meeting, invitation=invitation)


def may_put_on_agenda(user: "User", meeting: Meeting, client: Client) -> bool:
    if not is_professional(user):
        return False
    if meeting.chair_id == user.pk:
        return True
    return policy.record_access(user, client).may_manage_circle


def portal_meetings_filter(user: "User | Any") -> list[int]:
    """The ids of clients whose meetings this portal user may see (their own client's, via the policy)."""
    return [client.pk for client in policy.portal_clients(user)]


def readable_items(meeting_access: MeetingAccess, agenda: dict[int, int] | None = None) -> dict[int, int]:
    """The agenda items whose pack (minutes, decisions, events) this person may read: {item id: client id}.

    The same rule as `MeetingAccess.may_read_pack`, for the whole agenda in two queries: the chair and
    the minute-taker read every item, a standing member every item while in the window, anyone else only
    the items of clients whose circle they are in now.
    """
    if not is_professional(meeting_access.user):
        return {}
    items = (
        agenda if agenda is not None else dict(meeting_access.meeting.items.values_list("pk", "client_id"))
    )
    if meeting_access.is_chair or meeting_access.is_minute_taker:
        return items
    if meeting_access.is_standing_member and meeting_access.in_window():
        return items
    mine = set(
        CircleMember.objects.filter(
            client_id__in=set(items.values()), user=meeting_access.user, until=None
        ).values_list("client_id", flat=True)
    )
    return {item_id: client_id for item_id, client_id in items.items() if client_id in mine}


def _sharing_clients(user: "User", client_ids: set[int]) -> set[int]:
    """Of these clients, those whose consent lets information reach `user`'s organisation (one query)."""
    if not client_ids or not user.organisation_id:
        return set()
    return set(
        Consent.objects.current()
        .filter(client_id__in=client_ids)
        .filter(
            Q(scope=Consent.Scope.CIRCLE)
            | Q(scope=Consent.Scope.ORGANISATION, organisation_id=user.organisation_id)
        )
        .values_list("client_id", flat=True)
    )


@dataclass(frozen=True)
class Hearing:
    """What one socket in a meeting may hear, worked out when it subscribes and again on each ping, so
    that no event costs a query (realtime.consumers.StreamConsumer.payload_for).

    - An event about an agenda item reaches only those who may read that item (`readable_items`); a
      chair's move to an item that is not theirs reaches them as "the meeting moved on", naming no item.
    - An event about a written thing (a note marked for the pack) carries that thing's audience, and
      reaches them only if its own visibility rule lets them read it (`circles.access.may_receive`, as
      `sharing.access` writes it), with the reader's organisation and the client's consent.
    - Names in an event ("by") go through the policy's person_label: a hidden member of a circle this
      person is not in is never named; an event about such a person's account never reaches them.
    """

    user_id: int
    known: frozenset[int]  # every item on the agenda when this was worked out
    items: dict[int, policy.Viewer]  # readable item id -> this person as a reader of that item
    viewer: policy.Viewer  # this person in the meeting as a whole (the names rule)

    def payload_for(self, event: dict[str, Any]) -> dict[str, Any] | None:
        payload = event["payload"]
        item_id = payload.get("item_id")
        if item_id is not None:
            reader = self.items.get(item_id)
            if reader is None:
                if event["type"] == "meeting.item_move":
                    # Follow the meeting, not the item: it is on something that is not theirs.
                    return {"meeting_id": payload.get("meeting_id"), "item_id": None, "elsewhere": True}
                return None
            if not policy.may_receive(reader, event.get("audience") or {}):
                return None
        return policy.event_for(self.viewer, payload)

    def hides_person(self, user_id: int) -> bool:
        """Is this (present) person a hidden member whom this socket's person may not know?"""
        names = self.viewer.names
        return not names.sees_hidden and user_id in names.hidden_user_ids


def hearing_for(meeting_access: MeetingAccess) -> Hearing:
    """Work out what this person may hear on the meeting's stream (four or five queries)."""
    user = meeting_access.user
    agenda = dict(meeting_access.meeting.items.values_list("pk", "client_id"))
    readable = readable_items(meeting_access, agenda)
    client_ids = set(readable.values())
    circles = set(
        CircleMember.objects.filter(client_id__in=client_ids, user=user, until=None).values_list(
            "client_id", flat=True
        )
    )
    sharing = _sharing_clients(user, client_ids)
    names = meeting_access.names
    items = {
        item_id: policy.Viewer(
            user_id=user.pk,
            organisation_id=user.organisation_id,
            shares_across_organisations=client_id in sharing,
            in_circle=client_id in circles,
            names=names,
        )
        for item_id, client_id in readable.items()
    }
    known = frozenset(agenda)
    whole = policy.Viewer(
        user_id=user.pk,
        organisation_id=user.organisation_id,
        shares_across_organisations=False,
        in_circle=names.sees_hidden,
        names=names,
    )
    return Hearing(user_id=user.pk, known=known, items=items, viewer=whole)


# Notes marked for the pack.


@dataclass(frozen=True)
class _PackReader(policy.RecordAccess):
    """A pack reader outside the circle (the chair, the minute-taker, a standing member), for the note rule
    only: they read a marked note as a member of the circle from their organisation would, with the
    client's consent as it stands (never the rest of the record: nothing else is given this object)."""

    @property
    def may_view(self) -> bool:
        return True


def pack_notes_filter(record: policy.RecordAccess) -> Q:
    """Which of the client's notes this pack reader may read (combine with the marks and the client).

    The note's own rule (`sharing.access.notes_visible_filter`), per reader: the circle as on the record;
    a reader outside it as a member from their organisation would (`_PackReader`): "my organisation only"
    notes reach only that organisation, "named people only" notes only the named, and the rest cross
    organisations only with the client's consent. Call it only for someone who may read the pack.
    """
    if record.may_view:
        return notes_visible_filter(record)
    user = record.user
    reader = _PackReader(
        user=user,
        client=record.client,
        membership=None,
        emergency=None,
        shares_across_organisations=policy.shares_with(record.client, user.organisation_id),
    )
    return notes_visible_filter(reader)


def may_mark_for_pack(record: policy.RecordAccess, item: AgendaItem) -> bool:
    """A current member of the client's circle marks notes for the pack of a meeting that has not ended."""
    return (
        record.membership is not None
        and record.client.pk == item.client_id
        and item.meeting.status != Meeting.Status.ENDED
    )
