"""Pages for agency admins: their organisation's people, and whether they must use two-factor sign-in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network import selectors, services
from network.decorators import professional_required
from network.forms import PersonForm, add_service_errors
from network.http import AuthenticatedHttpRequest
from network.models import Organisation
from network.roles import is_agency_admin


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not is_agency_admin(request.user):
        raise PermissionDenied("Only agency admins can manage people.")


def _own_organisation(request: AuthenticatedHttpRequest) -> Organisation:
    """The agency admin's organisation (`is_agency_admin` has checked there is one)."""
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied("Only agency admins can manage people.")
    return organisation


@require_GET
@professional_required
def organisation_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency admin's start for looking after their organisation: each task, in a word or two."""
    _admin_only(request)
    return render(request, "network/organisation.html", {"organisation": _own_organisation(request)})


@require_GET
@professional_required
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    return render(
        request,
        "network/people.html",
        {
            "people": selectors.people_for_admin(request.user),
            "organisation": request.user.organisation,
            "teams": list(selectors.teams_of(request.user.organisation_id)),
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def person_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.professional_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                organisation=_own_organisation(request),
                job_title=data["job_title"],
                phone=data["phone"],
                org_role=data["org_role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{person.full_name} can now sign in. Ask them to set a password with “I have forgotten my password”.",
            )
            return redirect("network:people")
    return render(request, "network/person_add.html", {"form": form})


@require_POST
@professional_required
def person_update(request: AuthenticatedHttpRequest, person_id: int) -> HttpResponse:
    _admin_only(request)
    person = selectors.person_for_admin(request.user, person_id)
    role = request.POST.get("org_role") or None
    active = {"on": True, "off": False}.get(request.POST.get("active", ""))
    team = services.UNCHANGED
    if "team" in request.POST:
        chosen = request.POST["team"]
        team = None
        if chosen:
            team = selectors.team_of(request.user.organisation_id, chosen)
            if team is None:
                messages.error(request, "Choose one of your organisation's teams.")
                return redirect("network:people")
    try:
        services.professional_update(
            actor=request.user, person=person, org_role=role, is_active=active, team=team
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{person.full_name}'s account has been updated.")
    return redirect("network:people")


@require_POST
@professional_required
def team_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    try:
        team = services.team_create(actor=request.user, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The team “{team.name}” has been added.")
    return redirect("network:people")


@require_POST
@professional_required
def two_factor_requirement(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    required = request.POST.get("required") == "yes"
    services.organisation_set_two_factor(
        actor=request.user, organisation=_own_organisation(request), required=required
    )
    messages.success(
        request,
        "Everyone in your organisation must now use two-factor sign-in."
        if required
        else "Two-factor sign-in is now optional.",
    )
    return redirect("network:people")
