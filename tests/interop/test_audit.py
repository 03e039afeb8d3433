"""Every FHIR read is audited as an API read is: one row, the reader, the client, the token that signed it."""

from rest_framework.test import APIClient

from audit.models import AuditEvent
from circles import services as circle_services
from network.models import ApiToken
from tests.conftest import signed_in
from tests.factories import api_key_for

from .conftest import everything_url


def test_everything_read_with_a_token_is_audited_with_the_token(world):
    bob, grace = world["bob"], world["grace"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(bob)}")
    before = AuditEvent.objects.count()
    assert api.get(everything_url(grace)).status_code == 200
    (row,) = AuditEvent.objects.filter(pk__gt=0).order_by("-id")[:1]
    assert AuditEvent.objects.count() == before + 1
    assert (row.action, row.actor, row.client, row.via, row.emergency) == (
        "fhir.read",
        bob,
        grace,
        "api",
        False,
    )
    assert row.api_token == ApiToken.objects.get(user=bob)
    assert row.after["fhir"] == "Patient/$everything"
    assert row.after["resources"]["Patient"] == 1 and row.after["resources"]["CareTeam"] == 1


def test_a_patient_read_is_audited(world):
    response = signed_in(world["alice"]).get(f"/fhir/Patient/{world['grace'].public_id}")
    assert response.status_code == 200
    row = AuditEvent.objects.latest("id")
    assert (row.action, row.after, row.via) == ("fhir.read", {"fhir": "Patient"}, "api")


def test_a_read_under_emergency_access_stands_out_and_the_lead_sees_who_looked(world):
    charlie, grace = world["charlie"], world["grace"]
    circle_services.emergency_access_start(
        actor=charlie, client=grace, reason="Called out at night about Grace"
    )
    signed_in(charlie).get(everything_url(grace))
    row = AuditEvent.objects.latest("id")
    assert (row.action, row.actor, row.emergency) == ("fhir.read", charlie, True)
    reads = [
        e["resource"]
        for e in signed_in(world["alice"]).get(everything_url(grace)).json()["entry"]
        if e["resource"]["resourceType"] == "AuditEvent"
    ]
    charlies = [r for r in reads if r["agent"][0]["who"]["display"] == "Charlie Outsider, Police"]
    assert charlies[0]["purposeOfEvent"][0]["coding"][0]["code"] == "BTG"
    assert charlies[0]["subtype"][0]["code"] == "fhir.read"


def test_a_refused_read_writes_no_audit_row(world):
    before = AuditEvent.objects.count()
    assert signed_in(world["charlie"]).get(everything_url(world["grace"])).status_code == 404
    assert AuditEvent.objects.count() == before
