"""Typed requests, as healthchecks does (hc/accounts/http.py): a view behind `professional_required` or
`portal_required` knows `request.user` is a signed-in `User`, and every view knows `request.htmx`."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from network.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware sets `htmx` (falsy unless the page's htmx sent it)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request from a signed-in person (a professional, a client or a family member)."""

    user: User


class AuthenticatedRequest(Request):
    """An API request that got past `network.permissions.IsProfessional` (every API view's permission):
    `request.user` is a signed-in professional."""

    user: User
