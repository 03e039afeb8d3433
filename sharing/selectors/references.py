"""What refers to an assessment from what the circle shares: goals addressing its areas, notes about it.

Registered with assessments.references when Django starts (sharing sits above assessments, which never
imports it), so the assessment page lists them.
"""

from typing import Any

from django.urls import reverse

from assessments import scoring
from assessments.references import Reference
from circles import access
from sharing.models import Goal
from sharing.selectors.notes import note_list_for


def referring_to_assessment(record: access.RecordAccess, assessment: Any) -> list[Reference]:
    client = record.client
    items = {i["code"]: scoring.short_label(i) for i in assessment.definition["items"]}
    references = []
    goals = Goal.objects.filter(
        plan__client=client, removed_at=None, addresses_instrument_id=assessment.instrument_id
    ).order_by("position", "pk")
    for goal in goals:
        area = items.get(goal.addresses_item, "the total") if goal.addresses_item else "the total"
        references.append(
            Reference(
                title=f"Goal: “{goal.in_own_words}”",
                url=reverse("plan:plan", kwargs={"public_id": client.public_id}) + f"#goal-{goal.pk}",
                detail=f"addresses {area}",
            )
        )
    for note in note_list_for(record).filter(assessment=assessment)[:50]:
        references.append(
            Reference(
                title=f"{note.get_kind_display()} note by {access.person_label(record, note.author)}",
                url=reverse("circles:note", kwargs={"public_id": client.public_id, "note_id": note.pk}),
                detail=note.text[:120],
            )
        )
    return references
