"""Who may see which cards and scales: the notes rule (sharing/access.py), over the policy's RecordAccess.

The one place the board uses the rule, so that when the rule moves into circles/access.py (generalised
for any model with an author, an organisation and a visibility) only this module changes.

- A card reaches other organisations only with the client's consent to share, as a note does;
  "my organisation only" never leaves its organisation; authors always see their own.
- Cards the client or family wrote in the portal, and their scales, are for the whole circle: they wrote
  them for the team.
- Portal viewers see only cards shared with the client (and their own), never the team's scales.
- Hidden members are named through the policy's rule (circles.access.person_label), never here.
"""

from typing import Any

from django.db.models import Q

from circles.access import RecordAccess


def cards_visible_filter(access: RecordAccess) -> Q:
    """Which of the client's cards this person may read (combine with a filter on the client)."""
    return _visible(access, author="author_id") | (Q(by_client=True) if access.may_view else Q(pk__in=[]))


def pack_cards_filter(access: RecordAccess) -> Q:
    """Which cards a client's conference pack shows its reader, once the meeting has decided they may read
    the pack (conferences/access.py). A member of the circle sees what the board shows them. A reader from
    outside the circle (the chair, the minute-taker, a standing member within the need-to-know window) sees
    what was written for the whole circle and the client's own, the agenda item's lawful basis standing in
    for consent to share with them; "my organisation only" still never leaves its organisation."""
    if access.may_view:
        return cards_visible_filter(access)
    own_organisation = (
        Q(organisation_id=access.organisation_id, visibility="organisation")
        if access.organisation_id
        else Q(pk__in=[])
    )
    return (
        Q(author_id=access.user.pk)
        | own_organisation
        | Q(visibility__in=["circle", "client"])
        | Q(by_client=True)
    )


def scales_visible_filter(access: RecordAccess) -> Q:
    """Scales follow the "whole circle" rule: across organisations with consent; the client's always."""
    if not access.may_view:
        return Q(pk__in=[])
    mine = Q(person_id=access.user.pk)
    own = Q(organisation_id=access.organisation_id) if access.organisation_id else Q(pk__in=[])
    if access.shares_across_organisations:
        return Q()
    return mine | own | Q(by_client=True)


def _visible(access: RecordAccess, *, author: str) -> Q:
    if not access.may_view:
        return Q(pk__in=[])
    mine = Q(**{author: access.user.pk})
    own_organisation = Q(organisation_id=access.organisation_id) if access.organisation_id else Q(pk__in=[])
    circle_wide = Q(visibility__in=["circle", "client"])
    if access.shares_across_organisations:
        return mine | (own_organisation & Q(visibility="organisation")) | circle_wide
    return mine | (own_organisation & (Q(visibility="organisation") | circle_wide))


def portal_cards_filter(user: Any) -> Q:
    """What the client or a family member sees of the board: cards shared with the client, and their own."""
    return Q(visibility="client") | Q(author_id=user.pk)


def card_audience(card: Any) -> dict[str, Any]:
    """Who may hear of a change to this card, decided by a socket without a query (circles.access.may_receive).

    A card that was shared with the client until this change still rings the portal (`was_shared`), so the
    portal can take it away.
    """
    if card.by_client:
        return {"client_visible": card.visibility == "client"}
    return {
        "organisation": card.organisation_id,
        "visibility": card.visibility,
        "author": card.author_id,
        "client_visible": card.visibility == "client",
    }


def scale_audience(scale: Any) -> dict[str, Any]:
    if scale.by_client:
        return {"client_visible": True}
    return {"organisation": scale.organisation_id, "visibility": "circle", "author": scale.person_id}
