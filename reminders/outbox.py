"""Sending the mail outbox: each OutgoingEmail is claimed (committed) before it is handed to the mail
server and marked sent after. Two workers never send the same row. A worker killed between the mail
server accepting a message and marking it sent leaves it claimed; after REMINDERS_STALE_SECONDS it is
sent again with the same Message-ID (docs/architecture.md says why that window is accepted)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reminders.models import OutgoingEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _claim_one(worker: str) -> OutgoingEmail | None:
    stale = timezone.now() - datetime.timedelta(seconds=settings.REMINDERS_STALE_SECONDS)
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(sent_at=None, attempts__lt=MAX_ATTEMPTS)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
            .order_by("pk")
            .first()
        )
        if email is None:
            return None
        # The conditional UPDATE is the claim on SQLite too, which has no row locks: only one worker's matches.
        claimed = OutgoingEmail.objects.filter(pk=email.pk, claimed_at=email.claimed_at, sent_at=None).update(
            claimed_at=timezone.now(), claimed_by=worker, attempts=email.attempts + 1
        )
        return email if claimed else None


def deliver_outbox(*, worker: str, limit: int = 10_000) -> int:
    """Send what is waiting in the mail outbox; the number sent."""
    sent = 0
    for _ in range(limit):
        email = _claim_one(worker)
        if email is None:
            break
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            to=[email.to],
            headers={"Message-ID": email.message_id},
        )
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 (any mail server failure: try again later)
            logger.warning("Could not send email %s: %s", email.pk, exc)
            # Left claimed: it is tried again once the claim goes stale, not straight away in this loop.
            OutgoingEmail.objects.filter(pk=email.pk).update(last_error=str(exc)[:500])
            continue
        OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
