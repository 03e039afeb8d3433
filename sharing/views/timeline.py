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
    """What has happened with this client, newest first: notes, the plan, the circle, consent."""
    record = client_get_for_user(request.user, public_id)
    audit_read(record=record, action="client.timeline")
    return render(
        request, "sharing/timeline.html", {"client": record.client, "moments": timeline_for(record)}
    )
