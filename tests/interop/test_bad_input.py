"""Bad input gets a FHIR OperationOutcome with a plain message, never a 500 or an HTML page."""

import pytest
from django.test import Client
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from tests.conftest import signed_in

from .conftest import everything_url


def issue(response) -> dict:
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


@pytest.mark.parametrize("bad_id", ["nonsense", "7KM3-QXP", "0000-0001", "%00", "x" * 300])
def test_a_malformed_id_is_said_to_be_one(world, bad_id):
    response = signed_in(world["alice"]).get(f"/fhir/Patient/{bad_id}/$everything")
    assert response.status_code == 404
    found = issue(response)
    assert found["code"] == "not-found" and "client ID" in found["diagnostics"]


@pytest.mark.parametrize("wanted", ["xml", "application/fhir+xml", "ttl", "text/html"])
def test_an_unsupported_format_is_refused(world, wanted):
    response = signed_in(world["alice"]).get(everything_url(world["grace"]), {"_format": wanted})
    assert response.status_code == 406
    assert issue(response)["code"] == "not-supported" and "JSON only" in issue(response)["diagnostics"]


@pytest.mark.parametrize("wanted", ["json", "application/json", "application/fhir+json"])
def test_json_formats_are_fine(world, wanted):
    url = f"/fhir/Patient/{world['grace'].public_id}?_format={wanted}"  # a "+" as sent, unescaped
    assert signed_in(world["alice"]).get(url).status_code == 200


def test_accept_asking_only_for_xml_is_refused(world):
    browser = signed_in(world["alice"])
    url = f"/fhir/Patient/{world['grace'].public_id}"
    assert browser.get(url, HTTP_ACCEPT="application/fhir+xml").status_code == 406
    assert browser.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8").status_code == 200


def test_an_unknown_resource_or_path_answers_an_operation_outcome(world):
    browser = signed_in(world["alice"])
    for path in (
        "/fhir/Observation/1",
        "/fhir/Patient",
        "/fhir/",
        f"/fhir/Patient/{world['grace'].public_id}/$x",
    ):
        response = browser.get(path)
        assert response.status_code == 404, path
        assert issue(response)["code"] == "not-found"


def test_writing_is_not_supported(world):
    response = signed_in(world["alice"]).post(
        f"/fhir/Patient/{world['grace'].public_id}", {}, content_type="application/fhir+json"
    )
    assert response.status_code in (403, 405)  # the CSRF check (a session), or "method not allowed"
    assert issue(response)["code"] in ("forbidden", "not-supported")


def test_metadata_says_what_the_server_does_to_anyone(db):
    answer = Client().get("/fhir/metadata")
    assert answer.status_code == 200
    statement = CapabilityStatement.model_validate(answer.json())
    assert statement.fhirVersion == "4.3.0"
