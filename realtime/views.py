from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from network.http import AuthenticatedHttpRequest
from realtime import selectors, services


@require_GET
@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = selectors.notifications_for(request.user)
    return render(request, "realtime/notifications.html", {"notifications": items})


@require_POST
@login_required
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("notifications")
