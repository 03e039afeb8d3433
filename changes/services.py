"""The one tail of every write: the change's audit row, then its event, in the writing transaction."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from audit.services import audit_record, audit_record_many
from changes.catalogue import Change
from realtime.publish import publish, publish_first_events, publish_to_stream


def record(
    *,
    change: Change,
    actor: Any,
    client: Any,
    obj: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    payload: Mapping[str, Any] | None = None,
    audience: dict[str, Any] | None = None,
    emergency: bool = False,
    stream: str = "",
) -> None:
    """Audit `change` and, given a `payload`, publish it as an event that rings once the caller commits.

    Without a payload only the audit row is written (e.g. the founding lead's membership, which is part of
    the client's creation and has no event of its own). With a `stream` the event goes to that stream
    (a meeting's, which spans several clients) rather than the client's; `client` may then be None, for a
    change that is about no one client (the audit row then names none).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record() belongs inside the writing service's transaction")
    audit_record(
        actor=actor,
        action=change.name,
        client=client,
        obj=obj,
        before=before,
        after=after,
        emergency=emergency,
    )
    if payload is None:
        return
    if stream:
        publish_to_stream(stream=stream, type=change.name, payload=dict(payload), audience=audience)
    else:
        publish(client=client, type=change.name, payload=dict(payload), audience=audience)


@dataclass(frozen=True)
class Recorded:
    """One change of a batch, as `record` takes it."""

    change: Change
    client: Any
    obj: Any = None
    before: dict | None = None
    after: dict | None = None
    payload: Mapping[str, Any] | None = None
    audience: dict[str, Any] | None = None


def record_for_new_clients(*, actor: Any, changes: Sequence[Recorded]) -> None:
    """`record` for many changes to clients made in this very transaction (a bulk import): the audit rows
    in bulk, one statement a batch per kind of change, and each client's events numbered from 1 in the
    order given (realtime.publish.publish_first_events, which says why no doorbell rings)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_for_new_clients() belongs inside the writing service's transaction")
    by_change: dict[str, list[Recorded]] = {}
    for item in changes:
        by_change.setdefault(item.change.name, []).append(item)
    for name, items in by_change.items():
        audit_record_many(
            actor=actor,
            action=name,
            entries=[(item.client, item.obj, item.before, item.after) for item in items],
        )
    publish_first_events(
        events=[
            (item.client, item.change.name, dict(item.payload), item.audience)
            for item in changes
            if item.payload is not None
        ]
    )
