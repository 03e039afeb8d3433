"""The board's pages, under /clients/<public_id>/board/. Thin: parse, call a selector or a service, render.

Changing a card sends only what the person changed, from the version they opened it at; if someone saved
the same field first, the form comes back with both values and the person chooses (coedit.pages).
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from audit.services import audit_read
from board import hooks, selectors, services
from board.forms import ActionFromCardForm, CardForm, CloseForm, LinkForm, ScaleForm, goal_choices
from board.models import Card, Column
from circles.access import RecordAccess, saved_by_label
from circles.selectors import client_get_for_user
from coedit.pages import edit_with_merge
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from sharing.selectors import note_list_for

CLOSE_REASONS: dict[str, str] = {
    Column.WORRY: "No longer a worry",
    Column.WORKING_WELL: "No longer true",
    Column.NEXT_STEP: "Done",
}


def _board_url(record: RecordAccess, anchor: str = "") -> str:
    return reverse("board:board", args=[record.client.public_id]) + (f"#{anchor}" if anchor else "")


def _add_forms(data: dict | None = None, column: str = "") -> dict[str, CardForm]:
    return {
        value: CardForm(
            data if value == column else None, prefix=f"add-{value}", initial={"visibility": "circle"}
        )
        for value in Column.values
    }


def _render_board(
    request: AuthenticatedHttpRequest,
    record: RecordAccess,
    *,
    add_forms: dict[str, CardForm] | None = None,
    scale_form: ScaleForm | None = None,
    status: int = 200,
    new_cards: set[int] | None = None,
) -> HttpResponse:
    board = selectors.board_for(record)
    for column in board.columns:
        for card in column.cards:
            card.is_new = card.pk in (new_cards or set())
    forms = add_forms or _add_forms()
    for column in board.columns:
        column.form = forms[column.column]
    return render(
        request,
        "board/board.html",
        {
            "record": record,
            "client": record.client,
            "board": board,
            "scale_form": scale_form or ScaleForm(),
            "question": selectors.SCALE_QUESTION,
            "goals": list(goal_choices(record.client)),
        },
        status=status,
    )


def _card(request: AuthenticatedHttpRequest, record: RecordAccess, card_id: int) -> HttpResponse:
    card = selectors.card_get_for(record, card_id)
    return render(
        request,
        "board/_card.html",
        {"record": record, "client": record.client, "card": card, "goals": list(goal_choices(record.client))},
    )


@require_GET
@professional_required
def board(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    if record.client.public_id != public_id:
        return redirect("board:board", public_id=record.client.public_id)
    audit_read(record=record, action="board.view")
    # A visit for "since you last looked" (overview.Visit, through what the overview registered): the
    # cards changed since this person last looked are marked new, and now they have seen the board.
    new_cards = hooks.board_opened(record=record)
    return _render_board(request, record, new_cards=new_cards)


@require_GET
@professional_required
def card(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    """One card, for the live page to refresh after someone else's change."""
    record = client_get_for_user(request.user, public_id)
    return _card(request, record, card_id)


