"""The columns of a clients file, the same for import and export (so an export imports back)."""

from dataclasses import dataclass

from circles.models import CircleMember


@dataclass(frozen=True)
class Column:
    name: str  # as written in the file's first row
    label: str  # in messages: "Row 14, date of birth: …"
    required: bool
    max_length: int
    means: str  # for the page and docs/importing.md


COLUMNS = [
    Column("given_name", "first name", True, 100, "The client's first name. Required."),
    Column("family_name", "last name", True, 100, "The client's last name. Required."),
    Column("preferred_name", "preferred name", False, 100, "What they like to be called, if different."),
    Column("date_of_birth", "date of birth", False, 0, "DD/MM/YYYY or YYYY-MM-DD, e.g. 14/03/1990."),
    Column("pronouns", "pronouns", False, 40, "e.g. she/her."),
    Column("language", "language", False, 60, "The language they prefer, e.g. Polish."),
    Column("phone", "phone", False, 40, "A phone number."),
    Column("email", "email", False, 254, "The client's own email address."),
    Column("address", "address", False, 2000, "Their address (line breaks are kept)."),
    Column("accessibility_needs", "accessibility needs", False, 2000, "Anything the circle should know."),
    Column(
        "lead_email",
        "lead's email",
        True,
        254,
        "The email of the professional in your organisation who leads the client's circle. Required.",
    ),
    Column(
        "lead_role",
        "lead's role",
        False,
        60,
        "The lead's role in the circle, e.g. Social worker (blank: Lead professional).",
    ),
    Column(
        "members",
        "other members",
        False,
        5000,
        "Other professionals in the circle, by their email in Alongside, separated by semicolons; "
        "a role after a colon, e.g. sara.khan@nhs.example:Health visitor (blank: Other).",
    ),
]
BY_NAME = {column.name: column for column in COLUMNS}
NAMES = [column.name for column in COLUMNS]
REQUIRED = [column.name for column in COLUMNS if column.required]
# Other spellings people's old systems use for the same thing.
ALIASES = {
    "first_name": "given_name",
    "forename": "given_name",
    "last_name": "family_name",
    "surname": "family_name",
    "dob": "date_of_birth",
    "lead": "lead_email",
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
DATE_HINT = "Use DD/MM/YYYY or YYYY-MM-DD."

FAMILY_ROLES = {CircleMember.Role.FAMILY_MEMBER, CircleMember.Role.CARER, CircleMember.Role.FRIEND}
# A professional's role, by its value (health_visitor) or its label (Health visitor), in any case.
PROFESSIONAL_ROLES = {
    **{value.casefold(): value for value in CircleMember.Role.values if value not in FAMILY_ROLES},
    **{
        str(label).casefold(): value
        for value, label in CircleMember.Role.choices
        if value not in FAMILY_ROLES
    },
}
ROLE_LABELS = dict(CircleMember.Role.choices)

# Spreadsheets run a cell that starts with one of these as a formula: the export puts a ' in front, and the
# import takes it off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header_name(text: str) -> str:
    """A column name as people write it ("Date of birth", "DOB", "date-of-birth"), as we name it."""
    name = "_".join(text.strip().casefold().replace("-", " ").replace("'", "").split())
    return ALIASES.get(name, name)


def unprotect(value: str) -> str:
    """A cell as written, without the ' the export adds before a formula-like start (a phone's +44)."""
    if value[:1] == "'" and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    return value


def protect(value: str) -> str:
    """A cell for the file: a leading ' where a spreadsheet would take it for a formula."""
    return "'" + value if value[:1] in FORMULA_START else value
