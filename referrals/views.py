"""Referral and handover pages. Thin: parse, call a selector or a service, render."""

import datetime
from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles import selectors as circle_selectors
from circles import services as circle_services
from circles.models import Consent
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from network.models import Organisation, User
from network.text import whole_number
from referrals import access as referral_access
from referrals import handovers, selectors, services
from referrals.forms import HandoverForm, ReferralForm
from referrals.models import Referral
from referrals.summary import now_summary

STEPS = referral_access.STEPS


@require_GET
@professional_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    received = list(selectors.referral_list_for_user(user, "received")[:200])
    sent = list(selectors.referral_list_for_user(user, "sent")[:200])
    colleagues: list[User] = []
    inbox_ids: set[int] = set()
    if referral_access.is_agency_manager(user) and user.organisation is not None:
        inbox_ids = {p.pk for p in selectors.inbox_people(user.organisation)}
        colleagues = list(
            User.objects.filter(organisation=user.organisation, is_active=True, kind=User.Kind.PROFESSIONAL)
            .exclude(org_role__in=[User.OrgRole.MANAGER, User.OrgRole.ADMIN])
            .order_by("full_name")
        )
    return render(
        request,
        "referrals/list.html",
        {
            "received": received,
            "sent": sent,
            "works_inbox": referral_access.works_inbox(user, user.organisation_id),
            "colleagues": colleagues,
            "inbox_ids": inbox_ids,
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def referral_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = circle_selectors.client_get_for_user(request.user, public_id)
    if not referral_access.may_refer(record):
        raise Http404("No client with that ID")
    client = record.client
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        own_organisation_id=request.user.organisation_id,
        initial={"now_summary": now_summary(record)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["consent_method"] and record.may_manage_circle:
                # The lead records the consent the client gave just now (how, when, by whom), then refers.
                circle_services.consent_record(
                    actor=request.user,
                    client=client,
                    scope=Consent.Scope.ORGANISATION,
                    organisation=data["to_organisation"],
                    method=data["consent_method"],
                    given_by=data["consent_given_by"],
                    given_on=data["consent_given_on"],
                )
            referral = services.referral_create(
                actor=request.user,
                client=client,
                to_organisation=data["to_organisation"],
                service=data["service"],
                asked=data["asked"],
                reason=data["reason"],
                urgency=data["urgency"],
                shares=data["shares"],
                now_summary=data["now_summary"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Referral sent to {referral.to_organisation.name}.")
            return redirect("referrals:referral", referral_id=referral.pk)
    chosen = form.data.get("to_organisation") if form.is_bound else None
    chosen_id = whole_number(chosen)
    organisation = Organisation.objects.filter(pk=chosen_id).first() if chosen_id else None
    return render(
        request,
        "referrals/new.html",
        {
            "form": form,
            "client": client,
            "record": record,
            "consents": [
                c for c in circle_selectors.consents_for(record) if c.is_current and c.scope == "organisation"
            ],
            "chosen": organisation,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@professional_required
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    who = selectors.referral_get_for_user(request.user, referral_id)
    return render(
        request,
        "referrals/detail.html",
        {
            "who": who,
            "referral": who.referral,
            "pack": selectors.referral_pack(who),
            "steps": selectors.referral_steps(who),
            "workers": selectors.workers_for(who),
            "outcomes": Referral.Outcome.choices,
        },
    )


@require_POST
@professional_required
def referral_step(request: AuthenticatedHttpRequest, referral_id: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("No such step")
    who = selectors.referral_get_for_user(request.user, referral_id)
    if not who.may_take(step):
        raise PermissionDenied("That step is not yours to take on this referral.")
    referral, post, actor = who.referral, request.POST, request.user
    try:
        if step == "accept":
            worker_id = whole_number(post.get("worker"))
            worker = User.objects.filter(pk=worker_id).first() if worker_id else None
            services.referral_accept(actor=actor, referral=referral, worker=worker)
        elif step == "decline":
            services.referral_decline(
                actor=actor,
                referral=referral,
                reason=post.get("reason", ""),
                suggestion=post.get("suggestion", ""),
            )
        elif step == "more-info":
            services.referral_info_request(actor=actor, referral=referral, question=post.get("question", ""))
        elif step == "info":
            services.referral_info_give(actor=actor, referral=referral, answer=post.get("answer", ""))
        elif step == "first-contact":
            services.referral_first_contact(actor=actor, referral=referral, on=_date(post.get("on")))
        elif step == "outcome":
            services.referral_outcome(
                actor=actor, referral=referral, outcome=post.get("outcome", ""), note=post.get("note", "")
            )
        else:
            services.referral_withdraw(actor=actor, referral=referral, reason=post.get("reason", ""))
    except services.ReferralConflict as exc:
        messages.error(request, exc.message)
        return redirect("referrals:referral", referral_id=referral.pk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("referrals:referral", referral_id=referral.pk)
    messages.success(request, "Saved.")
    return redirect("referrals:referral", referral_id=referral.pk)


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError({"on": "Enter the date of first contact, like 2026-03-14."}) from None


@require_GET
@professional_required
def client_summary(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The client page's "open referrals" panel on its own, for the live page to refresh."""
    record = circle_selectors.client_get_for_user(request.user, public_id)
    return render(request, "referrals/_client_summary.html", selectors.client_summary(record))


@require_POST
@professional_required
def inbox_people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency manager names (or un-names) a colleague to work the referrals inbox."""
    if not referral_access.is_agency_manager(request.user):
        raise PermissionDenied("Only an agency manager names who works the referrals inbox.")
    chosen = whole_number(request.POST.get("person"))
    person = User.objects.filter(pk=chosen).first() if chosen else None
    if person is None:
        return HttpResponse("Choose a person.", status=400, content_type="text/plain")
    services.inbox_member_set(
        actor=request.user, user=person, works_inbox=request.POST.get("works_inbox") == "yes"
    )
    messages.success(request, "Saved.")
    return redirect("referrals:list")


# Handovers.


@require_http_methods(["GET", "POST"])
@professional_required
def handover_new(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    record = circle_selectors.client_get_for_user(request.user, public_id, need="manage")
    members = [
        m
        for m in circle_selectors.circle_members_current(record)
        if m.kind == "professional" and not m.is_lead and m.user_id
    ]
    form = HandoverForm(
        request.POST if request.method == "POST" else None, initial={"summary": now_summary(record)}
    )
    cast(forms.ChoiceField, form.fields["to_member"]).choices = [
        (m.pk, f"{m.display_name}, {m.get_role_display()}") for m in members
    ]
    if request.method == "POST" and form.is_valid():
        member = next((m for m in members if str(m.pk) == form.cleaned_data["to_member"]), None)
        if member is None:
            form.add_error("to_member", "Choose a professional who is in the circle now.")
        else:
            try:
                handover = handovers.handover_offer(
                    actor=request.user,
                    client=record.client,
                    to_member=member,
                    summary=form.cleaned_data["summary"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{member.display_name} has been asked to take over the lead.")
                return redirect("referrals:handover", handover_id=handover.pk)
    return render(
        request,
        "referrals/handover_new.html",
        {"form": form, "client": record.client},
        status=400 if form.errors else 200,
    )


@require_GET
@professional_required
def handover_detail(request: AuthenticatedHttpRequest, handover_id: int) -> HttpResponse:
    handover, record = selectors.handover_get_for_user(request.user, handover_id)
    return render(
        request, "referrals/handover.html", {"handover": handover, "client": record.client, "record": record}
    )


@require_POST
@professional_required
def handover_decide(request: AuthenticatedHttpRequest, handover_id: int, decision: str) -> HttpResponse:
    handover, _record = selectors.handover_get_for_user(request.user, handover_id)
    if decision not in ("accept", "cancel"):
        raise Http404("No such decision")
    try:
        if decision == "accept":
            handovers.handover_accept(actor=request.user, handover=handover)
            messages.success(request, "You are now the lead professional.")
        else:
            handovers.handover_cancel(actor=request.user, handover=handover)
            messages.success(request, "The handover is cancelled.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("referrals:handover", handover_id=handover.pk)


@require_GET
@professional_required
def leads_needed(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not referral_access.is_agency_manager(request.user):
        raise PermissionDenied("For agency managers.")
    return render(
        request, "referrals/leads_needed.html", {"needed": selectors.leads_needed_for_manager(request.user)}
    )
