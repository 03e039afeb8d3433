"""Writes to case conferences. Each owns its transaction, checks access, writes, audits and publishes.

Meeting-level events go to the meeting's own stream (`meeting.stream`), which every page in the meeting
follows; plan actions agreed at the meeting are made through sharing's services, so they reach the client's
own stream (and any open plan page) like every other plan change.
"""

import datetime
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from audit.services import text_fingerprint
from changes.services import record
from circles.access import RecordAccess, hides, names_for, person_label, portal_access, record_access
from circles.models import CircleMember, Client, PortalAccess
from coedit.edits import History, edit_apply
from conferences import access
from conferences import changes as c
from conferences.models import (
    AgendaItem,
    Attendance,
    Contribution,
    Decision,
    DecisionAction,
    Invitation,
    InvitationAnswer,
    Meeting,
    MeetingType,
    MinutesChange,
    MinutesVersion,
    PackNote,
    Panel,
    PanelMember,
)
from conferences.selectors import meeting_type_compare
from conferences.types import type_definition, type_errors, type_normalised
from network.roles import is_agency_admin, is_professional
from network.text import clean_line, clean_text
from realtime.publish import notify
from reminders.models import OutgoingEmail
from reminders.tasks import send_emails
from sharing import services as plan_services
from sharing.access import note_audience, notes_visible_filter
from sharing.models import Goal, Note

if TYPE_CHECKING:
    from network.models import User

SIGNED_OFF = (
    "The minutes are signed off, so they cannot be changed here. To change them, amend them with a reason."
)


def _add_working_days(start: datetime.date, days: int) -> datetime.date:
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _required(value: str, field: str, message: str, *, limit: int = 500, text: bool = False) -> str:
    cleaned = clean_text(value or "") if text else clean_line(value or "")
    if not cleaned:
        raise ValidationError({field: message})
    if not text and len(cleaned) > limit:
        raise ValidationError({field: f"Use {limit} characters or fewer."})
    return cleaned


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _chair_only(actor: "User", meeting: Meeting) -> None:
    if not (is_professional(actor) and meeting.chair_id == actor.pk):
        raise PermissionDenied("Only the meeting's chair can do that.")


def _minuter_only(actor: "User", meeting: Meeting) -> None:
    if not (is_professional(actor) and actor.pk in (meeting.chair_id, meeting.minute_taker_id)):
        raise PermissionDenied("Only the chair and the minute-taker can do that.")


# Panels and meetings.


def panel_create(*, actor: "User", name: str) -> Panel:
    name = _required(name, "name", "Give the panel a name.", limit=200)
    if not access.may_arrange_meetings(actor):
        raise PermissionDenied("Only panel chairs set up panels.")
    with transaction.atomic():
        if Panel.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                {"name": ValidationError("There is already a panel with that name.", code="conflict")}
            )
        panel = Panel.objects.create(name=name)
        PanelMember.objects.create(panel=panel, user=actor, role=PanelMember.Role.CHAIR)
        record(change=c.PANEL_CREATE, actor=actor, client=None, obj=panel, after={"name": name})
    return panel


def panel_member_add(*, actor: "User", panel: Panel, user: "User", role: str) -> PanelMember:
    if role not in PanelMember.Role.values:
        raise ValidationError({"role": "Choose chair or standing member."})
    if not is_professional(user):
        raise ValidationError({"user": "Only professionals sit on panels."})
    with transaction.atomic():
        if not PanelMember.objects.filter(
            panel=panel, user=actor, role=PanelMember.Role.CHAIR, until=None
        ).exists():
            raise PermissionDenied("Only the panel's chairs add people to it.")
        if PanelMember.objects.filter(panel=panel, user=user, until=None).exists():
            raise ValidationError({"user": "They are already on this panel."})
        seat = PanelMember.objects.create(panel=panel, user=user, role=role)
        record(
            change=c.PANEL_MEMBER_ADD,
            actor=actor,
            client=None,
            obj=seat,
            after={"panel_id": panel.pk, "user_id": user.pk, "role": role},
        )
    return seat


MOST_AHEAD = datetime.timedelta(days=2 * 366)
FAR_AHEAD = "A meeting is arranged at most two years ahead."


