"""The access policy: the one place that answers "may this person see or do this?".

Pages, the API, websocket subscriptions and selectors all ask here; nothing else decides access.
Inputs: whether the person is a current member of the client's circle, whether they are its lead, and
(for notes) which organisation the note was kept to.

    - Only current circle members see a client at all; to anyone else the client does not exist (404).
    - "Whole circle" notes are seen by every current member; "my organisation only" notes by current
      members who belong to the organisation the note was written in.
    - Only the lead professional changes who is in the circle.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from circles.models import CircleMember, Client

if TYPE_CHECKING:
    from network.models import User


# Events after which every open socket on the client re-checks that its person still has access.
ACCESS_CHANGING_EVENTS = frozenset({"circle.member_removed"})


def _is_professional(user: "User | Any") -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def current_membership(user: "User", client: Client) -> CircleMember | None:
    if not _is_professional(user):
        return None
    return CircleMember.objects.filter(client=client, user=user, until=None).first()


def clients_visible_to(user: "User") -> QuerySet[Client]:
    if not _is_professional(user):
        return Client.objects.none()
    return Client.objects.filter(members__user=user, members__until=None)


def may_view_client(user: "User", client: Client) -> bool:
    return current_membership(user, client) is not None


def may_add_note(user: "User", client: Client) -> bool:
    return may_view_client(user, client)


def may_manage_circle(user: "User", client: Client) -> bool:
    return membership_may_manage(current_membership(user, client))


def membership_may_manage(membership: CircleMember | None) -> bool:
    """The same rule as may_manage_circle, for a caller that already holds the membership."""
    return membership is not None and membership.is_lead


def notes_visible_filter(user: "User") -> Q:
    """Which of a visible client's notes this member may read (combine with a client filter)."""
    return Q(visibility="circle") | Q(visibility="organisation", organisation_id=user.organisation_id)


def note_audience(note: Any) -> dict:
    """Who may hear about a note over a socket, in the form `may_receive` reads."""
    if note.visibility == "organisation":
        return {"organisation": note.organisation_id}
    return {}


@dataclass(frozen=True)
class Viewer:
    """What a live socket remembers about its person, to filter events without a query each time."""

    user_id: int
    organisation_id: int | None


def may_receive(viewer: Viewer, audience: dict) -> bool:
    """May a subscribed member receive an event with this audience?"""
    if "organisation" in audience and audience["organisation"] != viewer.organisation_id:
        return False
    return True
