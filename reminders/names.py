"""What a person is called in a referral, a handover, a reminder or an email: one function, so the rule
about hidden members is kept in one place (and can be swapped for the policy's own when it lands).

Hidden members (a domestic-abuse adviser, say) are never named in any of these: they return None, and
callers leave them out. Emails use first names only.
"""

from typing import Any


def person_label(person: Any, *, first_name_only: bool = False) -> str | None:
    """The name to show for a circle member or a user, or None if they must not be shown at all.

    `person` is a circles.models.CircleMember (its hidden flag decides) or a network.models.User.
    """
    if getattr(person, "is_hidden", False):
        return None
    user = getattr(person, "user", None) if hasattr(person, "is_hidden") else person
    name = (user.full_name if user is not None else getattr(person, "name", "")) or ""
    if first_name_only:
        return name.split(" ")[0] if name else ""
    return name


def client_first_name(client: Any) -> str:
    """A client as a reminder or an email names them: their first name (the one they prefer), no more."""
    return first_name(client.given_name, getattr(client, "preferred_name", ""))


def first_name(given_name: str, preferred_name: str = "") -> str:
    return (preferred_name or given_name).split(" ")[0]
