"""Who may read which notes: sharing's own rules, written over the access policy's RecordAccess.

The record's policy (circles/access.py) says who may open a client's record and whether the client's
consent lets information cross organisations; notes narrow that by their visibility. The same rule is
written twice on purpose: here as a queryset filter, and in `circles.access.may_receive` as a test on a
socket event's audience (which `note_audience` fills in), so a socket decides without a query.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q

from circles.access import RecordAccess
from sharing.models import Note


def notes_visible_filter(access: RecordAccess) -> Q:
    """Which of the client's notes this person may read (combine with a filter on the client)."""
    if not access.may_view:
        return Q(pk__in=[])
    user = access.user
    mine = Q(author_id=user.pk)
    own_organisation = Q(organisation_id=access.organisation_id) if access.organisation_id else Q(pk__in=[])
    circle_wide = Q(visibility__in=["circle", "client"])
    named_me = Q(visibility="named") & Q(
        Exists(Note.named_people.through.objects.filter(note_id=OuterRef("pk"), user_id=user.pk))
    )
    if access.shares_across_organisations:
        return mine | (own_organisation & Q(visibility="organisation")) | circle_wide | named_me
    return mine | (own_organisation & (Q(visibility="organisation") | circle_wide | named_me))


def note_audience(note: Any) -> dict:
    """What a socket needs to know to decide, without a query, who may hear about this note."""
    audience = {
        "organisation": note.organisation_id,
        "visibility": note.visibility,
        "author": note.author_id,
        "client_visible": note.visibility == "client",
    }
    if note.visibility == "named":
        audience["named"] = sorted(note.named_people.values_list("pk", flat=True))
    return audience
