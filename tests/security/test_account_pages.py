"""Every allauth page and email Alongside can reach speaks Alongside's plain words, with the site's name from
settings: none of allauth's stock wording ("Password Reset", "Sign In", "Hello from…"), no jargon ("TOTP",
"key"). Pages a portal user can meet (password reset, sign out, set a password…) read at an age of about nine
(as the portal: tests/portal/test_readability.py); the two-factor pages, which professionals meet, stay
close to it."""

import re
import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.test import Client as BrowserClient

from tests.access.conftest import unique_ip
from tests.factories import UserFactory
from tests.portal.test_readability import MAX_GRADE, explain, grade, main_sentences
from tests.security.test_sign_in_words import _email_sentences

SITE = "Circle Care"  # not the default, so the name can only have come from settings.SITE_NAME
SECRET = "JBSWY3DPEHPK3PXP"
# Professionals meet the two-factor pages; their words are plain, with a few longer ones ("authenticator").
MAX_GRADE_TWO_FACTOR = 6.0

STOCK_PHRASES = (
    "Password Reset", "Sign In", "Sign Out", "Sign Up", "Change Password", "Set Password", "Reset My Password",
    "Two-Factor Authentication", "Authenticator App", "Recovery Codes", "Confirm Access", "Bad Token",
    "reauthenticate", "Account Inactive", "Hello from", "Thank you for using", "Deactivate", "Activate",
)  # fmt: skip
JARGON = re.compile(r"\b(TOTP|key|keys|token|authentication|2FA|MFA)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _site_name(settings):
    settings.SITE_NAME = SITE


def _sign_in(user, code: str | None = None, password: str = "password-for-tests") -> BrowserClient:
    """A real sign-in (password, then the phone's code if asked), then the password once more: allauth asks
    for it again before any change to how one signs in."""
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    response = browser.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    if code is not None:
        assert response["Location"].startswith("/accounts/2fa/authenticate/")
        assert browser.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert "_auth_user_id" in browser.session
    assert browser.post("/accounts/reauthenticate/", {"password": password}).status_code == 302
    return browser


def _code(secret: str = SECRET) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle one: now
    return format_hotp_value(hotp_value(secret, counter))


def _with_two_factor(user) -> None:
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    RecoveryCodes.activate(user)


def _check_page(label: str, response, max_grade: float = MAX_GRADE, names: tuple[str, ...] = ()) -> None:
    assert response.status_code == 200, (label, response.status_code)
    html = response.content.decode()
    shown = re.sub(r"<[^>]*>", " ", html)  # the words on the page and in its title, not its links
    assert SITE in shown, f"{label}: the site's name is missing"
    for phrase in STOCK_PHRASES:
        assert phrase not in shown, f"{label}: allauth's {phrase!r}"
    sentences = main_sentences(html, (SITE, *names))  # names and addresses are not our wording
    text = " ".join(sentences)
    assert not JARGON.search(text), f"{label}: jargon {JARGON.search(text)!r}"
    assert grade(text) <= max_grade, explain(f"The {label} page", sentences)


def _unique_email() -> str:
    """allauth limits emails per address, and with Redis the count outlives the test: one address per test."""
    return f"pat.{uuid.uuid4().hex[:12]}@example.org"


@pytest.fixture
def pat(alice):
    return UserFactory(email=_unique_email(), full_name="Pat Lee", organisation=alice.organisation)


def _reset_link(email) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+)", email.body).group(1)


# Pages anyone can reach, signed in or not: the password reset, sign-up (closed), a closed account.


def test_the_password_reset_pages_speak_plainly(pat):
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    _check_page("reset request", browser.get("/accounts/password/reset/"))
    sent = browser.post("/accounts/password/reset/", {"email": pat.email}, follow=True)
    _check_page("reset sent", sent)
    assert "Check your email" in sent.content.decode()

    choose = browser.get(_reset_link(mail.outbox[-1]), follow=True)
    _check_page("choose a new password", choose)
    assert "Choose a new password" in choose.content.decode()
    done = browser.post(
        choose.request["PATH_INFO"],
        {"password1": "a new long secret 7", "password2": "a new long secret 7"},
        follow=True,
    )
    _check_page("new password saved", done)
    assert "Your new password is saved" in done.content.decode()
    pat.refresh_from_db()
    assert pat.check_password("a new long secret 7")


