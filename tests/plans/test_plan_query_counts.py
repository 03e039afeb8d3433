"""The plan page, the plan API and My actions read a fixed number of queries however big the plan is:
pinned here with a comment naming each query, and shown flat (1 goal with 1 action vs 10 goals with 5
actions each; 1 client vs 10 clients for My actions)."""

import pytest

from sharing import services
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, FamilyMemberFactory, MemberFactory
from tests.plans.conftest import api_url, build_plan, membership, plan_url

pytestmark = pytest.mark.django_db

SIZES = [pytest.param(1, 1, id="1 goal, 1 action"), pytest.param(10, 5, id="10 goals, 5 actions each")]


def a_full_plan(client, alice, bob, *, goals, actions_each):
    """Goals with actions owned by a professional, a family member and the client, notes pointing at
    goals, and an agreed version: everything the page draws."""
    made = build_plan(client, alice, goals=goals, actions_each=actions_each, owner=membership(client, bob))
    sister = FamilyMemberFactory(client=client, name="Ruth Okafor")
    for goal in made:
        first = goal.actions.first()
        services.action_update(actor=alice, action=first, changes={"owner": sister}, base_version=1)
        services.action_add(actor=alice, goal=goal, what="The client's own", owner_is_client=True)
        services.note_create(actor=bob, client=client, text="About this goal", goals=[goal])
    services.plan_agree(actor=alice, client=client, participants=[membership(client, alice)])
    return made


@pytest.mark.parametrize("goals, actions_each", SIZES)
def test_the_plan_page(goals, actions_each, alice, bob, grace, django_assert_num_queries):
    a_full_plan(grace, alice, bob, goals=goals, actions_each=actions_each)
    browser = signed_in(alice)
    browser.get(plan_url(grace))  # warm up

    with django_assert_num_queries(12):
        # 1 session, 2 the signed-in user with their organisation (one join; two-factor check),
        # 3 the client by public ID, 4 the user's membership of the circle, 5 the consent that shares across
        # organisations, 6 the read written to the audit trail, 7 the plan, 8 its goals (with the note counts
        # this person may read), 9 all their actions (with owner, owner's user and organisation, and note
        # counts), 10 the client's own words on the goals, 11 the agreed versions (with who agreed),
        # 12 unread notifications for the menu. (No session write: the warm-up pushed its end back.)
        response = browser.get(plan_url(grace))
    assert response.status_code == 200
    assert response.content.decode().count('class="app-action ') == goals * (actions_each + 1)


@pytest.mark.parametrize("goals, actions_each", SIZES)
def test_the_plan_api(goals, actions_each, alice, bob, grace, django_assert_num_queries):
    a_full_plan(grace, alice, bob, goals=goals, actions_each=actions_each)
    api = api_as(alice)
    api.get(api_url(grace))

    with django_assert_num_queries(8):
        # 1 the client by public ID, 2 the user's membership, 3 the consent across organisations,
        # 4 the read written to the audit trail, 5 the plan, 6 its goals, 7 all their actions with owners,
        # 8 the client's own words on the goals.
        response = api.get(api_url(grace))
    assert response.status_code == 200
    assert response.json()["total"] == goals * (actions_each + 1)


@pytest.mark.parametrize("goals, actions_each", SIZES)
def test_one_goal_card(goals, actions_each, alice, bob, grace, django_assert_num_queries):
    """The fragment the live page fetches after someone else's change."""
    made = a_full_plan(grace, alice, bob, goals=goals, actions_each=actions_each)
    browser = signed_in(alice)
    url = plan_url(grace) + f"goals/{made[-1].pk}/"
    browser.get(url)

    with django_assert_num_queries(9):
        # 1 session, 2 user with organisation, 3 client, 4 membership, 5 consent, 6 the goal (with its note
        # count), 7 its actions with owners, 8 the client's own words on it, 9 unread notifications (the
        # context processor runs for a fragment too).
        # No plan row: the goal is fetched by id within the client's plan.
        response = browser.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def my_actions_across(clients: int, actions_each: int, alice, bob):
    """Bob owns `actions_each` open actions in each of `clients` circles (one overdue in each)."""
    for _ in range(clients):
        client = ClientFactory()
        MemberFactory(client=client, user=alice, is_lead=True)
        MemberFactory(client=client, user=bob)
        build_plan(client, alice, goals=1, actions_each=actions_each, owner=membership(client, bob))


@pytest.mark.parametrize("clients, actions_each", [(1, 1), (10, 5)])
def test_my_actions_page(clients, actions_each, alice, bob, django_assert_num_queries):
    my_actions_across(clients, actions_each, alice, bob)
    browser = signed_in(bob)
    browser.get("/my-actions/")

    with django_assert_num_queries(4):
        # 1 session, 2 user with organisation, 3 my open actions with their goal, plan and client,
        # 4 unread notifications.
        response = browser.get("/my-actions/")
    assert response.content.decode().count('id="my-action-') == clients * actions_each


@pytest.mark.parametrize("clients, actions_each", [(1, 1), (10, 5)])
def test_my_actions_api(clients, actions_each, alice, bob, django_assert_num_queries):
    my_actions_across(clients, actions_each, alice, bob)
    api = api_as(bob)

    with django_assert_num_queries(1):
        # 1 my open actions with their goal, plan, client and owner.
        response = api.get("/api/v1/my-actions/")
    assert len(response.json()) == clients * actions_each