def meeting_create(
    *,
    actor: "User",
    type: MeetingType,
    title: str,
    starts_at: datetime.datetime,
    panel: Panel | None = None,
    duration_minutes: int = 90,
    place: str = "",
    video_link: str = "",
    minute_taker: "User | None" = None,
) -> Meeting:
    """Arrange a meeting, chaired by the actor; the panel's standing members are invited."""
    title = _required(title, "title", "Give the meeting a title, like “Risk panel, March”.", limit=200)
    place, video_link = clean_line(place), clean_line(video_link)
    if starts_at is None or starts_at <= timezone.now():
        raise ValidationError({"starts_at": "The meeting must be in the future."})
    if starts_at > timezone.now() + MOST_AHEAD:
        # Beyond it nobody plans a case conference; near the year 9999 the meeting's end, and the pack's
        # window after it, are past the last date Python can hold (the client's FHIR export failed).
        raise ValidationError({"starts_at": FAR_AHEAD})
    if not place and not video_link:
        raise ValidationError({"place": "Say where the meeting is, or give a video link (or both)."})
    if not 10 <= duration_minutes <= 480:
        raise ValidationError({"duration_minutes": "A meeting lasts between 10 minutes and 8 hours."})
    if minute_taker is not None and not is_professional(minute_taker):
        raise ValidationError({"minute_taker": "The minute-taker is a professional with an account."})
    if not access.may_arrange_meetings(actor):
        raise PermissionDenied("Only panel chairs arrange meetings.")
    with transaction.atomic():
        if (
            panel is not None
            and not PanelMember.objects.filter(
                panel=panel, user=actor, role=PanelMember.Role.CHAIR, until=None
            ).exists()
        ):
            raise PermissionDenied("Only the panel's chairs arrange its meetings.")
        meeting = Meeting.objects.create(
            panel=panel,
            type=type,
            title=title,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            video_link=video_link,
            chair=actor,
            minute_taker=minute_taker,
            family_invited=type.family_invited,
            created_by=actor,
        )
        record(
            change=c.MEETING_CREATE,
            actor=actor,
            client=None,
            obj=meeting,
            after={
                "title": title,
                "type": type.name,
                "starts_at": starts_at.isoformat(),
                "panel_id": panel and panel.pk,
            },
        )
        if panel is not None:
            for seat in panel.members.filter(role=PanelMember.Role.STANDING, until=None).select_related(
                "user__organisation"
            ):
                _invite(actor, meeting, seat.user, Invitation.Kind.STANDING)
    return meeting


def _queue_email(*, to: str, subject: str, body: str, key: str) -> None:
    """Put an email in the mail outbox (reminders.models.OutgoingEmail), in the writing transaction, and
    have a background task send it once that commits. Nothing is sent from the request: a rolled-back
    write leaves no email, and a mail server that refuses never undoes or slows the write (the outbox
    tries again). `key` makes the Message-ID, so a resend shows as the same message."""
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "alongside.invalid"
    OutgoingEmail.objects.create(to=to, subject=subject, body=body, message_id=f"<{key}@{domain}>")
    transaction.on_commit(send_emails.enqueue, robust=True)


