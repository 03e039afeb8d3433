"""Changing the address one signs in with (/accounts/email/) is a way to take an account over: with a stolen
session, point it at your own address, then sign in by code for ever. So the change asks for the password
again, takes effect only once a code sent to the new address is typed in (until then the old address is the
one that signs in, and the new one signs nobody in), and the old address is told."""

import importlib
import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.test import Client as BrowserClient

from network import services as network_services
from network.models import User
from tests.access.conftest import unique_ip
from tests.factories import UserFactory
from tests.security.test_account_pages import SITE, _check_email, _check_page

PASSWORD = "password-for-tests"


@pytest.fixture(autouse=True)
def _site_name(settings):
    settings.SITE_NAME = SITE


def _unique_email(name: str) -> str:
    """allauth limits emails per address, and with Redis the count outlives the test: one address per test."""
    return f"{name}.{uuid.uuid4().hex[:12]}@example.org"


@pytest.fixture
def pat(early_help):
    return UserFactory(email=_unique_email("pat"), full_name="Pat Lee", organisation=early_help)


def _signed_in(user) -> BrowserClient:
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    browser.force_login(user)
    return browser


def _ask_to_change(browser, new: str):
    """The form on /accounts/email/, then the password again when asked."""
    asked = browser.post("/accounts/email/", {"action_add": "", "email": new})
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/reauthenticate/"), asked
    return browser.post(asked["Location"], {"password": PASSWORD}, follow=True)


def _code(email) -> str:
    return re.search(r"^\s*([A-Z0-9][A-Z0-9-]{5,})\s*$", email.body, re.MULTILINE).group(1)


def _signs_in(email: str, password: str = PASSWORD) -> bool:
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    browser.post("/accounts/login/", {"login": email, "password": password})
    return "_auth_user_id" in browser.session


def test_changing_the_address_asks_for_the_password_first(pat):
    browser = _signed_in(pat)
    new = _unique_email("thief")
    response = browser.post("/accounts/email/", {"action_add": "", "email": new})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not mail.outbox and not EmailAddress.objects.filter(email=new).exists()
    assert browser.post(response["Location"], {"password": "not the password"}).status_code == 200
    assert not mail.outbox

    # The right password carries on with the change the form asked for: a code goes to the new address.
    page = browser.post(response["Location"], {"password": PASSWORD}, follow=True)
    _check_page("type in the code (new address)", page, names=(new,))
    assert [m.to for m in mail.outbox] == [[new]]


def test_the_new_address_signs_nobody_in_until_its_code_is_typed_in(pat):
    old, new = pat.email, _unique_email("new")
    _ask_to_change(_signed_in(pat), new)
    assert [m.to for m in mail.outbox] == [[new]]
    pat.refresh_from_db()
    assert pat.email == old
    assert not _signs_in(new) and _signs_in(old)
    # No sign-in code and no password reset link go to it either.
    mail.outbox.clear()
    BrowserClient(REMOTE_ADDR=unique_ip()).post("/accounts/login/code/", {"email": new})
    BrowserClient(REMOTE_ADDR=unique_ip()).post("/accounts/password/reset/", {"email": new})
    assert [m.subject for m in mail.outbox] == [f"About signing in to {SITE}"] * 2


def test_typing_in_the_code_changes_the_address_and_tells_the_old_one(pat):
    old, new = pat.email, _unique_email("new")
    browser = _signed_in(pat)
    _ask_to_change(browser, new)
    response = browser.post("/accounts/confirm-email/", {"code": _code(mail.outbox[-1])})
    assert response.status_code == 302

    pat.refresh_from_db()
    assert pat.email == new
    assert list(EmailAddress.objects.filter(user=pat).values_list("email", "verified", "primary")) == [
        (new, True, True)
    ]
    assert _signs_in(new) and not _signs_in(old)
    notice = mail.outbox[1]
    assert notice.to == [old]
    _check_email("email changed", notice, f"Your email address for {SITE} was changed")
    assert new in notice.body


def test_a_wrong_code_changes_nothing(pat):
    old, new = pat.email, _unique_email("new")
    browser = _signed_in(pat)
    _ask_to_change(browser, new)
    wrong = "AAAA-AAAA" if _code(mail.outbox[-1]) != "AAAA-AAAA" else "BBBB-BBBB"
    assert browser.post("/accounts/confirm-email/", {"code": wrong}).status_code == 200
    pat.refresh_from_db()
    assert pat.email == old and not EmailAddress.objects.filter(email=new).exists()
    assert len(mail.outbox) == 1  # only the code: the old address has nothing to be told


def test_a_password_change_is_told_to_the_address(pat):
    browser = _signed_in(pat)
    browser.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a new long secret 7", "password2": "a new long secret 7"},
    )
    assert [(m.to, m.subject) for m in mail.outbox] == [([pat.email], f"Your {SITE} password was changed")]


# The stricter setting (a checked address is needed to sign in) leaves every account's sign-in as it was.


def test_accounts_made_before_keep_their_own_address_checked_and_no_other(early_help):
    person = User(email=_unique_email("before"), full_name="Made Before", organisation=early_help)
    person.set_password(PASSWORD)
    person.save()  # as every account was made until now: no EmailAddress row for its own address
    # Added on the old email page: unchecked (yet enough to sign in by code), or checked by whoever owns it.
    planted = [_unique_email("unchecked"), _unique_email("checked")]
    EmailAddress.objects.create(user=person, email=planted[0], verified=False, primary=False)
    EmailAddress.objects.create(user=person, email=planted[1], verified=True, primary=True)

    migration = importlib.import_module("network.migrations.0004_sign_in_addresses_checked")
    migration.check_sign_in_addresses(apps, None)

    assert list(EmailAddress.objects.filter(user=person).values_list("email", "verified", "primary")) == [
        (person.email, True, True)
    ]
    assert _signs_in(person.email)
    assert not mail.outbox  # no code to type in
    for email in planted:
        BrowserClient(REMOTE_ADDR=unique_ip()).post("/accounts/login/code/", {"email": email})
    assert [m.subject for m in mail.outbox] == [f"About signing in to {SITE}"] * 2


def test_an_account_made_by_its_agency_signs_in_with_no_code_to_type_in(early_help, alice):
    email = _unique_email("new.starter")
    network_services.professional_create(
        actor=alice, email=email, full_name="New Starter", organisation=early_help, password=PASSWORD
    )
    assert EmailAddress.objects.get(email=email).verified
    assert _signs_in(email)
    assert not mail.outbox
