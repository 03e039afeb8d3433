"""The client page: the record with its circle, consent and requests, and the notes the reader may see.

It is sharing's page because it shows notes; the parts about the circle come from circles.selectors.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessments.views import summary_context
from audit.services import audit_read
from circles import access, selectors
from circles.audit_selectors import READERS_DAYS, record_readers
from network.decorators import professional_required
from network.paging import Page
from sharing.selectors import note_list_for

NOTES_PER_PAGE = 25


@require_GET
@professional_required
def client_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The client page for the circle; for anyone else who may look them up, who is involved."""
    record = selectors.client_get_for_user(request.user, public_id, need="discover")
    if record.client.public_id != public_id:
        return redirect("circles:client", public_id=record.client.public_id)
    members, past_members = selectors.circle_members(record)
    may_export_audit = access.may_export_audit(request.user, record.client)
    if not record.may_view:
        audit_read(record=record, action="client.discover")
        return render(
            request,
            "circles/client_discover.html",
            {
                "record": record,
                "client": record.client,
                "members": members,
                "my_request": selectors.my_join_request(record),
                "may_export_audit": may_export_audit,
            },
        )
    notes = Page(note_list_for(record), request.GET.get("page"), NOTES_PER_PAGE)
    audit_read(record=record, action="client.view")
    return render(
        request,
        "circles/client_detail.html",
        {
            "record": record,
            "client": record.client,
            "members": members,
            "past_members": past_members,
            "notes": notes,
            "consents": selectors.consents_for(record),
            "join_requests": selectors.join_requests_open(record),
            "emergencies": selectors.emergency_accesses_recent(record),
            "readers": record_readers(record),
            "readers_days": READERS_DAYS,
            "may_export_audit": may_export_audit,
            **summary_context(record),
        },
    )