def _base(base_url: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/")


def _email_invitation(invitation: Invitation, base_url: str) -> None:
    """An invitation by email carries a link only: no name, no reason, nothing about anyone's situation."""
    if not invitation.email:
        return
    base_url = _base(base_url)
    if invitation.kind in (Invitation.Kind.CLIENT, Invitation.Kind.FAMILY):
        path = reverse("portal:meetings")
        body = f"You are invited to a meeting.\n\nSee when and where, and tell us what you think: {base_url}{path}\n"
    else:
        path = reverse("conferences:meeting", args=[invitation.meeting_id])
        body = f"You are invited to a meeting on Alongside.\n\nSee it here (you will need to sign in): {base_url}{path}\n"
    _queue_email(
        to=invitation.email,
        subject="You are invited to a meeting",
        body=body,
        key=f"meeting-{invitation.meeting_id}-invitation-{invitation.pk}",
    )


def _invite(
    actor: "User", meeting: Meeting, user: "User", kind: str, base_url: str = ""
) -> Invitation | None:
    if user.pk in (meeting.chair_id, meeting.minute_taker_id):
        return None
    invitation, created = Invitation.objects.get_or_create(
        meeting=meeting,
        user=user,
        defaults={
            "name": user.full_name,
            "organisation_name": user.organisation.name if user.organisation else "",
            "email": user.email,
            "kind": kind,
        },
    )
    if created:
        record(
            change=c.INVITATION_SEND,
            actor=actor,
            client=None,
            obj=invitation,
            after={"meeting_id": meeting.pk, "kind": kind},
        )
        url = reverse("conferences:meeting", args=[meeting.pk])
        notify(user=user, kind="meeting.invite", text=f"You are invited to {meeting.title}.", url=url)
        _email_invitation(invitation, base_url)
    return invitation


# The agenda.


def agenda_item_add(
    *,
    actor: "User",
    meeting: Meeting,
    client: Client,
    reason: str,
    slot_minutes: int = 20,
    without_consent_reason: str = "",
    base_url: str = "",
) -> AgendaItem:
    """Put a client on the agenda, with the lawful basis for discussing them: their current consent to
    discussion at a case conference, or, failing that, a recorded reason for proceeding without it."""
    reason = _required(reason, "reason", "Say why the meeting should discuss them.")
    without_consent_reason = clean_text(without_consent_reason or "")
    if not 5 <= slot_minutes <= 120:
        raise ValidationError({"slot_minutes": "Give the item between 5 and 120 minutes."})
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        if not access.may_put_on_agenda(actor, meeting, client):
            raise PermissionDenied(
                "Only the chair, or the lead of the client's circle, puts a client on the agenda."
            )
        if meeting.status == Meeting.Status.ENDED:
            raise ValidationError("That meeting has ended.")
        if meeting.items.filter(client=client).exists():
            raise ValidationError({"client": f"{client.given_name} is already on this meeting's agenda."})
        consent = access.conference_consent(client)
        if consent is None and not without_consent_reason:
            raise ValidationError(
                {
                    "without_consent_reason": (
                        f"{client.given_name} has not agreed to be discussed at a case conference. Record their"
                        " consent first, or give the reason for going ahead without it."
                    )
                }
            )
        position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
        item = AgendaItem.objects.create(
            meeting=meeting,
            client=client,
            position=position,
            reason=reason,
            slot_minutes=slot_minutes,
            basis=AgendaItem.Basis.CONSENT if consent else AgendaItem.Basis.WITHOUT_CONSENT,
            consent=consent,
            without_consent_reason="" if consent else without_consent_reason,
            minutes="\n".join(f"{heading}:\n" for heading in meeting.type.agenda_headings),
            added_by=actor,
        )
        record(
            change=c.AGENDA_ADD,
            actor=actor,
            client=client,
            obj=item,
            after={"meeting_id": meeting.pk, "basis": item.basis, "reason": reason},
            payload=c.ItemChanged(meeting_id=meeting.pk, item_id=item.pk),
            stream=meeting.stream,
        )
        # And on the client's own stream: an open client page refreshes "Next review or meeting" (and the
        # portal's page, when the family is invited).
        record(
            change=c.AGENDA_ANNOUNCE,
            actor=actor,
            client=client,
            obj=item,
            after={"meeting_id": meeting.pk},
            payload=c.ClientOnAgenda(meeting_id=meeting.pk, item_id=item.pk),
            audience={"client_visible": meeting.family_invited},
        )
        if consent is None:
            record(
                change=c.AGENDA_WITHOUT_CONSENT,
                actor=actor,
                client=client,
                obj=item,
                after={"meeting_id": meeting.pk, "reason": without_consent_reason},
            )
        _invite_circle(actor, meeting, client, base_url)
    return item


def _invite_circle(actor: "User", meeting: Meeting, client: Client, base_url: str = "") -> None:
    """The circle's professionals, and (where the type allows) the client and family, are invited.

    Hidden members are not invited: an invitation list is seen by people outside the circle.
    """
    members = CircleMember.objects.filter(client=client, until=None, is_hidden=False).select_related(
        "user__organisation"
    )
    outsiders = names_for(client, sees_hidden=False)  # who reads an invitation list: anyone in the meeting
    for member in members:
        if (
            member.kind == CircleMember.Kind.PROFESSIONAL
            and member.user is not None
            and member.user.is_active
        ):
            _invite(actor, meeting, member.user, Invitation.Kind.CIRCLE, base_url)
        elif meeting.family_invited and member.kind == CircleMember.Kind.FAMILY:
            name = "" if hides(outsiders, member) else person_label(outsiders, member)
            if name and not Invitation.objects.filter(meeting=meeting, member=member).exists():
                invitation = Invitation.objects.create(
                    meeting=meeting,
                    member=member,
                    client=client,
                    name=name,
                    email=member.email,
                    kind=Invitation.Kind.FAMILY,
                )
                record(
                    change=c.INVITATION_SEND,
                    actor=actor,
                    client=client,
                    obj=invitation,
                    after={"meeting_id": meeting.pk, "kind": "family"},
                )
                _email_invitation(invitation, base_url)
    if (
        meeting.family_invited
        and not Invitation.objects.filter(
            meeting=meeting, client=client, kind=Invitation.Kind.CLIENT
        ).exists()
    ):
        portal_user = (
            PortalAccess.objects.filter(client=client, member=None, until=None).select_related("user").first()
        )
        invitation = Invitation.objects.create(
            meeting=meeting,
            user=portal_user.user if portal_user else None,
            client=client,
            name=client.display_name,
            email=client.email,
            kind=Invitation.Kind.CLIENT,
        )
        record(
            change=c.INVITATION_SEND,
            actor=actor,
            client=client,
            obj=invitation,
            after={"meeting_id": meeting.pk, "kind": "client"},
        )
        _email_invitation(invitation, base_url)


# Invitations, answers and contributions.


def invitation_answer(
    *, actor: "User", invitation: Invitation, answer: str, deputy_name: str = ""
) -> Invitation:
    """Answer an invitation. Answering again is fine: the later answer stands, and the history is kept."""
    if answer not in (Invitation.Answer.ATTENDING, Invitation.Answer.APOLOGIES, Invitation.Answer.DEPUTY):
        raise ValidationError({"answer": "Choose attending, apologies or sending someone else."})
    deputy_name = clean_line(deputy_name)
    if answer == Invitation.Answer.DEPUTY and not deputy_name:
        raise ValidationError({"deputy_name": "Say who is coming instead."})
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=invitation.pk)
        )
        if invitation.user_id != actor.pk:
            raise PermissionDenied("Only the person invited answers their invitation.")
        if invitation.meeting.status == Meeting.Status.ENDED:
            raise ValidationError("That meeting has ended.")
        before = {"answer": invitation.answer, "deputy_name": invitation.deputy_name}
        invitation.answer, invitation.deputy_name = (
            answer,
            deputy_name if answer == Invitation.Answer.DEPUTY else "",
        )
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "deputy_name", "answered_at"])
        InvitationAnswer.objects.create(
            invitation=invitation, answer=answer, deputy_name=invitation.deputy_name, answered_by=actor
        )
        record(
            change=c.INVITATION_ANSWER,
            actor=actor,
            client=invitation.client,
            obj=invitation,
            before=before,
            after={"answer": answer, "deputy_name": invitation.deputy_name},
            payload=c.MeetingChanged(meeting_id=invitation.meeting_id),
            stream=invitation.meeting.stream,
        )
    return invitation


