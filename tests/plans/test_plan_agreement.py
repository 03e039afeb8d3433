"""Agreeing the plan: the lead marks the plan as it stands agreed, with who took part; the agreed version
is kept whole, and today's plan can be compared with it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from circles import services as circle_services
from sharing import selectors, services
from sharing.models import Plan, PlanAgreement
from tests.factories import ClientFactory, MemberFactory
from tests.plans.conftest import events_of, fresh, membership

pytestmark = pytest.mark.django_db


def test_it_works(alice, bob, carol, goal, action, grace):
    agreement = services.plan_agree(
        actor=alice,
        client=grace,
        participants=[membership(grace, carol), membership(grace, alice)],
        note="  At the review meeting ",
    )

    assert agreement.agreed_by == alice
    assert agreement.participants == ["Alice Lead", "Carol Other-Org"]
    assert agreement.note == "At the review meeting"
    assert agreement.snapshot == {
        "goals": [
            {
                "id": goal.pk,
                "in_own_words": "Keep our flat",
                "success_looks_like": "Rent paid on time for six months",
                "review_on": None,
                "shared_with_client": True,
                "actions": [
                    {
                        "id": action.pk,
                        "what": "Call the housing officer",
                        "owner": "Bob Same-Org",
                        "due_on": None,
                        "status": "not_started",
                        "dropped_reason": "",
                        "shared_with_client": True,
                    }
                ],
            }
        ]
    }
    [event] = events_of(grace, "plan.agree")
    assert event.payload == {"agreement_id": agreement.pk}
    audit = AuditEvent.objects.get(action="plan.agree")
    assert (audit.actor, audit.after["participants"]) == (alice, ["Alice Lead", "Carol Other-Org"])


@pytest.mark.parametrize("who", ["bob", "carol", "charlie"])
def test_it_checks_ownership(who, request, alice, goal, grace):
    with pytest.raises(PermissionDenied):
        services.plan_agree(
            actor=request.getfixturevalue(who), client=grace, participants=[membership(grace, alice)]
        )
    assert not PlanAgreement.objects.exists()
    assert not events_of(grace, "plan.agree")


def test_who_took_part_must_be_in_the_circle_now(alice, bob, goal, grace):
    with pytest.raises(ValidationError) as refused:
        services.plan_agree(actor=alice, client=grace, participants=[])
    assert "participants" in refused.value.message_dict

    elsewhere = MemberFactory(client=ClientFactory())
    with pytest.raises(ValidationError):
        services.plan_agree(actor=alice, client=grace, participants=[elsewhere])

    bobs_place = membership(grace, bob)
    circle_services.circle_member_remove(actor=alice, client=grace, member=bobs_place)
    with pytest.raises(ValidationError):
        services.plan_agree(
            actor=alice, client=grace, participants=[membership(grace, alice), fresh(bobs_place)]
        )
    assert not PlanAgreement.objects.exists()


def test_the_note_has_a_limit(alice, goal, grace):
    with pytest.raises(ValidationError) as refused:
        services.plan_agree(
            actor=alice, client=grace, participants=[membership(grace, alice)], note="x" * 501
        )
    assert "note" in refused.value.message_dict


def test_the_agreed_version_is_kept_whole(alice, bob, goal, action, grace):
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, bob)])
    before = fresh(agreement).snapshot

    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.action_remove(actor=bob, action=action)
    bob.full_name = "Robert Same-Org"
    bob.save(update_fields=["full_name"])

    agreement = fresh(agreement)
    assert agreement.snapshot == before
    assert agreement.participants == ["Bob Same-Org"]  # as they were then


def test_comparing_finds_every_kind_of_difference(alice, bob, goal, action, grace):
    gone = services.goal_add(actor=alice, client=grace, in_own_words="Will be taken off")
    old_action = services.action_add(actor=alice, goal=goal, what="Will go")
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, alice)])

    services.goal_update(actor=bob, goal=goal, changes={"review_on": "2030-06-30"}, base_version=1)
    services.action_update(actor=bob, action=action, changes={"owner": "client"}, base_version=1)
    services.action_remove(actor=bob, action=old_action)
    services.goal_remove(actor=bob, goal=gone)
    new_goal = services.goal_add(actor=bob, client=grace, in_own_words="See my sister")
    services.action_add(actor=bob, goal=goal, what="Open a bank account")

    plan = Plan.objects.get(client=grace)
    differences = selectors.plan_compare(agreement.snapshot, selectors.plan_snapshot(plan))

    assert sorted(differences, key=lambda d: (d["kind"], d.get("field", ""))) == [
        {"kind": "action_added", "goal": "Keep our flat", "action": "Open a bank account"},
        {
            "kind": "action_changed",
            "goal": "Keep our flat",
            "action": "Call the housing officer",
            "field": "Who",
            "old": "Bob Same-Org",
            "new": "The client",
        },
        {"kind": "action_removed", "goal": "Keep our flat", "action": "Will go"},
        {"kind": "goal_added", "goal": new_goal.in_own_words},
        {
            "kind": "goal_changed",
            "goal": "Keep our flat",
            "field": "Review date",
            "old": None,
            "new": "2030-06-30",
        },
        {"kind": "goal_removed", "goal": "Will be taken off"},
    ]


def test_an_unchanged_plan_has_no_differences(alice, goal, action, grace):
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, alice)])
    plan = Plan.objects.get(client=grace)
    assert selectors.plan_compare(agreement.snapshot, selectors.plan_snapshot(plan)) == []
