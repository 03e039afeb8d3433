from tests.conftest import signed_in, api_as
from rest_framework.test import APIClient


def test_ua(grace, alice, as_alice):
    r = as_alice.get(f"/clients/{grace.public_id}/", HTTP_USER_AGENT="x\x00y")
    print("UA NUL", r.status_code)


def test_api_q(grace, alice):
    r = api_as(alice).get("/api/v1/clients/", {"q": "a\x00"})
    print("API Q NUL", r.status_code)


def test_health(db):
    r = APIClient().get("/healthz")
    print("HEALTH", r.status_code, r.content)
    print(
        "anon", APIClient().get("/api/v1/clients/").status_code, APIClient().get("/api/schema/").status_code
    )
