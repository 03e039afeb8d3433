"""Pages for case conferences. Thin: parse, call a selector or a service, render.

The meeting page follows the chair: it shows the item the chair is on, unless the person chose to look
at another (`?item=`), with a link back. static/js/meeting.js keeps it live over the meeting's socket.
"""

import datetime
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circles import access as policy
from circles import public_id as public_ids
from circles.models import CircleMember, Client
from circles.selectors import client_get_for_user
from coedit.pages import edit_with_merge
from conferences import access, selectors, services
from conferences.access import MeetingAccess
from conferences.forms import (
    AgendaItemForm,
    AmendForm,
    AnswerForm,
    ClientAgendaForm,
    CloseItemForm,
    ContributionForm,
    DecisionForm,
    FamilySummaryForm,
    MeetingForm,
    MinutesForm,
    PackNoteForm,
    panels_chaired_by,
)
from conferences.models import AgendaItem, Meeting
from network.decorators import professional_required
from network.forms import add_service_errors
from network.http import AuthenticatedHttpRequest
from network.text import whole_number
from realtime.selectors import stream_latest_seq
from sharing.models import Note


def _meeting_url(meeting: Meeting, item: AgendaItem | None = None) -> str:
    url = reverse("conferences:meeting", args=[meeting.pk])
    return f"{url}?item={item.pk}" if item else url


