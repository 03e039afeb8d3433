"""The client page and My clients: the pages that put the feature apps together.

The client page leads with what is true about the person now (stage, plan, board, scales, next review,
who is involved), then what changed since this person last looked, then the notes with filters.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessments.views import summary_context
from audit.services import audit_read, read_transaction
from circles import access, selectors
from circles.audit_selectors import READERS_DAYS, record_readers
from circles.models import CircleMember
from network.decorators import professional_required
from network.http import AuthenticatedHttpRequest
from network.paging import Page
from network.text import whole_number
from overview import selectors as overview
from overview.services import visit_record_for
from referrals.selectors import client_summary as referrals_summary
from sharing.models import Note
from sharing.selectors import goals_for_notes, note_list_flagging_goals

NOTES_PER_PAGE = 25


def _filtered_notes(request: AuthenticatedHttpRequest, notes: QuerySet[Note]) -> tuple[QuerySet[Note], dict]:
    """Notes by kind, author, organisation and "refers to this goal", as the filter form asks."""
    chosen: dict[str, Any] = {
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in Note.Kind.values else "",
        # Not int(): a number past 64 bits is a 500 from the database, and "²" one from int().
        "author": whole_number(request.GET.get("author")),
        "organisation": whole_number(request.GET.get("organisation")),
        "goal": whole_number(request.GET.get("goal")),
    }
    if chosen["kind"]:
        notes = notes.filter(kind=chosen["kind"])
    if chosen["author"]:
        notes = notes.filter(author_id=chosen["author"])
    if chosen["organisation"]:
        notes = notes.filter(organisation_id=chosen["organisation"])
    if chosen["goal"]:
        notes = notes.filter(goals__id=chosen["goal"])
    return notes, chosen


def _filter_choices(members: list[CircleMember], past: list[CircleMember]) -> dict:
    people: dict[int, str] = {}
    organisations: dict[int, str] = {}
    for member in [*members, *past]:
        if member.user_id and member.kind == CircleMember.Kind.PROFESSIONAL:
            people.setdefault(member.user_id, member.display_name)
        if member.organisation_id and member.organisation is not None:
            organisations.setdefault(member.organisation_id, member.organisation.name)
    return {
        "kinds": Note.Kind.choices,
        "authors": sorted(people.items(), key=lambda item: item[1]),
        "organisations": sorted(organisations.items(), key=lambda item: item[1]),
    }


@require_GET
@professional_required
def client_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """The client page for the circle; for anyone else who may look them up, who is involved."""
    record = selectors.client_get_for_user(request.user, public_id, need="discover", with_consents=True)
    if record.client.public_id != public_id:
        return redirect("circles:client", public_id=record.client.public_id)
    members, past_members = selectors.circle_members(record)
    may_export_audit = access.may_export_audit(request.user, record.client)
    if not record.may_view:
        audit_read(record=record, action="client.discover")
        return render(
            request,
            "circles/client_discover.html",
            {
                "record": record,
                "client": record.client,
                "members": members,
                "my_request": selectors.my_join_request(record),
                "may_export_audit": may_export_audit,
            },
        )
    visit = overview.last_visit(record)
    since = overview.since_last_looked(record, visit)
    has = overview.record_flags(record)
    truth = overview.truth_for(record, has)
    notes_query, chosen = _filtered_notes(request, note_list_flagging_goals(record))
    notes = Page(notes_query, request.GET.get("page"), NOTES_PER_PAGE)
    goals_for_notes(notes.object_list)
    new_notes = since.note_ids()
    for note in notes:
        note.is_new = note.pk in new_notes
    new_cards = since.card_ids()
    for card in [*truth.worries, *truth.working_well]:
        card.is_new = card.pk in new_cards
    with read_transaction():  # the read's two records of itself: one commit, not waiting for the disk
        audit_read(record=record, action="client.view")
        visit_record_for(record=record)
    return render(
        request,
        "circles/client_detail.html",
        {
            "record": record,
            "client": record.client,
            "members": members,
            "past_members": past_members,
            "notes": notes,
            "truth": truth,
            "since": since,
            "chosen": chosen,
            "filtering": any(chosen.values()),
            "goals": truth.goals,
            **_filter_choices(members, past_members),
            "consents": selectors.consents_for(record),
            # The lead's two panels are read only if `has` says they have rows (others' reads are free).
            "join_requests": selectors.join_requests_open(record)
            if has.get("has_join_requests", True)
            else [],
            "emergencies": selectors.emergency_accesses_recent(record)
            if has.get("has_emergencies", True)
            else [],
            "readers": record_readers(record),
            "readers_days": READERS_DAYS,
            "may_export_audit": may_export_audit,
            "referrals": referrals_summary(record, has),
            **summary_context(record),
        },
    )


@require_GET
@professional_required
def my_clients(request: AuthenticatedHttpRequest) -> HttpResponse:
    sort = "new" if request.GET.get("sort") == "new" else ""
    clients = overview.my_clients(request.user, sort=sort)
    return render(request, "circles/my_clients.html", {"clients": clients, "sort": sort})


@require_GET
@professional_required
def truth_panel(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    """What is true now, for the live client page to refresh after a change to the plan or the board."""
    record = selectors.client_get_for_user(request.user, public_id)
    members, _past = selectors.circle_members(record)
    return render(
        request,
        "overview/_truth.html",
        {
            "record": record,
            "client": record.client,
            "truth": overview.truth_for(record),
            "members": members,
            **summary_context(record),
        },
    )