def contribution_add(
    *, actor: "User", item: AgendaItem, kind: str, facts: str, opinion: str = ""
) -> Contribution:
    """A pre-meeting report (facts apart from opinion), a written contribution from someone who cannot
    come, or (from the portal) what the client wants the meeting to know. It goes into the pack."""
    if kind not in Contribution.Kind.values:
        raise ValidationError({"kind": "Choose what kind of contribution this is."})
    facts = _required(
        facts,
        "facts",
        "Write what you want the meeting to know."
        if kind == Contribution.Kind.CLIENT_VIEW
        else "Write the facts: what is known.",
        text=True,
    )
    opinion = clean_text(opinion or "")
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting", "client").get(pk=item.pk)
        meeting = item.meeting
        if meeting.status == Meeting.Status.ENDED:
            raise ValidationError("That meeting has ended.")
        if kind == Contribution.Kind.CLIENT_VIEW:
            if not meeting.family_invited or portal_access(actor, item.client) is None:
                raise PermissionDenied("Only the client and their family write this.")
        else:
            meeting_access = access.meeting_access(actor, meeting)
            if not (meeting_access.may_view and meeting_access.may_read_pack(item)):
                raise PermissionDenied("Only people in this meeting can add to its pack.")
        organisation = actor.organisation.name if actor.organisation else ""
        contribution = Contribution.objects.create(
            item=item,
            kind=kind,
            author=actor,
            author_name=actor.full_name,
            organisation_name=organisation,
            facts=facts,
            opinion=opinion,
        )
        record(
            change=c.CONTRIBUTION_ADD,
            actor=actor,
            client=item.client,
            obj=contribution,
            after={"kind": kind, "meeting_id": meeting.pk, **text_fingerprint(facts + opinion)},
            payload=c.ItemChanged(meeting_id=meeting.pk, item_id=item.pk),
            stream=meeting.stream,
        )
    return contribution


# Notes marked for the pack.


def _note_for_pack(actor: "User", item: AgendaItem, note: Note) -> RecordAccess:
    """Checks shared by marking and unmarking: a note of this client that the actor, in the circle, may read,
    for a meeting that has not ended. Returns the actor's access to the client's record."""
    if note.client_id != item.client_id:
        raise ValidationError({"note": "That note is not about this client."})
    reader = record_access(actor, item.client)
    if reader.membership is None:
        raise PermissionDenied("Only the client's circle chooses notes for the pack.")
    if not Note.objects.filter(notes_visible_filter(reader), client=item.client, pk=note.pk).exists():
        raise PermissionDenied("You cannot read that note.")
    if not access.may_mark_for_pack(reader, item):
        raise ValidationError("That meeting has ended: its pack is closed.", code="conflict")
    return reader


