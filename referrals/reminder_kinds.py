"""Referral reminders: referrals waiting on the person, in their inbox or as the referrer."""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from network.models import User
from referrals.models import InboxMember, Referral
from reminders.kinds import in_slice
from reminders.registry import ClientSlice, Reminder, ReminderKind, register


def waiting_referrals(today: datetime.date, clients: ClientSlice | None = None) -> Iterable[Reminder]:
    """Each open referral waiting for an answer: the receiving inbox is reminded; once past the day the
    receiver set, both sides are (the referrer too). Three queries in all."""
    waiting = list(
        Referral.objects.filter(status__in=Referral.WAITING_FOR_ANSWER, **in_slice(clients))
        .select_related("client", "to_organisation", "from_organisation")
        .only(
            "pk",
            "status",
            "answer_due_on",
            "referrer_id",
            "service",
            "client__given_name",
            "to_organisation__name",
            "from_organisation__name",
            "to_organisation_id",
        )
    )
    if not waiting:
        return []
    organisations = {r.to_organisation_id for r in waiting}
    named = InboxMember.objects.filter(organisation_id__in=organisations, until=None).values("user_id")
    inbox: dict[int, list[int]] = {}
    for user_id, organisation_id in User.objects.filter(
        Q(org_role__in=[User.OrgRole.MANAGER, User.OrgRole.ADMIN]) | Q(pk__in=named),
        organisation_id__in=organisations,
        is_active=True,
    ).values_list("pk", "organisation_id"):
        inbox.setdefault(organisation_id, []).append(user_id)
    reminders = []
    for referral in waiting:
        url = reverse("referrals:referral", args=[referral.pk])
        overdue = referral.answer_due_on < today
        if referral.status == Referral.Status.MORE_INFO:
            text = f"{referral.to_organisation.name} asked for more information about your referral."
            reminders.append(
                Reminder(kind="referral.waiting", user_id=referral.referrer_id, text=text, url=url)
            )
            continue
        late = " It is past the day they asked to answer by." if overdue else ""
        for user_id in inbox.get(referral.to_organisation_id, []):
            text = f"A referral from {referral.from_organisation.name} is waiting for your answer.{late}"
            reminders.append(Reminder(kind="referral.waiting", user_id=user_id, text=text, url=url))
        if overdue:
            text = f"Your referral to {referral.to_organisation.name} has had no answer yet."
            reminders.append(
                Reminder(kind="referral.waiting", user_id=referral.referrer_id, text=text, url=url)
            )
    return reminders


register(ReminderKind("referral.waiting", "Referrals waiting on you", waiting_referrals, sliced=True))
