"""Pages about clients and their circles. Thin: parse, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.export import write_audit_csv
from audit.services import audit_search
from circles import access, selectors, services
from circles.audit_selectors import audit_export_for_user, names_for_export
from circles.forms import (
    ClientForm,
    ConsentForm,
    EmergencyAccessForm,
    JoinRequestForm,
    MemberForm,
    MemberHideForm,
    ReopenForm,
    StageForm,
)
from circles.models import CircleMember
from circles.public_id import is_mistyped
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from network.models import User


@require_GET
@professional_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = selectors.client_search_for_user(request.user, query)
    if query.strip():
        audit_search(actor=request.user, query=query[:100], result_count=len(results))
    mistyped_id = not results and is_mistyped(query)
    return render(
        request, "circles/search.html", {"query": query, "results": results, "mistyped_id": mistyped_id}
    )


@require_http_methods(["GET", "POST"])
@professional_required
def client_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = services.client_create(
                actor=request.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
                preferred_name=data["preferred_name"],
                date_of_birth=data["date_of_birth"],
                pronouns=data["pronouns"],
                language=data["language"],
                phone=data["phone"],
                lead_role=data["lead_role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{client.full_name} has been added. Their ID is {client.public_id}.")
            return redirect("circles:client", public_id=client.public_id)
    return render(request, "circles/client_add.html", {"form": form})


@require_GET
@professional_required
def circle_panel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The circle on its own, for the live page to refresh after a change."""
    record = selectors.client_get_for_user(request.user, public_id)
    members, past_members = selectors.circle_members(record)
    return render(
        request,
        "circles/_circle.html",
        {"record": record, "client": record.client, "members": members, "past_members": past_members},
    )


