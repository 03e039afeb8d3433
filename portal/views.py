"""Portal pages for clients and families, and the lead's invitation pages. Thin: selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.charts import legend, trend_chart
from assessments.forms import answers_from
from assessments.views import questions as assessment_questions
from audit.services import audit_record
from board import selectors as board_selectors
from board import services as board_services
from circles.selectors import client_get_for_user
from conferences import selectors as meeting_selectors
from conferences import services as meeting_services
from conferences.models import AgendaItem, Contribution
from network.decorators import AuthenticatedView, P, portal_required, professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from portal import selectors, services
from portal.forms import InvitationForm
from sharing import services as plan_services


def _calm_when_ended(view: AuthenticatedView[P]) -> AuthenticatedView[P]:
    """Someone whose portal has closed gets a calm page in plain words, not a bare "Not Found"."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            ended = selectors.ended_portal_for(request.user)
            if ended is None:
                raise
            return render(request, "portal/ended.html", ended, status=404)

    return wrapper


def _portal(request: AuthenticatedHttpRequest):
    view = selectors.portal_for(request.user, request.GET.get("client"))
    audit_record(actor=request.user, action="portal.view", client=view.client)
    return view


@require_GET
@portal_required
@_calm_when_ended
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your plan: what is happening next, who is doing it and by when."""
    view = _portal(request)
    return render(request, "portal/home.html", {"view": view, "client": view.client})


@require_GET
@portal_required
@_calm_when_ended
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = _portal(request)
    return render(request, "portal/people.html", {"view": view, "people": selectors.people_helping(view)})


@require_GET
@portal_required
@_calm_when_ended
def shared(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = _portal(request)
    meetings = [m for m in meeting_selectors.portal_meetings(request.user, view.client) if m["upcoming"]]
    return render(
        request,
        "portal/shared.html",
        {"view": view, "notes": selectors.shared_notes(view), "meetings": meetings},
    )


@require_GET
@portal_required
@_calm_when_ended
def ratings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "How am I doing?": what the team asked them to fill in, and their ratings (and shared ones) over time."""
    view = _portal(request)
    charts = []
    for series in assessment_selectors.shared_with_client(view.client):
        chart_id = f"chart-{series.instrument.code}-{'own' if series.by_client else 'team'}"
        charts.append(
            {
                "series": series,
                "svg": trend_chart(series, chart_id=chart_id, plain=True),
                "legend": legend(series),
            }
        )
    return render(
        request,
        "portal/ratings.html",
        {
            "view": view,
            "client": view.client,
            "asked": assessment_selectors.open_self_rating_requests(view.client) if view.is_client else [],
            "charts": charts,
        },
    )


