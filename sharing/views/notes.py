"""Pages for notes. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit_read
from circles.selectors import client_get_for_user
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from sharing import selectors, services
from sharing.forms import NoteForm, NoteVisibilityForm


@require_http_methods(["GET", "POST"])
@professional_required
def note_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    if not record.may_add_note:
        raise PermissionDenied("Only members of the circle can add notes.")
    form = NoteForm(
        request.POST if request.method == "POST" else None, client=record.client, author=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = services.note_create(
                actor=request.user,
                client=record.client,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                named_people=form.cleaned_data["named_people"],
                goals=form.cleaned_data["goals"],
                assessment=form.cleaned_data["assessment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                # The note goes straight into the list (out of band) and the form closes.
                return render(
                    request,
                    "sharing/_note_added.html",
                    {"note": note, "client": record.client, "record": record},
                )
            messages.success(request, "Your note has been added.")
            return redirect("circles:client", public_id=record.client.public_id)
    if request.htmx:
        # htmx swaps only 2xx responses, so the form with its errors comes back as a 200.
        return render(request, "sharing/_note_form.html", {"form": form, "client": record.client})
    status = 400 if form.errors else 200
    return render(request, "sharing/note_add.html", {"form": form, "client": record.client}, status=status)


@require_GET
@professional_required
def note_detail(request: AuthenticatedHttpRequest, public_id: str, note_id: int) -> HttpResponse:
    """One note as it appears in the list; the live page fetches this when a note is added."""
    record = client_get_for_user(request.user, public_id)
    note = selectors.note_get_for(record, note_id)
    audit_read(record=record, action="note.view", obj=note)
    return render(
        request,
        "sharing/_note.html",
        {"note": note, "client": record.client, "record": record, "is_new": True},
    )


@require_http_methods(["GET", "POST"])
@professional_required
def note_visibility(request: AuthenticatedHttpRequest, public_id: str, note_id: int) -> HttpResponse:
    """The author changes who can see their note."""
    record = client_get_for_user(request.user, public_id)
    note = selectors.note_get_for(record, note_id)
    if note.author_id != request.user.pk:
        raise Http404("Only the author can change who sees a note")
    form = NoteVisibilityForm(
        request.POST if request.method == "POST" else None,
        client=record.client,
        author=request.user,
        initial={"visibility": note.visibility, "named_people": list(note.named_people.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.note_visibility_change(
                actor=request.user,
                note=note,
                visibility=form.cleaned_data["visibility"],
                named_people=form.cleaned_data["named_people"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Who can see the note has been changed.")
            return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request,
        "sharing/note_visibility.html",
        {"form": form, "note": note, "client": record.client, "record": record},
    )
