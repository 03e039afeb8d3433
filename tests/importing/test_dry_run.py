"""The dry run: every bad file gets its message, row by row and field by field, and changes nothing."""

import pytest

from audit.models import AuditEvent
from circles.models import CircleMember, Client
from importing import checking, services
from importing.models import ImportJob
from realtime.models import Event
from tests.conftest import signed_in
from tests.importing.conftest import HEADER, csv_bytes

GOOD = "Grace,Okafor,,14/03/1990,,,,,,,alice@example.org,,"


def counts():
    return (
        Client.objects.count(),
        CircleMember.objects.count(),
        ImportJob.objects.count(),
        AuditEvent.objects.count(),
        Event.objects.count(),
    )


def problems_for(adah, content):
    before = counts()
    with pytest.raises(services.FileHasProblems) as caught:
        services.import_check(actor=adah, file_name="clients.csv", content=content)
    assert counts() == before, "a file with problems leaves nothing behind"
    return [problem.text for problem in caught.value.checked.problems]


def test_a_date_that_is_not_one_names_its_row_and_field(adah, alice):
    rows = [GOOD] * 12 + ["Daniel,Okafor,,31/02/1990,,,,,,,alice@example.org,,"]
    assert problems_for(adah, csv_bytes(*rows)) == [
        "Row 14, date of birth: “31/02/1990” is not a date. Use DD/MM/YYYY or YYYY-MM-DD."
    ]


def test_every_problem_in_every_row_is_reported(adah, alice, charlie):
    content = csv_bytes(
        ",Okafor,,2999-01-01,,,,not-an-email,,,alice@example.org,,",
        "Ruth,Okafor,,,,,,,,,nobody@example.org,Family member,carol@example.org:Chief",
        "Ama,Okafor,,,,,,,,,charlie@example.org,,alice@example.org",
        "Kofi,Okafor,,,,,,,,,,,",
    )
    assert problems_for(adah, content) == [
        "Row 2, first name: this is empty. Every client needs a first and a last name.",
        "Row 2, email: “not-an-email” is not an email address.",
        "Row 2, date of birth: “2999-01-01” is in the future.",
        "Row 3, lead's role: “Family member” is not a professional's role in a circle, e.g. Social worker, Health visitor.",
        "Row 3, other members: “Chief” is not a professional's role in a circle, e.g. Social worker, Health visitor.",
        "Row 4, lead's email: charlie@example.org is not in your organisation. The lead of a client you import is someone in yours.",
        "Row 5, lead's email: this is empty. Give the email of the professional who leads the circle.",
    ]


def test_people_are_found_in_the_directory_or_named_as_missing(adah, alice, bob):
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    content = csv_bytes(
        "Grace,Okafor,,,,,,,,,nobody@example.org,,",
        "Ruth,Okafor,,,,,,,,,alice@example.org,,bob@example.org; alice@example.org; ghost@example.org",
    )
    assert problems_for(adah, content) == [
        "Row 2, lead's email: nobody in Alongside has the email “nobody@example.org”.",
        "Row 3, other members: bob@example.org's account is switched off.",
        "Row 3, other members: alice@example.org is already in this circle (as its lead, or earlier in this cell).",
        "Row 3, other members: nobody in Alongside has the email “ghost@example.org”.",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "given_name,family_nmae,lead_email\n",
            [
                "Row 1: the column “family_nmae” is not one Alongside knows. The columns are: given_name, "
                "family_name, preferred_name, date_of_birth, pronouns, language, phone, email, address, "
                "accessibility_needs, lead_email, lead_role, members.",
                "Row 1: there is no “family_name” column, which every client needs.",
            ],
        ),
        (
            "given_name,family_name,given_name,lead_email\n",
            ["Row 1: the column “given_name” is there twice."],
        ),
        (
            "given_name;family_name;lead_email\n",
            [
                "The columns are separated by semicolons. Save the file as “CSV UTF-8 (comma delimited)” and "
                "upload it again."
            ],
        ),
    ],
)
def test_wrong_columns(adah, alice, header, expected):
    assert problems_for(adah, csv_bytes("Grace,Okafor,alice@example.org", header=header)) == expected


def test_a_row_with_more_cells_than_columns(adah, alice):
    content = csv_bytes(
        "Grace,Okafor,alice@example.org,surprise", header="given_name,family_name,lead_email\n"
    )
    assert problems_for(adah, content) == ["Row 2: it has 4 cells, but the first row names 3 columns."]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b",,,\n"])
def test_an_empty_file(adah, content):
    assert problems_for(adah, content) == [
        "The file is empty. Choose a CSV file with a row of column names, then a row per client."
    ]


def test_column_names_and_no_clients(adah):
    assert problems_for(adah, csv_bytes()) == ["The file has its column names but no clients under them."]


def test_a_file_that_is_not_utf8(adah, alice):
    content = (HEADER + GOOD + "\nZo\xe9,Martin,,,,,,,,,alice@example.org,,\n").encode("latin-1")
    assert problems_for(adah, content) == [
        "The file is not UTF-8 text: line 3 has a character that cannot be read (byte 0xE9). In your "
        "spreadsheet, save it as “CSV UTF-8” and upload it again."
    ]


def test_a_byte_order_mark_is_accepted_silently(adah, alice):
    content = b"\xef\xbb\xbf" + csv_bytes("Zo\u00eb,Martin,,,,,,,,,alice@example.org,,")
    job, checked = services.import_check(actor=adah, file_name="excel.csv", content=content)
    assert checked.ok and job.row_count == 1
    assert checked.clients[0].details["given_name"] == "Zoë"


def test_100000_rows_with_one_bad_line_report_it_and_import_nothing(adah, alice):
    rows = [f"Client{n},Example,,01/01/1990,,,,,,,alice@example.org,," for n in range(100_000)]
    rows[76_543] = "Client,Example,,1990-01-32,,,,,,,alice@example.org,,"
    assert problems_for(adah, csv_bytes(*rows)) == [
        "Row 76545, date of birth: “1990-01-32” is not a date. Use DD/MM/YYYY or YYYY-MM-DD."
    ]


def test_more_rows_than_a_file_may_have(adah, alice, monkeypatch):
    monkeypatch.setattr(checking, "MAX_ROWS", 3)
    assert problems_for(adah, csv_bytes(*[GOOD] * 4)) == [
        "The file has more than 3 clients. Split it into files of 3 or fewer."
    ]


def test_the_page_shows_the_problems_and_changes_nothing(adah, alice):
    before = counts()
    content = csv_bytes(GOOD, "Daniel,Okafor,,31/02/1990,,,,,,,alice@example.org,,")
    upload = _upload("clients.csv", content)
    response = signed_in(adah).post("/organisation/imports/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file was not imported. Nothing has changed." in page
    assert "Row 3, date of birth: “31/02/1990” is not a date. Use DD/MM/YYYY or YYYY-MM-DD." in page
    assert counts() == before


def test_the_page_asks_for_a_file(adah):
    response = signed_in(adah).post("/organisation/imports/", {})
    assert response.status_code == 400
    assert "Choose a CSV file." in response.content.decode()


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
