"""Pages for the plan. Thin: parse, call a selector or a service, render.

Editing a goal or an action sends only the fields the person changed, with the version they started
from, so two people changing different fields never collide. If someone saved the same field first,
the form comes back showing both values, and the person chooses: keep theirs, keep mine, or merge
(the round trip is the co-editing engine's: `coedit.pages.edit_with_merge`).
"""

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from assessments import selectors as assessment_selectors
from assessments.scoring import short_label
from audit.services import audit_read
from circles import access
from circles.selectors import circle_members_current, client_get_for_user
from coedit.pages import EditPage, edit_with_merge
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from sharing import selectors, services
from sharing.forms import ActionForm, AgreeForm, GoalForm
from sharing.models import Action, Goal


def _plan_url(record, anchor: str = "") -> str:
    return reverse("plan:plan", args=[record.client.public_id]) + (f"#{anchor}" if anchor else "")


def _goal_card(request: AuthenticatedHttpRequest, record, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get_for(record, goal_id)
    return render(
        request, "sharing/plan/_goal.html", {"record": record, "client": record.client, "goal": goal}
    )


@require_GET
@professional_required
def plan(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    if record.client.public_id != public_id:
        return redirect("plan:plan", public_id=record.client.public_id)
    audit_read(record=record, action="plan.view")
    return render(
        request,
        "sharing/plan/plan.html",
        {
            "record": record,
            "client": record.client,
            "plan": selectors.plan_for(record),
            "agreements": selectors.agreements_for(record),
            "goal_form": GoalForm(initial={"shared_with_client": True}),
        },
    )


@require_GET
@professional_required
def goal_card(request: AuthenticatedHttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    """One goal with its actions, for the live page to refresh after someone else's change."""
    record = client_get_for_user(request.user, public_id)
    return _goal_card(request, record, goal_id)


@require_http_methods(["GET", "POST"])
@professional_required
def goal_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    form = GoalForm(request.POST if request.method == "POST" else None, initial={"shared_with_client": True})
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(actor=request.user, client=record.client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                # The new goal goes at the end of the plan, and the form comes back empty.
                return render(
                    request,
                    "sharing/plan/_goal_added.html",
                    {
                        "record": record,
                        "client": record.client,
                        "goal": selectors.goal_get_for(record, goal.pk),
                        "form": GoalForm(initial={"shared_with_client": True}),
                    },
                )
            return redirect(_plan_url(record, f"goal-{goal.pk}"))
    if request.htmx:
        response = render(request, "sharing/plan/_goal_form.html", {"form": form, "client": record.client})
        return reswap(retarget(response, "#add-goal-body"), "innerHTML")
    return render(
        request, "sharing/plan/goal_add.html", {"form": form, "client": record.client, "record": record}
    )


@require_http_methods(["GET", "POST"])
@professional_required
def goal_edit(request: AuthenticatedHttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    goal = selectors.goal_get_for(record, goal_id)
    return _edit(request, record, goal, GoalForm, services.goal_update, {})


@require_http_methods(["GET", "POST"])
@professional_required
def goal_address(request: AuthenticatedHttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    """Which assessment area the goal addresses (the card then shows that area's latest score)."""
    record = client_get_for_user(request.user, public_id)
    goal = selectors.goal_get_for(record, goal_id)
    if not record.may_edit_plan:
        raise PermissionDenied("Only members of the circle can change the plan.")
    choices = assessment_areas()
    current = f"{goal.addresses_instrument.code}:{goal.addresses_item}" if goal.addresses_instrument else ""
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("addresses", "")
        if chosen and chosen not in dict(choices):
            error = "Choose one of the areas listed."
        else:
            code, _, item = chosen.partition(":")
            try:
                services.goal_address_set(
                    actor=request.user,
                    goal=goal,
                    instrument=assessment_selectors.instrument_get(code) if code else None,
                    item=item,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect(_plan_url(record, f"goal-{goal.pk}"))
    return render(
        request,
        "sharing/plan/goal_address.html",
        {"client": record.client, "goal": goal, "choices": choices, "current": current, "error": error},
        status=400 if error else 200,
    )


def assessment_areas() -> list[tuple[str, str]]:
    """Every area a goal can address: an instrument's total, or one item of an instrument scored item by item."""
    areas = []
    for version in assessment_selectors.instrument_versions_current():
        definition = version.definition
        if definition["scoring"] == "sum":
            areas.append((f"{definition['code']}:", f"{definition['name']}: the total"))
        else:
            for item in definition["items"]:
                areas.append(
                    (f"{definition['code']}:{item['code']}", f"{definition['name']}: {short_label(item)}")
                )
    return areas


@require_http_methods(["GET", "POST"])
@professional_required
def action_add(request: AuthenticatedHttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    goal = selectors.goal_get_for(record, goal_id)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.owner_choices(record),
        client_name=record.client.given_name,
        initial={"shared_with_client": True},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                actor=request.user,
                goal=goal,
                what=data["what"],
                owner=None if data["owner"] == "client" else data["owner"],
                owner_is_client=data["owner"] == "client",
                due_on=data["due_on"],
                shared_with_client=data["shared_with_client"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _goal_card(request, record, goal.pk)
            return redirect(_plan_url(record, f"goal-{goal.pk}"))
    context = {"form": form, "client": record.client, "record": record, "goal": goal}
    if request.htmx:
        return reswap(
            retarget(
                render(request, "sharing/plan/_action_form.html", context), f"#goal-{goal.pk}-new-action"
            ),
            "innerHTML",
        )
    return render(request, "sharing/plan/action_add.html", context)


@require_http_methods(["GET", "POST"])
@professional_required
def action_edit(request: AuthenticatedHttpRequest, public_id: str, action_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    action = selectors.action_get_for(record, action_id)
    extra = {"owners": selectors.owner_choices(record), "client_name": record.client.given_name}
    return _edit(request, record, action, ActionForm, services.action_update, extra)


@require_POST
@professional_required
def action_status(request: AuthenticatedHttpRequest, public_id: str, action_id: int) -> HttpResponse:
    """One click: not started, in progress, done; dropped with a reason."""
    record = client_get_for_user(request.user, public_id)
    action = selectors.action_get_for(record, action_id)
    try:
        services.action_set_status(
            actor=request.user,
            action=action,
            status=request.POST.get("status", ""),
            dropped_reason=request.POST.get("dropped_reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if request.htmx:
            response = _goal_card(request, record, action.goal_id)
            response["HX-Trigger"] = "plan-error"
            return response
    if request.htmx:
        return _goal_card(request, record, action.goal_id)
    next_url = request.POST.get("next", "")
    return redirect(
        next_url if next_url == reverse("my_actions") else _plan_url(record, f"action-{action.pk}")
    )


@require_http_methods(["GET", "POST"])
@professional_required
def item_remove(request: AuthenticatedHttpRequest, public_id: str, kind: str, item_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    if request.method == "POST":
        try:
            if isinstance(item, Goal):
                services.goal_remove(actor=request.user, goal=item)
            else:
                services.action_remove(actor=request.user, action=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Taken off the plan. Its history is kept.")
        return redirect(_plan_url(record))
    return render(request, "sharing/plan/remove.html", {"client": record.client, "item": item, "kind": kind})


@require_POST
@professional_required
def item_move(
    request: AuthenticatedHttpRequest, public_id: str, kind: str, item_id: int, direction: str
) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    try:
        services.plan_move(actor=request.user, item=item, direction=direction)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_plan_url(record, f"{type(item).__name__.lower()}-{item.pk}"))


@require_GET
@professional_required
def item_history(request: AuthenticatedHttpRequest, public_id: str, kind: str, item_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    audit_read(record=record, action="plan.history", obj=item)
    notes = selectors.goal_notes(record, item) if isinstance(item, Goal) else None
    return render(
        request,
        "sharing/plan/history.html",
        {
            "record": record,
            "client": record.client,
            "item": item,
            "changes": selectors.history_rows(record, item),
            "notes": notes,
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def plan_agree(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id, need="manage")
    members = circle_members_current(record)
    form = AgreeForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"participants": [str(m.pk) for m in members]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.plan_agree(
                actor=request.user,
                client=record.client,
                participants=form.cleaned_data["participants"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The plan was marked agreed on {agreement.agreed_at:%d %B %Y}.")
            return redirect(_plan_url(record))
    return render(request, "sharing/plan/agree.html", {"form": form, "client": record.client})


@require_GET
@professional_required
def agreement_compare(request: AuthenticatedHttpRequest, public_id: str, agreement_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    agreement = selectors.agreement_get_for(record, agreement_id)
    return render(
        request,
        "sharing/plan/compare.html",
        {
            "record": record,
            "client": record.client,
            "agreement": agreement,
            "differences": selectors.agreement_differences(record, agreement, in_words=True),
        },
    )


@require_GET
@professional_required
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "sharing/plan/my_actions.html", {"actions": selectors.actions_owned_by(request.user)}
    )


def _item(record, kind: str, item_id: int) -> Goal | Action:
    if kind == "goals":
        return selectors.goal_get_for(record, item_id)
    if kind == "actions":
        return selectors.action_get_for(record, item_id)
    raise Http404("Goals or actions")


def _edit(
    request: AuthenticatedHttpRequest, record, item: Goal | Action, form_class, service, extra: dict[str, Any]
) -> HttpResponse:
    """Edit a goal or an action: send only what changed, from the version the form was opened at."""
    kind = type(item).__name__.lower()
    page = edit_with_merge(
        request,
        item,
        fields=item.EDITABLE,
        form_class=form_class,
        form_kwargs=extra,
        save=lambda changes, base_version: service(
            actor=request.user, **{kind: item}, changes=changes, base_version=base_version
        ),
        reread=lambda: _item(record, f"{kind}s", item.pk),
        add_errors=add_service_errors,
        name_of=partial(access.saved_by_label, record),
        shown={"owner": lambda owner: _owner_label(record, owner)},
    )
    if page.saved:
        return _saved_response(request, record, item)
    return _edit_response(request, record, page)


def _saved_response(request: AuthenticatedHttpRequest, record, item: Goal | Action) -> HttpResponse:
    goal_id = item.pk if isinstance(item, Goal) else item.goal_id
    if request.htmx:
        return _goal_card(request, record, goal_id)
    return redirect(_plan_url(record, f"goal-{goal_id}"))


def _edit_response(request: AuthenticatedHttpRequest, record, page: EditPage) -> HttpResponse:
    kind = type(page.item).__name__.lower()
    context = {
        "record": record,
        "client": record.client,
        "item": page.item,
        "kind": kind,
        "form": page.form,
        "base_version": page.base_version,
        "originals": page.originals,
        "conflicts": page.conflicts,
    }
    if request.htmx:
        slot = f"#goal-{page.item.pk}-body" if kind == "goal" else f"#action-{page.item.pk}"
        return reswap(retarget(render(request, "sharing/plan/_item_edit.html", context), slot), "innerHTML")
    return render(request, "sharing/plan/edit.html", context)


def _owner_label(record, value) -> str:
    if value == "client":
        return f"{record.client.given_name} (the client)"
    if not value:
        return "Nobody yet"
    member = next((m for m in selectors.owner_choices(record) if str(m.pk) == str(value)), None)
    return access.person_label(record, member) if member else "Someone who has left the circle"
