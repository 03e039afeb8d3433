"""The one tail of every write: the change's audit row, then its event, in the writing transaction."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from audit.services import audit_record
from changes.catalogue import Change
from realtime.publish import publish, publish_to_stream


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
