from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class TwoFactorRequiredMiddleware:
    """Where an organisation requires two-factor sign-in, its people set it up before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.organisation_id
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user.organisation.require_two_factor
            and not _has_two_factor(user)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    '{"detail": "Set up two-factor sign-in first."}',
                    status=403,
                    content_type="application/json",
                )
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


def _has_two_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MalformedSessionCookieMiddleware:
    """Drop a session cookie that is not a session key (e.g. with a NUL in it) before the session store
    looks it up; a forged cookie then means "not signed in", not an error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not (key.isascii() and key.isalnum() and len(key) <= 40):
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)
