"""The sign-in code pages and emails speak Alongside's plain words, with the site's own name, at a reading
age of about nine (as the portal pages: tests/portal/test_readability.py)."""

import re

from django.core import mail
from django.test import Client as BrowserClient

from tests.factories import UserFactory
from tests.portal.test_readability import MAX_GRADE, explain, grade, main_sentences


def _email_sentences(body: str) -> list[str]:
    return [
        s if s[-1] in ".!?:" else s + "."
        for line in body.splitlines()
        for s in re.split(r"(?<=[.!?])\s+", line.strip())
        if re.search(r"[A-Za-z]", s) and "http" not in s
    ]


def _request_code(settings):
    settings.SITE_NAME = "Alongside"
    person = UserFactory(organisation=None, kind="client", email="gail@example.net")
    browser = BrowserClient()
    request_page = browser.get("/accounts/login/code/")
    confirm_page = browser.post("/accounts/login/code/", {"email": person.email}, follow=True)
    return request_page, confirm_page, mail.outbox[-1]


def test_the_code_pages_speak_plainly(db, settings):
    request_page, confirm_page, _email = _request_code(settings)
    for label, response in (("request", request_page), ("confirm", confirm_page)):
        html = response.content.decode()
        assert "Request Code" not in html and "Enter Sign-In Code" not in html, label
        sentences = main_sentences(html, ("Alongside",))
        assert grade(" ".join(sentences)) <= MAX_GRADE, explain(f"The {label} page", sentences)
    assert "Type in your code" in confirm_page.content.decode()


def test_the_code_email_speaks_plainly_as_the_site(db, settings):
    _request, _confirm, email = _request_code(settings)
    assert email.subject == "Your code to sign in to Alongside"
    for phrase in ("Hello from", "127.0.0.1", "testserver", "initiate"):
        assert phrase not in email.body, phrase
    assert "Alongside" in email.body
    sentences = [s.replace("Alongside", "Sam") for s in _email_sentences(email.body)]
    assert grade(" ".join(sentences)) <= MAX_GRADE, explain("The code email", sentences)


def test_the_site_name_comes_from_the_settings(db, settings):
    settings.SITE_NAME = "Circle Care"
    UserFactory(organisation=None, kind="client", email="hal@example.net")
    BrowserClient().post("/accounts/login/code/", {"email": "hal@example.net"})
    assert mail.outbox[-1].subject == "Your code to sign in to Circle Care"
    assert "Circle Care" in mail.outbox[-1].body


def test_a_password_reset_email_speaks_plainly(alice, settings):
    BrowserClient().post("/accounts/password/reset/", {"email": alice.email})
    email = mail.outbox[-1]
    assert email.subject == "Set a new password for Alongside"
    assert "Hello from" not in email.body and "Thank you for using" not in email.body
    assert "/accounts/password/reset/key/" in email.body


def test_an_unknown_address_is_not_offered_a_sign_up(db):
    BrowserClient().post("/accounts/password/reset/", {"email": "nobody@example.net"})
    email = mail.outbox[-1]
    assert "sign up" not in email.body.lower() and "signup" not in email.body.lower()
