"""Sessions: signing out (through allauth) closes the person's live pages everywhere; 30 idle minutes end a
session; an organisation may require two-factor sign-in; repeated failed sign-ins are stopped."""

import datetime
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as BrowserClient
from django.utils import timezone

from tests.access.conftest import (
    SOCKET_TIMEOUT,
    client_socket,
    messages_until_closed,
    no_events,
    personal_socket,
    unique_ip,
)
from tests.conftest import signed_in
from tests.factories import UserFactory

SET_UP_TWO_FACTOR = "/accounts/2fa/totp/activate/?required=1"


# Signing out.


@pytest.mark.django_db(transaction=True)
async def test_signing_out_closes_every_live_page(alice, bob, grace):
    browser = BrowserClient()
    await database_sync_to_async(browser.force_login)(alice)
    personal = await personal_socket(alice)
    record = await client_socket(alice, grace)
    other_tab = await client_socket(alice, grace)
    bobs = await client_socket(bob, grace)

    response = await database_sync_to_async(browser.post)("/accounts/logout/")

    assert response.status_code == 302
    for communicator in (personal, record, other_tab):
        _, code = await messages_until_closed(communicator)
        assert code == 4401
    # Bob is still signed in, and his page stays open.
    assert await no_events(bobs)
    await bobs.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_after_signing_out_the_old_cookie_opens_nothing(alice, grace):
    from alongside.asgi import application

    browser = BrowserClient()
    await database_sync_to_async(browser.force_login)(alice)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000"), (b"cookie", cookie)]

    before = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    connected, _ = await before.connect(timeout=SOCKET_TIMEOUT)
    assert connected

    await database_sync_to_async(browser.post)("/accounts/logout/")
    _, code = await messages_until_closed(before)
    assert code == 4401

    for path in ("/ws/me/", f"/ws/clients/{grace.public_id}/"):
        after = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await after.connect(timeout=SOCKET_TIMEOUT)
        assert not connected
        await after.disconnect()


def test_signing_out_needs_a_post(alice):
    """A link (or an image tag on another site) cannot sign anyone out."""
    browser = signed_in(alice)
    browser.get("/accounts/logout/")
    assert browser.get("/clients/").status_code == 200
    browser.post("/accounts/logout/")
    assert browser.get("/clients/").status_code == 302


# Idle sessions.


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS == 60  # so an idle session ends after 29–30 minutes
    assert settings.ACCOUNT_SESSION_REMEMBER is False  # no "remember me" to stretch it


def test_each_request_pushes_the_end_back(alice):
    browser = signed_in(alice)
    key = browser.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    response = browser.get("/clients/")

    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(minutes=29)


def test_requests_within_a_minute_write_nothing(alice, django_assert_num_queries):
    browser = signed_in(alice)
    browser.get("/clients/")  # pushes the end back
    key = browser.session.session_key
    before = Session.objects.get(session_key=key).expire_date

    with django_assert_num_queries(4):  # session, user with organisation, my clients, unread notifications
        browser.get("/clients/")

    assert Session.objects.get(session_key=key).expire_date == before


