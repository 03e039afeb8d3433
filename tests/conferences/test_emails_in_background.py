"""The meeting's emails (invitations, minutes signed off) go through the mail outbox and a background task
once the write commits, never from the request: a write that rolls back sends nothing.

Real commits here (a transactional test), with tests/conftest.py's ImmediateBackend running each task as it
is enqueued, which is when the transaction has committed.
"""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from conferences import services
from conferences.models import Meeting, MinutesVersion
from reminders.models import OutgoingEmail

pytestmark = pytest.mark.django_db(transaction=True)


class Interrupted(Exception):
    pass


@pytest.fixture
def ended(item, moira, alice, carol):
    """A meeting that has ended, which Alice attended; the invitations' emails have gone already."""
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.attendance_record(
        actor=moira, meeting=meeting, invitation=meeting.invitations.get(user=alice), status="present"
    )
    meeting = services.meeting_end(actor=moira, meeting=meeting)
    assert not OutgoingEmail.objects.filter(sent_at=None).exists(), "the invitations went on commit"
    mail.outbox.clear()
    return meeting


def minutes_emails():
    return [m for m in mail.outbox if m.subject == "Meeting minutes are ready"]


def test_signing_off_queues_the_emails_and_a_task_sends_them_after_commit(ended, moira, alice):
    with transaction.atomic():
        services.minutes_sign_off(actor=moira, meeting=ended)
        # Inside the transaction: waiting in the outbox, nothing handed to the mail server yet.
        waiting = OutgoingEmail.objects.get(subject="Meeting minutes are ready")
        assert waiting.to == alice.email and waiting.sent_at is None
        assert mail.outbox == []
    assert [m.to for m in minutes_emails()] == [[alice.email]]
    sent = OutgoingEmail.objects.get(pk=waiting.pk)
    assert sent.sent_at is not None and sent.attempts == 1
    assert minutes_emails()[0].extra_headers["Message-ID"] == sent.message_id


def test_a_sign_off_that_rolls_back_sends_no_email(ended, moira):
    with pytest.raises(Interrupted), transaction.atomic():
        services.minutes_sign_off(actor=moira, meeting=ended)
        raise Interrupted
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(subject="Meeting minutes are ready").exists()
    assert not MinutesVersion.objects.filter(meeting=ended).exists()
    assert Meeting.objects.get(pk=ended.pk).minutes_status == Meeting.Minutes.DRAFT


def test_a_refusing_mail_server_does_not_undo_the_sign_off(ended, moira):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("Connection refused")):
        services.minutes_sign_off(actor=moira, meeting=ended)
    assert Meeting.objects.get(pk=ended.pk).minutes_locked
    waiting = OutgoingEmail.objects.get(subject="Meeting minutes are ready")
    assert waiting.sent_at is None and "refused" in waiting.last_error  # tried again later by the outbox


def test_invitations_are_queued_and_rolled_back_with_the_agenda(meeting, moira, grace, conference_consent):
    mail.outbox.clear()  # the panel's standing member was invited when the meeting was arranged
    before = OutgoingEmail.objects.count()
    with pytest.raises(Interrupted), transaction.atomic():
        services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
        raise Interrupted
    assert mail.outbox == [] and OutgoingEmail.objects.count() == before
    services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    assert {m.to[0] for m in mail.outbox} >= {"alice@example.org", "bob@example.org", "carol@example.org"}
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()
