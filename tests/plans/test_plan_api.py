"""The plan's API: co-edited items carry an ETag; a PATCH says (If-Match) which version it started from.

200 + the new ETag when saved; 412 with what it says now when someone changed the same field since;
428 when there is no If-Match at all."""

import pytest

from sharing import services
from sharing.models import Action, Goal, PlanAgreement
from tests.conftest import api_as
from tests.factories import ClientFactory, MemberFactory
from tests.plans.conftest import api_url, days_from_today, fresh, membership

pytestmark = pytest.mark.django_db


def etag(item) -> str:
    return f'"{type(item).__name__.lower()}-{item.pk}-v{item.version}"'


def patch(api, url, data, if_match=None):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    return api.patch(url, data, format="json", **headers)


# Reading.


def test_it_works(alice, goal, action, grace):
    services.action_add(actor=alice, goal=goal, what="Bring the rent book", owner_is_client=True)
    services.action_set_status(actor=alice, action=action, status="done")

    response = api_as(alice).get(api_url(grace))

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == fresh(goal).plan.version
    assert (body["done"], body["total"]) == (1, 2)
    [g] = body["goals"]
    assert (g["id"], g["in_own_words"], g["version"], g["etag"]) == (goal.pk, "Keep our flat", 1, etag(goal))
    assert [(a["what"], a["status"], a["owner"]) for a in g["actions"]] == [
        (
            "Call the housing officer",
            "done",
            {"member_id": membership(grace, action.owner.user).pk, "name": "Bob Same-Org"},
        ),
        ("Bring the rent book", "not_started", {"member_id": None, "name": "The client"}),
    ]
    assert g["actions"][0]["etag"] == etag(fresh(action))


def test_it_checks_ownership(charlie, goal, action, grace):
    api = api_as(charlie)
    assert api.get(api_url(grace)).status_code == 404
    assert api.get(api_url(grace, f"goals/{goal.pk}/")).status_code == 404
    assert api.get(api_url(grace, f"actions/{action.pk}/")).status_code == 404
    assert (
        patch(api, api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Mine"}, etag(goal)).status_code
        == 404
    )
    assert fresh(goal).in_own_words == "Keep our flat"


def test_a_client_with_no_plan_yet_has_an_empty_one(alice, grace):
    body = api_as(alice).get(api_url(grace)).json()
    assert body == {"version": 0, "goals": [], "done": 0, "total": 0}


def test_one_goal_comes_with_its_etag(bob, goal, grace):
    response = api_as(bob).get(api_url(grace, f"goals/{goal.pk}/"))
    assert response.status_code == 200
    assert response["ETag"] == f'"goal-{goal.pk}-v1"'
    assert response.json()["etag"] == response["ETag"]


def test_a_goal_of_another_client_is_not_found(alice, goal, grace):
    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    assert api_as(alice).get(api_url(other, f"goals/{goal.pk}/")).status_code == 404


# Adding.


def test_adding_a_goal_and_an_action(bob, carol, grace):
    api = api_as(bob)
    response = api.post(api_url(grace, "goals/"), {"in_own_words": "See my sister more"}, format="json")
    assert response.status_code == 201
    goal = Goal.objects.get(pk=response.json()["id"])
    assert response["ETag"] == etag(goal)

    response = api.post(
        api_url(grace, f"goals/{goal.pk}/actions/"),
        {"what": "Find a bus route", "owner_member_id": membership(grace, carol).pk, "due_on": "2030-02-01"},
        format="json",
    )
    assert response.status_code == 201
    action = Action.objects.get(pk=response.json()["id"])
    assert (action.owner, action.goal, str(action.due_on)) == (membership(grace, carol), goal, "2030-02-01")
    assert response.json()["owner"] == {"member_id": membership(grace, carol).pk, "name": "Carol Other-Org"}


def test_an_owner_from_another_circle_is_refused(alice, goal, grace):
    stranger = MemberFactory(client=ClientFactory())
    response = api_as(alice).post(
        api_url(grace, f"goals/{goal.pk}/actions/"),
        {"what": "Call", "owner_member_id": stranger.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "owner_member_id" in response.json()
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"in_own_words": ""}, {"in_own_words": "x" * 501}, {"in_own_words": "Fine", "review_on": "soon"}],
)
def test_a_bad_goal_is_a_400(body, alice, grace):
    response = api_as(alice).post(api_url(grace, "goals/"), body, format="json")
    assert response.status_code == 400
    assert not Goal.objects.exists()


