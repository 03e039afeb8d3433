"""Reads of plan templates: the ones a professional may start a plan from, and the ones an agency keeps."""

from typing import TYPE_CHECKING, Literal

from django.db.models import F, Q, QuerySet
from django.http import Http404

from circles import access
from sharing.models import Goal, PlanTemplate

if TYPE_CHECKING:
    from network.models import User

Outcome = Literal["new", "changed", "unchanged"]


def plan_templates_for(user: "User") -> QuerySet[PlanTemplate]:
    """Those shipped with Alongside and those kept by the person's own organisation, shipped first."""
    kept = Q(organisation=None)
    if user.organisation_id:
        kept |= Q(organisation_id=user.organisation_id)
    return (
        PlanTemplate.objects.filter(kept)
        .select_related("organisation")
        .order_by(F("organisation").asc(nulls_first=True), "name")
    )


def plan_template_get_for(user: "User", template_id: int | str) -> PlanTemplate:
    """One of `plan_templates_for(user)`; 404 for any other (another agency's looks like none at all)."""
    try:
        return plan_templates_for(user).get(pk=int(template_id))
    except (PlanTemplate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such plan template") from None


def plan_templates_kept_by(organisation_id: int) -> QuerySet[PlanTemplate]:
    return PlanTemplate.objects.filter(organisation_id=organisation_id).order_by("name")


def goal_count_for(record: access.RecordAccess) -> int:
    """How many goals the client's plan has now (for a record already opened by circles.selectors)."""
    if not record.may_view:
        raise Http404("No such plan")
    return Goal.objects.filter(plan__client=record.client, removed_at=None).count()


def plan_template_compare(*, organisation_id: int, definition: dict) -> Outcome:
    """What saving this (checked, normalised) template for the organisation would do."""
    existing = PlanTemplate.objects.filter(organisation_id=organisation_id, name=definition["name"]).first()
    if existing is None:
        return "new"
    return "unchanged" if definition_of(existing) == definition else "changed"


def definition_of(template: PlanTemplate) -> dict:
    """A template as a pack writes it."""
    return {"name": template.name, "description": template.description, "goals": template.goals}
