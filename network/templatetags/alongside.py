"""Template filters of our own."""

import datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html

register = template.Library()

_STEPS = (
    (60 * 60 * 24 * 365, "year"),
    (60 * 60 * 24 * 30, "month"),
    (60 * 60 * 24 * 7, "week"),
    (60 * 60 * 24, "day"),
    (60 * 60, "hour"),
    (60, "minute"),
)


@register.filter
def how_long(moment: datetime.datetime | None) -> str:
    """ "3 weeks": how long since `moment`, in the largest whole unit (My clients: time in the stage)."""
    said = ago(moment)
    return "less than a minute" if said == "just now" else said.removesuffix(" ago")


@register.filter
def ago(moment: datetime.datetime | None) -> str:
    """ "3 hours ago", "2 weeks ago": the largest whole unit only, in plain words.

    Django's naturaltime says the same at greater length ("2 weeks, 3 days ago") and costs ten times as
    much, which shows on a list of a hundred clients.
    """
    if moment is None:
        return ""
    seconds = int((timezone.now() - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in _STEPS:
        if seconds >= size:
            count = seconds // size
            return f"{count}\xa0{unit}{'' if count == 1 else 's'} ago"
    return "just now"  # unreachable: the last step is a minute


@register.filter(expects_localtime=True)
def time_element(moment: datetime.datetime | None) -> str:
    """`<time datetime="2026-12-01T13:10:00+00:00">1 Dec 2026, 13:10</time>`: the same as
    `<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j M Y, H:i" }}</time>`, in local time.

    Django's date filter parses its format string and builds a formatter on every call: on a page of 25
    notes that was about a third of the notes' render. This formats straight from the datetime.
    """
    if not isinstance(moment, datetime.datetime):
        return ""
    month = str(MONTHS_3[moment.month]).title()  # as the date filter's "M": translated, "Jan"
    shown = f"{moment.day} {month} {moment.year}, {moment.hour:02d}:{moment.minute:02d}"
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), shown)