# Changing: ETags.


def test_a_change_with_the_current_etag_is_saved(alice, goal, grace):
    response = patch(
        api_as(alice), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Keep our home"}, etag(goal)
    )

    assert response.status_code == 200
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert response.json()["in_own_words"] == "Keep our home"
    assert response.json()["version"] == 2
    assert fresh(goal).in_own_words == "Keep our home"


def test_a_weak_etag_is_understood(alice, goal, grace):
    response = patch(
        api_as(alice), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Home"}, "W/" + etag(goal)
    )
    assert response.status_code == 200


def test_a_stale_etag_on_the_same_field_is_a_412_with_what_it_says_now(alice, bob, goal, grace):
    read = api_as(bob).get(api_url(grace, f"goals/{goal.pk}/"))["ETag"]
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)

    response = patch(api_as(bob), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Stay put"}, read)

    assert response.status_code == 412
    body = response.json()
    assert body["current"]["in_own_words"] == "Keep our home"
    assert body["current"]["version"] == 2
    assert body["conflicts"]["in_own_words"]["current"] == "Keep our home"
    assert body["conflicts"]["in_own_words"]["by"] == "Alice Lead"
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'
    assert fresh(goal).in_own_words == "Keep our home"


def test_a_412_over_my_own_earlier_save_says_you(alice, goal, grace):
    read = etag(goal)
    url = api_url(grace, f"goals/{goal.pk}/")
    assert patch(api_as(alice), url, {"in_own_words": "Keep our home"}, read).status_code == 200

    response = patch(api_as(alice), url, {"in_own_words": "Stay put"}, read)  # from another tab

    assert response.status_code == 412
    assert response.json()["conflicts"]["in_own_words"]["by"] == "You"


def test_after_a_412_the_etag_it_gave_works(alice, bob, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    refused = patch(
        api_as(bob), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Stay put"}, etag(goal)
    )
    again = patch(
        api_as(bob), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Stay put"}, refused["ETag"]
    )
    assert again.status_code == 200
    assert fresh(goal).in_own_words == "Stay put"


def test_a_stale_etag_on_a_different_field_is_saved(alice, bob, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)

    response = patch(
        api_as(bob), api_url(grace, f"goals/{goal.pk}/"), {"success_looks_like": "No arrears"}, etag(goal)
    )

    assert response.status_code == 200
    assert response["ETag"] == f'"goal-{goal.pk}-v3"'
    goal = fresh(goal)
    assert (goal.in_own_words, goal.success_looks_like) == ("Keep our home", "No arrears")


def test_a_stale_etag_writing_the_value_already_there_is_not_a_conflict(alice, bob, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    response = patch(
        api_as(bob), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Keep our home"}, etag(goal)
    )
    assert response.status_code == 200
    assert response["ETag"] == f'"goal-{goal.pk}-v2"'  # nothing new was saved


def test_without_if_match_it_is_a_428(alice, goal, grace):
    response = patch(api_as(alice), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Keep our home"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert fresh(goal).version == 1


@pytest.mark.parametrize(
    "tag",
    [
        "nonsense",
        "*",
        "goal-{goal}-v1",  # unquoted
        '"goal-{goal}-v"',
        '"goal-{other}-v1"',  # another goal's
        '"action-{goal}-v1"',  # an action's tag with the same number
        '"goal-{goal}-v0"',
        '"goal-{goal}-v99"',  # a version that never existed
    ],
)
def test_a_malformed_or_foreign_etag_is_a_412(tag, alice, goal, grace):
    other = services.goal_add(actor=alice, client=grace, in_own_words="Other")
    tag = tag.format(goal=goal.pk, other=other.pk)
    response = patch(
        api_as(alice), api_url(grace, f"goals/{goal.pk}/"), {"in_own_words": "Keep our home"}, tag
    )
    assert response.status_code == 412
    assert response.json()["current"]["id"] == goal.pk
    assert fresh(goal).in_own_words == "Keep our flat"


def test_an_action_change_follows_the_same_rules(alice, bob, action, grace):
    url = api_url(grace, f"actions/{action.pk}/")
    first = patch(api_as(alice), url, {"what": "Ring them"}, etag(action))
    assert first.status_code == 200
    assert first["ETag"] == f'"action-{action.pk}-v2"'
    # Bob, still on version 1: the same field clashes, another field does not.
    assert patch(api_as(bob), url, {"what": "Email them"}, etag(action)).status_code == 412
    assert patch(api_as(bob), url, {"due_on": "2030-02-01"}, etag(action)).status_code == 200
    assert patch(api_as(bob), url, {"owner_is_client": True}, etag(action)).status_code == 200
    action = fresh(action)
    assert (action.what, str(action.due_on), action.owner_is_client) == ("Ring them", "2030-02-01", True)


def test_dropping_through_the_api_needs_a_reason(alice, action, grace):
    url = api_url(grace, f"actions/{action.pk}/")
    response = patch(api_as(alice), url, {"status": "dropped"}, etag(action))
    assert response.status_code == 400
    assert "dropped_reason" in response.json()
    response = patch(api_as(alice), url, {"status": "dropped", "dropped_reason": "Not needed"}, etag(action))
    assert response.status_code == 200
    assert fresh(action).status == "dropped"


@pytest.mark.parametrize("body", [{}, {"in_own_words": ""}, {"review_on": "31/12/2030"}, {"version": 7}])
def test_a_bad_change_is_a_400_not_a_500(body, alice, goal, grace):
    response = patch(api_as(alice), api_url(grace, f"goals/{goal.pk}/"), body, etag(goal))
    assert response.status_code == 400
    assert fresh(goal).version == 1


# Taking off.


def test_delete_takes_a_goal_off(alice, goal, action, grace):
    api = api_as(alice)
    assert api.delete(api_url(grace, f"goals/{goal.pk}/")).status_code == 204
    assert fresh(goal).removed_at is not None
    assert api.get(api_url(grace, f"goals/{goal.pk}/")).status_code == 404
    assert api.get(api_url(grace, f"actions/{action.pk}/")).status_code == 404
    assert api.get(api_url(grace)).json()["goals"] == []
    assert api.delete(api_url(grace, f"goals/{goal.pk}/")).status_code == 404


def test_delete_takes_an_action_off(bob, action, grace):
    assert api_as(bob).delete(api_url(grace, f"actions/{action.pk}/")).status_code == 204
    assert fresh(action).removed_at is not None
    assert api_as(bob).get(api_url(grace)).json()["goals"][0]["actions"] == []


def test_delete_checks_ownership(charlie, goal, action, grace):
    assert api_as(charlie).delete(api_url(grace, f"actions/{action.pk}/")).status_code == 404
    assert api_as(charlie).delete(api_url(grace, f"goals/{goal.pk}/")).status_code == 404
    assert fresh(goal).removed_at is None and fresh(action).removed_at is None


# History.


def test_the_history_endpoint(alice, bob, goal, grace):
    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)

    response = api_as(alice).get(api_url(grace, f"goals/{goal.pk}/history/"))

    assert response.status_code == 200
    rows = response.json()
    assert [(r["field"], r["version"], r["actor"]) for r in rows] == [
        ("created", 1, "Alice Lead"),
        ("in_own_words", 2, "Bob Same-Org"),
    ]
    assert (rows[1]["old_value"], rows[1]["new_value"]) == ("Keep our flat", "Keep our home")


def test_the_history_of_an_action(alice, action, grace):
    services.action_set_status(actor=alice, action=action, status="in_progress")
    rows = api_as(alice).get(api_url(grace, f"actions/{action.pk}/history/")).json()
    assert [(r["field"], r["old_value"], r["new_value"]) for r in rows][1:] == [
        ("status", "not_started", "in_progress")
    ]


def test_the_history_endpoint_checks_its_input_and_ownership(alice, charlie, goal, grace):
    assert api_as(alice).get(api_url(grace, f"widgets/{goal.pk}/history/")).status_code == 404
    assert api_as(alice).get(api_url(grace, "goals/999999/history/")).status_code == 404
    assert api_as(charlie).get(api_url(grace, f"goals/{goal.pk}/history/")).status_code == 404


# Agreed versions.


def test_the_lead_marks_the_plan_agreed(alice, bob, carol, goal, action, grace):
    ids = [membership(grace, alice).pk, membership(grace, carol).pk]
    response = api_as(alice).post(
        api_url(grace, "agreements/"), {"participant_member_ids": ids, "note": "At the review"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["participants"] == ["Alice Lead", "Carol Other-Org"]
    assert body["agreed_by"] == "Alice Lead"
    assert body["note"] == "At the review"
    assert [g["in_own_words"] for g in body["snapshot"]["goals"]] == ["Keep our flat"]


@pytest.mark.parametrize("who, status", [("bob", 403), ("carol", 403), ("charlie", 404)])
def test_only_the_lead_marks_it_agreed(who, status, request, alice, goal, grace):
    user = request.getfixturevalue(who)
    response = api_as(user).post(
        api_url(grace, "agreements/"),
        {"participant_member_ids": [membership(grace, alice).pk]},
        format="json",
    )
    assert response.status_code == status
    assert not PlanAgreement.objects.exists()


@pytest.mark.parametrize("ids", [[], "nobody", ["x"], "other-circle"])
def test_participants_must_be_in_the_circle(ids, alice, goal, grace):
    if ids == "other-circle":
        ids = [MemberFactory(client=ClientFactory()).pk]
    response = api_as(alice).post(
        api_url(grace, "agreements/"), {"participant_member_ids": ids}, format="json"
    )
    assert response.status_code == 400
    assert not PlanAgreement.objects.exists()


def test_an_agreed_version_shows_what_changed_since(alice, bob, goal, action, grace):
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, bob)])
    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.action_set_status(actor=bob, action=action, status="done")
    services.goal_add(actor=bob, client=grace, in_own_words="See my sister")

    listed = api_as(bob).get(api_url(grace, "agreements/"))
    assert [a["id"] for a in listed.json()] == [agreement.pk]
    response = api_as(bob).get(api_url(grace, f"agreements/{agreement.pk}/"))

    assert response.status_code == 200
    differences = response.json()["differences"]
    assert {"kind": "goal_added", "goal": "See my sister"} in differences
    assert {
        "kind": "goal_changed",
        "goal": "Keep our home",
        "field": "Goal",
        "old": "Keep our flat",
        "new": "Keep our home",
    } in differences
    assert {
        "kind": "action_changed",
        "goal": "Keep our home",
        "action": "Call the housing officer",
        "field": "Status",
        "old": "not_started",
        "new": "done",
    } in differences
    assert len(differences) == 3


def test_agreed_versions_check_ownership(alice, charlie, goal, grace):
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, alice)])
    assert api_as(charlie).get(api_url(grace, "agreements/")).status_code == 404
    assert api_as(charlie).get(api_url(grace, f"agreements/{agreement.pk}/")).status_code == 404
    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    assert api_as(alice).get(api_url(other, f"agreements/{agreement.pk}/")).status_code == 404


