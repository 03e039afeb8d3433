"""ASGI entry point: HTTP through Django, websockets through Channels (authenticated, origin-checked)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
django_http = get_asgi_application()  # sets Django up before anything imports models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from conferences.routing import websocket_urlpatterns as meeting_sockets  # noqa: E402
from network.origins import SameOriginValidator  # noqa: E402
from realtime.db import SocketAuthMiddlewareStack  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ASGIStaticFilesHandler(django_http) if settings.SERVE_STATIC else django_http,
        "websocket": SameOriginValidator(
            SocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns + meeting_sockets))
        ),
    }
)