def pack_note_add(*, actor: "User", item: AgendaItem, note: Note) -> PackNote:
    """A circle member marks a note for the client's conference pack for this meeting. The pack shows it
    only to readers the note's own visibility lets read it (conferences.access.pack_notes_filter)."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting", "client").get(pk=item.pk)
        _locked_meeting(item.meeting)  # one mark at a time per meeting: the unique check below holds
        _note_for_pack(actor, item, note)
        if PackNote.objects.filter(item=item, note=note, removed_at=None).exists():
            raise ValidationError(
                {"note": ValidationError("That note is already in the pack.", code="conflict")}
            )
        mark = PackNote.objects.create(item=item, note=note, marked_by=actor)
        record(
            change=c.PACK_NOTE_ADD,
            actor=actor,
            client=item.client,
            obj=mark,
            after={"meeting_id": item.meeting_id, "note_id": note.pk},
            payload=c.PackNoteChanged(meeting_id=item.meeting_id, item_id=item.pk, note_id=note.pk),
            audience=note_audience(note),
            stream=item.meeting.stream,
        )
    return mark


def pack_note_remove(*, actor: "User", item: AgendaItem, note: Note) -> PackNote:
    """Take a note out of the pack (any circle member who may read it); the mark's row is kept."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting", "client").get(pk=item.pk)
        _locked_meeting(item.meeting)
        _note_for_pack(actor, item, note)
        mark = PackNote.objects.filter(item=item, note=note, removed_at=None).first()
        if mark is None:
            raise ValidationError({"note": ValidationError("That note is not in the pack.", code="conflict")})
        mark.removed_at, mark.removed_by = timezone.now(), actor
        mark.save(update_fields=["removed_at", "removed_by"])
        record(
            change=c.PACK_NOTE_REMOVE,
            actor=actor,
            client=item.client,
            obj=mark,
            after={"meeting_id": item.meeting_id, "note_id": note.pk},
            payload=c.PackNoteChanged(meeting_id=item.meeting_id, item_id=item.pk, note_id=note.pk),
            audience=note_audience(note),
            stream=item.meeting.stream,
        )
    return mark


# The live meeting.


