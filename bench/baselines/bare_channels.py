"""Baseline: bare Channels fan-out, no Alongside code. Run under daphne by bench/realtime.py and bench/sockets.py.

    BARE_REDIS_URL=redis://127.0.0.1:6379/0 BARE_REDIS_PREFIX=bench-bare-123 \
        python -m daphne -b 127.0.0.1 -p 8001 bare_channels:application     (with bench/baselines on PYTHONPATH)

- websocket on any path: an AsyncWebsocketConsumer that joins the one group "bench" and forwards every
  "bench.event" message it gets as a text frame (the message's "text");
- HTTP POST /send?text=…: `group_send("bench", …)` on the channels-redis layer, then 204 — "HTTP in, fan-out
  out", the shape of an Alongside write minus Django, the database and the access rules;
- HTTP GET /healthz: 200.

Minimal Django settings (only what Channels needs); the channel layer is channels-redis on BARE_REDIS_URL under
its own prefix, or the in-memory layer if BARE_REDIS_URL is unset.
"""

import os
from urllib.parse import parse_qs

import django
from django.conf import settings

if not settings.configured:
    redis_url = os.environ.get("BARE_REDIS_URL", "")
    settings.configure(
        DEBUG=False,
        INSTALLED_APPS=["channels"],
        ALLOWED_HOSTS=["*"],
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [redis_url], "prefix": os.environ.get("BARE_REDIS_PREFIX", "bench-bare")},
            }
        }
        if redis_url
        else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

GROUP = "bench"


class FanOutConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]  # joined on connect, left on disconnect

    async def bench_event(self, message: dict) -> None:
        await self.send(text_data=message["text"])


async def http_app(scope: dict, receive, send) -> None:
    while True:  # drain the request body
        event = await receive()
        if event["type"] != "http.request" or not event.get("more_body"):
            break
    status, body = 404, b""
    if scope["path"] == "/healthz":
        status, body = 200, b"ok"
    elif scope["path"] == "/send" and scope["method"] == "POST":
        text = parse_qs(scope.get("query_string", b"").decode()).get("text", [""])[0]
        await get_channel_layer().group_send(GROUP, {"type": "bench.event", "text": text})
        status = 204
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


application = ProtocolTypeRouter(
    {"http": http_app, "websocket": URLRouter([re_path(r"", FanOutConsumer.as_asgi())])}
)
