"""Reading and checking a clients file: every problem by row, field and what is wrong, in plain words.

The same check is the dry run (when the file is uploaded) and the import's first step (in the task, since
the directory may have changed in between). It writes nothing.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone

from circles.bulk import NewClient
from circles.models import CircleMember
from importing import selectors
from importing.columns import (
    BY_NAME,
    DATE_HINT,
    NAMES,
    PROFESSIONAL_ROLES,
    REQUIRED,
    header_name,
    unprotect,
)
from network.models import User
from network.text import clean_line, clean_text

MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
KEEP = 500  # problems and duplicates kept to show; all are counted
PROGRESS_EVERY = 1000
BOM = b"\xef\xbb\xbf"
# DATE_FORMATS as patterns: the same dates as strptime reads, many times faster over 100,000 rows.
DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Problem:
    row: int | None  # the file's row, as a spreadsheet numbers it (the column names are row 1)
    field: str  # the column's label ("date of birth"), or "" for the row or the file as a whole
    message: str

    @property
    def text(self) -> str:
        if self.row is None:
            return self.message
        return (
            f"Row {self.row}, {self.field}: {self.message}"
            if self.field
            else f"Row {self.row}: {self.message}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message, "text": self.text}


@dataclass
class Checked:
    """What the check found: the clients to make (only when there are no problems), or the problems."""

    row_count: int = 0
    member_count: int = 0
    clients: list[NewClient] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    duplicate_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < KEEP:
            self.problems.append(
                Problem(row, BY_NAME[column].label if column in BY_NAME else column, message)
            )


@dataclass
class _Row:
    number: int
    details: dict[str, Any]
    lead_email: str
    lead_role: str
    members: list[tuple[str, str]]  # (email as written, role value)
    lead: User | None = None  # found in the directory by _check_people
    people: list[tuple[User, str]] = field(default_factory=list)


def check(
    content: bytes,
    *,
    actor: User,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Read and check `content` for `actor` (an agency admin), telling `progress(rows)` as it goes."""
    result = Checked()
    text = _decode(content, result)
    if text is None:
        return result
    rows = _read_rows(text, result, progress)
    if rows is None:  # the file as a whole is wrong: its rows mean nothing yet
        return result
    _check_people(rows, actor, result)
    result.problems.sort(key=lambda problem: problem.row or 0)  # in the file's order (sort is stable)
    if result.ok:
        _find_duplicates(rows, actor, result)
        result.clients = [
            NewClient(details=row.details, lead=row.lead, lead_role=row.lead_role, members=row.people)
            for row in rows
            if row.lead is not None
        ]
    return result


