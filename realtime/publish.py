"""The one way a change reaches open pages: append to the outbox, ring the doorbell after commit.

Services call `publish` inside their transaction. The event row is the record; the channel-layer message
sent on commit is only a doorbell. If the doorbell is lost (Redis restarts, a process dies), sockets see a
gap in the client's sequence numbers on the next event, or ask on reconnect, and read the rows back.
"""

import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from network.rows import insert_row
from realtime.models import Event, Notification, Stream

logger = logging.getLogger(__name__)


# Which events may be published, and with what payload, is the catalogue of changes' to say (changes/, which
# sits above the outbox): it registers its check here when Django starts. Until it has, nothing is published.
_event_checks: list[Callable[[str, dict[str, Any]], None]] = []


def check_events_with(check: Callable[[str, dict[str, Any]], None]) -> None:
    """`check(type, payload)` raises unless `type` is a published change and `payload` matches its type."""
    _event_checks[:] = [check]


def client_group(client_id: int) -> str:
    return f"client-{client_id}"


def stream_group(stream: str) -> str:
    return f"stream-{stream}"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def publish(
    *, client: Any, type: str, payload: dict[str, Any], audience: dict[str, Any] | None = None
) -> Event:
    """Record an event for `client` (a circles.models.Client) and deliver it to subscribers on commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() belongs inside the writing service's transaction")
    if not _event_checks:
        raise RuntimeError("The catalogue of changes is not loaded (is the changes app installed?)")
    _event_checks[0](type, payload)
    # Incrementing the client row in place locks it until commit, so the next sequence number is handed
    # out with no gaps and no duplicates (a second writer waits here, then reads the committed value).
    now = timezone.now()
    seq = _next_seq(client.pk, now)
    client.last_event_seq, client.last_activity_at = seq, now
    # One INSERT without the model machinery (network.rows): every write with an event ends here.
    values = {
        "client_id": client.pk,
        "stream": "",
        "seq": seq,
        "type": type,
        "payload": payload,
        "audience": audience or {},
        "created_at": now,
    }
    event = Event(pk=insert_row(Event, values), **values)
    message = {"type": "client.event", "client_id": client.pk, "event": event.as_message()}
    transaction.on_commit(lambda: ring(client_group(client.pk), message))
    return event


def publish_to_stream(
    *, stream: str, type: str, payload: dict[str, Any], audience: dict[str, Any] | None = None
) -> Event:
    """Record an event on a named stream (one that is not a client's, e.g. "meeting-12"), rung on commit.

    The same outbox and guarantees as `publish`: the stream's counter row is incremented in place (locked
    until commit), so its numbers have no gaps, and sockets catch up from the rows.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish_to_stream() belongs inside the writing service's transaction")
    if not _event_checks:
        raise RuntimeError("The catalogue of changes is not loaded (is the changes app installed?)")
    if not stream:
        raise ValueError("A stream has a name")
    _event_checks[0](type, payload)
    seq = _next_stream_seq(stream)
    event = Event.objects.create(
        stream=stream, seq=seq, type=type, payload=payload, audience=audience or {}, created_at=timezone.now()
    )
    message = {"type": "stream.event", "stream": stream, "event": event.as_message()}
    transaction.on_commit(lambda: ring(stream_group(stream), message))
    return event


def _next_stream_seq(stream: str) -> int:
    """Add one to the stream's counter and return it, in one statement (the row is made the first time)."""
    connection = transaction.get_connection()
    q = connection.ops.quote_name
    table, name, last = q(Stream._meta.db_table), q("name"), q("last_seq")
    sql = f"UPDATE {table} SET {last} = {last} + 1 WHERE {name} = %s RETURNING {last}"  # noqa: S608 (names)
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, [stream])
            row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        Stream.objects.get_or_create(name=stream)  # the stream's first event
    raise RuntimeError(f"Could not number an event on {stream}")


def _next_seq(client_id: int, now: Any) -> int:
    """Add one to the client's event counter and return it, in one statement (UPDATE … RETURNING)."""
    # The counter lives on the client row. The outbox sits below the client record and never imports it:
    # it reaches the table through its own foreign key.
    client_model: Any = Event._meta.get_field("client").related_model
    connection = transaction.get_connection()
    q = connection.ops.quote_name
    table, pk, seq, at = (
        q(client_model._meta.db_table),
        q(client_model._meta.pk.column),
        q("last_event_seq"),
        q("last_activity_at"),
    )
    sql = f"UPDATE {table} SET {seq} = {seq} + 1, {at} = %s WHERE {pk} = %s RETURNING {seq}"  # noqa: S608 (names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), client_id])
        row = cursor.fetchone()
    if row is None:
        raise client_model.DoesNotExist(f"client {client_id}")
    return int(row[0])


def notify(*, user: Any, kind: str, text: str, url: str = "") -> Notification:
    """Tell one person something, in-app: stored, and rung to their open pages once the transaction commits."""
    notification = Notification.objects.create(user=user, kind=kind, text=text[:500], url=url)
    message = {"type": "user.notification", "notification": notification.as_message()}
    transaction.on_commit(lambda: ring(user_group(user.pk), message))
    return notification


def end_sessions(*, user_id: int) -> None:
    """Close every live socket of this person now (they signed out, or their account was switched off)."""
    ring(user_group(user_id), {"type": "user.signed_out"})


def ring(group: str, message: dict[str, Any]) -> None:
    """Send a doorbell to a group now. A failure is logged, not raised: the outbox still has the event."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("Could not ring %s; sockets will catch up from the outbox", group)


def publish_first_events(
    *, events: "list[tuple[Any, str, dict[str, Any], dict[str, Any] | None]]", batch_size: int = 1000
) -> int:
    """The first events of clients made in this very transaction (a bulk import), in bulk.

    `events` is (client, type, payload, audience) in order; each client's are numbered 1, 2, 3… as given,
    and its counter is set to match, which refuses a client that already has events (its counter is not
    0). No doorbell is rung: nobody can be listening to a client that did not exist until this transaction
    commits; a page opened later reads the client as it is.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish_first_events() belongs inside the writing service's transaction")
    if not _event_checks:
        raise RuntimeError("The catalogue of changes is not loaded (is the changes app installed?)")
    now = timezone.now()
    counts: dict[int, int] = {}
    rows = []
    for client, type_, payload, audience in events:
        _event_checks[0](type_, payload)
        seq = counts[client.pk] = counts.get(client.pk, 0) + 1
        client.last_event_seq, client.last_activity_at = seq, now
        rows.append(
            Event(
                client=client, seq=seq, type=type_, payload=payload, audience=audience or {}, created_at=now
            )
        )
    client_model: Any = Event._meta.get_field("client").related_model
    by_count: dict[int, list[int]] = {}
    for client_id, count in counts.items():
        by_count.setdefault(count, []).append(client_id)
    for count, ids in by_count.items():
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            updated = client_model.objects.filter(pk__in=chunk, last_event_seq=0).update(
                last_event_seq=count, last_activity_at=now
            )
            if updated != len(chunk):
                raise RuntimeError("publish_first_events() is for clients with no events yet")
    Event.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
