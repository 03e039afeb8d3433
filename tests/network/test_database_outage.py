"""While the database cannot be reached: a plain-words 503 (JSON for the API) with Retry-After, one log line.

The outage is imitated by making the first query of a request fail as psycopg fails when PostgreSQL is
gone; tests/network/test_postgres_outage.py stops a real (private) PostgreSQL. Both modes.
"""

import logging
from unittest import mock

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client as BrowserClient

from network import outage

pytestmark = pytest.mark.django_db


def unreachable() -> OperationalError:
    """What Django raises when psycopg cannot connect (the psycopg error is its cause)."""
    try:
        try:
            raise psycopg.OperationalError("connection failed: Connection refused")
        except psycopg.OperationalError as cause:
            raise OperationalError("connection failed: Connection refused") from cause
    except OperationalError as error:
        return error


@pytest.fixture
def database_down():
    """The session store and token look-ups (the first queries of a request) fail; a fresh outage each time."""
    outage.reset()
    error = unreachable()
    with (
        mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=error),
        mock.patch(
            "network.authentication.ApiTokenAuthentication.authenticate_credentials", side_effect=error
        ),
    ):
        yield
    outage.reset()


def test_a_page_answers_503_in_plain_words(alice, database_down):
    browser = BrowserClient(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32  # a signed-in person: the session is read from the database

    response = browser.get("/clients/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert "Alongside can’t reach its database" in response.text
    assert "try again in a minute" in response.text


def test_the_api_answers_503_in_json(alice, database_down):
    api = BrowserClient(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {'a' * 40}")

    response = api.get("/api/v1/clients/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": "Alongside can’t reach its database; try again in a minute."}


def test_an_error_inside_a_view_answers_the_same(as_alice):
    outage.reset()
    as_alice.raise_request_exception = False
    with mock.patch("overview.selectors.client_list_for_user", side_effect=unreachable()):
        response = as_alice.get("/clients/")
    outage.reset()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Alongside can’t reach its database" in response.text


def test_one_log_line_per_outage_not_one_per_request(alice, database_down, caplog):
    browser = BrowserClient(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32

    with caplog.at_level(logging.INFO):
        for _ in range(5):
            assert browser.get("/clients/").status_code == 503

    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.name for record in errors] == ["network.outage"]
    assert "database" in errors[0].getMessage()


def test_the_end_of_an_outage_is_logged_once(alice, as_alice, caplog):
    outage.reset()
    browser = BrowserClient(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=unreachable()):
        assert browser.get("/clients/").status_code == 503
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="network.outage"):
        assert as_alice.get("/clients/").status_code == 200
        assert as_alice.get("/clients/").status_code == 200

    assert [record.getMessage()[:27] for record in caplog.records if record.name == "network.outage"] == [
        "The database answers again "
    ]


def test_other_errors_are_still_500(alice):
    browser = BrowserClient(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=ValueError("bug")):
        response = browser.get("/clients/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_query_error_that_is_not_an_outage_is_still_500(alice):
    browser = BrowserClient(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32
    error = OperationalError("no such table: django_session")  # a bug, not an outage: no psycopg cause
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=error):
        response = browser.get("/clients/")

    assert response.status_code == 500
