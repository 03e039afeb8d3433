"""The home page: where each kind of person starts; and what a URL no route matches answers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from interop import views as fhir_views
from network import api
from network.models import User


def home(request: HttpRequest) -> HttpResponse:
    """Panel chairs start at My meetings, partnership leads at their dashboard; everyone else at My
    clients (which sends portal users on)."""
    user = request.user
    if user.is_authenticated and getattr(user, "org_role", None) == User.OrgRole.PANEL_CHAIR:
        return redirect("conferences:my_meetings")
    if user.is_authenticated and getattr(user, "org_role", None) == User.OrgRole.PARTNERSHIP_LEAD:
        return redirect("reporting:dashboard")
    return redirect("circles:my_clients")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """No route matches: a FHIR OperationOutcome under /fhir/, JSON under /api/, the 404 page elsewhere."""
    if request.path.startswith("/fhir/"):
        return fhir_views.not_found(request, exception)
    return api.not_found(request, exception)
