"""Reads for live sockets: who may subscribe, what they may see now, and what they missed."""

from typing import TYPE_CHECKING, Any

from circles import access, public_id
from circles.models import Client
from realtime.models import Event, Notification, Stream

if TYPE_CHECKING:
    from network.models import User

# Catch-up reads the outbox this many events at a time (and sends each page before reading the next).
CATCH_UP_PAGE = 500


def subscription_for(user: "User", public_id_text: str) -> tuple[int, access.Viewer, int] | None:
    """(client id, viewer, the client's latest event seq) if `user` may follow this client live, else None."""
    try:
        canonical = public_id.normalise(public_id_text)
    except public_id.InvalidPublicId:
        return None
    client = Client.objects.filter(public_id=canonical).only("pk", "last_event_seq").first()
    if client is None:
        return None
    viewer = access.viewer_for(user, client)
    if viewer is None:
        return None
    return client.pk, viewer, client.last_event_seq


def viewer_now(user_id: int, client_id: int) -> access.Viewer | None:
    """What this person may see of the client now, or None if they may no longer follow it at all."""
    from network.models import User

    user = User.objects.filter(pk=user_id).first()
    client = Client.objects.filter(pk=client_id).only("pk").first()
    if user is None or client is None:
        return None
    return access.viewer_for(user, client)


def latest_seq(client_id: int) -> int:
    """The seq of the client's newest event (0 if none): how far the outbox has got."""
    seq = Client.objects.filter(pk=client_id).values_list("last_event_seq", flat=True).first()
    return seq or 0


def events_after(
    client_id: int, after: int, upto: int, *, limit: int = CATCH_UP_PAGE
) -> list[dict[str, Any]]:
    """The first `limit` of the client's events with seq in (after, upto], oldest first, as doorbells carry them."""
    events = Event.objects.filter(client_id=client_id, seq__gt=after, seq__lte=upto).order_by("seq")
    return [event.as_message() for event in events[:limit]]


def stream_latest_seq(stream: str) -> int:
    """The seq of the stream's newest event (0 if none)."""
    seq = Stream.objects.filter(name=stream).values_list("last_seq", flat=True).first()
    return seq or 0


def stream_events_after(
    stream: str, after: int, upto: int, *, limit: int = CATCH_UP_PAGE
) -> list[dict[str, Any]]:
    """The first `limit` of the stream's events with seq in (after, upto], oldest first."""
    events = Event.objects.filter(stream=stream, seq__gt=after, seq__lte=upto).order_by("seq")
    return [event.as_message() for event in events[:limit]]


def notifications_for(user: "User", *, limit: int = 50) -> list[Notification]:
    """A person's own notifications, newest first."""
    return list(Notification.objects.filter(user=user)[:limit])


def unread_count(user: "User") -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()
