"""The notes' `time_element` filter says exactly what Django's date filters said before it, in local time."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

OLD = Template("""<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j M Y, H:i" }}</time>""")
NEW = Template("{% load alongside %}{{ moment|time_element }}")

UTC = datetime.UTC


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 1, 5, 9, 7, tzinfo=UTC),  # winter: London is on UTC
        datetime.datetime(2026, 7, 31, 23, 30, 15, 123456, tzinfo=UTC),  # summer: the next day in London
        datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # just before the clocks go forward
        datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # just after
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the hour that happens twice
        datetime.datetime(2026, 12, 1, 13, 10, tzinfo=UTC),
        timezone.now(),
    ],
)
def test_the_same_as_the_date_filters(moment):
    new = NEW.render(Context({"moment": moment}))
    assert new == OLD.render(Context({"moment": moment}))


def test_in_london_time():
    moment = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=UTC)
    shown = NEW.render(Context({"moment": moment}))
    assert shown == '<time datetime="2026-08-01T00:30:00+01:00">1 Aug 2026, 00:30</time>'


def test_in_every_month():
    for month in range(1, 13):
        moment = datetime.datetime(2026, month, 15, 12, 0, tzinfo=UTC)
        assert NEW.render(Context({"moment": moment})) == OLD.render(Context({"moment": moment}))


def test_nothing_for_no_time():
    assert NEW.render(Context({"moment": None})) == ""
