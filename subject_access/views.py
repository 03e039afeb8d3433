"""Subject access export pages: start one for a client, follow its progress bar, download the ZIP."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from circles import public_id
from circles.access import is_agency_admin
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from subject_access import selectors, services
from subject_access.access import ADMINS_ONLY
from subject_access.services import NotReady, keep_days

POLL_SECONDS = 2


def _refused(request: AuthenticatedHttpRequest, exc: PermissionDenied) -> HttpResponse:
    """A refusal in words (Django's own 403 page says nothing of why)."""
    return render(request, "subject_access/refused.html", {"message": str(exc)}, status=403)


@require_GET
@professional_required
def exports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The admin's page: their organisation's exports, and a box to start one by the client's ID."""
    if not is_agency_admin(request.user):
        return _refused(request, PermissionDenied(ADMINS_ONLY))
    recent = list(selectors.exports_for(request.user)[:50])
    typed = request.GET.get("client", "").strip()
    error = ""
    if typed:
        try:
            return redirect("subject_access:client", public_id=public_id.normalise(typed))
        except public_id.InvalidPublicId:
            error = "Enter the client's ID as it is written on their record, like 7KM3-QXP4."
    return render(
        request,
        "subject_access/exports.html",
        {"exports": recent, "typed": typed, "error": error, "keep_days": keep_days()},
        status=400 if error else 200,
    )


@require_GET
@professional_required
def client(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """One client's exports by this organisation, and the button that starts a new one."""
    try:
        the_client = selectors.client_for_export(request.user, public_id)
    except PermissionDenied as exc:
        return _refused(request, exc)
    return render(
        request,
        "subject_access/client.html",
        {
            "client": the_client,
            "exports": selectors.exports_for(request.user, the_client)[:20],
            "keep_days": keep_days(),
        },
    )


@require_POST
@professional_required
def start(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    try:
        the_client = selectors.client_for_export(request.user, public_id)
        export, _new = services.export_start(actor=request.user, client=the_client)
    except PermissionDenied as exc:
        return _refused(request, exc)
    return redirect("subject_access:export", export_id=export.pk)


@require_GET
@professional_required
def export(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    """The progress bar, which polls `progress` until the export is finished, then the download link."""
    return _job(request, export_id, "subject_access/job.html")


@require_GET
@professional_required
def progress(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    """The progress bar alone, for the page's polling."""
    return _job(request, export_id, "subject_access/_progress.html")


def _job(request: AuthenticatedHttpRequest, export_id: int, template: str) -> HttpResponse:
    try:
        job = selectors.export_get_for(request.user, export_id)
    except PermissionDenied as exc:
        return _refused(request, exc)
    return render(
        request,
        template,
        {"export": job, "client": job.client, "poll_seconds": POLL_SECONDS, "keep_days": keep_days()},
    )


@require_GET
@professional_required
def download(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    try:
        job = selectors.export_get_for(request.user, export_id, with_file=True)
        data = services.export_download(actor=request.user, export=job)
    except PermissionDenied as exc:
        return _refused(request, exc)
    except NotReady as exc:
        messages.error(request, exc.messages[0])
        return redirect(reverse("subject_access:export", args=[export_id]))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
