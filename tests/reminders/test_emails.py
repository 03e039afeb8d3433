"""Reminder emails are plain text in plain words, each line with a link, and say nothing about anyone's
case beyond first names and what is due."""

import re

from django.utils import timezone

from reminders import outbox, scan
from tests.factories import NoteFactory

CASE_CONTENT = [
    "Okafor",  # a family name
    "Ring the landlord",  # an action's words
    "damp",
    "Keep our flat",  # a goal's words
    "See my sister",
    "Registered with us",  # a request's reason
    "NOTE-TEXT",
    "Dana",  # who asked to join
]


def test_the_digest_is_plain_text_with_a_link_on_every_line(reminders_world, alice, bob, mailoutbox):
    NoteFactory(client=reminders_world, author=alice, text="NOTE-TEXT about the flat")
    scan.run_day(timezone.localdate(), "worker-1")
    assert outbox.deliver_outbox(worker="worker-1") == 2
    by_person = {message.to[0]: message for message in mailoutbox}
    digest = by_person[alice.email]

    assert digest.content_subtype == "plain" and not getattr(digest, "alternatives", [])
    assert digest.subject == f"Alongside: 4 reminders for {timezone.localdate():%-d %B}"
    assert digest.extra_headers["Message-ID"].startswith(f"<digest-{alice.pk}-")
    lines = digest.body.splitlines()
    assert lines[0] == "Hello Alice,"
    items = [n for n, line in enumerate(lines) if line.startswith("- ")]
    assert len(items) == 4
    for n in items:  # each line that says something has its link on the next
        assert re.fullmatch(r"  http://127\.0\.0\.1:8000/\S+", lines[n + 1]), lines[n + 1]
    assert lines[-1].startswith("  http://127.0.0.1:8000/reminders/preferences/")
    for message in mailoutbox:
        for words in CASE_CONTENT:
            assert words not in message.body and words not in message.subject, (words, message.body)
    assert "Your action for Grace was due on" in by_person[bob.email].body


def test_an_email_the_mail_server_refuses_is_tried_again(reminders_world, mailoutbox, settings):
    from unittest import mock

    from reminders.models import OutgoingEmail

    scan.run_day(timezone.localdate(), "worker-1")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("Connection refused")):
        assert outbox.deliver_outbox(worker="worker-1") == 0
    assert OutgoingEmail.objects.filter(sent_at=None, attempts=1).count() == 2
    assert outbox.deliver_outbox(worker="worker-1") == 0  # not again at once: after the claim goes stale
    settings.REMINDERS_STALE_SECONDS = 0
    assert outbox.deliver_outbox(worker="worker-1") == 2
    assert len(mailoutbox) == 2
