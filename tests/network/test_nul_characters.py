"""A NUL anywhere in a request is never a server error (PostgreSQL cannot store or compare it)."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.conftest import api_as

ON_POSTGRES = connection.vendor == "postgresql"


def test_in_the_search_page(as_alice, grace):
    response = as_alice.get("/clients/search/", {"q": "Gr\x00ace"})
    assert response.status_code == 200


def test_in_the_clients_api_search(alice, grace):
    response = api_as(alice).get("/api/v1/clients/", {"q": "Gr\x00ace"})
    assert response.status_code in (200, 400)


def test_in_the_user_agent(as_alice, grace):
    response = as_alice.get(f"/clients/{grace.public_id}/", HTTP_USER_AGENT="Mozilla\x00/5.0")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/clients/7KM3%00QXP4/", "/api/v1/clients/%00/", "/clients/%00/notes/1/"])
def test_in_a_public_id(as_alice, path):
    assert as_alice.get(path).status_code == 404


def test_in_a_note(alice, grace):
    response = api_as(alice).post(
        f"/api/v1/clients/{grace.public_id}/notes/", {"text": "a\x00b"}, format="json"
    )
    assert response.status_code in (201, 400)


def test_in_an_api_token(db):
    response = APIClient().get("/api/v1/clients/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code in (401, 403)


def test_in_the_session_cookie(db):
    browser = APIClient()
    browser.cookies["sessionid"] = "abcdefghij\x00"
    response = browser.get("/clients/")
    assert response.status_code == 302
