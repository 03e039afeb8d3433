"""Writes for plan templates: the lead starts a plan from one; an agency admin brings one in (from a pack).

Starting from a template adds its goals and actions through `goal_add` and `action_add`, so each is
audited and published live exactly as if the lead had typed it; the template's goals go after any the
plan already has, and nothing already on the plan changes.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from changes.services import record
from circles import access
from circles.models import Client
from sharing import changes as c
from sharing.models import Goal, PlanTemplate
from sharing.plan_templates import template_errors, template_normalised
from sharing.selectors.templates import Outcome, definition_of
from sharing.services.plans import action_add, goal_add

if TYPE_CHECKING:
    from network.models import User


def plan_from_template(*, actor: "User", client: Client, template: PlanTemplate) -> list[Goal]:
    """The lead adds a template's goals (and their actions) to the client's plan, after any already there.

    Dates in the template are days from today; an action the template gives to the client is the
    client's, any other has no owner until the lead chooses one.
    """
    if template.organisation_id not in (None, actor.organisation_id):
        raise PermissionDenied("That template is kept by another agency.")
    today = timezone.localdate()

    def days(n: int | None) -> datetime.date | None:
        return None if n is None else today + datetime.timedelta(days=n)

    goals = []
    with transaction.atomic():
        Client.objects.select_for_update().only("pk").get(pk=client.pk)
        if not access.record_access(actor, client).may_manage_circle:
            raise PermissionDenied("Only the lead professional starts the plan from a template.")
        for item in template.goals:
            goal = goal_add(
                actor=actor,
                client=client,
                in_own_words=item["in_own_words"],
                success_looks_like=item["success_looks_like"],
                review_on=days(item["review_in_days"]),
                shared_with_client=item["shared_with_client"],
            )
            for action in item["actions"]:
                action_add(
                    actor=actor,
                    goal=goal,
                    what=action["what"],
                    owner_is_client=action["owner"] == "client",
                    due_on=days(action["due_in_days"]),
                    shared_with_client=action["shared_with_client"],
                )
            goals.append(goal)
        record(
            change=c.PLAN_FROM_TEMPLATE,
            actor=actor,
            client=client,
            obj=template,
            after={"template": template.name, "goals": len(goals), "actions": template.action_count},
        )
    return goals


def plan_template_save(*, actor: "User", definition: Any, where: str = "") -> tuple[PlanTemplate, Outcome]:
    """An agency admin adds a template for their agency, or changes the one of the same name.

    Plans already started from it keep what they were given. Raises ValidationError (by field path,
    under `where`) for a bad template.
    """
    organisation_id = actor.organisation_id
    if not access.is_agency_admin(actor) or organisation_id is None:
        raise PermissionDenied("Only an agency admin keeps their agency's plan templates.")
    errors = template_errors(where, definition)
    if errors:
        raise ValidationError({key.lstrip("."): value for key, value in errors.items()})
    definition = template_normalised(definition)
    with transaction.atomic():
        existing = (
            PlanTemplate.objects.select_for_update()
            .filter(organisation_id=organisation_id, name=definition["name"])
            .first()
        )
        if existing is None:
            template = PlanTemplate.objects.create(
                organisation_id=organisation_id,
                name=definition["name"],
                description=definition["description"],
                goals=definition["goals"],
            )
            record(
                change=c.PLAN_TEMPLATE_CREATE,
                actor=actor,
                client=None,
                obj=template,
                after=definition,
            )
            return template, "new"
        before = definition_of(existing)
        if before == definition:
            return existing, "unchanged"
        existing.description = definition["description"]
        existing.goals = definition["goals"]
        existing.updated_at = timezone.now()
        existing.save(update_fields=["description", "goals", "updated_at"])
        record(
            change=c.PLAN_TEMPLATE_UPDATE,
            actor=actor,
            client=None,
            obj=existing,
            before=before,
            after=definition,
        )
        return existing, "changed"
