from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from network.http import AuthenticatedHttpRequest
from network.models import User

P = ParamSpec("P")
AuthenticatedView = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponse]
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def professional_required(view: AuthenticatedView[P]) -> View[P]:
    """Signed in, and a professional: clients and family use the portal, never these pages."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.user.kind != User.Kind.PROFESSIONAL:
            raise PermissionDenied("These pages are for professionals.")
        return view(request, *args, **kwargs)

    # login_required runs first, so the wrapper only ever sees a signed-in person.
    return cast(View[P], login_required(wrapper))


def portal_required(view: AuthenticatedView[P]) -> View[P]:
    """Signed in as a client or a family member: professionals use their own pages, not the portal."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.user.kind == User.Kind.PROFESSIONAL:
            raise PermissionDenied("The portal is for clients and their families.")
        return view(request, *args, **kwargs)

    # login_required runs first, so the wrapper only ever sees a signed-in person.
    return cast(View[P], login_required(wrapper))
