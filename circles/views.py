"""Pages about clients and their circles. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_read
from circles import selectors, services
from circles.forms import ClientForm, MemberForm
from network.forms import add_service_errors
from sharing.forms import NoteForm
from sharing.selectors import note_list_for

NOTES_PER_PAGE = 25


@require_GET
@login_required
def my_clients(request: HttpRequest) -> HttpResponse:
    clients = selectors.client_list_for_user(request.user)
    return render(request, "circles/my_clients.html", {"clients": clients})


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = list(selectors.client_search_for_user(request.user, query))
    return render(request, "circles/search.html", {"query": query, "results": results})


@require_http_methods(["GET", "POST"])
@login_required
def client_add(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
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
@login_required
def client_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id)
    if record.client.public_id != public_id:
        return redirect("circles:client", public_id=record.client.public_id)
    notes = Paginator(note_list_for(record), NOTES_PER_PAGE).get_page(request.GET.get("page"))
    audit_read(actor=request.user, action="client.view", client=record.client)
    return render(
        request,
        "circles/client_detail.html",
        {
            "record": record,
            "client": record.client,
            "members": selectors.circle_members_current(record.client),
            "past_members": selectors.circle_members_past(record.client),
            "notes": notes,
            "note_form": NoteForm(),
        },
    )


@require_GET
@login_required
def circle_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The circle on its own, for the live page to refresh after a change."""
    record = selectors.client_get_for_user(request.user, public_id)
    return render(
        request,
        "circles/_circle.html",
        {
            "record": record,
            "client": record.client,
            "members": selectors.circle_members_current(record.client),
            "past_members": selectors.circle_members_past(record.client),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_add(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, for_manage=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.circle_member_add(
                actor=request.user,
                client=record.client,
                kind=data["kind"],
                role=data["role"],
                user=data["user"] if data["kind"] == "professional" else None,
                name=data["name"],
                relationship=data["relationship"],
                phone=data["phone"],
                email=data["email"],
            )
        except ValidationError as exc:
            add_service_errors(
                form, exc, rename={"role": "family_role"} if data["kind"] == "family" else None
            )
        else:
            messages.success(request, f"{member.display_name} is now in {record.client.given_name}'s circle.")
            return redirect("circles:client", public_id=record.client.public_id)
    return render(request, "circles/member_add.html", {"form": form, "client": record.client})


@require_http_methods(["GET", "POST"])
@login_required
def member_remove(request: HttpRequest, public_id: str, member_id: int) -> HttpResponse:
    """GET asks "are you sure?"; POST removes."""
    record = selectors.client_get_for_user(request.user, public_id, for_manage=True)
    member = selectors.circle_member_get(record.client, member_id)
    if request.method == "GET":
        return render(request, "circles/member_remove.html", {"client": record.client, "member": member})
    try:
        services.circle_member_remove(actor=request.user, client=record.client, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.display_name} has left the circle. Their history is kept.")
    return redirect("circles:client", public_id=record.client.public_id)


@require_POST
@login_required
def member_make_lead(request: HttpRequest, public_id: str, member_id: int) -> HttpResponse:
    record = selectors.client_get_for_user(request.user, public_id, for_manage=True)
    member = selectors.circle_member_get(record.client, member_id)
    try:
        services.circle_lead_change(actor=request.user, client=record.client, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.display_name} is now the lead professional.")
    return redirect("circles:client", public_id=record.client.public_id)
