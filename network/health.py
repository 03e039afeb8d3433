"""/healthz: does the database answer, and does the channel layer carry a message? JSON, 200 or 503.

It answers within about two seconds whatever is down (each check has its own budget; they run side by side),
and leaves nothing behind: the channel-layer probe uses one channel per process, made on first use.
"""

import asyncio
import uuid
import weakref

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse

CHECK_SECONDS = 1.5


def _database_ok() -> bool:
    try:
        pool = getattr(connection, "pool", None) if connection.connection is None else None
        if pool is not None:
            # While PostgreSQL is down the pool waits its whole timeout for a connection; a health check
            # waits less. (A connection that broke since it was pooled fails the query below at once.)
            pool.open()  # as Django does before each getconn (nothing if it is open already)
            pool.putconn(pool.getconn(timeout=CHECK_SECONDS))
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


class _Probe:
    """This process's channel for checking the layer, and a lock so that checks take turns on it."""

    def __init__(self, layer, channel: str) -> None:
        self.layer, self.channel, self.lock = layer, channel, asyncio.Lock()


_probes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Probe]" = weakref.WeakKeyDictionary()


async def _probe_for(layer) -> _Probe:
    loop = asyncio.get_running_loop()
    probe = _probes.get(loop)
    if probe is None or probe.layer is not layer:
        # Reach the layer first, so that while Redis is down no half-made channel is left behind each time.
        await layer.group_send("healthz", {"type": "health.check"})
        probe = _probes[loop] = _Probe(layer, await layer.new_channel())
    return probe


async def _channel_layer_ok() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            probe = await _probe_for(layer)
            async with probe.lock:
                token = uuid.uuid4().hex
                await layer.send(probe.channel, {"type": "health.check", "token": token})
                while (await layer.receive(probe.channel)).get("token") != token:
                    pass  # the answer to an earlier check that ran out of time
        return True
    except Exception:
        return False


async def healthz(request: HttpRequest) -> JsonResponse:
    database, channel_layer = await asyncio.gather(sync_to_async(_database_ok)(), _channel_layer_ok())
    healthy = database and channel_layer
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "database": "ok" if database else "unavailable",
            "channel_layer": "ok" if channel_layer else "unavailable",
        },
        status=200 if healthy else 503,
    )
