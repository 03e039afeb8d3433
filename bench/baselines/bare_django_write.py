"""Baseline: the least a Django write can do before its fan-out, no Alongside code. Run under daphne by
bench/board.py, beside bare Channels (bare_channels.py) and Alongside's card edit.

    BARE_REDIS_URL=redis://127.0.0.1:6379/0 BARE_REDIS_PREFIX=bench-write-123 \
    BARE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_board \
        python -m daphne -b 127.0.0.1 -p 8002 bare_django_write:application    (bench/baselines on PYTHONPATH)

- websocket on any path: the same consumer as bare_channels.py (joins the group "bench", forwards each
  "bench.event" message's "text");
- HTTP POST /write?card=N&text=…: a plain Django view (no middleware, no session, no authentication, no
  access check, no ORM) that, in one transaction, updates row N of `bench_bare_card` (its text, version + 1)
  and inserts a row into `bench_bare_event`, and on commit does `group_send("bench", …)` through
  `async_to_sync`, then answers 200 with the new version: "HTTP in, one committed write, fan-out out";
- HTTP GET /healthz: 200.

The two tables are made by bench/board.py (`make_bare_tables`) in the same database as Alongside's. Django
settings are minimal; the database is BARE_DATABASE_URL (PostgreSQL, pooled as Alongside's is) or, unset,
the SQLite file BARE_SQLITE_PATH; the channel layer channels-redis on BARE_REDIS_URL under its own prefix, or
the in-memory layer.
"""

import os

import dj_database_url
import django
from django.conf import settings

if not settings.configured:
    redis_url = os.environ.get("BARE_REDIS_URL", "")
    database_url = os.environ.get("BARE_DATABASE_URL", "")
    if database_url:
        database = dj_database_url.parse(database_url)
        database["OPTIONS"] = {"pool": {"min_size": 1, "max_size": 4, "timeout": 3}}
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BARE_SQLITE_PATH"]}
    settings.configure(
        DEBUG=False,
        INSTALLED_APPS=["channels"],
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        DATABASES={"default": database},
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [redis_url],
                    "prefix": os.environ.get("BARE_REDIS_PREFIX", "bench-write"),
                },
            }
        }
        if redis_url
        else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
    )
    django.setup()

from asgiref.sync import async_to_sync  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.layers import get_channel_layer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import path, re_path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

GROUP = "bench"


class FanOutConsumer(AsyncWebsocketConsumer):
    groups = [GROUP]

    async def bench_event(self, message: dict) -> None:
        await self.send(text_data=message["text"])


@csrf_exempt
def write(request: HttpRequest) -> HttpResponse:
    card, text = int(request.GET["card"]), request.GET.get("text", "")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE bench_bare_card SET text = %s, version = version + 1 WHERE id = %s", [text, card]
            )
            cursor.execute("SELECT version FROM bench_bare_card WHERE id = %s", [card])
            (version,) = cursor.fetchone()
            cursor.execute(
                "INSERT INTO bench_bare_event (card_id, version, text) VALUES (%s, %s, %s)",
                [card, version, text],
            )
        message = {"type": "bench.event", "text": f"w{card}-{version}"}
        transaction.on_commit(lambda: async_to_sync(get_channel_layer().group_send)(GROUP, message))
    response = JsonResponse({"version": version})
    response["Content-Length"] = str(len(response.content))  # as Alongside's CommonMiddleware sets it
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("write", write), path("healthz", healthz)]

application = ProtocolTypeRouter(
    {"http": get_asgi_application(), "websocket": URLRouter([re_path(r"", FanOutConsumer.as_asgi())])}
)
