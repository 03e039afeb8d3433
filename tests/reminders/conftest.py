"""Reminders of Grace's circle: Bob's overdue action, a consent about to end, a goal to review, a request
to join left waiting. Dates are fixed relative to today."""

import datetime

import pytest
from django.utils import timezone

from circles.models import CircleMember, JoinRequest
from sharing.models import Action, Goal, Plan
from tests.factories import ConsentFactory, UserFactory

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def add_due_action(client, owner_user, *, due_on, what="Ring the landlord about the damp"):
    plan, _ = Plan.objects.get_or_create(client=client)
    goal = Goal.objects.create(plan=plan, in_own_words="Keep our flat warm", created_by=owner_user)
    owner = CircleMember.objects.get(client=client, user=owner_user, until=None)
    return Action.objects.create(goal=goal, what=what, owner=owner, due_on=due_on, created_by=owner_user)


@pytest.fixture
def reminders_world(grace, alice, bob):
    """Bob's action overdue by 10 days (so Alice, the lead, hears too); Grace's consent to share with the
    circle ends in 5 days; a goal due for review in 3 days; Dana waiting to join for 3 days."""
    add_due_action(grace, bob, due_on=days(-10))
    plan = Plan.objects.get(client=grace)
    Goal.objects.create(plan=plan, in_own_words="See my sister", review_on=days(3), created_by=alice)
    ConsentFactory(client=grace, scope="conference", recorded_by=alice, expires_on=days(5))
    dana = UserFactory(full_name="Dana Asker")
    JoinRequest.objects.create(
        client=grace,
        requester=dana,
        organisation=dana.organisation,
        role="gp",
        reason="Registered with us",
        created_at=timezone.now() - datetime.timedelta(days=3),
        expires_at=timezone.now() + datetime.timedelta(days=10),
    )
    return grace
