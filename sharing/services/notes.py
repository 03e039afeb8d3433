"""Writes to what the circle shares. Each service validates, writes, audits and publishes."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.access import assessments_visible_filter
from assessments.models import Assessment
from audit.services import text_fingerprint
from changes.services import record
from circles import access
from circles.models import CircleMember, Client
from network.text import clean_text, length_errors
from sharing import changes as c
from sharing.access import note_audience
from sharing.models import Action, Goal, Note

if TYPE_CHECKING:
    from network.models import User

NOTE_MAX_LENGTH = 20_000
V = Note.Visibility
# How widely each setting shares a note, to tell widening (audited as such) from narrowing.
BREADTH = {V.NAMED: 0, V.ORGANISATION: 1, V.CIRCLE: 2, V.CLIENT: 3}


def note_create(
    *,
    actor: "User",
    client: Client,
    text: str,
    kind: str = Note.Kind.UPDATE,
    visibility: str = Note.Visibility.CIRCLE,
    named_people: Iterable["User"] = (),
    goals: Iterable[Goal] = (),
    actions: Iterable[Action] = (),
    written_at: datetime.datetime | None = None,
    assessment: Assessment | None = None,
) -> Note:
    """Add a progress note to a client's record; it reaches open pages of those who may read it.

    `named_people` are the members who may read a "named people only" note (besides its author).
    `goals` and `actions` are the parts of the client's plan the note is about.
    `assessment` is an assessment of this client's that the author may read, which the note is about.
    `written_at` is for notes brought in from elsewhere (demo data, records moved from an old system);
    a note written in Alongside is dated now.
    """
    text = clean_text(text)
    named = list(named_people)
    errors = length_errors({"text": (text, NOTE_MAX_LENGTH)})
    if not text:
        errors["text"] = "Write the note before saving it."
    if kind not in Note.Kind.values:
        errors["kind"] = "Choose what kind of note this is."
    errors |= _visibility_errors(actor, visibility, named)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)  # the circle cannot change meanwhile
        if not access.record_access(actor, client).may_add_note:
            raise PermissionDenied("Only members of the circle can add notes.")
        _check_named_are_members(client, named)
        goals, actions = list(goals), list(actions)
        if any(g.plan.client_id != client.pk for g in goals) or any(
            a.goal.plan.client_id != client.pk for a in actions
        ):
            raise ValidationError({"about": "A note can only point at this client's own plan."})
        if assessment is not None and not (
            assessment.client_id == client.pk
            and Assessment.objects.filter(pk=assessment.pk)
            .filter(assessments_visible_filter(access.record_access(actor, client)))
            .exclude(status=Assessment.Status.DRAFT)
            .exists()
        ):
            raise ValidationError({"assessment": "Choose one of this client's assessments that you can see."})
        note = Note.objects.create(
            client=client,
            author=actor,
            organisation_id=actor.organisation_id,
            kind=kind,
            text=text,
            visibility=visibility,
            created_at=written_at or timezone.now(),
            assessment=assessment,
        )
        # A new note has no links yet: add only what there is (set() would first read the empty lists).
        if visibility == V.NAMED and named:
            note.named_people.add(*named)
        if goals:
            note.goals.add(*goals)
        if actions:
            note.actions.add(*actions)
        record(
            change=c.NOTE_CREATE,
            actor=actor,
            client=client,
            obj=note,
            after={
                "kind": kind,
                "visibility": visibility,
                **text_fingerprint(text),
                "named": [u.pk for u in named],
                "goals": [g.pk for g in goals],
                "actions": [a.pk for a in actions],
                "assessment": assessment.pk if assessment is not None else None,
            },
            payload=c.NoteChanged(note_id=note.pk),
            audience=note_audience(note),
        )
    return note


def note_visibility_change(
    *, actor: "User", note: Note, visibility: str, named_people: Iterable["User"] = ()
) -> Note:
    """The author changes who can read a note. Narrowing is routine; widening is marked in the audit."""
    named = list(named_people)
    errors = _visibility_errors(actor, visibility, named)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = Note.objects.select_for_update().get(pk=note.pk)
        if note.author_id != actor.pk or not access.record_access(actor, note.client).may_add_note:
            raise PermissionDenied("Only the author of a note, while in the circle, can change who sees it.")
        _check_named_are_members(note.client, named)
        before: dict[str, Any] = {
            "visibility": note.visibility,
            "named": sorted(note.named_people.values_list("pk", flat=True)),
        }
        note.visibility = visibility
        note.save(update_fields=["visibility"])
        note.named_people.set(named if visibility == V.NAMED else [])
        after = {
            "visibility": visibility,
            "named": sorted(u.pk for u in named) if visibility == V.NAMED else [],
        }
        widened = _widens(note, V(before["visibility"]), set(before["named"]), V(visibility), named)
        # Everyone's page re-reads the note: those who may no longer see it are told it is gone.
        record(
            change=c.NOTE_VISIBILITY_WIDEN if widened else c.NOTE_VISIBILITY_NARROW,
            actor=actor,
            client=note.client,
            obj=note,
            before=before,
            after=after,
            payload=c.NoteChanged(note_id=note.pk),
            audience={"client_visible": V.CLIENT in (visibility, before["visibility"])},
        )
    return note


def _widens(note: Note, old: str, old_named: set[int], new: str, new_named: list["User"]) -> bool:
    """Does the new setting let anyone read the note who could not before?"""
    if new == V.NAMED:
        if old == V.NAMED:
            return not {u.pk for u in new_named} <= old_named
        if old == V.ORGANISATION:
            return any(u.organisation_id != note.organisation_id for u in new_named)
        return False  # named people are all in the circle, who could read it already
    if new == V.ORGANISATION:
        return old == V.NAMED
    return BREADTH[V(new)] > BREADTH[V(old)]


def _visibility_errors(actor: "User", visibility: str, named: list["User"]) -> dict[str, str]:
    if visibility not in Note.Visibility.values:
        return {"visibility": "Choose who can see this note."}
    if visibility == V.ORGANISATION and not actor.organisation_id:
        return {"visibility": "You are not in an organisation, so share this note with the whole circle."}
    if visibility == V.NAMED and not named:
        return {"named_people": "Choose at least one person who can see this note."}
    return {}


def _check_named_are_members(client: Client, named: list["User"]) -> None:
    if not named:
        return
    members = set(
        CircleMember.objects.filter(client=client, until=None, user__in=named).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [u.full_name for u in named if u.pk not in members]
    if outsiders:
        raise ValidationError({"named_people": f"Not in this circle: {', '.join(outsiders)}."})
