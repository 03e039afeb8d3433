"""While the database cannot be reached: a fast 503 in plain words (JSON for the API), with Retry-After.

Two ways in, one answer. `DatabaseOutageMiddleware.process_exception` catches a view's error; an error in a
middleware (the session or the signed-in person are the first things a request reads) reaches Django's
500 handler, which `server_error` replaces (`handler500` in the URL configuration). Either way the outage
is logged once when it starts and once when a request next succeeds, not once per request.
"""

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = "Alongside can’t reach its database; try again in a minute."

_lock = threading.Lock()
_outage_since: float | None = None


def is_database_unreachable(error: BaseException | None) -> bool:
    """Is this the database being out of reach (down, restarting, no free connection), not a bad query?"""
    if isinstance(error, InterfaceError):
        return True  # Django's "connection already closed"
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if not isinstance(cause, psycopg.OperationalError):
        return False  # e.g. SQLite's "no such table": a fault in the code, shown as a 500
    # No SQLSTATE: the connection failed or dropped (and psycopg_pool's PoolTimeout); class 08 is a
    # connection exception; 57P01-57P03 are the server shutting down or starting up.
    state = cause.sqlstate
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    global _outage_since
    with _lock:
        starting = _outage_since is None
        if starting:
            _outage_since = time.monotonic()
    if starting:
        logger.error("The database cannot be reached (%s); answering 503 until it can", error)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": MESSAGE}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged once above for the whole outage: stop Django's request logger adding a line per request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def outage_over() -> None:
    global _outage_since
    if _outage_since is None:
        return
    with _lock:
        since, _outage_since = _outage_since, None
    if since is not None:
        logger.warning("The database answers again after %.0f s", time.monotonic() - since)


def reset() -> None:
    """Forget any outage in progress (for tests)."""
    global _outage_since
    with _lock:
        _outage_since = None


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 500:
            outage_over()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unreachable(exception):
            return outage_response(request, exception)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 page, unless the error is the database being out of reach (raised in a middleware)."""
    import sys

    error = sys.exc_info()[1]
    if is_database_unreachable(error):
        assert error is not None
        return outage_response(request, error)
    return django_server_error(request, template_name)
