"""Pages for the plan. Thin: parse, call a selector or a service, render.

Editing a goal or an action sends only the fields the person changed, with the version they started
from, so two people changing different fields never collide. If someone saved the same field first,
the form comes back showing both values, and the person chooses: keep theirs, keep mine, or merge.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from audit.services import audit_read
from circles.selectors import circle_members_current, client_get_for_user
from network.decorators import professional_required
from network.forms import add_service_errors
from sharing import selectors, services
from sharing.forms import ActionForm, AgreeForm, GoalForm
from sharing.models import Action, Goal

TEXT_FIELDS = {"in_own_words", "success_looks_like", "what", "dropped_reason"}


def _plan_url(record, anchor: str = "") -> str:
    return reverse("plan:plan", args=[record.client.public_id]) + (f"#{anchor}" if anchor else "")


def _goal_card(request: HttpRequest, record, goal_id: int) -> HttpResponse:
    goal = selectors.goal_get_for(record, goal_id)
    return render(
        request, "sharing/plan/_goal.html", {"record": record, "client": record.client, "goal": goal}
    )


@require_GET
@professional_required
def plan(request: HttpRequest, public_id: str) -> HttpResponse:
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
def goal_card(request: HttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    """One goal with its actions, for the live page to refresh after someone else's change."""
    record = client_get_for_user(request.user, public_id)
    return _goal_card(request, record, goal_id)


