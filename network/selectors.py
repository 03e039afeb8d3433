"""Reads of the directory, each checked against the person asking."""

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from circles import access
from circles.models import CircleMember, Client

if TYPE_CHECKING:
    from network.models import ApiToken, User


def people_for_admin(user: "User") -> QuerySet["User"]:
    """The people in an agency admin's organisation (nobody else's, and nothing for anyone else)."""
    from network.models import User

    if not access.is_agency_admin(user):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id).order_by("-is_active", "full_name")


def person_for_admin(user: "User", person_id: int | str) -> "User":
    from django.http import Http404

    try:
        return people_for_admin(user).get(pk=int(person_id))
    except (ValueError, TypeError, people_for_admin(user).model.DoesNotExist):
        raise Http404("No such person in your organisation") from None


def caseload_for_manager(user: "User") -> QuerySet[Client]:
    """Clients someone in the manager's organisation works with now, with who is in each circle.

    Who works with whom, not what is written: managers see notes only where they are members.
    """
    if not access.is_agency_manager(user):
        return Client.objects.none()
    members = Prefetch(
        "members",
        queryset=CircleMember.objects.filter(until=None, is_hidden=False).select_related(
            "user", "organisation"
        ),
        to_attr="current_members",
    )
    return (
        Client.objects.filter(access.caseload_filter(user))
        .distinct()
        .prefetch_related(members)
        .order_by("family_name", "given_name")
    )


def api_tokens_of(user: "User") -> QuerySet["ApiToken"]:
    """A person's own API tokens, newest first; nobody sees anyone else's here."""
    from network.models import ApiToken

    return ApiToken.objects.filter(user=user)


def api_token_of(user: "User", token_id: int | str) -> "ApiToken":
    from django.http import Http404

    from network.models import ApiToken

    try:
        return api_tokens_of(user).get(pk=int(token_id))
    except (ValueError, TypeError, ApiToken.DoesNotExist):
        raise Http404("No such token of yours") from None
