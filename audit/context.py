"""Where the current request came from, for the audit trail.

Set once per request by RequestContextMiddleware (and by the websocket consumer), read by
audit.services.audit_record, so services need not pass the request around just to say "from where".
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    user_agent: str = ""
    via: str = "command"


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039 (frozen)
