"""Reads for live sockets: who may subscribe, what they may see now, and what they missed."""

from typing import TYPE_CHECKING, Any

from circles import access, public_id
from circles.models import Client
from realtime.models import Event, Notification

if TYPE_CHECKING:
    from network.models import User

CATCH_UP_LIMIT = 500


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


def events_after(client_id: int, after: int, upto: int | None = None) -> list[dict[str, Any]]:
    """The client's events with seq in (after, upto], oldest first, as doorbell messages carry them."""
    events = Event.objects.filter(client_id=client_id, seq__gt=after)
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [event.as_message() for event in events.order_by("seq")[:CATCH_UP_LIMIT]]


def notifications_for(user: "User", *, limit: int = 50) -> list[Notification]:
    """A person's own notifications, newest first."""
    return list(Notification.objects.filter(user=user)[:limit])


def unread_count(user: "User") -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()
