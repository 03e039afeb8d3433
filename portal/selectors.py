"""Reads for the portal: only what is shared with the client, checked through circles.access."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from circles import access
from circles.models import CircleMember, Client, PortalAccess
from network.models import User
from portal.models import Invitation
from sharing.models import Action, Goal, GoalComment, Note

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _SharedGoalPrefetches(TypedDict):
    shared_actions: list[Action]
    client_comments: list[GoalComment]


@dataclass
class PortalView:
    """One client's portal as one person (the client or a family member) may see it."""

    client: Client
    grant: Any
    goals: "list[WithAnnotations[Goal, _SharedGoalPrefetches]]" = field(default_factory=list)

    @property
    def is_client(self) -> bool:
        return self.grant.member_id is None

    @cached_property
    def names(self) -> access.Names:
        """The client and family are not the circle: hidden members are "A member of the circle" here."""
        return access.names_for(self.client, sees_hidden=False)

    @property
    def actions(self) -> list[Action]:
        return [action for goal in self.goals for action in goal.shared_actions]

    @property
    def done_count(self) -> int:
        return sum(1 for action in self.actions if action.status == Action.Status.DONE)


def portal_for(user: Any, public_id: str | None = None) -> PortalView:
    """The portal of the (only, or named) client this person may see; 404 otherwise."""
    clients = access.portal_clients(user)
    if public_id:
        clients = [c for c in clients if c.public_id == public_id]
    if not clients:
        raise Http404("Nothing to show")
    client = clients[0]
    grant = access.portal_access(user, client)
    shared_actions = Prefetch(
        "actions",
        queryset=Action.objects.filter(removed_at=None, shared_with_client=True)
        .exclude(status=Action.Status.DROPPED)
        .select_related("owner__user", "owner__organisation")
        .order_by("position", "pk"),
        to_attr="shared_actions",
    )
    goals = list(
        Goal.objects.filter(plan__client=client, removed_at=None, shared_with_client=True)
        .prefetch_related(
            shared_actions,
            Prefetch(
                "comments", queryset=GoalComment.objects.select_related("author"), to_attr="client_comments"
            ),
        )
        .order_by("position", "pk")
    )
    return PortalView(client=client, grant=grant, goals=goals)


def people_helping(view: PortalView) -> list[CircleMember]:
    """The people helping the client: everyone in the circle now except hidden members."""
    return list(
        CircleMember.objects.filter(client=view.client, until=None, is_hidden=False)
        .select_related("user", "organisation")
        .order_by("-is_lead", "-kind", "since")
    )


def shared_notes(view: PortalView) -> list[Note]:
    return list(
        Note.objects.filter(client=view.client, visibility=Note.Visibility.CLIENT)
        .select_related("author", "organisation")
        .order_by("-created_at")[:50]
    )


def my_goal_for(view: PortalView, goal_id: int | str) -> Goal:
    if not view.is_client:
        raise Http404("Only the client adds their own words")
    for goal in view.goals:
        if str(goal.pk) == str(goal_id):
            return goal
    raise Http404("No such goal")


def my_action_for(view: PortalView, action_id: int | str) -> Action:
    """One of the client's own shared actions (the client only: family members see them, not tick them)."""
    if not view.is_client:
        raise Http404("Only the client marks their own actions done")
    for action in view.actions:
        if str(action.pk) == str(action_id) and action.owner_is_client:
            return action
    raise Http404("No such thing to do")


def ended_portal_for(user: Any) -> dict | None:
    """For someone whose portal has closed (consent withdrawn, access ended), what a calm page may say:
    whose plan it was and whom to speak to. Never why: that is the client's to tell. None if their portal
    is open (so a 404 was about something else) or they never had one."""
    if not (user and user.is_authenticated) or access.portal_clients(user):
        return None
    grant = PortalAccess.objects.filter(user=user).select_related("client").order_by("-since", "-pk").first()
    if grant is None:
        return None
    client = grant.client
    lead = (
        CircleMember.objects.filter(client=client, until=None, is_lead=True, is_hidden=False)
        .select_related("user")
        .first()
    )
    return {
        "name": client.preferred_name or client.given_name,
        "is_client": user.kind == User.Kind.CLIENT,
        "contact": lead.display_name if lead else None,
    }


# The lead's invitation pages, and the link in the email.


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation an emailed link names (the token is what lets its holder in), or None."""
    return Invitation.objects.filter(token=token).select_related("client").first()


def family_to_invite(record: access.RecordAccess) -> list[CircleMember]:
    """The family members and carers in the circle now, whom the lead may invite (with their consent)."""
    if not record.may_manage_circle:
        return []
    return list(CircleMember.objects.filter(client=record.client, kind=CircleMember.Kind.FAMILY, until=None))


def invitations_for_lead(record: access.RecordAccess, *, limit: int = 20) -> QuerySet[Invitation]:
    """The client's portal invitations, newest first."""
    if not record.may_manage_circle:
        return Invitation.objects.none()
    return Invitation.objects.filter(client=record.client).select_related("member")[:limit]


def invitation_get_for_lead(record: access.RecordAccess, invitation_id: int) -> Invitation | None:
    if not record.may_manage_circle:
        return None
    return Invitation.objects.filter(client=record.client, pk=invitation_id).first()
