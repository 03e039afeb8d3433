import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from network.two_factor import needs_two_factor_setup


class TwoFactorRequiredMiddleware:
    """Where an organisation requires two-factor sign-in, its people set it up before anything else.

    (API requests signed with a token are checked by network.permissions.IsProfessional instead: the token
    is only read after this middleware has run.)"""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.ALLOWED_PREFIXES) and needs_two_factor_setup(request.user):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    '{"detail": "Set up two-factor sign-in first."}',
                    status=403,
                    content_type="application/json",
                )
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


class MalformedSessionCookieMiddleware:
    """Drop a session cookie that is not a session key (e.g. with a NUL in it) before the session store
    looks it up; a forged cookie then means "not signed in", not an error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not (key.isascii() and key.isalnum() and len(key) <= 40):
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Idle sessions end SESSION_COOKIE_AGE after the last request, give or take a minute.

    Saving the session on every request would push the end back exactly, at the price of a database write
    and commit on every page. Instead the session is marked changed (and so saved, with a new end) when the
    last push is SESSION_TOUCH_SECONDS old: a session ends between 29 and 30 idle minutes after its last
    request, and a page costs no write in between.
    """

    KEY = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Every answer to a signed-in person (a page, the API, a portal page, an export) may show a client's
    information, so no browser or proxy may keep a copy: `Cache-Control: no-store, private`.

    Asked after the view, so a person the API signed in with a token counts too. Static files are left
    to be cached (they are served before the middleware anyway, but behind another server they may not be).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, private=True)
        return response
