"""Who may read a client as FHIR: the record's own rule. Outsiders learn nothing (404, as for an unknown ID),
clients and family get nothing (403), hidden members are named to the circle only, and emergency access
reads what it reads on the pages."""

import pytest
from rest_framework.test import APIClient

from circles import public_id
from circles import services as circle_services
from circles.models import PortalAccess
from tests.conftest import signed_in
from tests.factories import api_key_for

from .conftest import everything_url

NOT_FOUND = {"code": "not-found", "severity": "error"}


def outcome(response) -> dict:
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


@pytest.mark.parametrize("path", ["/fhir/Patient/{id}", "/fhir/Patient/{id}/$everything"])
def test_an_outsider_gets_the_same_404_as_for_nobody(world, path):
    charlie, grace = world["charlie"], world["grace"]
    forbidden = signed_in(charlie).get(path.format(id=grace.public_id))
    nobody = public_id.generate()  # a well-formed ID that is no one's
    assert nobody != grace.public_id
    unknown = signed_in(charlie).get(path.format(id=nobody))
    assert forbidden.status_code == unknown.status_code == 404
    assert outcome(forbidden) == outcome(unknown)
    assert "Grace" not in forbidden.content.decode()


def test_the_hidden_member_is_named_to_the_circle_only(world):
    grace, charlie = world["grace"], world["charlie"]
    for_circle = signed_in(world["carol"]).get(everything_url(grace)).content.decode()
    assert "Dina Hidden" in for_circle and "Safe Haven" in for_circle
    circle_services.emergency_access_start(
        actor=charlie, client=grace, reason="Called out at night about Grace"
    )
    response = signed_in(charlie).get(everything_url(grace))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dina Hidden" not in text and "Safe Haven" not in text and "Safety: she" not in text
    team = next(
        e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "CareTeam"
    )
    shown = {p["member"]["display"] for p in team["participant"]}
    # Emergency access sees who is in the circle now, without its hidden member or those who left.
    assert shown == {"Alice Lead", "Bob Same-Org", "Carol Other-Org", "Ama Okafor"}
    assert "A member of the circle" in text  # the action Dina owns, as the plan page shows it
    kinds = {e["resource"]["resourceType"] for e in response.json()["entry"]}
    assert "AuditEvent" not in kinds and "Appointment" not in kinds  # not the lead; not at any meeting


def test_clients_and_family_get_nothing(world):
    grace_user = world["grace_user"]
    PortalAccess.objects.create(user=grace_user, client=world["grace"])
    for path in (f"/fhir/Patient/{world['grace'].public_id}", everything_url(world["grace"])):
        response = signed_in(grace_user).get(path)
        assert response.status_code == 403
        assert outcome(response)["code"] == "forbidden"


def test_anonymous_gets_nothing(world):
    response = APIClient().get(everything_url(world["grace"]))
    assert response.status_code == 403 and outcome(response)["code"] == "forbidden"


def test_an_api_token_works_and_a_bad_one_is_refused(world):
    grace = world["grace"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(world['bob'])}")
    assert api.get(everything_url(grace)).status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    refused = api.get(everything_url(grace))
    assert refused.status_code == 401 and outcome(refused)["code"] == "login"


def test_someone_who_left_the_circle_reads_nothing_more(world):
    response = signed_in(world["eve"].user).get(everything_url(world["grace"]))
    assert response.status_code == 404