@require_http_methods(["GET", "POST"])
@portal_required
@_calm_when_ended
def rate(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    """The client rates themself: one question at a time on a small screen, all on one page."""
    view = selectors.portal_for(request.user, request.POST.get("client") or request.GET.get("client"))
    if not view.is_client:
        raise Http404("Only the client rates themself")
    asked = assessment_selectors.self_rating_request_for(view.client, request_id)
    version = asked.instrument.versions.get(number=asked.instrument.current_version)
    definition = version.definition
    answers: dict = {}
    errors: dict = {}
    if request.method == "POST":
        answers = answers_from(request.POST, definition)
        try:
            done = assessment_services.self_rating_complete(user=request.user, request=asked, answers=answers)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            if done.flagged:
                messages.warning(
                    request,
                    "Thank you. Your team will be in touch soon. If you feel unsafe now, call 999, "
                    "or call Samaritans free on 116 123, any time.",
                )
            else:
                messages.success(request, "Thank you. Your team can see your answers.")
            return redirect("portal:ratings")
    questions = [
        {**q, "narrative": "optional" if q["narrative"] == "required" else q["narrative"]}
        for q in assessment_questions(definition, answers, errors)
    ]
    return render(
        request,
        "portal/rate.html",
        {"view": view, "asked": asked, "definition": definition, "questions": questions, "errors": errors},
        status=400 if errors else 200,
    )


@require_GET
@portal_required
@_calm_when_ended
def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My meetings: when, where, what for and who is coming; what I want it to know; the summary after."""
    view = _portal(request)
    return render(
        request,
        "portal/meetings.html",
        {"view": view, "meetings": meeting_selectors.portal_meetings(request.user, view.client)},
    )


@require_POST
@portal_required
@_calm_when_ended
def meeting_say(request: AuthenticatedHttpRequest, item_id: int) -> HttpResponse:
    """ "What I want the meeting to know": it goes into the meeting's pack."""
    view = selectors.portal_for(request.user, request.POST.get("client"))
    mine = {
        m["item"].pk: m["item"]
        for m in meeting_selectors.portal_meetings(request.user, view.client)
        if m["upcoming"]
    }
    item: AgendaItem | None = mine.get(item_id)
    if item is None:
        raise Http404("No such meeting")
    try:
        meeting_services.contribution_add(
            actor=request.user,
            item=item,
            kind=Contribution.Kind.CLIENT_VIEW,
            facts=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you. The meeting will see what you wrote.")
    return redirect("portal:meetings")


@require_POST
@portal_required
@_calm_when_ended
def action_done(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    view = selectors.portal_for(request.user, request.POST.get("client"))
    action = selectors.my_action_for(view, action_id)
    try:
        plan_services.action_done_by_client(user=request.user, action=action)
    except ValidationError as exc:  # changed by the team since the page was drawn: nothing was saved
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Well done. Your team can see it.")
    return redirect("portal:home")


@require_POST
@portal_required
@_calm_when_ended
def comment_add(request: AuthenticatedHttpRequest, goal_id: int) -> HttpResponse:
    """ "In my words": the client says something about a goal, and the team sees it."""
    view = selectors.portal_for(request.user, request.POST.get("client"))
    goal = selectors.my_goal_for(view, goal_id)
    try:
        plan_services.goal_comment_add(user=request.user, goal=goal, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you. Your team can see what you wrote.")
    return redirect(reverse("portal:home") + f"#goal-{goal.pk}")


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email: one tap to start."""
    if request.method == "POST":
        try:
            user = services.invitation_accept(token=token)
        except ValidationError as exc:
            return render(request, "portal/accept.html", {"error": " ".join(exc.messages)}, status=400)
        login(request, user, backend="network.backends.ModelBackend")
        return redirect("portal:home")
    invitation = selectors.invitation_for_token(token)
    ok = invitation is not None and invitation.is_open
    return render(
        request,
        "portal/accept.html",
        {
            "invitation": invitation if ok else None,
            "error": None if ok else "This link has expired or has been used.",
        },
        status=200 if ok else 400,
    )


@require_http_methods(["GET", "POST"])
@professional_required
def invite(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The lead invites the client, or a family member with consent, to the portal."""
    record = client_get_for_user(request.user, public_id, need="manage")
    family = selectors.family_to_invite(record)
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        family=family,
        initial={"email": record.client.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user,
                client=record.client,
                email=form.cleaned_data["email"],
                member=form.cleaned_data["who"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"member": "who"})
        else:
            messages.success(
                request, f"Invitation sent to {form.cleaned_data['email']}. It works for 14 days."
            )
            return redirect("circles:client", public_id=record.client.public_id)
    invitations = selectors.invitations_for_lead(record)
    return render(
        request, "portal/invite.html", {"form": form, "client": record.client, "invitations": invitations}
    )


@require_POST
@professional_required
def invite_revoke(request: AuthenticatedHttpRequest, public_id: str, invitation_id: int) -> HttpResponse:
    record = client_get_for_user(request.user, public_id, need="manage")
    invitation = selectors.invitation_get_for_lead(record, invitation_id)
    if invitation is None:  # not one of this client's invitations
        raise Http404("No such invitation")
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, "The invitation link no longer works.")
    return redirect("portal:invite", public_id=record.client.public_id)


@require_GET
@portal_required
@_calm_when_ended
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Good things and worries: the board's cards shared with the client, their own, and their scale."""
    view = _portal(request)
    return render(
        request,
        "portal/board.html",
        {
            "view": view,
            "client": view.client,
            "cards": board_selectors.portal_cards(view.client, request.user),
            "scales": board_selectors.portal_scales(view.client, request.user),
            "scores": range(11),
        },
    )


@require_POST
@portal_required
@_calm_when_ended
def card_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = selectors.portal_for(request.user, request.POST.get("client"))
    try:
        board_services.card_add_by_client(
            user=request.user,
            client=view.client,
            column=request.POST.get("column", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you. Your team can see what you wrote.")
    return redirect(reverse("portal:board") + "#add-card")


@require_POST
@portal_required
@_calm_when_ended
def scale_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    view = selectors.portal_for(request.user, request.POST.get("client"))
    try:
        board_services.scale_add_by_client(
            user=request.user,
            client=view.client,
            score=request.POST.get("score", ""),
            why=request.POST.get("why", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Thank you. Your team can see your number.")
    return redirect(reverse("portal:board") + "#my-number")
