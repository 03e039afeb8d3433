"""Which pages may open a websocket: exactly our own origin, scheme, host and port alike.

Channels' AllowedHostsOriginValidator compares only the host name with ALLOWED_HOSTS, so a page served
from the same host on another port or scheme (http://alongside.example.org:8080) could open a socket
with the visitor's cookies. This applies the rule Django's CSRF check applies to forms instead: the
Origin must be this very site (the scheme the request arrived with, and its Host header, which must be
in ALLOWED_HOSTS) or one of CSRF_TRUSTED_ORIGINS, exactly.
"""

from typing import Any

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host


def _headers(scope: dict[str, Any]) -> dict[bytes, str]:
    headers: dict[bytes, str] = {}
    for name, value in scope.get("headers", []):
        try:
            headers.setdefault(name.lower(), value.decode("latin1"))
        except (AttributeError, UnicodeDecodeError):
            continue
    return headers


def _is_secure(scope: dict[str, Any], headers: dict[bytes, str]) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        name, secure_value = proxy_header
        header = name.removeprefix("HTTP_").lower().replace("_", "-").encode()
        return headers.get(header, "").split(",")[0].strip() == secure_value
    return False


def origin_allowed(scope: dict[str, Any]) -> bool:
    headers = _headers(scope)
    origin = headers.get(b"origin", "").strip().lower()
    if not origin or origin == "null":
        return False
    if origin in {trusted.lower() for trusted in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    host = headers.get(b"host", "").strip().lower()
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = "https" if _is_secure(scope, headers) else "http"
    own = f"{scheme}://{host}"
    # A browser leaves the default port out of Origin; a Host header may carry it.
    for default in (":443",) if scheme == "https" else (":80",):
        own = own.removesuffix(default)
    return origin == own


class SameOriginValidator:
    """ASGI middleware for websockets: refuse any connection whose Origin is not exactly ours."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
