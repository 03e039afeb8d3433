"""The meeting types Alongside starts with, and their defaults (used by migration 0002)."""

_TYPES = [
    (
        "Case conference",
        True,
        5,
        "What has happened since\nWhat we are worried about\nWhat is working well\nWhat needs to happen",
    ),
    ("Core group", True, 5, "Progress on the plan\nWhat we are worried about\nWhat needs to happen"),
    (
        "Team Around the Family",
        True,
        5,
        "What is working well\nWhat we are worried about\nWhat needs to happen",
    ),
    ("Risk panel", False, 3, "The risk now\nWhat each agency knows\nWhat needs to happen"),
    ("Review", True, 10, "Progress on the plan\nWhat needs to happen next"),
]

DEFAULTS = {name: (family_invited, days, agenda) for name, family_invited, days, agenda in _TYPES}
