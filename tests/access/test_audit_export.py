"""The audit trail of one client as a spreadsheet (/clients/<id>/audit.csv), for the agency admin of an
organisation that has, or had, someone in the circle. Cells a spreadsheet would run as formulas are made
plain text."""

import csv
import io

import pytest

from audit.models import AuditEvent
from circles import services
from sharing.services import note_create
from tests.access.conftest import membership
from tests.conftest import signed_in
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

HEADER = [
    "when",
    "who",
    "organisation",
    "action",
    "object",
    "object id",
    "emergency",
    "via",
    "from",
    "before",
    "after",
]


def export(user, client):
    return signed_in(user).get(f"/clients/{client.public_id}/audit.csv")


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_works(eh_admin, alice, bob, charlie, grace):
    note_create(actor=bob, client=grace, text="Visited today")
    services.emergency_access_start(actor=charlie, client=grace, reason="Grace is in A&E, need her history")
    signed_in(bob).get(f"/clients/{grace.public_id}/")

    response = export(eh_admin, grace)

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="audit-{grace.public_id}.csv"'
    rows = rows_of(response)
    assert rows[0] == HEADER
    body = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    expected = list(
        AuditEvent.objects.filter(client=grace).order_by("at", "id").values_list("action", flat=True)
    )
    assert [row["action"] for row in body] == expected
    assert {"note.create", "emergency.start", "client.view"} <= set(expected)
    emergency = next(row for row in body if row["action"] == "emergency.start")
    assert (emergency["who"], emergency["organisation"], emergency["emergency"]) == (
        "Charlie Outsider",
        "Police",
        "yes",
    )
    view = next(row for row in body if row["action"] == "client.view")
    assert (view["who"], view["emergency"], view["via"]) == ("Bob Same-Org", "", "web")
    # What was done, not what was written: the export is no second way to read notes.
    note = next(row for row in body if row["action"] == "note.create")
    assert '"visibility": "circle"' in note["after"]
    assert "Visited today" not in response.content.decode()


def test_the_export_is_itself_audited(eh_admin, grace):
    export(eh_admin, grace)
    row = AuditEvent.objects.get(actor=eh_admin, action="client.search")
    assert row.after["query"] == f"audit export {grace.public_id}"


def test_an_admin_of_any_organisation_in_the_circle_may_export(health_admin, grace):
    assert export(health_admin, grace).status_code == 200


def test_an_admin_of_an_organisation_that_was_in_the_circle_may_export(alice, police_admin, police, grace):
    officer = UserFactory(organisation=police)
    MemberFactory(client=grace, user=officer, role="police_officer")
    services.circle_member_remove(actor=alice, client=grace, member=membership(grace, officer))

    assert export(police_admin, grace).status_code == 200


@pytest.mark.parametrize(
    "who", ["police_admin", "alice", "bob", "manager", "charlie", "panel_chair", "site_admin", "portal_user"]
)
def test_it_checks_access(who, request, grace):
    """Police were never in Grace's circle; the others are not agency admins."""
    user = request.getfixturevalue(who)
    note_create(actor=request.getfixturevalue("alice"), client=grace, text="SECRET-NOTE")

    response = export(user, grace)

    assert response.status_code in (403, 404)
    assert b"SECRET-NOTE" not in response.content
    assert not AuditEvent.objects.filter(actor=user, action="client.search").exists()


def test_it_checks_sign_in(client, grace):
    response = client.get(f"/clients/{grace.public_id}/audit.csv")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_admin_without_an_organisation_gets_nothing(grace):
    """A family contact has no organisation either; that must not count as "our organisation is involved"."""
    from tests.factories import FamilyMemberFactory

    FamilyMemberFactory(client=grace)
    loose_admin = UserFactory(organisation=None, org_role="admin")
    assert export(loose_admin, grace).status_code == 404


@pytest.mark.parametrize("text", ["not-an-id", "0000-0000", "ABCD-EFGZ"])
def test_a_wrong_id_is_not_found(text, eh_admin, grace):
    assert signed_in(eh_admin).get(f"/clients/{text}/audit.csv").status_code == 404


DANGEROUS = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formulas_are_neutralised(value, eh_admin, alice, grace, early_help):
    early_help_twin = OrganisationFactory(name=value)
    sly = UserFactory(full_name=value, organisation=early_help_twin)
    MemberFactory(client=grace, user=sly)
    note_create(actor=sly, client=grace, text=value)
    services.join_request_create(
        actor=UserFactory(full_name=value, organisation=early_help_twin),
        client=grace,
        reason=value,
        role="key_worker",
    )

    rows = rows_of(export(eh_admin, grace))

    cells = [cell for row in rows[1:] for cell in row]
    assert value in {cell.lstrip("'") for cell in cells}  # it is there...
    for cell in cells:
        # ...but no cell starts as a formula would.
        assert not cell.startswith(("=", "+", "-", "@")), cell
    sly_rows = [row for row in rows[1:] if row[HEADER.index("who")].lstrip("'") == value]
    assert sly_rows and all(row[HEADER.index("who")] == "'" + value for row in sly_rows)
    assert all(row[HEADER.index("organisation")] == "'" + value for row in sly_rows)


def test_the_export_carries_no_note_the_admin_could_not_otherwise_read(health_admin, alice, bob, grace):
    from circles.models import Consent

    note_create(actor=alice, client=grace, text="EARLY-HELP-ONLY", visibility="organisation")
    note_create(actor=alice, client=grace, text="NAMED-FOR-BOB", visibility="named", named_people=[bob])
    Consent.objects.filter(client=grace).delete()
    note_create(actor=alice, client=grace, text="NOT-CONSENTED", visibility="circle")

    response = export(health_admin, grace)

    assert response.status_code == 200
    assert b"EARLY-HELP-ONLY" not in response.content
    assert b"NAMED-FOR-BOB" not in response.content
    assert b"NOT-CONSENTED" not in response.content


def test_the_export_does_not_name_hidden_members_to_other_organisations(health_admin, alice, grace):
    refuge = OrganisationFactory(name="Safe Haven Refuge")
    adviser = UserFactory(full_name="Ida Hidden-Adviser", organisation=refuge)
    services.circle_member_add(
        actor=alice, client=grace, kind="professional", user=adviser, role="advocate", is_hidden=True
    )
    signed_in(adviser).get(f"/clients/{grace.public_id}/")
    refuge_admin = UserFactory(organisation=refuge, org_role="admin")
    assert b"Ida Hidden-Adviser" in export(refuge_admin, grace).content  # their own organisation may know

    response = export(health_admin, grace)

    assert response.status_code == 200
    assert b"Ida Hidden-Adviser" not in response.content
    assert b"Safe Haven Refuge" not in response.content


def test_the_site_administrator_reads_no_client_content_in_the_admin_site(site_admin, alice, grace):
    note_create(actor=alice, client=grace, text="SECRET-NOTE")
    row = AuditEvent.objects.get(action="note.create")
    browser = signed_in(site_admin)

    for path in ("/admin/audit/auditevent/", f"/admin/audit/auditevent/{row.pk}/change/"):
        response = browser.get(path)
        assert response.status_code in (200, 302, 403, 404)
        assert b"SECRET-NOTE" not in response.content
        assert b"Okafor" not in response.content
