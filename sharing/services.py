"""Writes to what the circle shares. Each service validates, writes, audits and publishes."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from circles import access
from circles.models import Client
from network.text import clean_text, length_errors
from realtime.publish import publish
from sharing.models import Note

if TYPE_CHECKING:
    from network.models import User

NOTE_MAX_LENGTH = 20_000


def note_create(
    *,
    actor: "User",
    client: Client,
    text: str,
    kind: str = Note.Kind.UPDATE,
    visibility: str = Note.Visibility.CIRCLE,
    written_at: datetime.datetime | None = None,
) -> Note:
    """Add a progress note to a client's record; it reaches open pages of those who may read it.

    `written_at` is for notes brought in from elsewhere (demo data, records moved from an old system);
    a note written in Alongside is dated now.
    """
    text = clean_text(text)
    errors = length_errors({"text": (text, NOTE_MAX_LENGTH)})
    if not text:
        errors["text"] = "Write the note before saving it."
    if kind not in Note.Kind.values:
        errors["kind"] = "Choose what kind of note this is."
    if visibility not in Note.Visibility.values:
        errors["visibility"] = "Choose who can see this note."
    elif visibility == Note.Visibility.ORGANISATION and not actor.organisation_id:
        errors["visibility"] = "You are not in an organisation, so share this note with the whole circle."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if not access.may_add_note(actor, client):
            raise PermissionDenied("Only members of the circle can add notes.")
        note = Note.objects.create(
            client=client,
            author=actor,
            organisation_id=actor.organisation_id,
            kind=kind,
            text=text,
            visibility=visibility,
            created_at=written_at or timezone.now(),
        )
        audit_record(
            actor=actor,
            action="note.create",
            client=client,
            obj=note,
            after={"kind": kind, "visibility": visibility, "text": text},
        )
        publish(
            client=client,
            type="note.created",
            payload={"note_id": note.pk},
            audience=access.note_audience(note),
        )
    return note
