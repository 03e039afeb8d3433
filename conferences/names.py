"""The one place a person's name is turned into what a conference page, pack, minutes or email shows.

Hidden circle members are never named outside the circle: not in a pack, the minutes, an invitation list
or an email. Conferences show what they show to people beyond the circle (standing members, the panel), so
a hidden member's name is never shown here at all. Written as one small function so it can be swapped for
the policy's own (a `person_label` for each audience) when that lands.
"""

from typing import Any


def person_label(person: Any) -> str | None:
    """The name to show for a circle member, an invitation or a user; None means "do not show them"."""
    if getattr(person, "is_hidden", False):
        return None
    for attribute in ("display_name", "full_name", "name"):
        value = getattr(person, attribute, None)
        if value:
            return str(value)
    return None
