"""Database work for live sockets, on a few threads of their own.

Channels' `database_sync_to_async` runs every call on ONE thread per process (asgiref's thread-sensitive
mode), so the sockets' reads queue behind each other, and that thread spends most of its time waiting for
PostgreSQL to answer. When many pages connect at once (a deploy, a network blip, a morning) their
handshakes (sign-in, access check, catch-up) queue behind it for longer than daphne waits, and are refused;
the pages retry into the same queue. The soak (bench/soak.py, docs/performance.md) found 1,000 pages that
never got in.

These reads need no particular thread: they run on REALTIME_DB_THREADS threads, each borrowing a pooled
connection for the length of one call (DatabaseSyncToAsync closes it, i.e. gives it back, before and
after). Keep REALTIME_DB_THREADS below DATABASE_POOL_MAX, so that HTTP requests still find a connection.
"""

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from channels.auth import AuthMiddleware, get_user
from channels.db import DatabaseSyncToAsync
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings

P = ParamSpec("P")
R = TypeVar("R")

_threads = ThreadPoolExecutor(max_workers=settings.REALTIME_DB_THREADS, thread_name_prefix="socket-db")


def socket_database(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`function` as a coroutine, run on the sockets' threads with a connection from the pool."""
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=_threads)


class SocketAuthMiddleware(AuthMiddleware):
    """Channels' AuthMiddleware (the session's person in scope["user"]), looked up on the sockets' threads."""

    async def resolve_scope(self, scope: dict[str, Any]) -> None:
        scope["user"]._wrapped = await socket_database(get_user.func)(scope)


def SocketAuthMiddlewareStack(inner: Any) -> CookieMiddleware:  # noqa: N802 (as Channels names its own)
    return CookieMiddleware(SessionMiddleware(SocketAuthMiddleware(inner)))
