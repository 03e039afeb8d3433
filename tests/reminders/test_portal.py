"""Clients choose, in the portal, to be emailed about their own actions, in plain words."""

import datetime

from django.urls import reverse
from django.utils import timezone

from circles.models import Consent, PortalAccess
from network.models import User
from reminders import outbox, scan
from sharing.models import Action, Goal, Plan
from tests.conftest import signed_in
from tests.factories import ConsentFactory, FamilyMemberFactory, UserFactory
from tests.reminders.conftest import days


def test_a_client_opts_in_and_is_reminded_of_their_own_action(grace, alice, mailoutbox):
    jade = UserFactory(
        email="grace@example.net", full_name="Grace Okafor", organisation=None, kind=User.Kind.CLIENT
    )
    PortalAccess.objects.create(user=jade, client=grace)
    plan = Plan.objects.create(client=grace)
    goal = Goal.objects.create(plan=plan, in_own_words="Keep our flat", created_by=alice)
    Action.objects.create(
        goal=goal, what="Open the post", owner_is_client=True, due_on=days(1), created_by=alice
    )

    as_jade = signed_in(jade)
    page = as_jade.get(reverse("reminders:preferences")).content.decode()
    assert "Reminders of my own actions" in page and "portal-reminders-link" in page
    assert "Actions overdue in circles you lead" not in page  # the professionals' kinds are not hers
    scan.run_day(timezone.localdate(), "w")
    assert not any(m.to == [jade.email] for m in mailoutbox)  # off until she chooses

    as_jade.post(reverse("reminders:preferences"), {"portal.my_actions": "digest"})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # the action is due today by then
    scan.run_day(tomorrow, "w")
    outbox.deliver_outbox(worker="w")
    mine = [m for m in mailoutbox if m.to == [jade.email]]
    assert len(mine) == 1
    assert "One of your actions is due today." in mine[0].body
    assert "Open the post" not in mine[0].body and "Okafor" not in mine[0].body


def test_a_family_member_opts_in_and_is_reminded_of_their_own_action(grace, alice, mailoutbox):
    """Grace's sister Ama owns an action in Grace's plan: her reminder comes to her portal account (her
    membership has no account of its own), in the same plain words, never to a professional's page."""
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ama = UserFactory(
        email="ama@example.net", full_name="Ama Okafor", organisation=None, kind=User.Kind.FAMILY
    )
    PortalAccess.objects.create(user=ama, client=grace, member=sister)
    consent = ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    plan = Plan.objects.create(client=grace)
    goal = Goal.objects.create(plan=plan, in_own_words="Keep our flat", created_by=alice)
    Action.objects.create(goal=goal, what="Ring the landlord", owner=sister, due_on=days(1), created_by=alice)

    signed_in(ama).post(reverse("reminders:preferences"), {"portal.my_actions": "digest"})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    scan.run_day(tomorrow, "w")
    outbox.deliver_outbox(worker="w")
    mine = [m for m in mailoutbox if m.to == [ama.email]]
    assert len(mine) == 1
    assert "One of your actions is due today." in mine[0].body and "/portal/" in mine[0].body
    assert "Ring the landlord" not in mine[0].body and "/plan/" not in mine[0].body

    # Grace withdraws her consent: Ama's portal is closed, and so are its reminders.
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    scan.run_day(tomorrow + datetime.timedelta(days=1), "w")
    outbox.deliver_outbox(worker="w")
    assert len([m for m in mailoutbox if m.to == [ama.email]]) == 1
