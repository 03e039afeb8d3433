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
from django.utils import timezone

from circles import access as policy
from circles.models import Client, Consent
from conferences.models import AgendaItem, Invitation, Meeting, PanelMember
from network.models import User
from network.roles import is_professional


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