@require_GET
@professional_required
def my_meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = selectors.my_meetings(request.user)
    return render(
        request,
        "conferences/my_meetings.html",
        {
            "mine": mine,
            "may_arrange": access.may_arrange_meetings(request.user),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def meeting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.may_arrange_meetings(request.user):
        return render(request, "conferences/not_a_chair.html", status=403)
    form = MeetingForm(
        request.POST if request.method == "POST" else None, panels=panels_chaired_by(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        try:
            meeting = services.meeting_create(
                actor=request.user,
                type=data["type"],
                title=data["title"],
                starts_at=starts_at,
                panel=data["panel"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_link=data["video_link"],
                minute_taker=data["minute_taker"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"starts_at": "date"})
        else:
            messages.success(request, "Meeting arranged. Now put clients on its agenda.")
            return redirect("conferences:meeting", meeting.pk)
    return render(request, "conferences/meeting_new.html", {"form": form}, status=400 if form.errors else 200)


def _present_names(meeting_access: MeetingAccess) -> list[str]:
    return selectors.attendee_names(meeting_access)


def _owner_choices(meeting_access: MeetingAccess, item: AgendaItem) -> list[tuple[str, str]]:
    """Who may own an agreed action: the client, and the circle's members this person may know."""
    names = meeting_access.names
    choices = [("client", f"{item.client.given_name} (the client)")]
    for member in CircleMember.objects.filter(client=item.client, until=None).select_related("user"):
        if not policy.hides(names, member):
            choices.append((str(member.pk), policy.person_label(names, member)))
    return choices


class _NotPosted:
    """What the minutes form sees when the request is not its own post: a fresh form at the item's version."""

    method = "GET"
    POST: dict[str, str] = {}


def _item_context(
    request: AuthenticatedHttpRequest,
    meeting_access: MeetingAccess,
    item: AgendaItem | None,
    *,
    minutes_posted: bool = False,
) -> dict[str, Any]:
    meeting = meeting_access.meeting
    context: dict[str, Any] = {"meeting": meeting, "access": meeting_access, "item": item}
    if item is None:
        return context
    context["may_read_pack"] = meeting_access.may_read_pack(item)
    context["following"] = meeting.current_item_id == item.pk
    context["decisions"] = selectors.label_decisions(
        meeting_access, item.decisions.prefetch_related("plan_actions__action")
    )
    if meeting_access.may_minute and not meeting.minutes_locked:
        page = edit_with_merge(
            request if minutes_posted else _NotPosted(),  # type: ignore[arg-type]
            item,
            fields=AgendaItem.EDITABLE,
            form_class=MinutesForm,
            form_kwargs={},
            save=lambda changes, base_version: services.minutes_update(
                actor=request.user,
                item=item,
                minutes=changes.get("minutes", item.minutes),
                base_version=base_version,
            ),
            reread=lambda: AgendaItem.objects.select_related("client", "meeting").get(pk=item.pk),
            add_errors=add_service_errors,
            # The chair and the minute-taker need not be in the client's circle: named as on the meeting.
            name_of=partial(policy.saved_by_label, meeting_access),
        )
        context["minutes_page"] = page
        if item.status == AgendaItem.Status.OPEN:
            context["decision_form"] = DecisionForm(
                present=_present_names(meeting_access), owners=_owner_choices(meeting_access, item)
            )
            context["close_form"] = CloseItemForm()
    return context


@require_GET
@professional_required
def meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    meeting = meeting_access.meeting
    agenda = selectors.agenda_for(meeting_access)
    chosen = request.GET.get("item")
    item = None
    if chosen:
        item = next((i for i in agenda if str(i.pk) == chosen), None)
    if item is None:
        item = next((i for i in agenda if i.pk == meeting.current_item_id), agenda[0] if agenda else None)
    context = _item_context(request, meeting_access, item)
    context |= {
        "agenda": agenda,
        # Another client's item is listed without their name (need to know).
        "readable": set(access.readable_items(meeting_access, {i.pk: i.client_id for i in agenda})),
        "invitations": selectors.invitations_for(meeting_access),
        "answer_form": AnswerForm(
            initial={
                "answer": meeting_access.invitation.answer,
                "deputy_name": meeting_access.invitation.deputy_name,
            }
        )
        if meeting_access.invitation
        else None,
        "seq": _stream_seq(meeting),
        "attendance_choices": [("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent")],
    }
    return render(request, "conferences/meeting.html", context)


def _stream_seq(meeting: Meeting) -> int:
    return stream_latest_seq(meeting.stream)


@require_GET
@professional_required
def item_panel(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """The item's part of the meeting page, fetched by the live page when the chair moves or minutes change."""
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    return render(request, "conferences/_item.html", _item_context(request, meeting_access, item))


@require_POST
@professional_required
def minutes_edit(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    if not meeting_access.may_minute:
        return HttpResponse("Only the chair and the minute-taker write the minutes.", status=403)
    if meeting_access.meeting.minutes_locked:
        messages.error(request, services.SIGNED_OFF)
        return redirect("conferences:amend", meeting_id, item_id)
    context = _item_context(request, meeting_access, item, minutes_posted=True)
    page = context["minutes_page"]
    if page.saved and not request.htmx:
        return redirect(_meeting_url(meeting_access.meeting, item) + "#minutes")
    if page.saved:
        fresh = AgendaItem.objects.select_related("client", "meeting").get(pk=item.pk)
        context = _item_context(request, meeting_access, fresh)
    status = 200 if page.saved or page.conflicts else 400
    return render(request, "conferences/_item.html", context, status=status)


def _act(
    request: AuthenticatedHttpRequest, meeting: Meeting, item: AgendaItem | None, do: Any
) -> HttpResponse:
    """Run a service for a form-less button; errors come back as a message on the meeting page."""
    try:
        do()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_meeting_url(meeting, item))


@require_POST
@professional_required
def meeting_open(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    return _act(
        request,
        meeting_access.meeting,
        None,
        lambda: services.meeting_open(actor=request.user, meeting=meeting_access.meeting),
    )


@require_POST
@professional_required
def meeting_end(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    return _act(
        request,
        meeting_access.meeting,
        None,
        lambda: services.meeting_end(actor=request.user, meeting=meeting_access.meeting),
    )


@require_POST
@professional_required
def item_move(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    response = _act(
        request,
        meeting_access.meeting,
        None,
        lambda: services.meeting_item_move(actor=request.user, meeting=meeting_access.meeting, item=item),
    )
    if request.htmx:
        return HttpResponse(status=204)
    return response


@require_http_methods(["GET", "POST"])
@professional_required
def agenda_add(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    meeting = meeting_access.meeting
    if not meeting_access.may_run:
        return HttpResponse("Only the chair changes the agenda.", status=403)
    form = AgendaItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = _client_by_id(data["client"])
        if client is None:
            form.add_error("client", "No client has that ID. Check it and try again.")
        else:
            if _put_on_agenda(request, form, meeting, client):
                messages.success(request, f"{client.given_name} is on the agenda.")
                return redirect("conferences:meeting", meeting.pk)
    return render(
        request,
        "conferences/agenda_add.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


def _put_on_agenda(request: AuthenticatedHttpRequest, form: Any, meeting: Meeting, client: Client) -> bool:
    """Add the client to the meeting's agenda from a valid agenda form; False, with the service's reasons on
    the form, if it may not."""
    data = form.cleaned_data
    try:
        services.agenda_item_add(
            actor=request.user,
            meeting=meeting,
            client=client,
            reason=data["reason"],
            slot_minutes=data["slot_minutes"],
            without_consent_reason=data["without_consent_reason"],
            base_url=request.build_absolute_uri("/")[:-1],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@require_http_methods(["GET", "POST"])
@professional_required
def agenda_for_client(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """A circle's lead puts their client on a meeting's agenda, from the client page (the service checks
    the lawful basis, and that they lead the circle, again)."""
    record = client_get_for_user(request.user, public_id, need="manage")
    client = record.client
    choices = selectors.meetings_to_put_on(record)
    meetings = {choice.meeting.pk: choice.meeting for choice in choices}
    form = ClientAgendaForm(
        request.POST if request.method == "POST" else None,
        choices=[(choice.meeting.pk, choice.label) for choice in choices],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = meetings[data["meeting"]]
        if _put_on_agenda(request, form, meeting, client):
            messages.success(request, f"{client.given_name} is on the agenda of {meeting.title}.")
            return redirect("circles:client", client.public_id)
    return render(
        request,
        "conferences/agenda_for_client.html",
        {
            "form": form,
            "client": client,
            "has_meetings": bool(choices),
            "consent": access.conference_consent(client),
        },
        status=400 if form.errors else 200,
    )


def _client_by_id(text: str) -> Client | None:
    try:
        return Client.objects.filter(public_id=public_ids.normalise(text)).first()
    except public_ids.InvalidPublicId:
        return None


@require_POST
@professional_required
def attendance(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    meeting = meeting_access.meeting
    if not meeting_access.may_minute:
        return HttpResponse("Only the chair and the minute-taker take attendance.", status=403)
    chosen = whole_number(request.POST.get("invitation"))  # a filter on "abc" would be a 500
    invitation = meeting.invitations.filter(pk=chosen).first() if chosen else None
    if invitation is None:
        messages.error(request, "Choose someone who was invited.")
        return redirect("conferences:meeting", meeting.pk)
    return _act(
        request,
        meeting,
        None,
        lambda: services.attendance_record(
            actor=request.user,
            meeting=meeting,
            invitation=invitation,
            status=request.POST.get("status", ""),
            for_family=request.POST.get("for_family") == "on",
        ),
    )


@require_POST
@professional_required
def decision_add(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    if not meeting_access.may_minute:
        return HttpResponse("Only the chair and the minute-taker record decisions.", status=403)
    form = DecisionForm(
        request.POST, present=_present_names(meeting_access), owners=_owner_choices(meeting_access, item)
    )
    if form.is_valid():
        data = form.cleaned_data
        actions = []
        if data["action_what"]:
            owner = data["action_owner"]
            actions.append(
                {
                    "what": data["action_what"],
                    "owner": CircleMember.objects.filter(client=item.client, pk=owner).first()
                    if owner and owner != "client"
                    else None,
                    "owner_is_client": owner == "client",
                    "due_on": data["action_due"],
                }
            )
        try:
            services.decision_record(
                actor=request.user,
                item=item,
                text=data["text"],
                agreed_by=data["agreed_by"],
                dissent=form.dissents(),
                actions=actions,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_meeting_url(meeting_access.meeting, item) + "#decisions")
    context = _item_context(request, meeting_access, item) | {"decision_form": form}
    return render(request, "conferences/item_form_page.html", context, status=400)


@require_POST
@professional_required
def item_close(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    if not meeting_access.may_minute:
        return HttpResponse("Only the chair and the minute-taker close items.", status=403)
    form = CloseItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_close(
                actor=request.user,
                item=item,
                next_review_on=form.cleaned_data["next_review_on"],
                close_case=form.cleaned_data["close_case"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_meeting_url(meeting_access.meeting, item))
    context = _item_context(request, meeting_access, item) | {"close_form": form}
    return render(request, "conferences/item_form_page.html", context, status=400)


@require_POST
@professional_required
def answer(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    if meeting_access.invitation is None:
        return HttpResponse("Only people invited answer.", status=403)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_answer(
                actor=request.user,
                invitation=meeting_access.invitation,
                answer=form.cleaned_data["answer"],
                deputy_name=form.cleaned_data["deputy_name"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Thank you: your answer is saved.")
    else:
        messages.error(request, "Choose attending, apologies or sending someone else.")
    return redirect("conferences:meeting", meeting_id)


@require_http_methods(["GET", "POST"])
@professional_required
def contribute(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    if not meeting_access.may_read_pack(item):
        return render(
            request, "conferences/pack_closed.html", {"meeting": meeting_access.meeting}, status=404
        )
    form = ContributionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Added to the pack.")
            return redirect("conferences:pack", meeting_id, item_id)
    return render(
        request,
        "conferences/contribute.html",
        {"form": form, "meeting": meeting_access.meeting, "item": item},
        status=400 if form.errors else 200,
    )


@require_GET
@professional_required
def pack(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """A client's conference pack (prints on A4: see the print stylesheet)."""
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    try:
        the_pack = selectors.pack_for(meeting_access, item)
    except selectors.PackNotAvailable:
        return render(
            request, "conferences/pack_closed.html", {"meeting": meeting_access.meeting}, status=404
        )
    return render(
        request,
        "conferences/pack.html",
        {
            "pack": the_pack,
            "meeting": meeting_access.meeting,
            "access": meeting_access,
            "seq": _stream_seq(meeting_access.meeting),
        },
    )


@require_http_methods(["GET", "POST"])
@professional_required
def pack_notes(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    """A circle member chooses which of their client's notes go into the pack for this meeting."""
    circle_pack = selectors.item_for_circle(request.user, meeting_id, item_id)
    item = circle_pack.item
    status = 200
    if request.method == "POST":
        form = PackNoteForm(request.POST)
        note = None
        if form.is_valid():
            note = Note.objects.filter(client=item.client, pk=form.cleaned_data["note"]).first()
        if note is None:
            messages.error(request, "Choose one of the notes below.")
            status = 400
        else:
            add = form.cleaned_data["action"] == "add"
            service = services.pack_note_add if add else services.pack_note_remove
            try:
                service(actor=request.user, item=item, note=note)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            except PermissionDenied:
                messages.error(request, "Choose one of the notes below.")  # not one this person may read
                status = 400
            else:
                messages.success(request, "Put in the pack." if add else "Taken out of the pack.")
                return redirect("conferences:pack_notes", meeting_id, item_id)
    return render(
        request,
        "conferences/pack_notes.html",
        {
            "meeting": item.meeting,
            "item": item,
            "may_mark": circle_pack.may_mark,
            "notes": selectors.notes_to_mark(circle_pack),
        },
        status=status,
    )


@require_GET
@professional_required
def minutes(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes of the whole meeting, to read and print: items whose pack the person may read."""
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    agenda = [item for item in selectors.agenda_for(meeting_access) if meeting_access.may_read_pack(item)]
    selectors.audit_minutes_read(meeting_access, agenda)
    return render(
        request,
        "conferences/minutes.html",
        {
            "meeting": meeting_access.meeting,
            "access": meeting_access,
            "agenda": agenda,
            "invitations": selectors.invitations_for(meeting_access),
            "versions": selectors.minutes_versions(meeting_access),
        },
    )


@require_POST
@professional_required
def sign_off(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    if not meeting_access.may_run:
        return HttpResponse("Only the chair signs off the minutes.", status=403)
    try:
        services.minutes_sign_off(
            actor=request.user, meeting=meeting_access.meeting, base_url=request.build_absolute_uri("/")[:-1]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Minutes signed off and sent.")
    return redirect("conferences:minutes", meeting_id)


@require_http_methods(["GET", "POST"])
@professional_required
def amend(request: AuthenticatedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    item = selectors.item_get_for(meeting_access, item_id)
    if not meeting_access.may_run:
        return HttpResponse("Only the chair amends signed minutes.", status=403)
    form = AmendForm(request.POST if request.method == "POST" else None, initial={"minutes": item.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_amend(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Minutes amended: a new version is kept, with your reason.")
            return redirect("conferences:minutes", meeting_id)
    return render(
        request,
        "conferences/amend.html",
        {"form": form, "meeting": meeting_access.meeting, "item": item},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@professional_required
def family_summary(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting_access = selectors.meeting_get_for_user(request.user, meeting_id)
    meeting = meeting_access.meeting
    if not meeting_access.may_run:
        return HttpResponse("Only the chair writes the family summary.", status=403)
    form = FamilySummaryForm(
        request.POST if request.method == "POST" else None,
        initial={"text": meeting.family_summary, "next_meeting_on": meeting.next_meeting_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.family_summary_write(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"family_summary": "text"})
        else:
            messages.success(request, "The family summary is in the portal.")
            return redirect("conferences:minutes", meeting_id)
    return render(
        request,
        "conferences/family_summary.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )
