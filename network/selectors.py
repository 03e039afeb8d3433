"""Reads of the directory, each checked against the person asking."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from network.models import ApiToken, Organisation, Team, User
from network.roles import is_agency_admin


def people_for_admin(user: "User") -> QuerySet["User"]:
    """The people in an agency admin's organisation (nobody else's, and nothing for anyone else)."""
    from network.models import User

    if not is_agency_admin(user) or user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id)
        .select_related("team")
        .order_by("-is_active", "full_name")
    )


def person_for_admin(user: "User", person_id: int | str) -> "User":
    try:
        return people_for_admin(user).get(pk=int(person_id))
    except (ValueError, TypeError, people_for_admin(user).model.DoesNotExist):
        raise Http404("No such person in your organisation") from None


def teams_of(organisation_id: int | None) -> QuerySet["Team"]:
    """An organisation's teams, by name (none without an organisation)."""
    return Team.objects.filter(organisation_id=organisation_id) if organisation_id else Team.objects.none()


def team_of(organisation_id: int | None, team_id: int | str) -> Team | None:
    """One of the organisation's teams, by id as typed (None for anything else)."""
    try:
        return teams_of(organisation_id).filter(pk=int(team_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def api_tokens_of(user: "User") -> QuerySet["ApiToken"]:
    """A person's own API tokens, newest first; nobody sees anyone else's here."""
    return ApiToken.objects.filter(user=user)


def api_token_of(user: "User", token_id: int | str) -> "ApiToken":
    try:
        return api_tokens_of(user).get(pk=int(token_id))
    except (ValueError, TypeError, ApiToken.DoesNotExist):
        raise Http404("No such token of yours") from None


# The directory is open to every professional (it is how circles are made): these find people and
# organisations by id for a service, which checks whether they may take part in what it does.


def person_in_directory(person_id: int) -> User | None:
    """An active account, by id."""
    return User.objects.filter(pk=person_id, is_active=True).first()


def people_by_id(ids: Iterable[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids))


def organisation_by_id(organisation_id: int) -> Organisation | None:
    return Organisation.objects.filter(pk=organisation_id).first()
