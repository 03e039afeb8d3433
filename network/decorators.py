from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from network.models import User


def professional_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and a professional: clients and family use the portal, never these pages."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.kind != User.Kind.PROFESSIONAL:
            raise PermissionDenied("These pages are for professionals.")
        return view(request, *args, **kwargs)

    return wrapper


def portal_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in as a client or a family member: professionals use their own pages, not the portal."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.kind == User.Kind.PROFESSIONAL:
            raise PermissionDenied("The portal is for clients and their families.")
        return view(request, *args, **kwargs)

    return wrapper