def _decode(content: bytes, result: Checked) -> str | None:
    if content.startswith(BOM):  # what Excel's "CSV UTF-8" writes first; it means nothing here
        content = content[len(BOM) :]
    if not content.strip():
        result.add(
            None,
            "file",
            "The file is empty. Choose a CSV file with a row of column names, then a row per client.",
        )
        return None
    if len(content) > MAX_BYTES:
        result.add(
            None, "file", f"The file is over {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        )
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        result.add(
            None,
            "file",
            f"The file is not UTF-8 text: line {line} has a character that cannot be read "
            f"(byte 0x{content[exc.start]:02X}). In your spreadsheet, save it as “CSV UTF-8” and upload it again.",
        )
        return None


def _read_rows(text: str, result: Checked, progress: Callable[[int], None] | None) -> list[_Row] | None:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        positions = _columns(header, result)
        if positions is None:
            return None
        rows: list[_Row] = []
        today = timezone.localdate()
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(rows) == MAX_ROWS:
                result.add(
                    None,
                    "file",
                    f"The file has more than {MAX_ROWS:,} clients. Split it into files of {MAX_ROWS:,} or fewer.",
                )
                return None
            row = _row(number, cells, positions, len(header), today, result)
            if row is not None:
                rows.append(row)
            result.row_count += 1
            if progress is not None and result.row_count % PROGRESS_EVERY == 0:
                progress(result.row_count)
    except csv.Error as exc:
        result.add(reader.line_num, "", f"this line cannot be read as CSV ({exc}).")
        return None
    if result.row_count == 0:
        result.add(None, "file", "The file has its column names but no clients under them.")
    if progress is not None:
        progress(result.row_count)
    return rows


def _columns(header: list[str], result: Checked) -> dict[str, int] | None:
    """Where each known column is; None (with problems) if the first row is not a row of column names."""
    names = [header_name(cell) for cell in header]
    if not any(names):
        result.add(
            None,
            "file",
            "The file is empty. Choose a CSV file with a row of column names, then a row per client.",
        )
        return None
    if len([name for name in names if name]) == 1 and ";" in header[0]:
        result.add(
            None,
            "file",
            "The columns are separated by semicolons. Save the file as “CSV UTF-8 (comma delimited)” and upload it again.",
        )
        return None
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in BY_NAME:
            result.add(
                1,
                "",
                f"the column “{header[index].strip()}” is not one Alongside knows. The columns are: {', '.join(NAMES)}.",
            )
        elif name in positions:
            result.add(1, "", f"the column “{name}” is there twice.")
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            result.add(1, "", f"there is no “{name}” column, which every client needs.")
    return positions if result.ok else None


def _row(
    number: int,
    cells: list[str],
    positions: dict[str, int],
    width: int,
    today: datetime.date,
    result: Checked,
) -> _Row | None:
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        result.add(number, "", f"it has {len(cells)} cells, but the first row names {width} columns.")
        return None
    named = {index for index in positions.values()}
    if any(cells[index].strip() for index in range(min(len(cells), width)) if index not in named):
        result.add(number, "", "there is something in a column that has no name in the first row.")
        return None
    raw = {name: unprotect(cells[index]) if index < len(cells) else "" for name, index in positions.items()}
    details: dict[str, Any] = {}
    ok = True
    for name in ("given_name", "family_name", "preferred_name", "pronouns", "language", "phone", "email"):
        details[name] = _line(raw.get(name, ""))
    for name in ("address", "accessibility_needs"):
        value = raw.get(name, "")
        details[name] = value.strip() if value.isprintable() else clean_text(value)
    for name, value in details.items():
        limit = BY_NAME[name].max_length
        if len(value) > limit:
            result.add(number, name, f"use {limit:,} characters or fewer (this has {len(value):,}).")
            ok = False
    for name in ("given_name", "family_name"):
        if not details[name]:
            result.add(number, name, "this is empty. Every client needs a first and a last name.")
            ok = False
    if details["email"]:
        try:
            validate_email(details["email"])
        except ValidationError:
            result.add(number, "email", f"“{details['email']}” is not an email address.")
            ok = False
    details["date_of_birth"], date_ok = _date(number, clean_line(raw.get("date_of_birth", "")), today, result)
    lead_email = clean_line(raw.get("lead_email", "")).lower()
    if not lead_email:
        result.add(
            number, "lead_email", "this is empty. Give the email of the professional who leads the circle."
        )
        ok = False
    lead_role, role_ok = _role(number, "lead_role", clean_line(raw.get("lead_role", "")), result, lead=True)
    members, members_ok = _members(number, raw.get("members", ""), result)
    if not (ok and date_ok and role_ok and members_ok):
        return None
    return _Row(number, details, lead_email, lead_role, members)


def _date(number: int, text: str, today: datetime.date, result: Checked) -> tuple[datetime.date | None, bool]:
    if not text:
        return None, True
    born = None
    if match := DAY_FIRST.match(text):
        day, month, year = map(int, match.groups())
    elif match := YEAR_FIRST.match(text):
        year, month, day = map(int, match.groups())
    if match:
        try:
            born = datetime.date(year, month, day)
        except ValueError:
            born = None
    if born is None:
        result.add(number, "date_of_birth", f"“{text}” is not a date. {DATE_HINT}")
        return None, False
    if born > today:
        result.add(number, "date_of_birth", f"“{text}” is in the future.")
        return None, False
    return born, True


def _line(value: str) -> str:
    """network.text.clean_line, with a short cut for the usual cell (nothing in it to clean)."""
    if not value:
        return ""
    return value.strip() if value.isprintable() else clean_line(value)


def _role(number: int, column: str, text: str, result: Checked, *, lead: bool) -> tuple[str, bool]:
    if not text:
        return (CircleMember.Role.LEAD_PROFESSIONAL if lead else CircleMember.Role.OTHER), True
    role = PROFESSIONAL_ROLES.get(text.casefold())
    if role is None or (not lead and role == CircleMember.Role.LEAD_PROFESSIONAL):
        result.add(
            number,
            column,
            f"“{text}” is not a professional's role in a circle, e.g. Social worker, Health visitor.",
        )
        return "", False
    return role, True


def _members(number: int, text: str, result: Checked) -> tuple[list[tuple[str, str]], bool]:
    members: list[tuple[str, str]] = []
    ok = True
    for part in _line(text).split(";"):
        part = part.strip()
        if not part:
            continue
        email, _colon, role_text = part.partition(":")
        role, role_ok = _role(number, "members", role_text.strip(), result, lead=False)
        members.append((email.strip().lower(), role))
        ok = ok and role_ok
    return members, ok


def _check_people(rows: list[_Row], actor: User, result: Checked) -> None:
    """Each lead a professional of the admin's organisation, each member a professional in the directory."""
    emails = {row.lead_email for row in rows} | {email for row in rows for email, _role in row.members}
    people = _people_by_email(emails)
    for row in rows:
        lead = people.get(row.lead_email)
        problem = _not_a_professional(row.lead_email, lead)
        if not problem and lead is not None and lead.organisation_id != actor.organisation_id:
            problem = f"{row.lead_email} is not in your organisation. The lead of a client you import is someone in yours."
        if problem:
            result.add(row.number, "lead_email", problem)
        found = []
        seen = {row.lead_email}
        for email, role in row.members:
            user = people.get(email)
            problem = _not_a_professional(email, user)
            if not problem and email in seen:
                problem = f"{email} is already in this circle (as its lead, or earlier in this cell)."
            if problem:
                result.add(row.number, "members", problem)
            elif user is not None:
                found.append((user, role))
            seen.add(email)
        row.lead, row.people = lead, found
        result.member_count += len(found)


def _not_a_professional(email: str, user: User | None) -> str:
    if user is None:
        return f"nobody in Alongside has the email “{email}”."
    if not user.is_active:
        return f"{email}'s account is switched off."
    if user.kind != User.Kind.PROFESSIONAL or not user.organisation_id:
        return f"{email} is not a professional in an organisation."
    return ""


def _people_by_email(emails: Iterable[str]) -> dict[str, User]:
    emails = sorted(emails)
    people: dict[str, User] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for user in User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=chunk):
            people[user.email.lower()] = user
    return people