@require_http_methods(["GET", "POST"])
@professional_required
def goal_add(request: HttpRequest, public_id: str) -> HttpResponse:
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
def goal_edit(request: HttpRequest, public_id: str, goal_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    goal = selectors.goal_get_for(record, goal_id)
    return _edit(request, record, goal, GoalForm, services.goal_update, {})


@require_http_methods(["GET", "POST"])
@professional_required
def action_add(request: HttpRequest, public_id: str, goal_id: int) -> HttpResponse:
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
def action_edit(request: HttpRequest, public_id: str, action_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    action = selectors.action_get_for(record, action_id)
    extra = {"owners": selectors.owner_choices(record), "client_name": record.client.given_name}
    return _edit(request, record, action, ActionForm, services.action_update, extra)


@require_POST
@professional_required
def action_status(request: HttpRequest, public_id: str, action_id: int) -> HttpResponse:
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
def item_remove(request: HttpRequest, public_id: str, kind: str, item_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    if request.method == "POST":
        remove = services.goal_remove if isinstance(item, Goal) else services.action_remove
        try:
            remove(actor=request.user, **{type(item).__name__.lower(): item})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Taken off the plan. Its history is kept.")
        return redirect(_plan_url(record))
    return render(request, "sharing/plan/remove.html", {"client": record.client, "item": item, "kind": kind})


@require_POST
@professional_required
def item_move(request: HttpRequest, public_id: str, kind: str, item_id: int, direction: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    try:
        services.plan_move(actor=request.user, item=item, direction=direction)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_plan_url(record, f"{type(item).__name__.lower()}-{item.pk}"))


@require_GET
@professional_required
def item_history(request: HttpRequest, public_id: str, kind: str, item_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = _item(record, kind, item_id)
    audit_read(record=record, action="plan.history", obj=item)
    notes = selectors.goal_notes(record, item) if isinstance(item, Goal) else None
    return render(
        request,
        "sharing/plan/history.html",
        {
            "client": record.client,
            "item": item,
            "changes": selectors.history_rows(record, item),
            "notes": notes,
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def plan_agree(request: HttpRequest, public_id: str) -> HttpResponse:
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
def agreement_compare(request: HttpRequest, public_id: str, agreement_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    agreement = selectors.agreement_get_for(record, agreement_id)
    plan = selectors.plan_for(record).plan
    current = selectors.plan_snapshot(plan) if plan else {"goals": []}
    return render(
        request,
        "sharing/plan/compare.html",
        {
            "client": record.client,
            "agreement": agreement,
            "differences": selectors.plan_compare(agreement.snapshot, current),
        },
    )


@require_GET
@professional_required
def my_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sharing/plan/my_actions.html", {"actions": selectors.actions_owned_by(request.user)}
    )


def _item(record, kind: str, item_id: int) -> Goal | Action:
    if kind == "goals":
        return selectors.goal_get_for(record, item_id)
    if kind == "actions":
        return selectors.action_get_for(record, item_id)
    raise Http404("Goals or actions")


def _initial(item: Goal | Action) -> dict[str, Any]:
    if isinstance(item, Goal):
        return {
            f: getattr(item, f)
            for f in ("in_own_words", "success_looks_like", "review_on", "shared_with_client")
        }
    owner = "client" if item.owner_is_client else (str(item.owner_id) if item.owner_id else "")
    return {
        "what": item.what,
        "owner": owner,
        "due_on": item.due_on,
        "shared_with_client": item.shared_with_client,
    }


def _as_text(value: Any) -> str:
    """Form values and stored values in one shape, to tell which fields the person actually changed."""
    if hasattr(value, "pk"):
        return str(value.pk)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _form_data(values: dict[str, str], prefix: str) -> dict[str, str]:
    """Values as a browser would post them (an unticked checkbox is simply absent)."""
    data = {f"{prefix}-{name}": value for name, value in values.items() if name != "shared_with_client"}
    if values.get("shared_with_client") == "True":
        data[f"{prefix}-shared_with_client"] = "on"
    return data


def _edit(
    request: HttpRequest, record, item: Goal | Action, form_class, service, extra: dict[str, Any]
) -> HttpResponse:
    """Edit a goal or an action: send only what changed, from the version the form was opened at."""
    kind = type(item).__name__.lower()
    prefix = f"{kind}{item.pk}"  # several items can be open for editing on one page
    current = {name: _as_text(value) for name, value in _initial(item).items()}
    if request.method != "POST":
        form = form_class(initial=_initial(item), prefix=prefix, **extra)
        return _edit_response(request, record, item, form, base_version=item.version, originals=current)

    form = form_class(request.POST, prefix=prefix, **extra)
    originals = {name: request.POST.get(f"original_{name}", current.get(name, "")) for name in form.fields}
    try:
        base_version = int(request.POST.get("base_version", ""))
    except ValueError:
        base_version = item.version
    if not form.is_valid():
        return _edit_response(request, record, item, form, base_version=base_version, originals=originals)
    # Only what this person changed since they opened the form is saved.
    changes = {name: value for name, value in form.cleaned_data.items() if _as_text(value) != originals[name]}
    for name in list(changes):
        choice = request.POST.get(f"resolve_{name}")
        if choice == "theirs":
            changes.pop(name)
        elif choice == "merge":
            changes[name] = request.POST.get(f"merge_{name}", "")
    if not changes:
        return _saved_response(request, record, item)
    try:
        service(actor=request.user, **{kind: item}, changes=changes, base_version=base_version)
    except services.StaleEdit as stale:
        fresh = (
            selectors.goal_get_for(record, item.pk)
            if kind == "goal"
            else selectors.action_get_for(record, item.pk)
        )
        fresh_values = {name: _as_text(value) for name, value in _initial(fresh).items()}
        # Start again from what it says now, keeping this person's own changes, and ask about the clashes.
        values = fresh_values | {name: _as_text(value) for name, value in changes.items()}
        form = form_class(_form_data(values, prefix), prefix=prefix, **extra)
        form.is_valid()
        rows = [
            _conflict_row(record, form, name, details, changes.get(name))
            for name, details in stale.conflicts.items()
        ]
        return _edit_response(
            request, record, fresh, form, base_version=fresh.version, originals=fresh_values, conflicts=rows
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _edit_response(request, record, item, form, base_version=base_version, originals=originals)
    return _saved_response(request, record, item)


def _conflict_row(record, form, name: str, details: dict[str, Any], mine: Any) -> dict[str, Any]:
    theirs = details["current"]
    if name == "owner":
        theirs, mine = _owner_label(record, theirs), _owner_label(record, _as_text(mine) if mine else None)
    field = form.fields.get(name)
    return {
        "name": name,
        "label": field.label if field else name,
        "theirs": "" if theirs is None else theirs,
        "mine": "" if mine is None else _as_text(mine) if name != "owner" else mine,
        "by": details["by"],
        "mergeable": name in TEXT_FIELDS,
        "merged": f"{theirs}\n{_as_text(mine)}" if name in TEXT_FIELDS else "",
    }


def _saved_response(request: HttpRequest, record, item: Goal | Action) -> HttpResponse:
    goal_id = item.pk if isinstance(item, Goal) else item.goal_id
    if request.htmx:
        return _goal_card(request, record, goal_id)
    return redirect(_plan_url(record, f"goal-{goal_id}"))


def _edit_response(
    request, record, item, form, *, base_version: int, originals: dict[str, str], conflicts=None
):
    kind = type(item).__name__.lower()
    context = {
        "record": record,
        "client": record.client,
        "item": item,
        "kind": kind,
        "form": form,
        "base_version": base_version,
        "originals": originals,
        "conflicts": conflicts or [],
    }
    if request.htmx:
        slot = f"#goal-{item.pk}-body" if kind == "goal" else f"#action-{item.pk}"
        return reswap(retarget(render(request, "sharing/plan/_item_edit.html", context), slot), "innerHTML")
    return render(request, "sharing/plan/edit.html", context)


def _owner_label(record, value) -> str:
    if value == "client":
        return f"{record.client.given_name} (the client)"
    if not value:
        return "Nobody yet"
    member = next((m for m in selectors.owner_choices(record) if str(m.pk) == str(value)), None)
    return member.display_name if member else "Someone who has left the circle"
