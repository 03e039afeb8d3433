"""Handing over the lead, and the lead who leaves."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from circles.models import CircleMember
from network.services import professional_update
from realtime.models import Event, Notification
from referrals import handovers
from referrals.models import LeadNeeded
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory, UserFactory
from tests.reminders.conftest import add_due_action


def bob_member(grace, bob):
    return CircleMember.objects.get(client=grace, user=bob, until=None)


def test_the_new_lead_accepts_and_the_circle_sees_the_summary(grace, alice, bob, carol, early_help):
    form = signed_in(alice).get(reverse("referrals:handover_new", args=[grace.public_id]))
    assert "Stage: Intake." in form.content.decode()  # prefilled from what is true now
    response = signed_in(alice).post(
        reverse("referrals:handover_new", args=[grace.public_id]),
        {"to_member": bob_member(grace, bob).pk, "summary": "Grace prefers mornings. Rent plan agreed."},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(user=bob, kind="handover").exists()
    handover = grace.handovers.get()
    with pytest.raises(PermissionDenied):
        handovers.handover_accept(actor=carol, handover=handover)
    accepted = api_as(bob).post(f"/api/v1/handovers/{handover.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert CircleMember.objects.get(client=grace, until=None, is_lead=True).user == bob
    page = signed_in(carol).get(reverse("circles:client", args=[grace.public_id])).content.decode()
    assert "Rent plan agreed." in page
    assert set(Event.objects.filter(client=grace).values_list("type", flat=True)) >= {
        "handover.offer",
        "handover.accept",
        "circle.lead_change",
    }


def test_the_prefilled_summary_never_names_a_hidden_member(grace, alice):
    adviser = UserFactory(full_name="Hidden Adviser")
    MemberFactory(client=grace, user=adviser, is_hidden=True)
    add_due_action(grace, adviser, due_on=None, what="Safety plan review")
    form = signed_in(alice).get(reverse("referrals:handover_new", args=[grace.public_id])).content.decode()
    summary = form[form.index('name="summary"') :]
    summary = summary[: summary.index("</textarea>")]
    assert "Safety plan review" in summary and "Hidden Adviser" not in summary


def test_a_lead_who_leaves_leaves_needs_a_new_lead(grace, alice, early_help):
    admin = UserFactory(organisation=early_help, org_role="admin")
    manager = UserFactory(organisation=early_help, org_role="manager")
    professional_update(actor=admin, person=alice, is_active=False)
    needed = LeadNeeded.objects.get(client=grace)
    assert needed.former_lead == alice and needed.resolved_at is None
    assert Notification.objects.filter(user=manager, kind="lead_needed").exists()
    page = signed_in(manager).get(reverse("referrals:leads_needed")).content.decode()
    assert "Grace Okafor" in page and "Alice Lead" in page
    # Switching off again adds nothing; a new lead (by handover) resolves it.
    professional_update(actor=admin, person=alice, is_active=False)
    assert LeadNeeded.objects.filter(client=grace).count() == 1
