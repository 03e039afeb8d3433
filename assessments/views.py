"""Pages for assessments. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access, references, selectors, services
from assessments.charts import legend, trend_chart
from assessments.forms import AmendForm, StartForm, answers_from
from assessments.models import Assessment
from audit.services import audit_read
from circles.access import RecordAccess, person_label
from circles.selectors import client_get_for_user
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest


@require_GET
@professional_required
def summary(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The client page's assessments panel alone: the live page fetches it when one is completed."""
    record = client_get_for_user(request.user, public_id)
    return render(request, "assessments/_client_summary.html", summary_context(record))


def summary_context(record: RecordAccess) -> dict:
    """What templates/assessments/_client_summary.html needs (one query), for any page that includes it."""
    return {"assessments": selectors.summary_for(record), "record": record, "client": record.client}


@require_http_methods(["GET", "POST"])
@professional_required
def start(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    if not access.may_start(record):
        raise PermissionDenied("Only members of the circle can complete assessments.")
    versions = [
        v
        for v in selectors.instrument_versions_current()
        if {"practitioner", "together"} & set(v.definition["completed_by"])
    ]
    form = StartForm(
        request.POST if request.method == "POST" else None,
        client=record.client,
        author=request.user,
        versions=versions,
        initial={"instrument": request.GET.get("instrument")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.user,
                client=record.client,
                instrument=selectors.instrument_get(form.cleaned_data["instrument"]),
                completed_by=form.cleaned_data["completed_by"],
                visibility=form.cleaned_data["visibility"],
                named_people=form.cleaned_data["named_people"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(
                "assessments:edit", public_id=record.client.public_id, assessment_id=assessment.pk
            )
    status = 400 if form.errors else 200
    return render(request, "assessments/start.html", {"form": form, "client": record.client}, status=status)


@require_http_methods(["GET", "POST"])
@professional_required
def edit(request: AuthenticatedHttpRequest, public_id: str, assessment_id: int) -> HttpResponse:
    """The author's draft, which saves itself as they go; "Complete" scores it on the server."""
    record = client_get_for_user(request.user, public_id)
    assessment = _own_draft(record, assessment_id)
    errors: dict[str, list[str]] = {}
    answers = assessment.answers
    if request.method == "POST":
        answers = {**assessment.answers, **answers_from(request.POST, assessment.definition)}
        try:
            services.assessment_complete(actor=request.user, assessment=assessment, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"{assessment.definition['name']} completed.")
            return redirect(
                "assessments:detail", public_id=record.client.public_id, assessment_id=assessment.pk
            )
    context = {
        "client": record.client,
        "assessment": assessment,
        "questions": questions(assessment.definition, answers, errors),
        "errors": errors,
    }
    return render(request, "assessments/edit.html", context, status=400 if errors else 200)


@require_POST
@professional_required
def draft_save(request: AuthenticatedHttpRequest, public_id: str, assessment_id: int) -> HttpResponse:
    """Autosave (htmx): what the author has typed so far. Answers a line saying it is saved, or what is wrong."""
    record = client_get_for_user(request.user, public_id)
    assessment = _own_draft(record, assessment_id)
    try:
        services.assessment_draft_save(
            actor=request.user,
            assessment=assessment,
            answers=answers_from(request.POST, assessment.definition),
        )
    except ValidationError as exc:
        problems = "; ".join(m for messages_ in exc.message_dict.values() for m in messages_)
        return HttpResponse(f"Not saved: {problems}", status=200 if request.htmx else 400)
    return render(request, "assessments/_draft_saved.html", {"at": timezone.localtime()})


@require_http_methods(["GET", "POST"])
@professional_required
def discard(request: AuthenticatedHttpRequest, public_id: str, assessment_id: int) -> HttpResponse:
    """Ask, then throw away the author's own draft. Only its author sees it, so only they may."""
    record = client_get_for_user(request.user, public_id)
    assessment = _own_draft(record, assessment_id)
    if request.method == "POST":
        try:
            services.assessment_discard(actor=request.user, assessment=assessment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Your draft {assessment.definition['name']} was discarded.")
        return redirect("circles:client", public_id=record.client.public_id)
    return render(request, "assessments/discard.html", {"client": record.client, "assessment": assessment})


@require_GET
@professional_required
def detail(request: AuthenticatedHttpRequest, public_id: str, assessment_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    assessment = selectors.assessment_get_for(record, assessment_id)
    if assessment.is_draft:
        return redirect("assessments:edit", public_id=record.client.public_id, assessment_id=assessment.pk)
    audit_read(record=record, action="assessment.view", obj=assessment)
    return render(
        request,
        "assessments/detail.html",
        {
            "client": record.client,
            "record": record,
            "assessment": assessment,
            "questions": questions(assessment.definition, assessment.answers, {}, assessment.result),
            "may_amend": assessment.status == Assessment.Status.COMPLETED
            and record.may_add_note
            and (assessment.author_id == request.user.pk or record.may_manage_circle),
            "references": references.referring_to(record, assessment),
            "author": person_label(record, assessment.author),
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def amend(request: AuthenticatedHttpRequest, public_id: str, assessment_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    assessment = selectors.assessment_get_for(record, assessment_id)
    if assessment.status != Assessment.Status.COMPLETED:
        raise Http404("Only a completed assessment can be amended")
    if not (assessment.author_id == request.user.pk or record.may_manage_circle) or not record.may_add_note:
        raise PermissionDenied("Only its author or the lead professional can amend an assessment.")
    form = AmendForm(request.POST if request.method == "POST" else None)
    answers = assessment.answers
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answers = {**assessment.answers, **answers_from(request.POST, assessment.definition)}
        if form.is_valid():
            try:
                amendment = services.assessment_amend(
                    actor=request.user,
                    assessment=assessment,
                    answers=answers,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                errors = exc.message_dict
                if "reason" in errors:
                    form.add_error("reason", errors.pop("reason"))
                if "answers" in errors:
                    form.add_error(None, errors.pop("answers"))
            else:
                messages.success(request, "Amended. The original is kept with it.")
                return redirect(
                    "assessments:detail", public_id=record.client.public_id, assessment_id=amendment.pk
                )
    context = {
        "client": record.client,
        "assessment": assessment,
        "form": form,
        "questions": questions(assessment.definition, answers, errors),
        "errors": errors,
    }
    return render(request, "assessments/amend.html", context, status=400 if (errors or form.errors) else 200)


@require_GET
@professional_required
def instrument_chart(request: AuthenticatedHttpRequest, public_id: str, code: str) -> HttpResponse:
    """One instrument's trend for the client: the chart, its table and a line in words."""
    record = client_get_for_user(request.user, public_id)
    instrument = selectors.instrument_get(code)
    charts = []
    for by_client in (False, True):
        series = selectors.series_for(record, instrument, by_client=by_client)
        if series.points:
            charts.append(
                {
                    "series": series,
                    "svg": trend_chart(series, chart_id=f"chart-{code}-{'own' if by_client else 'team'}"),
                    "legend": legend(series),
                }
            )
    if not charts:
        raise Http404("No completed assessments with this instrument")
    audit_read(record=record, action="assessment.list", detail={"instrument": code})
    return render(
        request,
        "assessments/chart.html",
        {"client": record.client, "instrument": instrument, "charts": charts},
    )


def _own_draft(record: RecordAccess, assessment_id: int) -> Assessment:
    assessment = selectors.assessment_get_for(record, assessment_id)
    if not assessment.is_draft or assessment.author_id != record.user.pk:
        raise Http404("No such draft")
    if not access.may_start(record):
        raise PermissionDenied("Only members of the circle can complete assessments.")
    return assessment


def questions(definition: dict, answers: dict, errors: dict, result: dict | None = None) -> list[dict]:
    """Each question with its choices, the answer so far, the band (once scored) and any error."""
    scale = definition["scale"]
    labels = scale.get("labels", {})
    bands = {i["code"]: i["band"] for i in (result or {}).get("items", [])}
    questions = []
    for item in definition["items"]:
        answer = answers.get(item["code"]) or {}
        questions.append(
            {
                "code": item["code"],
                "text": item["text"],
                "narrative": item.get("narrative", "none"),
                "score": answer.get("score"),
                "said": answer.get("narrative", ""),
                "band": bands.get(item["code"], ""),
                "choices": [(n, labels.get(str(n), "")) for n in range(scale["min"], scale["max"] + 1)],
                "errors": errors.get(item["code"], []),
            }
        )
    return questions


@require_http_methods(["GET", "POST"])
@professional_required
def ask(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Ask the client to rate themself in the portal ("How am I doing?")."""
    record = client_get_for_user(request.user, public_id)
    if not access.may_start(record):
        raise PermissionDenied("Only members of the circle can ask the client to rate themself.")
    choices = selectors.team_may_ask(record)
    error = ""
    if request.method == "POST":
        chosen = next((i for i in choices if i.code == request.POST.get("instrument")), None)
        if chosen is None:
            error = "Choose what to ask them."
        else:
            try:
                services.self_rating_ask(actor=request.user, client=record.client, instrument=chosen)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request, f"{record.client.given_name} will see it next time they open their portal."
                )
                return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request,
        "assessments/ask.html",
        {
            "client": record.client,
            "choices": choices,
            "waiting": selectors.open_self_rating_requests(record.client),
            "error": error,
        },
        status=400 if error else 200,
    )
