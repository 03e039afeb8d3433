"""Shared pieces of the REST API: error handling that speaks in field messages, never a 500 for bad input."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the Django ValidationError that services raise, as a 400 with field messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A token was sent and is wrong, revoked or malformed: 401, naming the scheme. (DRF would answer
        # 403, because session authentication, which has no scheme to name, is listed first.)
        exc.status_code = 401
        exc.auth_header = "Token"  # type: ignore[attr-defined]  # DRF's own attribute, missing from its stubs
    return drf_exception_handler(exc, context)
