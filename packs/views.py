"""Pages for configuration packs (agency admins): what the agency's pack holds, download it, bring one in.

Bringing one in is two steps: the pack is checked and the page shows, item by item, what it would change
(new, changed, unchanged), changing nothing; "Bring it in" applies exactly that, or nothing if something
changed meanwhile.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from packs import selectors, services
from packs.forms import PackForm


@require_GET
@professional_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "packs/home.html", {"contents": selectors.pack_contents(actor=request.user)})


@require_GET
@professional_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    pack = services.pack_export(actor=request.user)
    response = HttpResponse(json.dumps(pack, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="alongside-pack.json"'
    return response


@require_http_methods(["GET", "POST"])
@professional_required
def bring_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.admin_organisation_id(request.user)  # agency admins only, before reading anything sent
    form = PackForm(request.POST if request.method == "POST" else None, request.FILES or None)
    preview = None
    problems: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        pack = form.cleaned_data["parsed"]
        try:
            if request.POST.get("confirm") == "yes":
                applied = services.pack_apply(
                    actor=request.user, pack=pack, preview=form.cleaned_data["preview"] or None
                )
                counts = applied.counts
                messages.success(
                    request,
                    f"The pack is in: {counts['new']} new, {counts['changed']} changed, "
                    f"{counts['unchanged']} unchanged.",
                )
                return redirect("packs:home")
            preview = selectors.pack_preview(actor=request.user, pack=pack)
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"pack": exc.messages}
            if "preview" in problems:  # changed meanwhile: show what it would change now
                try:
                    preview = selectors.pack_preview(actor=request.user, pack=pack)
                except ValidationError as again:
                    problems = (
                        again.message_dict if hasattr(again, "error_dict") else {"pack": again.messages}
                    )
    return render(
        request,
        "packs/bring_in.html",
        {
            "form": form,
            "preview": preview,
            "problems": problems,
            "text": form.cleaned_data.get("text", "") if form.is_bound and form.is_valid() else "",
        },
        status=400 if (form.errors or problems) else 200,
    )
