from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.services import audit_read
from circles.selectors import client_get_for_user
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from sharing.selectors.timeline import timeline_for


@require_GET
@professional_required
def timeline(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """What has happened with this client, newest first: notes, the plan, the board, the circle, consent.

    The page is live: when an event reaches it, it reads the list again (htmx), which is answered with the
    list alone. Every read is audited, the live page's too (a header must not be a way around the trail).
    """
    record = client_get_for_user(request.user, public_id)
    audit_read(record=record, action="client.timeline")
    context = {"client": record.client, "moments": timeline_for(record)}
    return render(request, "sharing/_timeline.html" if request.htmx else "sharing/timeline.html", context)