def meeting_open(*, actor: "User", meeting: Meeting) -> Meeting:
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _chair_only(actor, meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError("The meeting is already open, or has ended.")
        first = meeting.items.order_by("position", "pk").first()
        now = timezone.now()
        meeting.status, meeting.opened_at = Meeting.Status.IN_PROGRESS, now
        meeting.current_item, meeting.item_started_at = first, now if first else None
        meeting.save(update_fields=["status", "opened_at", "current_item", "item_started_at"])
        record(
            change=c.MEETING_OPEN,
            actor=actor,
            client=None,
            obj=meeting,
            payload=c.MeetingChanged(meeting_id=meeting.pk),
            stream=meeting.stream,
        )
        if first is not None:
            _announce_item(actor, meeting)
        _tell_the_clients(actor, meeting, "in_progress")
    return meeting


def meeting_item_move(*, actor: "User", meeting: Meeting, item: AgendaItem) -> Meeting:
    """The chair moves the meeting to `item`: every page in the meeting follows, and its timer restarts."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _chair_only(actor, meeting)
        if meeting.status != Meeting.Status.IN_PROGRESS:
            raise ValidationError("Open the meeting first.", code="conflict")
        if item.meeting_id != meeting.pk:
            raise ValidationError({"item": "That item is not on this meeting's agenda."})
        before = {"item_id": meeting.current_item_id}
        meeting.current_item, meeting.item_started_at = item, timezone.now()
        meeting.save(update_fields=["current_item", "item_started_at"])
        _announce_item(actor, meeting, before=before)
    return meeting


def _tell_the_clients(actor: "User", meeting: Meeting, status: Literal["in_progress", "ended"]) -> None:
    """On each agenda client's own stream: the meeting has opened or ended, so an open client page moves
    "Next review or meeting" on ("under way", then the next one). The same audience as the agenda's own
    announcement (AGENDA_ANNOUNCE): the client's followers, and the portal only when the family is invited.
    Clients in id order, so two writers lock their event counters in the same order."""
    for item in meeting.items.select_related("client").order_by("client_id"):
        record(
            change=c.CLIENT_MEETING_STATUS,
            actor=actor,
            client=item.client,
            obj=meeting,
            after={"meeting_id": meeting.pk, "status": status},
            payload=c.ClientsMeetingChanged(meeting_id=meeting.pk, item_id=item.pk, status=status),
            audience={"client_visible": meeting.family_invited},
        )


def _announce_item(actor: "User", meeting: Meeting, before: dict | None = None) -> None:
    item = meeting.current_item
    record(
        change=c.ITEM_MOVE,
        actor=actor,
        client=item.client if item else None,
        obj=meeting,
        before=before,
        after={"item_id": item.pk if item else None},
        payload=c.ItemMoved(
            meeting_id=meeting.pk,
            item_id=item.pk if item else None,
            started_at=meeting.item_started_at.isoformat() if meeting.item_started_at else None,
            slot_minutes=item.slot_minutes if item else 0,
        ),
        stream=meeting.stream,
    )


def attendance_record(
    *, actor: "User", meeting: Meeting, invitation: Invitation, status: str, for_family: bool = False
) -> Attendance:
    if status not in Attendance.Status.values:
        raise ValidationError({"status": "Choose present, apologies or absent."})
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _minuter_only(actor, meeting)
        if invitation.meeting_id != meeting.pk:
            raise ValidationError({"invitation": "They were not invited to this meeting."})
        if meeting.minutes_locked:
            raise ValidationError(SIGNED_OFF)
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            invitation=invitation,
            defaults={
                "status": status,
                "for_family": for_family,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        record(
            change=c.ATTENDANCE_RECORD,
            actor=actor,
            client=invitation.client,
            obj=attendance,
            after={"invitation_id": invitation.pk, "status": status, "for_family": for_family},
            payload=c.MeetingChanged(meeting_id=meeting.pk),
            stream=meeting.stream,
        )
    return attendance


def minutes_update(*, actor: "User", item: AgendaItem, minutes: str, base_version: int) -> AgendaItem:
    """Co-edit an item's minutes (chair and minute-taker), from the version the editor started at.

    A stale edit of the same text raises coedit's StaleEdit (the page offers a merge; the API answers 412).
    """
    minutes = clean_text(minutes or "")
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _minuter_only(actor, meeting)
        if meeting.minutes_locked:
            raise ValidationError({"minutes": SIGNED_OFF})
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("client").get(pk=item.pk)
        edit = edit_apply(
            item,
            fields=AgendaItem.EDITABLE,
            values={"minutes": minutes},
            base_version=base_version,
            actor=actor,
            history=History(MinutesChange, {"item": item}),
        )
        if edit is not None:
            record(
                change=c.MINUTES_UPDATE,
                actor=actor,
                client=item.client,
                obj=item,
                after={"version": item.version, **text_fingerprint(minutes)},
                payload=c.MinutesUpdated(
                    meeting_id=meeting.pk, item_id=item.pk, version=item.version, by=actor.full_name
                ),
                stream=meeting.stream,
            )
    return item


def decision_record(
    *,
    actor: "User",
    item: AgendaItem,
    text: str,
    agreed_by: list[str],
    dissent: list[dict[str, str]] | None = None,
    actions: list[dict[str, Any]] | None = None,
) -> Decision:
    """Record a decision, with who agreed and any dissent by name. Each agreed action becomes an action on
    the client's plan at once (owner and due date), under a goal for this meeting, attributed to it.

    `actions`: [{"what": …, "owner": a CircleMember or None, "owner_is_client": bool, "due_on": date}].
    """
    text = _required(text, "text", "Write what was decided.", text=True)
    agreed = [clean_line(name) for name in agreed_by if clean_line(name)]
    if not agreed:
        raise ValidationError({"agreed_by": "Say who agreed."})
    dissents = []
    for said in dissent or []:
        name = clean_line(said.get("name", ""))
        if name:
            dissents.append({"name": name, "reason": clean_text(said.get("reason", ""))})
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _minuter_only(actor, meeting)
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("client").get(pk=item.pk)
        if meeting.minutes_locked:
            raise ValidationError(SIGNED_OFF)
        if item.status == AgendaItem.Status.CLOSED:
            raise ValidationError("That item is closed: decisions are recorded while it is open.")
        decision = Decision.objects.create(
            item=item, text=text, agreed_by=agreed, dissent=dissents, recorded_by=actor
        )
        action_ids = []
        if actions:
            goal = _meeting_goal(actor, meeting, item)
            for entry in actions:
                action = plan_services.action_add(
                    actor=actor,
                    goal=goal,
                    what=entry.get("what", ""),
                    owner=entry.get("owner"),
                    owner_is_client=bool(entry.get("owner_is_client")),
                    due_on=entry.get("due_on"),
                    checked=True,
                )
                DecisionAction.objects.create(decision=decision, action=action)
                action_ids.append(action.pk)
        record(
            change=c.DECISION_RECORD,
            actor=actor,
            client=item.client,
            obj=decision,
            after={
                "meeting_id": meeting.pk,
                "agreed_by": len(agreed),
                "dissent": len(dissents),
                "actions": action_ids,
                **text_fingerprint(text),
            },
            payload=c.DecisionRecorded(
                meeting_id=meeting.pk, item_id=item.pk, decision_id=decision.pk, action_ids=action_ids
            ),
            stream=meeting.stream,
        )
    return decision


def _meeting_goal(actor: "User", meeting: Meeting, item: AgendaItem) -> Goal:
    """The goal this meeting's agreed actions go under on the client's plan (made the first time)."""
    words = (
        f"What the {meeting.type.name.lower()} on {timezone.localtime(meeting.starts_at):%-d %B %Y} agreed"
    )
    existing = Goal.objects.filter(plan__client=item.client, in_own_words=words, removed_at=None).first()
    if existing is not None:
        return existing
    return plan_services.goal_add(actor=actor, client=item.client, in_own_words=words, checked=True)


def item_close(
    *, actor: "User", item: AgendaItem, next_review_on: datetime.date | None = None, close_case: bool = False
) -> AgendaItem:
    """Close an item: it needs a next review date, or a decision to close."""
    if next_review_on is None and not close_case:
        raise ValidationError({"next_review_on": "Give a next review date, or record a decision to close."})
    if next_review_on is not None and next_review_on <= timezone.localdate():
        raise ValidationError({"next_review_on": "The next review is after today."})
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _minuter_only(actor, meeting)
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("client").get(pk=item.pk)
        if item.status == AgendaItem.Status.CLOSED:
            raise ValidationError("That item is already closed.")
        if close_case and not item.decisions.exists():
            raise ValidationError({"close_case": "Record the decision to close first."})
        item.status, item.next_review_on, item.close_case = (
            AgendaItem.Status.CLOSED,
            next_review_on,
            close_case,
        )
        item.save(update_fields=["status", "next_review_on", "close_case"])
        record(
            change=c.ITEM_CLOSE,
            actor=actor,
            client=item.client,
            obj=item,
            after={"next_review_on": next_review_on and next_review_on.isoformat(), "close_case": close_case},
            payload=c.ItemChanged(meeting_id=meeting.pk, item_id=item.pk),
            stream=meeting.stream,
        )
    return item


def meeting_end(*, actor: "User", meeting: Meeting) -> Meeting:
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _chair_only(actor, meeting)
        if meeting.status != Meeting.Status.IN_PROGRESS:
            raise ValidationError("Only a meeting in progress can end.")
        if meeting.items.filter(status=AgendaItem.Status.OPEN).exists():
            raise ValidationError(
                "Close every item first: each needs a next review date or a decision to close."
            )
        now = timezone.now()
        meeting.status, meeting.ended_at, meeting.current_item = Meeting.Status.ENDED, now, None
        meeting.minutes_due_on = _add_working_days(
            timezone.localdate(now), meeting.type.minutes_due_working_days
        )
        meeting.save(update_fields=["status", "ended_at", "current_item", "minutes_due_on"])
        record(
            change=c.MEETING_END,
            actor=actor,
            client=None,
            obj=meeting,
            after={"minutes_due_on": meeting.minutes_due_on.isoformat()},
            payload=c.MeetingChanged(meeting_id=meeting.pk),
            stream=meeting.stream,
        )
        _tell_the_clients(actor, meeting, "ended")
    return meeting


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        str(item.pk): {
            "minutes": item.minutes,
            "decisions": [
                {"text": d.text, "agreed_by": d.agreed_by, "dissent": d.dissent} for d in item.decisions.all()
            ],
        }
        for item in meeting.items.prefetch_related("decisions")
    }


def minutes_sign_off(*, actor: "User", meeting: Meeting, base_url: str = "") -> Meeting:
    """The chair signs the minutes off: they are locked, kept as version 1, and everyone who attended or
    sent apologies is told, in the app and by email with a link (never the minutes themselves). The emails
    go through the mail outbox and a background task once the sign-off commits, not from the request."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _chair_only(actor, meeting)
        if meeting.status != Meeting.Status.ENDED:
            raise ValidationError("End the meeting before signing off its minutes.", code="conflict")
        if meeting.minutes_locked:
            raise ValidationError("The minutes are already signed off.", code="conflict")
        meeting.minutes_status, meeting.signed_off_at = Meeting.Minutes.SIGNED, timezone.now()
        meeting.save(update_fields=["minutes_status", "signed_off_at"])
        MinutesVersion.objects.create(meeting=meeting, number=1, snapshot=_snapshot(meeting), by=actor)
        record(
            change=c.MINUTES_SIGN_OFF,
            actor=actor,
            client=None,
            obj=meeting,
            after={"version": 1},
            payload=c.MeetingChanged(meeting_id=meeting.pk),
            stream=meeting.stream,
        )
        _send_minutes(meeting, base_url)
    return meeting


def _send_minutes(meeting: Meeting, base_url: str) -> None:
    """In the app and by email, to those who attended and those who sent apologies: a link, no content."""
    path = reverse("conferences:minutes", args=[meeting.pk])
    told: set[str] = set()
    attended = Invitation.objects.filter(
        meeting=meeting,
        pk__in=Attendance.objects.filter(
            meeting=meeting, status__in=[Attendance.Status.PRESENT, Attendance.Status.APOLOGIES]
        ).values("invitation"),
    ) | Invitation.objects.filter(meeting=meeting, answer=Invitation.Answer.APOLOGIES)
    for invitation in attended.select_related("user").distinct():
        if invitation.user_id and invitation.kind in (Invitation.Kind.CIRCLE, Invitation.Kind.STANDING):
            notify(
                user=invitation.user,
                kind="meeting.minutes",
                text=f"The minutes of {meeting.title} are ready.",
                url=path,
            )
        # Clients and family read the family summary in the portal; the minutes are the professionals'.
        if invitation.email and invitation.kind in (Invitation.Kind.CIRCLE, Invitation.Kind.STANDING):
            told.add(invitation.email)
    body = (
        "The minutes of a meeting you were invited to have been signed off.\n\n"
        f"Read them here (you will need to sign in): {_base(base_url)}{path}\n"
    )
    version = meeting.minutes_versions.count()
    for n, email in enumerate(sorted(told), start=1):
        _queue_email(
            to=email,
            subject="Meeting minutes are ready",
            body=body,
            key=f"meeting-{meeting.pk}-minutes-v{version}-{n}",
        )


def minutes_amend(*, actor: "User", item: AgendaItem, minutes: str, reason: str) -> AgendaItem:
    """Change signed minutes: only as a new version, with a reason, by the chair."""
    reason = _required(reason, "reason", "Say why the minutes are being amended.")
    minutes = clean_text(minutes or "")
    with transaction.atomic():
        meeting = _locked_meeting(item.meeting)
        _chair_only(actor, meeting)
        if not meeting.minutes_locked:
            raise ValidationError("The minutes are still a draft: change them directly.")
        item = AgendaItem.objects.select_for_update(of=("self",)).select_related("client").get(pk=item.pk)
        edit = edit_apply(
            item,
            fields=AgendaItem.EDITABLE,
            values={"minutes": minutes},
            base_version=item.version,
            actor=actor,
            history=History(MinutesChange, {"item": item}),
        )
        if edit is None:
            raise ValidationError({"minutes": "That is what the minutes already say."})
        number = (meeting.minutes_versions.aggregate(last=Max("number"))["last"] or 0) + 1
        MinutesVersion.objects.create(
            meeting=meeting, number=number, reason=reason, snapshot=_snapshot(meeting), by=actor
        )
        record(
            change=c.MINUTES_AMEND,
            actor=actor,
            client=item.client,
            obj=item,
            after={"version": number, "reason": reason, **text_fingerprint(minutes)},
            payload=c.MinutesUpdated(
                meeting_id=meeting.pk, item_id=item.pk, version=item.version, by=actor.full_name
            ),
            stream=meeting.stream,
        )
    return item


def family_summary_write(
    *, actor: "User", meeting: Meeting, text: str, next_meeting_on: datetime.date | None = None
) -> Meeting:
    """The chair's summary for the family, in plain words: what was decided, what happens next, the next
    meeting. It appears in the portal."""
    text = _required(text, "family_summary", "Write the summary for the family.", text=True)
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        _chair_only(actor, meeting)
        if meeting.status != Meeting.Status.ENDED:
            raise ValidationError("Write the family summary after the meeting.")
        meeting.family_summary, meeting.family_summary_at, meeting.next_meeting_on = (
            text,
            timezone.now(),
            next_meeting_on,
        )
        meeting.save(update_fields=["family_summary", "family_summary_at", "next_meeting_on"])
        record(
            change=c.FAMILY_SUMMARY,
            actor=actor,
            client=None,
            obj=meeting,
            after=text_fingerprint(text),
            payload=c.MeetingChanged(meeting_id=meeting.pk),
            stream=meeting.stream,
        )
    return meeting


# Meeting types, brought in by an agency admin (a configuration pack).


def meeting_type_save(*, actor: "User", definition: Any, where: str = "") -> tuple[MeetingType, str]:
    """An agency admin adds a meeting type (kept by their agency) or changes one their agency keeps.

    A change applies to meetings from then on; meetings already held keep whom they invited.
    """
    if not is_agency_admin(actor):
        raise PermissionDenied("Only an agency admin brings in meeting types.")
    errors = type_errors(where, definition)
    if errors:
        raise ValidationError({key.lstrip("."): value for key, value in errors.items()})
    definition = type_normalised(definition)
    values = {
        "family_invited": definition["family_invited"],
        "minutes_due_working_days": definition["minutes_due_working_days"],
        "standard_agenda": "\n".join(definition["standard_agenda"]),
    }
    with transaction.atomic():
        # Lock the type of that name, if there is one, before comparing with it.
        MeetingType.objects.select_for_update().filter(name=definition["name"]).first()
        try:
            outcome = meeting_type_compare(actor=actor, definition=definition)
        except ValidationError as exc:
            raise ValidationError({f"{where}.name".lstrip("."): exc.message_dict["name"]}) from None
        if outcome == "new":
            kind = MeetingType.objects.create(
                name=definition["name"], organisation_id=actor.organisation_id, **values
            )
            record(change=c.MEETING_TYPE_CREATE, actor=actor, client=None, obj=kind, after=definition)
            return kind, outcome
        kind = MeetingType.objects.get(name=definition["name"])
        if outcome == "changed":
            before = type_definition(kind)
            MeetingType.objects.filter(pk=kind.pk).update(**values)
            kind.refresh_from_db()
            record(
                change=c.MEETING_TYPE_UPDATE,
                actor=actor,
                client=None,
                obj=kind,
                before=before,
                after=definition,
            )
        return kind, outcome
