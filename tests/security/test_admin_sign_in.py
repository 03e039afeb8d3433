"""The Django admin has no sign-in of its own: it sends people to Alongside's (allauth's) sign-in page,
with the same rate limits and the same two-factor step as everyone else."""

import uuid

from allauth.mfa.models import Authenticator
from django.test import Client as BrowserClient

from tests.access.conftest import unique_ip
from tests.conftest import signed_in
from tests.factories import UserFactory


def _staff(db=None):
    return UserFactory(
        email=f"{uuid.uuid4().hex}@example.org", organisation=None, is_staff=True, is_superuser=True
    )


def test_the_admin_sign_in_page_is_alongside_s(db):
    response = BrowserClient().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_admin_sends_a_stranger_to_alongside_s_sign_in(db):
    response = BrowserClient().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_thirty_wrong_passwords_then_the_right_one_do_not_get_in(db):
    sam = _staff()
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    for _ in range(30):
        browser.post("/admin/login/", {"username": sam.email, "password": "not-the-password"})
    browser.post("/admin/login/", {"username": sam.email, "password": "password-for-tests"})
    assert "_auth_user_id" not in browser.session
    # The wrong passwords were never even tried: Alongside's sign-in still lets Sam in.
    browser.post("/accounts/login/?next=/admin/", {"login": sam.email, "password": "password-for-tests"})
    assert browser.session.get("_auth_user_id") == str(sam.pk)


def test_the_admin_sign_in_asks_for_the_second_factor(db):
    sam = _staff()
    Authenticator.objects.create(user=sam, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    response = browser.post(
        "/accounts/login/?next=/admin/", {"login": sam.email, "password": "password-for-tests"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in browser.session


def test_signed_in_staff_go_straight_to_the_admin(db):
    response = signed_in(_staff()).get("/admin/login/?next=/admin/network/")
    assert response.status_code == 302 and response["Location"] == "/admin/network/"


def test_signed_in_people_who_are_not_staff_are_refused_not_looped(alice):
    browser = signed_in(alice)
    assert browser.get("/admin/login/?next=/admin/").status_code == 403
    assert browser.get("/admin/", follow=True).status_code == 403


def test_the_admin_sign_in_does_not_send_people_elsewhere(db):
    response = signed_in(_staff()).get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/admin/"
