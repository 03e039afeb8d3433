"""The organisation's clients as CSV: streamed, in the import's columns, audited; and back in again."""

import csv
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from circles.models import CircleMember, Client
from importing import services
from importing.columns import NAMES
from network.models import User
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory, OrganisationFactory, UserFactory
from tests.importing.conftest import csv_bytes


def download(user):
    response = signed_in(user).get("/organisation/imports/clients.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode()


def test_the_export_lists_the_organisations_clients_in_the_import_columns(
    adah, alice, bob, carol, grace, charlie
):
    grace.phone, grace.preferred_name = "+44 7700 900123", "=HYPERLINK()"
    grace.save()
    MemberFactory(client=grace, user=charlie, is_hidden=True, role=CircleMember.Role.POLICE_OFFICER)
    elsewhere = ClientFactory(given_name="Olu")  # nobody from Early Help in the circle
    MemberFactory(client=elsewhere, user=charlie, is_lead=True)

    rows = list(csv.reader(io.StringIO(download(adah))))

    assert rows[0] == NAMES
    assert len(rows) == 2
    row = dict(zip(NAMES, rows[1], strict=True))
    assert (row["given_name"], row["family_name"], row["lead_email"], row["lead_role"]) == (
        "Grace",
        "Okafor",
        "alice@example.org",
        "Lead professional",
    )
    # Formulas are kept as text; the hidden member never leaves in a file.
    assert row["phone"] == "'+44 7700 900123" and row["preferred_name"] == "'=HYPERLINK()"
    assert sorted(row["members"].split("; ")) == [
        "bob@example.org:Key worker",
        "carol@example.org:Health visitor",
    ]
    assert "charlie" not in download(adah)
    read = AuditEvent.objects.filter(action="clients.export").latest("pk")
    assert read.actor == adah and read.after["clients"] == 1


@pytest.mark.parametrize("user", ["alice", "charlie"])
def test_only_agency_admins_export(user, request, grace):
    assert (
        signed_in(request.getfixturevalue(user)).get("/organisation/imports/clients.csv").status_code == 403
    )


def test_the_export_reads_a_fixed_number_of_queries_however_many_clients(adah, alice, bob):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            download(adah)
        return len(captured)

    for _n in range(1):
        MemberFactory(client=ClientFactory(), user=alice, is_lead=True, role="lead_professional")
    one = queries()
    for _n in range(20):
        client = ClientFactory()
        MemberFactory(client=client, user=alice, is_lead=True, role="lead_professional")
        MemberFactory(client=client, user=bob)
    # session and user, the audit row (in its transaction), the count, the clients, their members
    assert queries() == one


def test_an_export_imports_into_a_fresh_organisation_as_the_same_clients(django_db_blocker, db):
    """Export Early Help's clients; then, in a fresh database (the first one rolled back), the same people
    (by email) in a fresh organisation import the file: the same clients and circles come out."""

    def world():
        org = OrganisationFactory(name="Early Help")
        health = OrganisationFactory(name="Health")
        people = {
            "admin": UserFactory(email="admin@eh.example", organisation=org, org_role=User.OrgRole.ADMIN),
            "lead": UserFactory(email="lead@eh.example", organisation=org),
            "nurse": UserFactory(email="nurse@health.example", organisation=health),
        }
        return people

    def clients_as_seen():
        return sorted(
            (
                *(
                    getattr(c, name)
                    for name in (
                        "given_name",
                        "family_name",
                        "preferred_name",
                        "date_of_birth",
                        "pronouns",
                        "language",
                        "phone",
                        "email",
                        "address",
                        "accessibility_needs",
                    )
                ),
                tuple(sorted((m.user.email, m.role, m.is_lead) for m in c.members.filter(until=None))),
            )
            for c in Client.objects.all()
        )

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            people = world()
            content = csv_bytes(
                "Grace,Okafor,Gracie,14/03/1990,she/her,Yoruba,'+44 7700 900123,g@mail.example,"
                '"1 High St\nNorthbridge",Step-free access,lead@eh.example,Family support worker,'
                "nurse@health.example:Health visitor",
                "Daniel,Okafor,,2016-05-01,,,,,,,lead@eh.example,,",
                "Harold,Bennett,,1944-02-02,,,=1+1,,,,lead@eh.example,Social worker,nurse@health.example",
            )
            job, _ = services.import_check(actor=people["admin"], file_name="first.csv", content=content)
            services.import_start(actor=people["admin"], job=job)
            before = clients_as_seen()
            assert len(before) == 3
            exported = download(people["admin"]).encode()
            raise Undo
    except Undo:
        pass
    assert Client.objects.count() == 0

    people = world()
    job, checked = services.import_check(actor=people["admin"], file_name="exported.csv", content=exported)
    assert checked.ok and job.row_count == 3
    services.import_start(actor=people["admin"], job=job)
    assert clients_as_seen() == before


def test_likely_duplicates_are_shown_from_the_file_and_from_the_organisations_clients(adah, alice, grace):
    grace.date_of_birth = "1990-03-14"
    grace.save()
    content = csv_bytes(
        "Grace,Okafor,,14/03/1990,,,,,,,alice@example.org,,",
        "Daniel,Okafor,,2016-05-01,,,,,,,alice@example.org,,",
        "daniel,OKAFOR,,01/05/2016,,,,,,,alice@example.org,,",
        "Daniel,Okafor,,,,,,,,,alice@example.org,,",
    )
    job, checked = services.import_check(actor=adah, file_name="dupes.csv", content=content)
    assert checked.ok and job.duplicate_count == 2
    assert [d["text"] for d in job.duplicates] == [
        f"Row 2: Grace Okafor, born 14/03/1990, has the same name and date of birth as a client already in Alongside ({grace.public_id}).",
        "Row 4: daniel OKAFOR, born 01/05/2016, has the same name and date of birth as row 3.",
    ]
    page = signed_in(adah).get(f"/organisation/imports/{job.pk}/").content.decode()
    assert "2 rows may be clients Alongside already has" in page
    assert f"already in Alongside ({grace.public_id})" in page
