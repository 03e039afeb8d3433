"""Plan templates: the lead starts a plan from one (or adds one's goals after those already there), on the
page and through the API. Each goal and action goes through goal_add / action_add, so it is audited and
published live like any other; only the lead may do it; another agency's template is not offered."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from network.models import User
from sharing import services
from sharing.models import Action, Goal, PlanTemplate
from sharing.plan_templates import template_errors
from tests.conftest import api_as, signed_in
from tests.factories import UserFactory
from tests.plans.conftest import days_from_today, events_of, plan_url

pytestmark = pytest.mark.django_db

TAF = "Team Around the Family plan"


def taf() -> PlanTemplate:
    return PlanTemplate.objects.get(name=TAF, organisation=None)


def own_template(organisation, name="Our plan") -> PlanTemplate:
    admin = UserFactory(organisation=organisation, org_role=User.OrgRole.ADMIN)
    template, outcome = services.plan_template_save(
        actor=admin,
        definition={
            "name": name,
            "goals": [{"in_own_words": "Feel safe at home", "actions": [{"what": "Change the locks"}]}],
        },
    )
    assert outcome == "new"
    return template


def test_alongside_ships_two_templates():
    assert set(PlanTemplate.objects.filter(organisation=None).values_list("name", flat=True)) == {
        TAF,
        "Moving on plan (leaving care)",
    }
    assert len(taf().goals) == 3 and taf().action_count == 7


def test_the_lead_starts_an_empty_plan_from_a_template(alice, grace):
    page = signed_in(alice).get(plan_url(grace))
    assert b'id="start-from-template"' in page.content

    response = signed_in(alice).post(plan_url(grace) + "from-template/", {"template": taf().pk})

    assert response.status_code == 302
    goals = list(Goal.objects.filter(plan__client=grace).order_by("position"))
    assert [g.in_own_words for g in goals] == [
        "Keep our home",
        "The children going to school every day",
        "Feel more like myself",
    ]
    assert goals[0].review_on == days_from_today(42)
    actions = list(Action.objects.filter(goal=goals[0]).order_by("position"))
    assert [(a.what, a.due_on, a.owner_is_client, a.owner) for a in actions] == [
        ("Ask the landlord for a plan to pay the arrears", days_from_today(7), False, None),
        ("Check which benefits the family can claim", days_from_today(14), False, None),
        ("Open the post on Mondays and bring any letters to the next visit", days_from_today(7), True, None),
    ]
    # Each add is the plan's own change, published on Grace's stream like one typed by hand; one row says
    # which template they came from.
    assert len(events_of(grace, "plan.goal_add")) == 3
    assert len(events_of(grace, "plan.action_add")) == 7
    row = AuditEvent.objects.get(action="plan.from_template")
    assert row.client_id == grace.pk and row.after == {"template": TAF, "goals": 3, "actions": 7}


def test_a_template_adds_after_the_goals_already_there_and_changes_none(alice, grace, goal):
    page = signed_in(alice).get(plan_url(grace) + "from-template/")
    assert "The plan has 1 goal already" in page.content.decode()

    signed_in(alice).post(plan_url(grace) + "from-template/", {"template": taf().pk})

    goals = list(Goal.objects.filter(plan__client=grace).order_by("position"))
    assert goals[0] == goal and goals[0].version == goal.version
    assert [g.in_own_words for g in goals[1:]] == [
        "Keep our home",
        "The children going to school every day",
        "Feel more like myself",
    ]


def test_only_the_lead_may(bob, charlie, grace):
    assert signed_in(bob).post(plan_url(grace) + "from-template/", {"template": taf().pk}).status_code == 403
    assert (
        signed_in(charlie).post(plan_url(grace) + "from-template/", {"template": taf().pk}).status_code == 404
    )
    assert b"start-from-template" not in signed_in(bob).get(plan_url(grace)).content
    assert not Goal.objects.exists()


def test_another_agencys_template_is_not_offered_nor_accepted(alice, grace, police):
    theirs = own_template(police, "Police plan")
    ours = own_template(alice.organisation, "Early Help plan")

    page = signed_in(alice).get(plan_url(grace) + "from-template/").content.decode()
    assert "Early Help plan" in page and TAF in page and "Police plan" not in page

    response = signed_in(alice).post(plan_url(grace) + "from-template/", {"template": theirs.pk})
    assert response.status_code == 400 and "Choose one of the templates" in response.content.decode()
    assert signed_in(alice).post(plan_url(grace) + "from-template/", {"template": "x"}).status_code == 400
    assert not Goal.objects.exists()
    assert signed_in(alice).post(plan_url(grace) + "from-template/", {"template": ours.pk}).status_code == 302


def test_the_api_lists_templates_and_starts_a_plan(alice, bob, grace, police):
    own_template(police, "Police plan")
    listed = api_as(alice).get("/api/v1/plan-templates/").json()
    assert [t["name"] for t in listed] == ["Moving on plan (leaving care)", TAF]
    assert listed[1]["kept_by"] is None and listed[1]["goals"][0]["actions"][2]["owner"] == "client"

    url = f"/api/v1/clients/{grace.public_id}/plan/from-template/"
    response = api_as(alice).post(url, {"template_id": taf().pk}, format="json")
    assert response.status_code == 201
    assert [g["in_own_words"] for g in response.json()["goals"]][0] == "Keep our home"
    assert response.json()["total"] == 7

    assert api_as(alice).post(url, {"template_id": 10**9}, format="json").status_code == 400
    assert api_as(bob).post(url, {"template_id": taf().pk}, format="json").status_code == 403
    assert Goal.objects.filter(plan__client=grace).count() == 3


@pytest.mark.parametrize(
    ("template", "path"),
    [
        ([], ""),
        ({"name": "", "goals": [{"in_own_words": "x"}]}, ".name"),
        ({"name": "A", "goals": []}, ".goals"),
        ({"name": "A", "goals": [{"in_own_words": " "}]}, ".goals[0].in_own_words"),
        ({"name": "A", "goals": [{"in_own_words": "x", "review_in_days": 0}]}, ".goals[0].review_in_days"),
        (
            {"name": "A", "goals": [{"in_own_words": "x", "actions": [{"what": "y", "owner": "bob"}]}]},
            ".goals[0].actions[0].owner",
        ),
        (
            {"name": "A", "goals": [{"in_own_words": "x", "actions": [{"what": "y", "due_in_days": True}]}]},
            ".goals[0].actions[0].due_in_days",
        ),
        ({"name": "A", "goals": [{"in_own_words": "x", "colour": "red"}]}, ".goals[0]"),
    ],
)
def test_a_bad_template_is_refused_by_the_field_at_fault(template, path):
    assert path in template_errors("", template)


def test_only_an_agency_admin_keeps_templates(alice):
    with pytest.raises(PermissionDenied, match="agency admin"):
        services.plan_template_save(actor=alice, definition={"name": "A", "goals": [{"in_own_words": "x"}]})
    assert not PlanTemplate.objects.exclude(organisation=None).exists()
