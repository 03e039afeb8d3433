"""The instrument editor, for agency admins: add or change an instrument (each change a new version), and
bring instruments in from a pack (checked, shown, then applied) or write them out as one."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessments import access, packs, selectors, services
from assessments import changes as c
from assessments.forms import InstrumentForm, PackForm, error_in_words, form_field_for
from assessments.models import Instrument
from changes.services import record
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not access.may_edit_instrument(request.user, None):
        raise PermissionDenied("Only agency admins look after instruments.")


@require_GET
@professional_required
def instrument_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    instruments = list(Instrument.objects.select_related("organisation").order_by("name"))
    for instrument in instruments:
        instrument.editable = access.may_edit_instrument(request.user, instrument)  # type: ignore[attr-defined]
    return render(request, "assessments/instruments.html", {"instruments": instruments})


@require_http_methods(["GET", "POST"])
@professional_required
def instrument_edit(request: AuthenticatedHttpRequest, code: str | None = None) -> HttpResponse:
    """Add an instrument (no code) or change one: the change is a new version; old assessments keep theirs."""
    _admin_only(request)
    instrument = selectors.instrument_get(code) if code else None
    if instrument is not None and not access.may_edit_instrument(request.user, instrument):
        raise PermissionDenied(
            "Shipped instruments and other agencies' stay as they are. Copy one as a new one."
        )
    initial = {}
    copy_of = request.GET.get("copy")
    source = instrument or (Instrument.objects.filter(code=copy_of).first() if copy_of else None)
    if source is not None:
        initial = InstrumentForm.initial_from(source.versions.get(number=source.current_version).definition)
        if instrument is None:
            initial |= {"code": f"{source.code}-ours"[:40], "name": f"{source.name} (ours)", "licence": ""}
    form = InstrumentForm(request.POST if request.method == "POST" else None, initial=initial)
    if instrument is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        definition = form.to_definition()
        if not form.errors:
            try:
                saved = services.instrument_save(
                    actor=request.user, definition=definition, instrument=instrument
                )
            except ValidationError as exc:
                for path, errors in exc.message_dict.items():
                    field = form_field_for(path)
                    for error in errors:
                        form.add_error(
                            field if field in form.fields else None,
                            error_in_words(form, definition, path, error),
                        )
            else:
                messages.success(request, f"{saved.name} saved (version {saved.current_version}).")
                return redirect("instruments:list")
    return render(
        request,
        "assessments/instrument_edit.html",
        {"form": form, "instrument": instrument},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@professional_required
def pack_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: paste or upload a pack and see what it would change. Step 2 ("confirm"): change it."""
    _admin_only(request)
    form = PackForm(request.POST if request.method == "POST" else None, request.FILES or None)
    plan = None
    problems: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        pack = form.cleaned_data["parsed"]
        try:
            if request.POST.get("confirm") == "yes":
                imported = services.pack_import(actor=request.user, pack=pack)
                messages.success(request, f"Brought in {len(imported)} instrument(s) from the pack.")
                return redirect("instruments:list")
            plan = selectors.pack_preview(actor=request.user, pack=pack)
        except ValidationError as exc:
            problems = exc.message_dict
    return render(
        request,
        "assessments/pack_import.html",
        {
            "form": form,
            "plan": plan,
            "problems": problems,
            "text": form.cleaned_data.get("text", "") if form.is_bound and form.is_valid() else "",
        },
        status=400 if (form.errors or problems) else 200,
    )


@require_GET
@professional_required
def pack_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The chosen instruments (?code=… repeated), or all, as a pack file."""
    _admin_only(request)
    instruments = Instrument.objects.order_by("code")
    codes = request.GET.getlist("code")
    if codes:
        instruments = instruments.filter(code__in=codes)
    definitions = [i.versions.get(number=i.current_version).definition for i in instruments]
    with transaction.atomic():
        record(
            change=c.INSTRUMENT_EXPORT,
            actor=request.user,
            client=None,
            after={"codes": [d["code"] for d in definitions]},
        )
    response = HttpResponse(
        json.dumps(packs.pack_from(definitions), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="alongside-instruments.json"'
    return response
