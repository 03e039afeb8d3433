"""Reads of notes, for a client record already opened (and access-checked) by circles.selectors."""

from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404

from circles import access
from sharing.access import notes_visible_filter
from sharing.models import Goal, Note


def note_list_for(record: access.RecordAccess) -> QuerySet[Note]:
    """The client's notes that the record's viewer may read, newest first, with their authors."""
    return (
        Note.objects.filter(client=record.client)
        .filter(notes_visible_filter(record))
        .select_related("author", "organisation", "assessment__instrument")
        .prefetch_related("goals")
        .order_by("-created_at", "-id")
    )


def note_list_flagging_goals(record: access.RecordAccess) -> QuerySet[Note]:
    """As `note_list_for`, but without reading the goals: each note says whether it refers to one
    (`refers_to_goal`), and `goals_for_notes` then reads the goals of those notes only, if any."""
    refers = Exists(Note.goals.through.objects.filter(note_id=OuterRef("pk")))
    return note_list_for(record).prefetch_related(None).annotate(refers_to_goal=refers)


def goals_for_notes(notes: list[Note]) -> None:
    """The goals of the notes (from `note_list_flagging_goals`) that refer to one, in one query, and none
    read for the others: `note.goals.all` is then answered from memory for every note."""
    for note in notes:
        if not note.refers_to_goal:  # type: ignore[attr-defined]
            empty = Goal.objects.none()
            empty._result_cache = []  # as prefetch_related leaves it: no query when the template reads it
            empty._prefetch_done = True  # type: ignore[attr-defined]
            note._prefetched_objects_cache = {"goals": empty}  # type: ignore[attr-defined]
    prefetch_related_objects([note for note in notes if note.refers_to_goal], "goals")  # type: ignore[attr-defined]


def note_get_for(record: access.RecordAccess, note_id: int | str) -> Note:
    try:
        return note_list_for(record).get(pk=int(note_id))
    except (Note.DoesNotExist, ValueError, TypeError):
        raise Http404("No such note") from None