# My actions.


def test_my_actions_lists_my_open_actions_overdue_first(alice, bob, goal, grace):
    mine = membership(grace, bob)
    later = services.action_add(actor=alice, goal=goal, what="Later", owner=mine, due_on=days_from_today(5))
    undated = services.action_add(actor=alice, goal=goal, what="Some day", owner=mine)
    late = services.action_add(actor=alice, goal=goal, what="Late", owner=mine, due_on=days_from_today(-3))
    done = services.action_add(actor=alice, goal=goal, what="Done", owner=mine, due_on=days_from_today(-9))
    services.action_set_status(actor=bob, action=done, status="done")
    services.action_add(actor=alice, goal=goal, what="Alice's", owner=membership(grace, alice))

    response = api_as(bob).get("/api/v1/my-actions/")

    assert response.status_code == 200
    rows = response.json()
    assert [r["what"] for r in rows] == ["Late", "Later", "Some day"]
    assert [r["overdue"] for r in rows] == [True, False, False]
    assert rows[0]["goal"] == "Keep our flat"
    assert rows[0]["client"] == grace.public_id
    assert rows[0]["id"] == late.pk
    assert {later.pk, undated.pk} == {r["id"] for r in rows[1:]}


def test_my_actions_is_empty_for_someone_with_none(charlie, action):
    response = api_as(charlie).get("/api/v1/my-actions/")
    assert (response.status_code, response.json()) == (200, [])
