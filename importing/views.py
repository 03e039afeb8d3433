"""Moving clients in and out, for agency admins: upload and check a file, start the import and watch it,
download the organisation's clients."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from changes.services import record
from importing import changes as c
from importing import export, selectors, services
from importing.columns import COLUMNS
from importing.forms import UploadForm
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
@professional_required
def imports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file: every row is checked (the dry run) before anything is imported."""
    selectors.admin_only(request.user)
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job, _checked = services.import_check(
                actor=request.user, file_name=upload.name, content=upload.read()
            )
        except services.FileHasProblems as exc:
            checked = exc.checked
        else:
            return redirect("importing:job", job_id=job.pk)
    return render(
        request,
        "importing/imports.html",
        {
            "form": form,
            "checked": checked,
            "columns": COLUMNS,
            "jobs": selectors.jobs_for(request.user)[:20],
        },
        status=400 if (form.errors or checked) else 200,
    )


@require_GET
@professional_required
def job(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    return render(request, "importing/job.html", {"job": selectors.job_get(request.user, job_id)})


@require_GET
@professional_required
def job_progress(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    """The progress panel alone, which the job page asks for every second while the import runs."""
    return render(request, "importing/_progress.html", {"job": selectors.job_get(request.user, job_id)})


@require_POST
@professional_required
def job_start(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_get(request.user, job_id)
    try:
        services.import_start(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("importing:job", job_id=job.pk)


@require_GET
@professional_required  # type: ignore[arg-type]  # a streamed answer is not an HttpResponse, and fine here
def export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The organisation's clients as CSV, streamed: the import's columns, so it imports back."""
    clients = selectors.clients_for_export(request.user)  # the admin's, or PermissionDenied
    with transaction.atomic():
        record(
            change=c.EXPORT,
            actor=request.user,
            client=None,
            after={
                "organisation_id": request.user.organisation_id,
                "clients": clients.count(),
                "format": "csv",
            },
        )
    response = StreamingHttpResponse(export.csv_lines(request.user), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="alongside-clients-{day}.csv"'
    return response
