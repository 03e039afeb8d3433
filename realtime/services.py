"""Writes a person makes to their own notifications."""

from typing import TYPE_CHECKING

from django.utils import timezone

from realtime.models import Notification

if TYPE_CHECKING:
    from network.models import User


def notifications_mark_read(*, user: "User") -> int:
    """Mark all of this person's notifications read; returns how many were unread.

    Not audited: notifications are the person's own inbox, not part of any client's record.
    """
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
