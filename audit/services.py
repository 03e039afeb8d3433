from typing import Any

from audit.context import current_origin
from audit.models import AuditEvent
from network.text import clean_line


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
    origin = current_origin.get()
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        client=client,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        via=origin.via,
        emergency=emergency,
    )


def audit_read(*, record: Any, action: str, obj: Any = None, detail: dict | None = None) -> AuditEvent:
    """Record that someone looked at (part of) a client's record; `record` is a circles.access.RecordAccess."""
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
    return audit_record(
        actor=actor, action="client.search", after={"query": clean_line(query), "results": result_count}
    )