@require_POST
@professional_required
def card_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    column = request.POST.get("column", "")
    forms = _add_forms(request.POST, column)
    form = forms.get(column)
    if form is None:
        messages.error(
            request, "There is no such column. Choose worries, what's working well or what needs to happen."
        )
        return _render_board(request, record, status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = services.card_add(
                actor=request.user,
                client=record.client,
                column=column,
                text=data["text"],
                kind=data["kind"],
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return _card(request, record, new.pk)
            return redirect(_board_url(record, f"card-{new.pk}"))
    if request.htmx:
        response = render(
            request, "board/_add_form.html", {"client": record.client, "form": form, "column": column}
        )
        return reswap(retarget(response, f"#add-{column}-slot"), "innerHTML")
    return _render_board(request, record, add_forms=forms, status=400)


@require_http_methods(["GET", "POST"])
@professional_required
def card_edit(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    page = edit_with_merge(
        request,
        item,
        fields=Card.EDITABLE,
        form_class=CardForm,
        form_kwargs={},
        save=lambda changes, base_version: services.card_update(
            actor=request.user, card=item, changes=changes, base_version=base_version
        ),
        reread=lambda: selectors.card_get_for(record, item.pk),
        add_errors=add_service_errors,
        name_of=partial(saved_by_label, record),
    )
    if page.saved:
        if request.htmx:
            return _card(request, record, item.pk)
        return redirect(_board_url(record, f"card-{item.pk}"))
    context = {
        "record": record,
        "client": record.client,
        "card": page.item,
        "form": page.form,
        "base_version": page.base_version,
        "originals": page.originals,
        "conflicts": page.conflicts,
    }
    if request.htmx:
        response = render(request, "board/_card_edit.html", context)
        return reswap(retarget(response, f"#card-{item.pk}"), "outerHTML")
    return render(request, "board/card_edit.html", context)


@require_POST
@professional_required
def card_move(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    column = request.POST.get("column") or None
    direction = request.POST.get("direction") or None
    try:
        services.card_move(actor=request.user, card=item, column=column, direction=direction)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_board(request, record, status=400)
    return redirect(_board_url(record, f"card-{item.pk}"))


@require_http_methods(["GET", "POST"])
@professional_required
def card_close(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        initial={"reason": CLOSE_REASONS.get(item.column, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.card_close(actor=request.user, card=item, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The card is closed. You can still see it under “Closed”.")
            return redirect(_board_url(record))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "board/close.html", {"client": record.client, "card": item, "form": form}, status=status
    )


@require_POST
@professional_required
def card_to_plan(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    """One step from sense to plan: the card becomes a goal, or an action under a goal the person chose."""
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    try:
        if request.POST.get("goal"):
            form = ActionFromCardForm(request.POST, goals=goal_choices(record.client))
            if not form.is_valid():
                raise ValidationError("Choose a goal on this client's plan.")
            action = services.card_make_action(actor=request.user, card=item, goal=form.cleaned_data["goal"])
            messages.success(request, "It is on the plan now, as an action.")
            return redirect(reverse("plan:plan", args=[record.client.public_id]) + f"#action-{action.pk}")
        goal = services.card_make_goal(actor=request.user, card=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_board_url(record, f"card-{item.pk}"))
    messages.success(request, "It is on the plan now, as a goal.")
    return redirect(reverse("plan:plan", args=[record.client.public_id]) + f"#goal-{goal.pk}")


@require_http_methods(["GET", "POST"])
@professional_required
def card_link(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    recent = note_list_for(record).values_list("pk", flat=True)[:100]  # the latest hundred notes are offered
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        goals=goal_choices(record.client),
        notes=note_list_for(record).filter(pk__in=list(recent)),
        onlooker=record,
        initial={
            "addressed_by": item.addressed_by_id,
            "evidence": list(item.evidence.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.card_link(
                actor=request.user,
                card=item,
                addressed_by=form.cleaned_data["addressed_by"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_board_url(record, f"card-{item.pk}"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "board/link.html", {"client": record.client, "card": item, "form": form}, status=status
    )


@require_GET
@professional_required
def card_history(request: AuthenticatedHttpRequest, public_id: str, card_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    item = selectors.card_get_for(record, card_id)
    audit_read(record=record, action="board.view", obj=item)
    return render(
        request,
        "board/history.html",
        {
            "client": record.client,
            "card": item,
            "changes": selectors.card_history(record, item),
            "fields": Card.EDITABLE,
        },
    )


@require_POST
@professional_required
def scale_add(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = client_get_for_user(request.user, public_id)
    form = ScaleForm(request.POST)
    if form.is_valid():
        try:
            services.scale_add(
                actor=request.user,
                client=record.client,
                score=form.cleaned_data["score"],
                why=form.cleaned_data["why"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_board_url(record, "scales"))
    return _render_board(request, record, scale_form=form, status=400)


@require_GET
@professional_required
def scales_panel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The spread of scales, for the live page to refresh after someone gives theirs."""
    record = client_get_for_user(request.user, public_id)
    return render(
        request,
        "board/_scales.html",
        {
            "client": record.client,
            "record": record,
            "scales": selectors.scales_for(record),
            "question": selectors.SCALE_QUESTION,
        },
    )
