"""Reads of the directory, each checked against the person asking."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from network.roles import is_agency_admin

if TYPE_CHECKING:
    from network.models import User


def people_for_admin(user: "User") -> QuerySet["User"]:
    """The people in an agency admin's organisation (nobody else's, and nothing for anyone else)."""
    from network.models import User

    if not is_agency_admin(user):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id).order_by("-is_active", "full_name")


def person_for_admin(user: "User", person_id: int | str) -> "User":
    from django.http import Http404

    try:
        return people_for_admin(user).get(pk=int(person_id))
    except (ValueError, TypeError, people_for_admin(user).model.DoesNotExist):
        raise Http404("No such person in your organisation") from None