def test_a_used_or_wrong_reset_link_says_so_plainly(db):
    response = BrowserClient().get("/accounts/password/reset/key/1-not-a-real-link/", follow=True)
    _check_page("wrong reset link", response)
    assert "This link does not work" in response.content.decode()


def test_a_reset_password_that_does_not_match_is_explained_in_our_words(pat):
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    browser.post("/accounts/password/reset/", {"email": pat.email})
    choose = browser.get(_reset_link(mail.outbox[-1]), follow=True)
    response = browser.post(
        choose.request["PATH_INFO"], {"password1": "a new long secret 7", "password2": "x"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() and "Type it again" in response.content.decode()


def test_sign_up_is_closed_in_plain_words(db):
    _check_page("sign-up closed", BrowserClient().get("/accounts/signup/"))


def test_a_closed_account_is_explained_plainly(db):
    _check_page("closed account", BrowserClient().get("/accounts/inactive/"))


# Pages a portal user (no password: they sign in with a code) can reach.


def test_a_portal_user_can_sign_out_and_set_a_password_in_plain_words(db):
    person = UserFactory(organisation=None, kind="client", email="gail@example.net")
    person.set_unusable_password()
    person.save()
    browser = BrowserClient()
    browser.force_login(person)
    _check_page("sign out", browser.get("/accounts/logout/"))
    set_page = browser.get("/accounts/password/change/", follow=True)
    _check_page("set a password", set_page)
    assert set_page.request["PATH_INFO"] == "/accounts/password/set/"


# Professionals' pages: changing the password, showing it is them again, two-factor sign-in.


def test_changing_a_password_speaks_plainly(alice):
    browser = _sign_in(alice)
    _check_page("change password", browser.get("/accounts/password/change/"))
    _check_page("show it is you (password)", browser.get("/accounts/reauthenticate/"))


def test_turning_on_two_factor_sign_in_speaks_plainly(alice):
    browser = _sign_in(alice)
    _check_page("two-factor (off)", browser.get("/accounts/2fa/"), MAX_GRADE_TWO_FACTOR)
    page = browser.get("/accounts/2fa/totp/activate/")
    _check_page("turn on two-factor", page, MAX_GRADE_TWO_FACTOR)
    required = browser.get("/accounts/2fa/totp/activate/?required=1")
    assert "Your organisation asks you to turn this on" in required.content.decode()


def test_signing_in_with_two_factor_speaks_plainly(alice):
    _with_two_factor(alice)
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    browser.post("/accounts/login/", {"login": alice.email, "password": "password-for-tests"})
    _check_page("type in the code", browser.get("/accounts/2fa/authenticate/"))


def test_the_two_factor_pages_speak_plainly(alice):
    _with_two_factor(alice)
    browser = _sign_in(alice, code=_code())
    index = browser.get("/accounts/2fa/")
    _check_page("two-factor (on)", index, MAX_GRADE_TWO_FACTOR)
    assert "You have 10 of 10 codes left." in index.content.decode()
    _check_page("turn off two-factor", browser.get("/accounts/2fa/totp/deactivate/"), MAX_GRADE_TWO_FACTOR)
    _check_page("backup codes", browser.get("/accounts/2fa/recovery-codes/"), MAX_GRADE_TWO_FACTOR)
    _check_page(
        "make new backup codes", browser.get("/accounts/2fa/recovery-codes/generate/"), MAX_GRADE_TWO_FACTOR
    )
    _check_page("show it is you (phone)", browser.get("/accounts/2fa/reauthenticate/"), MAX_GRADE_TWO_FACTOR)


def test_a_change_to_how_one_signs_in_asks_for_the_password_in_plain_words(alice):
    browser = BrowserClient()
    browser.force_login(alice)
    response = browser.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.request["PATH_INFO"] == "/accounts/reauthenticate/"
    _check_page("show it is you (asked)", response)


def test_the_email_address_page_speaks_plainly(alice):
    """Not linked from the Security menu, but open to anyone signed in at /accounts/email/."""
    browser = _sign_in(alice)
    home = _unique_email()
    page = browser.get("/accounts/email/")
    _check_page("email address", page, names=(alice.email,))
    assert f"You sign in to {SITE} with <strong>{alice.email}</strong>" in page.content.decode()
    asked = browser.post("/accounts/email/", {"action_add": "", "email": home}, follow=True)
    _check_page("type in the code (new address)", asked, names=(home,))
    assert "Type in your code" in asked.content.decode()


def test_an_address_never_checked_is_checked_at_sign_in_in_plain_words(early_help):
    """An account made without one (the Django admin's form, say) proves its address with a code once."""
    person = UserFactory.build(email=_unique_email(), organisation=early_help)
    person.set_password("password-for-tests")
    person.save()
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    response = browser.post("/accounts/login/", {"login": person.email, "password": "password-for-tests"})
    assert response.status_code == 302 and "_auth_user_id" not in browser.session
    page = browser.get(response["Location"])
    _check_page("type in the code (sign in)", page, names=(person.email,))
    code = re.search(r"^\s*([A-Z0-9][A-Z0-9-]{5,})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    assert browser.post(response["Location"], {"code": code}).status_code == 302
    assert browser.session["_auth_user_id"] == str(person.pk)


# Emails: the security notices (ACCOUNT_EMAIL_NOTIFICATIONS) and the reset link.


def _check_email(label: str, email, subject: str) -> None:
    assert email.subject == subject, label
    sentences = _email_sentences(email.body)  # every line but the link
    words = " ".join(sentences)
    for phrase in ("Hello from", "127.0.0.1", "testserver", "Thank you for using", "recognize", "originates"):
        assert phrase not in words, (label, phrase)
    assert SITE in words, label
    assert not JARGON.search(words), (label, JARGON.search(words))
    sentences = [s.replace(SITE, "Sam") for s in sentences]
    assert grade(" ".join(sentences)) <= MAX_GRADE, explain(f"The {label} email", sentences)


@pytest.mark.django_db(transaction=True)  # allauth sends it on commit, inside the request
def test_the_email_check_email_reads_plainly(alice):
    browser = _sign_in(alice)
    browser.post("/accounts/email/", {"action_add": "", "email": _unique_email()})
    _check_email("email check", mail.outbox[-1], f"Is this your email address for {SITE}?")


def test_the_reset_link_email_reads_plainly(pat):
    BrowserClient(REMOTE_ADDR=unique_ip()).post("/accounts/password/reset/", {"email": pat.email})
    _check_email("reset link", mail.outbox[-1], f"Set a new password for {SITE}")


@pytest.mark.django_db(transaction=True)  # allauth sends some notices on commit, inside the request
def test_the_security_notices_speak_plainly(alice):
    browser = _sign_in(alice)
    browser.post(
        "/accounts/password/change/",
        {
            "oldpassword": "password-for-tests",
            "password1": "a new long secret 7",
            "password2": "a new long secret 7",
        },
    )
    _check_email("password changed", mail.outbox[-1], f"Your {SITE} password was changed")

    browser = _sign_in(alice, password="a new long secret 7")
    secret = browser.get("/accounts/2fa/totp/activate/").context["form"].secret
    response = browser.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    _check_email("two-factor on", mail.outbox[-1], f"Two-factor sign-in is on for {SITE}")
    browser.post("/accounts/2fa/recovery-codes/generate/")
    _check_email("new backup codes", mail.outbox[-1], f"New backup codes for {SITE}")
    browser.post("/accounts/2fa/totp/deactivate/")
    _check_email("two-factor off", mail.outbox[-1], f"Two-factor sign-in is off for {SITE}")


def test_the_password_reset_notice_speaks_plainly(pat):
    browser = BrowserClient(REMOTE_ADDR=unique_ip())
    browser.post("/accounts/password/reset/", {"email": pat.email})
    choose = browser.get(_reset_link(mail.outbox[-1]), follow=True)
    browser.post(
        choose.request["PATH_INFO"], {"password1": "a new long secret 7", "password2": "a new long secret 7"}
    )
    _check_email("password reset", mail.outbox[-1], f"Your {SITE} password was changed")
