"""How people are named on a page: through the access policy's hidden-member rule, never directly.

    {% load people %}
    {{ note.author|named_for:record }}            a name, or "A member of the circle"
    {% if not note.author|hidden_from:record %}, {{ note.organisation.name }}{% endif %}

`record` is whoever is looking: a RecordAccess, the portal's view, anything with `names`.
"""

from typing import Any

from django import template

from circles import access

register = template.Library()


@register.filter
def named_for(person: Any, onlooker: Any) -> str:
    return access.person_label(_names(onlooker), person)


@register.filter
def hidden_from(person: Any, onlooker: Any) -> bool:
    return access.hides(_names(onlooker), person)


def _names(onlooker: Any) -> access.Names:
    # A template that forgot to pass who is looking must fail loudly, not name everyone.
    if isinstance(onlooker, access.Names):
        return onlooker
    names = getattr(onlooker, "names", None)
    if not isinstance(names, access.Names):
        raise TypeError(f"named_for/hidden_from need who is looking (a RecordAccess), not {onlooker!r}")
    return names
