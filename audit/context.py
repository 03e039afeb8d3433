"""Where the current request came from, for the audit trail.

Set once per request by RequestContextMiddleware (and by the websocket consumer), read by
audit.services.audit_record, so services need not pass the request around just to say "from where".
"""

from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from network.models import ApiToken


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    user_agent: str = ""
    via: str = "command"
    api_token: ApiToken | None = None  # the token that signed an API request


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039 (frozen)
# The request being served: the API authenticates inside the view, after the middleware set the origin,
# so which token (if any) signed it is read from the request when a row is written.
current_request: ContextVar[Any] = ContextVar("current_request", default=None)


def origin_now() -> Origin:
    origin = current_origin.get()
    token = getattr(current_request.get(), "auth", None)
    return replace(origin, api_token=token) if isinstance(token, ApiToken) else origin