def test_a_request_a_minute_later_pushes_the_end_back_again(alice):
    browser = signed_in(alice)
    browser.get("/clients/")
    key = browser.session.session_key
    session = browser.session
    session["_touched"] -= 61
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    browser.get("/clients/")

    assert Session.objects.get(session_key=key).expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_an_idle_session_has_ended(alice, grace):
    browser = signed_in(alice)
    Session.objects.filter(session_key=browser.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = browser.get(f"/clients/{grace.public_id}/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert browser.get(f"/api/v1/clients/{grace.public_id}/notes/").status_code in (401, 403)


@pytest.mark.django_db(transaction=True)
async def test_an_idle_session_ends_its_live_pages_too(alice, charlie, grace):
    from alongside.asgi import application
    from circles import services

    browser = BrowserClient()
    await database_sync_to_async(browser.force_login)(alice)
    key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"origin", b"http://127.0.0.1:8000"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode()),
    ]
    personal = WebsocketCommunicator(application, "/ws/me/", headers=headers)
    connected, _ = await personal.connect(timeout=SOCKET_TIMEOUT)
    assert connected

    # Thirty minutes pass without a request: the session is over.
    await database_sync_to_async(Session.objects.filter(session_key=key).update)(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    await database_sync_to_async(services.join_request_create)(
        actor=charlie, client=grace, reason="Grace is about to be evicted", role="police_officer"
    )

    output = await personal.receive_output(timeout=SOCKET_TIMEOUT)
    assert output["type"] == "websocket.close", output
    await personal.disconnect()


# Two-factor sign-in, where the organisation requires it.


def with_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


@pytest.fixture
def two_factor_required(early_help):
    early_help.require_two_factor = True
    early_help.save(update_fields=["require_two_factor"])
    return early_help


def test_without_two_factor_they_are_sent_to_set_it_up(bob, grace, two_factor_required):
    browser = signed_in(bob)
    for path in ("/clients/", f"/clients/{grace.public_id}/", "/clients/search/?q=Grace", "/notifications/"):
        response = browser.get(path)
        assert response.status_code == 302 and response["Location"] == SET_UP_TWO_FACTOR, path
    assert browser.post(f"/clients/{grace.public_id}/notes/new/", {"text": "x"}).status_code == 302
    # The API (with the session) answers in JSON instead.
    api = browser.get(f"/api/v1/clients/{grace.public_id}/notes/")
    assert api.status_code == 403 and api.json() == {"detail": "Set up two-factor sign-in first."}
    # Setting it up stays open (allauth first asks for the password again: no redirect loop).
    set_up = browser.get("/accounts/2fa/totp/activate/", follow=True)
    assert set_up.status_code == 200
    assert set_up.request["PATH_INFO"].startswith("/accounts/")
    assert browser.post("/accounts/logout/").status_code == 302


def test_with_two_factor_they_carry_on(bob, grace, two_factor_required):
    with_totp(bob)
    browser = signed_in(bob)
    assert browser.get(f"/clients/{grace.public_id}/").status_code == 200
    assert browser.get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 200


def test_other_organisations_are_not_affected(carol, grace, two_factor_required):
    assert signed_in(carol).get(f"/clients/{grace.public_id}/").status_code == 200


def test_before_it_is_required_nobody_is_sent(bob, grace):
    assert signed_in(bob).get(f"/clients/{grace.public_id}/").status_code == 200


def test_an_api_token_does_not_get_round_it(bob, grace, two_factor_required):
    from tests.factories import api_key_for

    key = api_key_for(bob)
    response = BrowserClient().get(
        f"/api/v1/clients/{grace.public_id}/notes/", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 403


# Failed sign-ins.


@pytest.fixture
def person(db):
    """Someone with an address no other test or run has used: the limits are counted per address (and IP)."""
    return UserFactory(email=f"{uuid.uuid4().hex}@example.org")


def sign_in(browser, email, password):
    return browser.post("/accounts/login/", {"login": email, "password": password})


def test_signing_in_works(person):
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    response = sign_in(browser, person.email, "password-for-tests")
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert browser.session.get("_auth_user_id") == str(person.pk)


def test_repeated_failed_sign_ins_are_stopped(person):
    assert "5/5m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    for _ in range(5):
        response = sign_in(browser, person.email, "not-the-password")
        assert response.status_code == 200 and "_auth_user_id" not in browser.session

    # The sixth try is refused even with the right password.
    response = sign_in(browser, person.email, "password-for-tests")

    assert "_auth_user_id" not in browser.session
    assert "Too many failed login attempts" in response.content.decode()
    # From another address too: the limit is on the account, not only on the address.
    elsewhere = BrowserClient(REMOTE_ADDR=unique_ip())
    sign_in(elsewhere, person.email, "password-for-tests")
    assert "_auth_user_id" not in elsewhere.session


def test_one_address_cannot_try_many_accounts(db):
    assert "10/m/ip" in settings.ACCOUNT_RATE_LIMITS["login_failed"]
    ip = unique_ip()
    people = [UserFactory(email=f"{uuid.uuid4().hex}@example.org") for _ in range(3)]
    browser = BrowserClient(REMOTE_ADDR=ip)
    for attempt in range(10):
        sign_in(browser, people[attempt % 2].email, "not-the-password")

    sign_in(browser, people[2].email, "password-for-tests")

    assert "_auth_user_id" not in browser.session
    # The same account signs in fine from somewhere else.
    elsewhere = BrowserClient(REMOTE_ADDR=unique_ip())
    sign_in(elsewhere, people[2].email, "password-for-tests")
    assert elsewhere.session.get("_auth_user_id") == str(people[2].pk)


def test_failures_on_one_account_do_not_lock_another(person):
    ip = unique_ip()
    other = UserFactory(email=f"{uuid.uuid4().hex}@example.org")
    browser = BrowserClient(REMOTE_ADDR=ip)
    for _ in range(5):
        sign_in(browser, person.email, "not-the-password")

    sign_in(browser, other.email, "password-for-tests")

    assert browser.session.get("_auth_user_id") == str(other.pk)
