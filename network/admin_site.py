"""The Django admin's site (installed by `network.apps.AdminConfig`)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class AdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """The admin signs in on Alongside's own page (django-allauth), never on a form of its own, so the
        same rate limits and the same two-factor step apply to the most powerful accounts too."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("account_login"))
        if not self.has_permission(request):
            # Signed in but not staff: sending them to sign in again would only come back here.
            raise PermissionDenied("The admin is for the site administrator.")
        return redirect(next_url)
