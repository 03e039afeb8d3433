"""Who may read and write which assessments: the notes' rule (circles.access.shared_visible_filter), over
the policy's RecordAccess. Drafts are their author's only."""

from typing import Any

from django.db.models import Q

from assessments.models import Assessment, Instrument
from circles.access import RecordAccess, is_agency_admin, shared_audience, shared_visible_filter


def assessments_visible_filter(access: RecordAccess) -> Q:
    """Which of the client's assessments this person may read: completed ones by the notes' rule (amended
    originals included, for the history), and their own drafts."""
    if not access.may_view:
        return Q(pk__in=[])
    shared = shared_visible_filter(
        access, named_through=Assessment.named_people.through, named_field="assessment"
    )
    return (~Q(status=Assessment.Status.DRAFT) & shared) | Q(
        status=Assessment.Status.DRAFT, author_id=access.user.pk
    )


def assessment_audience(assessment: Any, named: list[int]) -> dict:
    """Who may hear of a completed assessment: exactly who may read it."""
    return shared_audience(
        organisation_id=assessment.organisation_id,
        visibility=assessment.visibility,
        author_id=assessment.author_id,
        named=named,
    )


def may_start(access: RecordAccess) -> bool:
    """Members of the circle complete assessments (as they add notes); emergency access only reads."""
    return access.may_add_note


def may_edit_instrument(user: Any, instrument: Instrument | None) -> bool:
    """Agency admins keep their own agency's instruments; the shipped ones are not changed in the app."""
    if not is_agency_admin(user):
        return False
    return instrument is None or (
        instrument.organisation_id is not None and instrument.organisation_id == user.organisation_id
    )
