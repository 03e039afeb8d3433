import datetime

import pytest
from django.utils import timezone

from network.templatetags.alongside import ago


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (datetime.timedelta(seconds=5), "just now"),
        (datetime.timedelta(minutes=1, seconds=5), "1\xa0minute ago"),
        (datetime.timedelta(minutes=59), "59\xa0minutes ago"),
        (datetime.timedelta(hours=3, minutes=2), "3\xa0hours ago"),
        (datetime.timedelta(days=1), "1\xa0day ago"),
        (datetime.timedelta(days=15), "2\xa0weeks ago"),
        (datetime.timedelta(days=70), "2\xa0months ago"),
        (datetime.timedelta(days=800), "2\xa0years ago"),
        (datetime.timedelta(seconds=-30), "just now"),  # a clock a little ahead
    ],
)
def test_ago(delta, expected):
    assert ago(timezone.now() - delta) == expected


def test_ago_of_nothing_is_empty():
    assert ago(None) == ""