@require_http_methods(["GET", "POST"])
@professional_required
def member_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    find = (request.POST if request.method == "POST" else request.GET).get("find", "")
    found = selectors.directory_search(record, find)
    form = MemberForm(request.POST if request.method == "POST" else None, found=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.circle_member_add(
                actor=request.user,
                client=record.client,
                kind=data["kind"],
                role=data["role"],
                user=data["user"] if data["kind"] == CircleMember.Kind.PROFESSIONAL else None,
                name=data["name"],
                relationship=data["relationship"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_service_errors(
                form,
                exc,
                rename={"role": "family_role"} if data["kind"] == CircleMember.Kind.FAMILY else None,
            )
        else:
            messages.success(request, f"{member.display_name} is now in {record.client.given_name}'s circle.")
            return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request,
        "circles/member_add.html",
        {"form": form, "client": record.client, "find": find, "found": found},
    )


@require_http_methods(["GET", "POST"])
@professional_required
def member_remove(request: AuthenticatedHttpRequest, public_id: str, member_id: int) -> HttpResponse:
    """GET asks "are you sure?"; POST removes."""
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    member = selectors.circle_member_get(record, member_id)
    if request.method == "GET":
        return render(request, "circles/member_remove.html", {"client": record.client, "member": member})
    try:
        services.circle_member_remove(actor=request.user, client=record.client, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.display_name} has left the circle. Their history is kept.")
    return redirect("circles:client", public_id=record.client.public_id)


@require_http_methods(["GET", "POST"])
@professional_required
def member_hide(request: AuthenticatedHttpRequest, public_id: str, member_id: int) -> HttpResponse:
    """GET: hide a member (with a reason) or stop hiding them; POST: do it (lead only)."""
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    member = selectors.circle_member_get(record, member_id)
    form = MemberHideForm(request.POST or None, initial={"hidden": "no" if member.is_hidden else "yes"})
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_member_hide(
                actor=request.user,
                client=record.client,
                member=member,
                hidden=form.cleaned_data["hidden"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["hidden"]:
                messages.success(
                    request, f"{member.display_name} is now hidden from everyone outside the circle."
                )
            else:
                messages.success(request, f"{member.display_name} is no longer hidden.")
            return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request,
        "circles/member_hide.html",
        {"client": record.client, "member": member, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@professional_required
def member_make_lead(request: AuthenticatedHttpRequest, public_id: str, member_id: int) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    member = selectors.circle_member_get(record, member_id)
    try:
        services.circle_lead_change(actor=request.user, client=record.client, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.display_name} is now the lead professional.")
    return redirect("circles:client", public_id=record.client.public_id)


@require_GET
@professional_required
def join_requests_panel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """Requests to join, for the lead's open page to refresh when one arrives."""
    record = selectors.client_get_for_user(request.user, public_id)
    return render(
        request,
        "circles/_join_requests.html",
        {"record": record, "client": record.client, "join_requests": selectors.join_requests_open(record)},
    )


@require_http_methods(["GET", "POST"])
@professional_required
def join_request_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="discover")
    if not record.may_ask_to_join:
        messages.info(request, "You are already in this circle.")
        return redirect("circles:client", public_id=record.client.public_id)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                actor=request.user,
                client=record.client,
                reason=form.cleaned_data["reason"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Your request has been sent. The lead professional will decide, and you will be told.",
            )
            return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request, "circles/join_request_new.html", {"form": form, "client": record.client, "record": record}
    )


@require_POST
@professional_required
def join_request_decide(
    request: AuthenticatedHttpRequest, public_id: str, request_id: int, decision: str
) -> HttpResponse:
    if decision not in ("approve", "decline"):
        raise Http404("Approve or decline")
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    join_request = selectors.join_request_get_for_lead(record, request_id)
    try:
        services.join_request_decide(
            actor=request.user,
            request=join_request,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        name = join_request.requester.full_name
        messages.success(
            request,
            f"{name} is now in the circle." if decision == "approve" else f"You declined {name}'s request.",
        )
    return redirect("circles:client", public_id=record.client.public_id)


@require_http_methods(["GET", "POST"])
@professional_required
def consent_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    form = ConsentForm(request.POST if request.method == "POST" else None, client=record.client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=request.user,
                client=record.client,
                scope=data["scope"],
                method=data["method"],
                given_by=data["given_by"],
                given_on=data["given_on"],
                expires_on=data["expires_on"],
                organisation=data["organisation"],
                family_member=data["family_member"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("circles:client", public_id=record.client.public_id)
    return render(request, "circles/consent_new.html", {"form": form, "client": record.client})


@require_http_methods(["GET", "POST"])
@professional_required
def consent_withdraw(request: AuthenticatedHttpRequest, public_id: str, consent_id: int) -> HttpResponse:
    """GET asks "are you sure?"; POST withdraws, at once."""
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    consent = selectors.consent_get_for_lead(record, consent_id)
    if request.method == "POST":
        try:
            services.consent_withdraw(actor=request.user, consent=consent, note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Consent withdrawn. It took effect straight away.")
        return redirect("circles:client", public_id=record.client.public_id)
    return render(request, "circles/consent_withdraw.html", {"client": record.client, "consent": consent})


@require_http_methods(["GET", "POST"])
@professional_required
def emergency_access(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="discover")
    if not record.may_break_glass:
        return redirect("circles:client", public_id=record.client.public_id)
    form = EmergencyAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.emergency_access_start(
                actor=request.user, client=record.client, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.warning(
                request,
                f"Emergency access until {timezone.localtime(grant.expires_at):%H:%M}. "
                "The lead professional has been told, and everything you open is recorded.",
            )
            return redirect("circles:client", public_id=record.client.public_id)
    return render(
        request,
        "circles/emergency_access.html",
        {"form": form, "client": record.client, "minutes": settings.EMERGENCY_ACCESS_MINUTES},
    )


@require_GET
@professional_required
def audit_export(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The client's whole audit trail as CSV, for an agency admin whose organisation works with them."""
    client, rows = audit_export_for_user(request.user, public_id)
    audit_search(actor=request.user, query=f"audit export {client.public_id}", result_count=rows.count())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{client.public_id}.csv"'
    names = names_for_export(request.user, client)
    write_audit_csv(
        response, rows, hidden_user_ids=names.hidden_user_ids, hidden_member_ids=names.hidden_member_ids
    )
    return response


@require_GET
@professional_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency manager's organisation's caseload: which clients their people work with, and who else."""
    if not access.is_agency_manager(request.user):
        raise PermissionDenied("Only agency managers see the caseload.")
    return render(
        request,
        "circles/caseload.html",
        {
            "clients": selectors.caseload_for_manager(request.user),
            "organisation": request.user.organisation,
            "roles": User.OrgRole,
        },
    )


@require_GET
@professional_required
def stage_panel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The stage on its own, for the live page to refresh after a change."""
    record = selectors.client_get_for_user(request.user, public_id)
    return render(request, "circles/_stage.html", {"record": record, "client": record.client})


@require_http_methods(["GET", "POST"])
@professional_required
def stage_change(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The lead moves the case on (or back), with a reason; closing records an outcome."""
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    client = record.client
    if client.is_closed:
        return redirect("circles:reopen", public_id=client.public_id)
    form = StageForm(request.POST if request.method == "POST" else None, initial={"stage": client.stage})
    if request.method == "POST" and form.is_valid():
        try:
            services.client_stage_change(
                actor=request.user,
                client=client,
                stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The case is now at: {client.get_stage_display()}.")
            return redirect("circles:client", public_id=client.public_id)
    return render(
        request,
        "circles/stage_change.html",
        {"form": form, "client": client, "history": selectors.stage_history(record)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@professional_required
def reopen(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, need="manage")
    client = record.client
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_reopen(
                actor=request.user,
                client=client,
                stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The case is open again, at: {client.get_stage_display()}.")
            return redirect("circles:client", public_id=client.public_id)
    return render(
        request,
        "circles/reopen.html",
        {"form": form, "client": client, "history": selectors.stage_history(record)},
        status=400 if form.errors else 200,
    )
