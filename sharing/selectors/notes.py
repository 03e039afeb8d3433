"""Reads of notes, for a client record already opened (and access-checked) by circles.selectors."""

from django.db.models import QuerySet
from django.http import Http404

from circles import access
from sharing.access import notes_visible_filter
from sharing.models import Note


def note_list_for(record: access.RecordAccess) -> QuerySet[Note]:
    """The client's notes that the record's viewer may read, newest first, with their authors."""
    return (
        Note.objects.filter(client=record.client)
        .filter(notes_visible_filter(record))
        .select_related("author", "organisation", "assessment__instrument")
        .prefetch_related("goals")
        .order_by("-created_at", "-id")
    )


def note_get_for(record: access.RecordAccess, note_id: int | str) -> Note:
    try:
        return note_list_for(record).get(pk=int(note_id))
    except (Note.DoesNotExist, ValueError, TypeError):
        raise Http404("No such note") from None
