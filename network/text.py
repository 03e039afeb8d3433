"""Cleaning typed text before it is stored.

Control characters (other than tab and line breaks) have no meaning in a note or a name and some
databases refuse them (PostgreSQL cannot store NUL), so they are removed. Markup is kept as typed:
templates and the API escape it on the way out. Nothing is ever cut short: services refuse text that
is too long, with a message, rather than store part of it.
"""

import re
from typing import TypeVar, cast

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
T = TypeVar("T")


def clean_text(value: str | None) -> str:
    """Multi-line text: controls removed, line endings made \\n, trimmed."""
    return _CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_line(value: str | None) -> str:
    """One-line text, such as a name: as clean_text, with line breaks and tabs made spaces."""
    return _LINE_BREAKS.sub(" ", clean_text(value)).strip()


def length_errors(limits: dict[str, tuple[str, int]]) -> dict[str, str]:
    """{field: message} for each cleaned value longer than its limit; `limits` maps field to (value, max)."""
    return {
        field: f"Use {limit:,} characters or fewer (this has {len(value):,})."
        for field, (value, limit) in limits.items()
        if len(value) > limit
    }


def without_nul(value: T) -> T:
    """Strings lose any NUL before a field validates them (Django and DRF would refuse the whole text);
    the other control characters are the services' to clean, with their own plain-words messages."""
    return cast(T, value.replace("\x00", "")) if isinstance(value, str) else value


def whole_number(value: object, *, most: int = 2**63 - 1) -> int | None:
    """A plain whole number typed as text ("12"), or None for anything else.

    Only ASCII digits count: str.isdigit() says yes to "²", which int() refuses, and int() refuses more
    than 4,300 digits; a number past `most` (a database id has 63 bits) names nothing either."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(most)):
        number = int(value)
    else:
        return None
    return number if 0 <= number <= most else None
