import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audit.context import origin_now
from audit.models import AuditEvent
from network.rows import insert_row
from network.text import clean_line

# Which names an audit row may carry is the catalogue of changes' to say (changes/, which sits above audit):
# it registers its check here when Django starts. Until it has, every row is refused.
_action_checks: list[Callable[[str], None]] = []


def check_actions_with(check: Callable[[str], None]) -> None:
    """`check(action)` raises unless `action` names a kind of change in the catalogue."""
    _action_checks[:] = [check]


def audit_record(
    *,
    actor: Any,
    action: str,
    client: Any = None,
    obj: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    emergency: bool = False,
) -> AuditEvent:
    """Append one row to the audit trail. Call it inside the writing transaction."""
    _check(action)
    # One INSERT without the model machinery (network.rows): every write of every app ends here.
    values = {
        **_values(actor, action, client, obj, before, after, origin_now()),
        "at": timezone.now(),
        "emergency": emergency,
    }
    pk = insert_row(AuditEvent, values)
    return AuditEvent(pk=pk, **values)


def _check(action: str) -> None:
    if not _action_checks:
        raise RuntimeError("The catalogue of changes is not loaded (is the changes app installed?)")
    _action_checks[0](action)


def _values(actor: Any, action: str, client: Any, obj: Any, before: Any, after: Any, origin: Any) -> dict:
    """One audit row's columns: who (an anonymous actor is none), what, on what, and from where."""
    return {
        "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "action": action,
        "client_id": client.pk if client is not None else None,
        "object_type": type(obj).__name__ if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "before": before,
        "after": after,
        "ip_address": origin.ip_address,
        "user_agent": origin.user_agent,
        "via": origin.via,
        "api_token_id": origin.api_token.pk if origin.api_token is not None else None,
    }


def text_fingerprint(text: str) -> dict:
    """What the audit keeps of written content: a SHA-256 and the length, never the words.

    The trail is append-only: text in it could never be corrected or erased when a client asks. The
    fingerprint still proves which text was written, against the record's own copy.
    """
    return {"text_sha256": hashlib.sha256(text.encode()).hexdigest(), "text_length": len(text)}


def audit_read(*, record: Any, action: str, obj: Any = None, detail: dict | None = None) -> AuditEvent:
    """Record that someone looked at (part of) a client's record; `record` is a circles.access.RecordAccess."""
    with read_transaction():
        return audit_record(
            actor=record.user,
            action=action,
            client=record.client,
            obj=obj,
            after=detail,
            emergency=record.is_emergency,
        )


def audit_search(*, actor: Any, query: str, result_count: int) -> AuditEvent:
    """Searches are audited: who looked for whom, and how many they found."""
    with read_transaction():
        return audit_record(
            actor=actor, action="client.search", after={"query": clean_line(query), "results": result_count}
        )


@contextmanager
def read_transaction() -> Iterator[None]:
    """What a read records of itself (its audit row; the reader's "last visit", overview.services) is
    committed without waiting for the disk (PostgreSQL's asynchronous commit), in one transaction.

    A page that only reads would otherwise wait for one flush of the write-ahead log (~4 ms here, more
    under load) for each such row. With `synchronous_commit = off` for this one transaction the rows are
    in the database at once, and on disk within `wal_writer_delay` (200 ms): only a crash of the
    database server in that moment could lose them, and never a change to the record (writes, and their
    audit rows, commit synchronously). Inside an outer transaction nothing changes: that one decides (so
    a page wraps its audit row and its visit in one `read_transaction`: one commit, no flush to wait for).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def audit_record_many(
    *,
    actor: Any,
    action: str,
    entries: Iterable[tuple[Any, Any, dict | None, dict | None]],
    batch_size: int = 1000,
) -> int:
    """Append one row per (client, obj, before, after) in `entries`, all for the same actor and action, in
    bulk: what `audit_record` writes for each, in a few statements (a bulk import). Inside the writing
    transaction, as `audit_record`."""
    _check(action)
    origin = origin_now()
    rows = [
        AuditEvent(**_values(actor, action, client, obj, before, after, origin))
        for client, obj, before, after in entries
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
