"""Reads for live sockets: who may subscribe, and what they missed."""

from typing import TYPE_CHECKING, Any

from circles import access, public_id
from circles.models import Client
from realtime.models import Event

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
    if client is None or not access.may_view_client(user, client):
        return None
    return (
        client.pk,
        access.Viewer(user_id=user.pk, organisation_id=user.organisation_id),
        client.last_event_seq,
    )


def still_subscribed(user_id: int, client_id: int) -> bool:
    from network.models import User

    user = User.objects.filter(pk=user_id).first()
    client = Client.objects.filter(pk=client_id).only("pk").first()
    return bool(user and client and access.may_view_client(user, client))


def events_after(client_id: int, after: int, upto: int | None = None) -> list[dict[str, Any]]:
    """The client's events with seq in (after, upto], oldest first, as doorbell messages carry them."""
    events = Event.objects.filter(client_id=client_id, seq__gt=after)
    if upto is not None:
        events = events.filter(seq__lte=upto)
    return [event.as_message() for event in events.order_by("seq")[:CATCH_UP_LIMIT]]
