"""Baseline: Redis pub/sub straight to websockets, no Django, no Channels. Started by bench/realtime.py.

    python bench/baselines/raw_redis_ws.py --port 8002 --redis redis://127.0.0.1:6379/0 --channel bench-raw-123

One asyncio process: a `websockets` server (any path) and one redis.asyncio pub/sub subscription; every
message published on --channel is sent, as is, to every open socket of this process. GET /healthz answers
200 once the subscription is live. Run two of these for a two-process fan-out.
"""

import argparse
import asyncio
import http
import signal

import redis.asyncio as redis
from websockets.asyncio.server import broadcast, serve


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--channel", required=True)
    args = parser.parse_args()

    sockets: set = set()
    subscribed = asyncio.Event()

    async def handler(socket) -> None:
        sockets.add(socket)
        try:
            await socket.wait_closed()
        finally:
            sockets.discard(socket)

    def health(connection, request):
        if request.path == "/healthz":
            status = http.HTTPStatus.OK if subscribed.is_set() else http.HTTPStatus.SERVICE_UNAVAILABLE
            return connection.respond(status, "ok\n")
        return None

    client = redis.Redis.from_url(args.redis)
    pubsub = client.pubsub()
    await pubsub.subscribe(args.channel)

    async def forward() -> None:
        subscribed.set()
        async for message in pubsub.listen():
            if message["type"] == "message":
                broadcast(sockets, message["data"].decode())

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with serve(handler, "127.0.0.1", args.port, process_request=health, max_size=2**16):
        task = asyncio.create_task(forward())
        await stop.wait()
        task.cancel()
    await pubsub.aclose()
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main())
