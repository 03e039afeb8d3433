"""A table's line in words counts in plain English: "1 meeting held", never "1 meetings held"."""

import pytest

from reporting.figures import _counted


@pytest.mark.parametrize(
    ("shown", "words"),
    [
        ("1", "1 meeting"),
        ("0", "0 meetings"),
        ("15", "15 meetings"),
        ("fewer than 5", "fewer than 5 meetings"),
    ],
)
def test_a_count_and_its_noun(shown, words):
    assert _counted(shown, "meeting", "meetings") == words
