"""Who may read which notes: sharing's own rules, written over the access policy's RecordAccess.

The record's policy (circles/access.py) says who may open a client's record and whether the client's
consent lets information cross organisations; notes narrow that by their visibility. The rule itself is
the policy's (`circles.access.shared_visible_filter`, shared with assessments); it is written twice on
purpose: as a queryset filter, and in `circles.access.may_receive` as a test on a socket event's audience
(which `note_audience` fills in), so a socket decides without a query.
"""

from typing import Any

from django.db.models import Q

from circles.access import RecordAccess, shared_audience, shared_visible_filter
from sharing.models import Note


def notes_visible_filter(access: RecordAccess) -> Q:
    """Which of the client's notes this person may read (combine with a filter on the client)."""
    return shared_visible_filter(access, named_through=Note.named_people.through, named_field="note")


def note_audience(note: Any) -> dict:
    """What a socket needs to know to decide, without a query, who may hear about this note."""
    named = list(note.named_people.values_list("pk", flat=True)) if note.visibility == "named" else []
    return shared_audience(
        organisation_id=note.organisation_id,
        visibility=note.visibility,
        author_id=note.author_id,
        named=named,
    )
