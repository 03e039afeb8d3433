"""Writes to reminders: a person's own preferences."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from changes.services import record
from network.models import User
from reminders import changes as c
from reminders.models import ReminderPreference
from reminders.registry import registry
from reminders.selectors import kinds_for


def preference_set(*, actor: User, kind: str, delivery: str) -> ReminderPreference:
    """Choose how `actor` gets one kind of reminder: at once, in the daily digest, or not at all."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied("Sign in to choose your reminders.")
    if kind not in registry or kind not in {k.name for k in kinds_for(actor)}:
        raise ValidationError({"kind": "Choose a kind of reminder."})
    if delivery not in ReminderPreference.Delivery.values:
        raise ValidationError({"delivery": "Choose at once, in the daily digest, or not at all."})
    with transaction.atomic():
        before = (
            ReminderPreference.objects.filter(user=actor, kind=kind)
            .values_list("delivery", flat=True)
            .first()
        )
        preference, _ = ReminderPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"delivery": delivery}
        )
        record(
            change=c.PREFERENCE_SET,
            actor=actor,
            client=None,
            obj=preference,
            before={"kind": kind, "delivery": before},
            after={"kind": kind, "delivery": delivery},
        )
    return preference
