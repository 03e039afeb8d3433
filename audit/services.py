from typing import Any

from audit.context import current_origin
from audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    client: Any = None,
    obj: Any = None,
    before: dict | None = None,
    after: dict | None = None,
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
    )


def audit_read(*, actor: Any, action: str, client: Any = None, obj: Any = None) -> AuditEvent:
    """Record that someone looked at a client's record (or a part of it)."""
    return audit_record(actor=actor, action=action, client=client, obj=obj)
