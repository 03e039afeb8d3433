"""Shared pieces of the REST API: error handling that speaks in field messages, never a 500 for bad input.

The shapes and statuses are documented in network/api_schema.py (ERRORS).
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pages(LimitOffsetPagination):
    """?limit= and ?offset= within what the database can count: at most max_limit a page (a larger limit
    is cut to it), and an offset past every row is an empty page rather than an overflow (a 500)."""

    max_limit = 1000
    max_offset = 2**62

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), self.max_offset)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            bound = self.max_limit if parameter["name"] == self.limit_query_param else self.max_offset
            parameter["schema"] |= {"minimum": 0, "maximum": bound}
        return parameters


class Conflict(exceptions.ValidationError):
    """The request is well formed but the record, as it is now, refuses it (already withdrawn, decided,
    left…): a service's ValidationError with code "conflict"."""

    status_code = status.HTTP_409_CONFLICT


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the Django ValidationError that services raise, as a 400 with field messages
    (409 when the service says each is a conflict with the record's state: code="conflict", on the
    request as a whole or on a field)."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        errors = sum(exc.error_dict.values(), []) if hasattr(exc, "error_dict") else exc.error_list
        conflict = all(error.code == "conflict" for error in errors)
        exc = (Conflict if conflict else exceptions.ValidationError)(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A token was sent and is wrong, revoked or malformed: 401, naming the scheme. (DRF would answer
        # 403, because session authentication, which has no scheme to name, is listed first.)
        exc.status_code = 401
        exc.auth_header = "Token"  # type: ignore[attr-defined]  # DRF's own attribute, missing from its stubs
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A URL no route matches: under /api/, JSON like every other API answer; elsewhere, the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