def _find_duplicates(rows: list[_Row], actor: User, result: Checked) -> None:
    """Rows with the same name and date of birth as an earlier row, or as a client the admin's organisation
    already works with: shown, not refused (two people can share both)."""
    if not rows:
        return
    existing = selectors.clients_by_name_and_birth(actor)
    first_seen: dict[tuple[str, str, datetime.date], list[int]] = {}
    for row in rows:
        born = row.details["date_of_birth"]
        if born is None:
            continue
        key = (row.details["given_name"].casefold(), row.details["family_name"].casefold(), born)
        earlier = first_seen.setdefault(key, [])
        already = existing.get(key, [])
        if earlier or already:
            result.duplicate_count += 1
            if len(result.duplicates) < KEEP:
                result.duplicates.append(_duplicate(row, earlier, already))
        earlier.append(row.number)


def _duplicate(row: _Row, earlier: list[int], already: list[str]) -> dict[str, Any]:
    name = f"{row.details['given_name']} {row.details['family_name']}"
    born = row.details["date_of_birth"]
    like = []
    if earlier:
        like.append(
            "row " + ", ".join(str(n) for n in earlier[:5]) + (" and others" if len(earlier) > 5 else "")
        )
    if already:
        like.append("a client already in Alongside (" + ", ".join(already[:5]) + ")")
    return {
        "row": row.number,
        "name": name,
        "date_of_birth": born.isoformat(),
        "same_as_rows": earlier[:5],
        "existing": already[:5],
        "text": f"Row {row.number}: {name}, born {born:%d/%m/%Y}, has the same name and date of birth as "
        + " and as ".join(like)
        + ".",
    }
