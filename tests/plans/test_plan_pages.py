"""The plan's pages: the plan with its progress, adding and changing goals and actions (whole pages and
htmx fragments), clashes shown and resolved, status buttons, taking off and moving, history, agreeing and
comparing, and My actions. Bad input gets a clear message and writes nothing; never a 500."""

import re

import pytest
from django.utils import timezone

from sharing import services
from sharing.models import Action, Goal, PlanAgreement
from tests.conftest import signed_in
from tests.plans.conftest import (
    changes_of,
    days_from_today,
    element_text,
    events_of,
    form_data,
    fresh,
    inputs,
    membership,
    page_text,
    plan_url,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(client, item) -> str:
    kind = "goals" if isinstance(item, Goal) else "actions"
    return plan_url(client) + f"{kind}/{item.pk}/edit/"


# The plan page.


def test_it_works(alice, goal, action, grace):
    services.action_add(actor=alice, goal=goal, what="Bring the rent book", owner_is_client=True)
    services.action_add(actor=alice, goal=goal, what="Open a bank account")
    services.action_set_status(actor=alice, action=action, status="done")

    response = signed_in(alice).get(plan_url(grace))

    assert response.status_code == 200
    assert element_text(response.content, "plan-progress") == "1 of 3 things done."
    card = element_text(response.content, f"goal-{goal.pk}")
    assert "“Keep our flat”" in card
    assert "Rent paid on time for six months" in card
    actions = element_text(response.content, f"goal-{goal.pk}-actions")
    assert "Call the housing officer Done" in actions
    assert "Bob Same-Org" in actions
    assert "Bring the rent book Not started" in actions
    assert "Grace" in element_text(
        response.content, f"action-{Action.objects.get(what='Bring the rent book').pk}"
    )


def test_it_checks_ownership(charlie, goal, grace):
    assert signed_in(charlie).get(plan_url(grace)).status_code == 404


def test_a_plan_with_nothing_in_it_says_so(alice, grace):
    response = signed_in(alice).get(plan_url(grace))
    assert response.status_code == 200
    assert "No goals yet" in element_text(response.content, "no-goals")
    assert element_text(response.content, "plan-progress") == ""


def test_progress_counts_actions_that_are_still_on_the_plan(alice, goal, action, grace):
    other = services.action_add(actor=alice, goal=goal, what="Taken off later")
    services.action_set_status(actor=alice, action=other, status="done")
    services.action_remove(actor=alice, action=other)
    response = signed_in(alice).get(plan_url(grace))
    assert element_text(response.content, "plan-progress") == "0 of 1 things done."


def test_the_page_is_found_by_an_id_typed_loosely(alice, goal, grace):
    loose = grace.public_id.lower().replace("-", "")
    response = signed_in(alice).get(f"/clients/{loose}/plan/")
    assert response.status_code == 302
    assert response["Location"] == plan_url(grace)


def test_what_people_type_is_shown_as_typed_never_run(alice, grace):
    goal = services.goal_add(actor=alice, client=grace, in_own_words='<script>alert("x")</script> & "quotes"')
    services.action_add(actor=alice, goal=goal, what="<img src=x onerror=alert(1)>")
    html = signed_in(alice).get(plan_url(grace)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in html


def test_removed_goals_are_not_shown(alice, goal, grace):
    services.goal_remove(actor=alice, goal=goal)
    response = signed_in(alice).get(plan_url(grace))
    assert element_text(response.content, f"goal-{goal.pk}") is None


# Adding a goal.


def test_adding_a_goal_on_its_own_page(bob, grace):
    browser = signed_in(bob)
    assert browser.get(plan_url(grace) + "goals/new/").status_code == 200

    response = browser.post(
        plan_url(grace) + "goals/new/",
        {"in_own_words": "See my sister more", "review_on": "2030-03-01", "shared_with_client": "on"},
    )

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan_url(grace) + f"#goal-{goal.pk}"
    assert (goal.in_own_words, str(goal.review_on), goal.shared_with_client, goal.created_by) == (
        "See my sister more",
        "2030-03-01",
        True,
        bob,
    )


def test_adding_a_goal_with_htmx(bob, grace):
    response = signed_in(bob).post(
        plan_url(grace) + "goals/new/", {"in_own_words": "See my sister more"}, **HTMX
    )

    goal = Goal.objects.get()
    assert response.status_code == 200
    assert "“See my sister more”" in element_text(response.content, f"goal-{goal.pk}")
    assert "Goal added." in element_text(response.content, "add-goal-body")
    # The form comes back empty, ready for the next goal.
    form = form_data(response.content, marker="hx-post")
    assert form["in_own_words"] == ""
    assert goal.shared_with_client is False  # an unticked box is "no"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"in_own_words": ""}, "Write the goal, in the client's own words."),
        ({"in_own_words": "   "}, "Write the goal, in the client's own words."),
        ({"in_own_words": "x" * 501}, "500 characters"),
        ({"in_own_words": "Fine", "review_on": "31/02/2030"}, "Enter a real date."),
        ({"in_own_words": "Fine", "review_on": "9999-12-31"}, "Enter a date within 20 years of today"),
    ],
)
def test_a_bad_goal_gets_a_clear_message_and_nothing_is_written(data, message, alice, grace):
    browser = signed_in(alice)
    page = browser.post(plan_url(grace) + "goals/new/", data)
    assert page.status_code == 200
    assert message in page_text(page)

    fragment = browser.post(plan_url(grace) + "goals/new/", data, **HTMX)
    assert fragment.status_code == 200
    assert fragment["HX-Retarget"] == "#add-goal-body"
    assert message in page_text(fragment)
    assert not Goal.objects.exists()


# Adding an action.


def test_adding_an_action_on_its_own_page(alice, bob, goal, grace):
    browser = signed_in(alice)
    form = browser.get(plan_url(grace) + f"goals/{goal.pk}/actions/new/")
    assert form.status_code == 200
    # Anyone in the circle now, or the client, can be chosen.
    owners = form.content.decode()
    assert "Grace (the client)" in owners and "Bob Same-Org" in owners and "Carol Other-Org" in owners

    response = browser.post(
        plan_url(grace) + f"goals/{goal.pk}/actions/new/",
        {"what": "Call the landlord", "owner": str(membership(grace, bob).pk), "due_on": "2030-02-01"},
    )

    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan_url(grace) + f"#goal-{goal.pk}"
    assert (action.what, action.owner, str(action.due_on), action.goal) == (
        "Call the landlord",
        membership(grace, bob),
        "2030-02-01",
        goal,
    )


def test_adding_an_action_with_htmx_returns_the_goal(alice, goal, grace):
    response = signed_in(alice).post(
        plan_url(grace) + f"goals/{goal.pk}/actions/new/",
        {"what": "Bring the rent book", "owner": "client"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Bring the rent book" in element_text(response.content, f"goal-{goal.pk}-actions")
    assert Action.objects.get().owner_is_client


@pytest.mark.parametrize(
    "data, message",
    [
        ({"what": ""}, "Say what needs to happen."),
        ({"what": "Call", "owner": "99999"}, "Select a valid choice"),
        ({"what": "Call", "due_on": "soon"}, "Enter a real date."),
        ({"what": "Call", "due_on": "0001-01-01"}, "Enter a date within 20 years of today"),
    ],
)
def test_a_bad_action_gets_a_clear_message_and_nothing_is_written(data, message, alice, goal, grace):
    browser = signed_in(alice)
    url = plan_url(grace) + f"goals/{goal.pk}/actions/new/"
    page = browser.post(url, data)
    assert page.status_code == 200
    assert message in page_text(page)
    fragment = browser.post(url, data, **HTMX)
    assert fragment.status_code == 200
    assert fragment["HX-Retarget"] == f"#goal-{goal.pk}-new-action"
    assert not Action.objects.exists()


def test_someone_who_left_the_circle_cannot_be_chosen(alice, bob, goal, grace):
    from circles import services as circle_services

    bobs_place = membership(grace, bob)
    circle_services.circle_member_remove(actor=alice, client=grace, member=bobs_place)
    response = signed_in(alice).post(
        plan_url(grace) + f"goals/{goal.pk}/actions/new/", {"what": "Call", "owner": str(bobs_place.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Action.objects.exists()


# Editing: only what changed is sent, with the version the form was opened at.


def test_the_edit_form_carries_its_version_and_the_original_values(alice, goal, grace):
    services.goal_update(actor=alice, goal=goal, changes={"review_on": "2030-05-01"}, base_version=1)
    form = form_data(signed_in(alice).get(edit_url(grace, goal)).content)
    assert form["base_version"] == "2"
    assert form["original_in_own_words"] == "Keep our flat"
    assert form["original_review_on"] == "2030-05-01"
    assert form["original_shared_with_client"] == "True"


def test_editing_a_goal_saves_only_what_changed(alice, bob, goal, grace):
    browser = signed_in(bob)
    form = form_data(browser.get(edit_url(grace, goal)).content)
    # Meanwhile Alice changes what success looks like.
    services.goal_update(actor=alice, goal=goal, changes={"success_looks_like": "No arrears"}, base_version=1)
    form[f"goal{goal.pk}-in_own_words"] = "Keep our home"

    response = browser.post(edit_url(grace, goal), form)

    assert response.status_code == 302
    assert response["Location"] == plan_url(grace) + f"#goal-{goal.pk}"
    goal = fresh(goal)
    # Bob's unchanged (old) copy of "success looks like" did not overwrite Alice's.
    assert (goal.in_own_words, goal.success_looks_like, goal.version) == ("Keep our home", "No arrears", 3)


def test_saving_an_unchanged_form_writes_nothing(alice, goal, grace):
    browser = signed_in(alice)
    form = form_data(browser.get(edit_url(grace, goal)).content)
    assert browser.post(edit_url(grace, goal), form).status_code == 302
    assert fresh(goal).version == 1


def test_editing_with_htmx_returns_the_goal(alice, goal, grace):
    browser = signed_in(alice)
    fragment = browser.get(edit_url(grace, goal), **HTMX)
    assert fragment["HX-Retarget"] == f"#goal-{goal.pk}-body"
    form = form_data(fragment.content)
    form[f"goal{goal.pk}-in_own_words"] = "Keep our home"
    response = browser.post(edit_url(grace, goal), form, **HTMX)
    assert response.status_code == 200
    assert "“Keep our home”" in element_text(response.content, f"goal-{goal.pk}")


def test_editing_an_action(alice, carol, action, grace):
    browser = signed_in(alice)
    form = form_data(browser.get(edit_url(grace, action)).content)
    form[f"action{action.pk}-owner"] = str(membership(grace, carol).pk)
    form[f"action{action.pk}-due_on"] = "2030-04-01"
    response = browser.post(edit_url(grace, action), form)
    assert response.status_code == 302
    action = fresh(action)
    assert (action.owner, str(action.due_on), action.what) == (
        membership(grace, carol),
        "2030-04-01",
        "Call the housing officer",
    )


@pytest.fixture
def clash(alice, bob, goal, grace):
    """Bob opened the goal's form; Alice then saved a new wording; Bob types his own and saves."""
    browser = signed_in(bob)
    form = form_data(browser.get(edit_url(grace, goal)).content)
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    form[f"goal{goal.pk}-in_own_words"] = "Stay in the flat"
    return browser, browser.post(edit_url(grace, goal), form)


def test_a_clash_with_my_own_earlier_save_says_you(alice, goal, grace):
    """Alice had the goal open in two tabs: she saved in one, then saves in the other."""
    browser = signed_in(alice)
    form = form_data(browser.get(edit_url(grace, goal)).content)
    services.goal_update(actor=alice, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    form[f"goal{goal.pk}-in_own_words"] = "Stay in the flat"

    response = browser.post(edit_url(grace, goal), form)

    conflict = element_text(response.content, f"goal{goal.pk}-conflict-in_own_words")
    saved_at = timezone.localtime(changes_of(goal)[-1].at)
    assert f"You saved this at {saved_at:%H:%M} on {saved_at.day} {saved_at:%B}." in conflict
    assert "Alice Lead" not in conflict


def test_a_clash_shows_both_values_and_who(clash, goal):
    _, response = clash
    assert response.status_code == 200
    conflict = element_text(response.content, f"goal{goal.pk}-conflict-in_own_words")
    saved_at = timezone.localtime(changes_of(goal)[-1].at)
    assert "Keep theirs: “Keep our home”" in conflict
    assert f"Alice Lead saved this at {saved_at:%H:%M} on {saved_at.day} {saved_at:%B}." in conflict
    assert "Keep mine: “Stay in the flat”" in conflict
    theirs = next(
        i for i in inputs(response.content) if i.get("id") == f"goal{goal.pk}-resolve-in_own_words-theirs"
    )
    assert (
        theirs["aria-describedby"] == f"goal{goal.pk}-resolve-in_own_words-theirs-hint"
    )  # who and when, read out with it
    assert "Merge them" in conflict
    radios = {i["value"] for i in inputs(response.content) if i.get("name") == "resolve_in_own_words"}
    assert radios == {"theirs", "mine", "merge"}
    merge = [i for i in inputs(response.content) if i.get("name") == "merge_in_own_words"]
    assert merge and "Keep our home" in merge[0]["value"] and "Stay in the flat" in merge[0]["value"]
    # Nothing of Bob's was saved yet; the form now starts from Alice's version.
    assert fresh(goal).in_own_words == "Keep our home"
    form = form_data(response.content)
    assert form["base_version"] == "2"
    assert form["original_in_own_words"] == "Keep our home"
    assert form[f"goal{goal.pk}-in_own_words"] == "Stay in the flat"


@pytest.mark.parametrize(
    "choice, merged, result",
    [
        ("mine", None, "Stay in the flat"),
        ("theirs", None, "Keep our home"),
        ("merge", "Keep our home, or stay in the flat", "Keep our home, or stay in the flat"),
    ],
)
def test_a_clash_is_resolved_by_choosing(choice, merged, result, clash, goal, grace):
    browser, response = clash
    form = form_data(response.content)
    form["resolve_in_own_words"] = choice
    if merged is not None:
        form["merge_in_own_words"] = merged

    again = browser.post(edit_url(grace, goal), form)

    assert again.status_code == 302
    assert fresh(goal).in_own_words == result
    assert fresh(goal).version == (2 if choice == "theirs" else 3)


def test_a_clash_in_an_htmx_form_stays_in_place(alice, bob, action, grace):
    browser = signed_in(bob)
    form = form_data(browser.get(edit_url(grace, action), **HTMX).content)
    services.action_update(actor=alice, action=action, changes={"due_on": "2030-05-01"}, base_version=1)
    form[f"action{action.pk}-due_on"] = "2030-06-01"

    response = browser.post(edit_url(grace, action), form, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#action-{action.pk}"
    conflict = element_text(response.content, f"action{action.pk}-conflict-due_on")
    assert "“2030-05-01”" in conflict and "“2030-06-01”" in conflict
    assert str(fresh(action).due_on) == "2030-05-01"


def test_an_owner_clash_names_people_not_numbers(alice, bob, carol, action, grace):
    browser = signed_in(bob)
    form = form_data(browser.get(edit_url(grace, action)).content)
    services.action_update(actor=alice, action=action, changes={"owner": "client"}, base_version=1)
    form[f"action{action.pk}-owner"] = str(membership(grace, carol).pk)

    response = browser.post(edit_url(grace, action), form)

    conflict = element_text(response.content, f"action{action.pk}-conflict-owner")
    assert "Keep theirs: “Grace (the client)”" in conflict and "Alice Lead saved this at" in conflict
    assert "Keep mine: “Carol Other-Org”" in conflict


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("in_own_words", "", "Write the goal, in the client's own words."),
        ("review_on", "2030-13-01", "Enter a real date."),
        ("base_version", "99", "That version of the item does not exist."),
    ],
)
def test_a_bad_edit_gets_a_clear_message_and_nothing_is_written(field, value, message, alice, goal, grace):
    browser = signed_in(alice)
    form = form_data(browser.get(edit_url(grace, goal)).content)
    form[f"goal{goal.pk}-in_own_words"] = "Keep our home"
    form[field if field == "base_version" else f"goal{goal.pk}-{field}"] = value

    response = browser.post(edit_url(grace, goal), form)

    assert response.status_code == 200
    assert message in page_text(response)
    assert fresh(goal).in_own_words == "Keep our flat"


# Status buttons.


def test_the_status_buttons(alice, bob, action, grace):
    page = signed_in(bob).get(plan_url(grace))
    card = element_text(page.content, f"action-{action.pk}")
    assert "Start" in card and "Done" in card and "Drop" in card

    response = signed_in(bob).post(
        plan_url(grace) + f"actions/{action.pk}/status/", {"status": "in_progress"}
    )
    assert response.status_code == 302
    assert response["Location"] == plan_url(grace) + f"#action-{action.pk}"
    assert fresh(action).status == "in_progress"

    fragment = signed_in(bob).post(
        plan_url(grace) + f"actions/{action.pk}/status/", {"status": "done"}, **HTMX
    )
    assert fragment.status_code == 200
    assert "Call the housing officer Done" in element_text(fragment.content, f"goal-{action.goal_id}")
    assert fresh(action).status == "done"


def test_dropping_from_the_page_needs_a_reason(bob, action, grace):
    url = plan_url(grace) + f"actions/{action.pk}/status/"
    response = signed_in(bob).post(url, {"status": "dropped", "dropped_reason": ""}, follow=True)
    assert response.status_code == 200
    assert "Say why the action is dropped." in response.content.decode()
    fragment = signed_in(bob).post(url, {"status": "dropped"}, **HTMX)
    assert fragment.status_code == 200
    assert fragment["HX-Trigger"] == "plan-error"
    assert fresh(action).status == "not_started"

    signed_in(bob).post(url, {"status": "dropped", "dropped_reason": "Moved away"})
    assert (fresh(action).status, fresh(action).dropped_reason) == ("dropped", "Moved away")


@pytest.mark.parametrize("status", ["", "finished", "DONE"])
def test_a_bad_status_is_a_message_not_a_500(status, bob, action, grace):
    response = signed_in(bob).post(
        plan_url(grace) + f"actions/{action.pk}/status/", {"status": status}, follow=True
    )
    assert response.status_code == 200
    assert "Choose not started, in progress, done or dropped." in page_text(response)
    assert fresh(action).status == "not_started"


def test_after_a_status_click_it_goes_back_only_to_my_actions(bob, action, grace):
    url = plan_url(grace) + f"actions/{action.pk}/status/"
    back = signed_in(bob).post(url, {"status": "in_progress", "next": "/my-actions/"})
    assert back["Location"] == "/my-actions/"
    elsewhere = signed_in(bob).post(url, {"status": "done", "next": "https://evil.example/"})
    assert elsewhere["Location"] == plan_url(grace) + f"#action-{action.pk}"


# Taking off and moving.


def test_taking_a_goal_off(alice, goal, grace):
    browser = signed_in(alice)
    confirm = browser.get(plan_url(grace) + f"goals/{goal.pk}/remove/")
    assert confirm.status_code == 200
    assert "Take “Keep our flat” off the plan?" in confirm.content.decode()
    assert fresh(goal).removed_at is None  # asking is not doing

    response = browser.post(plan_url(grace) + f"goals/{goal.pk}/remove/")
    assert response.status_code == 302
    assert fresh(goal).removed_at is not None
    assert browser.post(plan_url(grace) + f"goals/{goal.pk}/remove/").status_code == 404


def test_taking_an_action_off(alice, action, grace):
    response = signed_in(alice).post(plan_url(grace) + f"actions/{action.pk}/remove/")
    assert response.status_code == 302
    assert fresh(action).removed_at is not None


def test_moving_goals_and_actions(alice, goal, action, grace):
    second = services.goal_add(actor=alice, client=grace, in_own_words="Second")
    other_action = services.action_add(actor=alice, goal=goal, what="Second action")
    browser = signed_in(alice)

    response = browser.post(plan_url(grace) + f"goals/{second.pk}/move/up/")
    assert response.status_code == 302
    assert list(Goal.objects.filter(plan__client=grace).order_by("position")) == [second, goal]
    browser.post(plan_url(grace) + f"actions/{action.pk}/move/down/")
    assert list(Action.objects.filter(goal=goal).order_by("position")) == [other_action, action]
    page = browser.get(plan_url(grace)).content.decode()
    assert page.index(f'id="goal-{second.pk}"') < page.index(f'id="goal-{goal.pk}"')
    assert page.index(f'id="action-{other_action.pk}"') < page.index(f'id="action-{action.pk}"')


@pytest.mark.parametrize(
    "path", ["goals/{goal}/move/sideways/", "widgets/{goal}/move/up/", "goals/{goal}/move/up/"]
)
def test_moving_wrongly_changes_nothing_and_is_never_a_500(path, alice, goal, grace):
    browser = signed_in(alice)
    response = browser.post(plan_url(grace) + path.format(goal=goal.pk))
    assert response.status_code in (302, 404)
    assert fresh(goal).position == 1
    # Moving is a POST: a link followed by a crawler changes nothing.
    assert browser.get(plan_url(grace) + f"goals/{goal.pk}/move/up/").status_code == 405


# History.


def test_the_history_page(alice, bob, goal, grace):
    services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    response = signed_in(alice).get(plan_url(grace) + f"goals/{goal.pk}/history/")
    assert response.status_code == 200
    history = element_text(response.content, "history")
    # Oldest first: Alice wrote it, then Bob changed the wording (from, to).
    assert history.index("Alice Lead") < history.index("Bob Same-Org")
    assert "Keep our flat Keep our home" in history[history.index("Bob Same-Org") :]


def test_the_history_page_of_an_action(alice, bob, action, grace):
    services.action_set_status(actor=bob, action=action, status="done")
    response = signed_in(alice).get(plan_url(grace) + f"actions/{action.pk}/history/")
    assert response.status_code == 200
    history = element_text(response.content, "history")
    assert "Done" in history[history.index("Bob Same-Org") :]


def test_the_history_page_names_people_not_ids(alice, bob, carol, action, grace):
    services.action_update(
        actor=alice, action=action, changes={"owner": membership(grace, carol)}, base_version=1
    )
    history = element_text(
        signed_in(alice).get(plan_url(grace) + f"actions/{action.pk}/history/").content, "history"
    )
    owner_row = history[history.rindex("Alice Lead") :]
    assert "Bob Same-Org" in owner_row and "Carol Other-Org" in owner_row
    assert "{'" not in history


@pytest.mark.parametrize("path", ["widgets/{id}/history/", "goals/999999/history/"])
def test_the_history_of_nothing_is_a_404(path, alice, goal, grace):
    assert signed_in(alice).get(plan_url(grace) + path.format(id=goal.pk)).status_code == 404


# Agreeing, and comparing with an agreed version.


def test_the_lead_marks_the_plan_agreed_and_compares_it_later(alice, bob, carol, goal, action, grace):
    browser = signed_in(alice)
    form = browser.get(plan_url(grace) + "agree/")
    assert form.status_code == 200
    response = browser.post(
        plan_url(grace) + "agree/",
        {
            "participants": [str(membership(grace, alice).pk), str(membership(grace, bob).pk)],
            "note": "Review",
        },
    )
    assert response.status_code == 302
    agreement = PlanAgreement.objects.get()
    assert agreement.participants == ["Alice Lead", "Bob Same-Org"]
    assert len(events_of(grace, "plan.agree")) == 1

    services.goal_update(actor=carol, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    services.action_remove(actor=carol, action=action)

    plan = browser.get(plan_url(grace))
    assert "Alice Lead, Bob Same-Org (Review)" in element_text(plan.content, "agreements")
    compare = signed_in(carol).get(plan_url(grace) + f"agreed/{agreement.pk}/")
    assert compare.status_code == 200
    differences = element_text(compare.content, "differences")
    assert "“Keep our home”: goal changed from “Keep our flat” to “Keep our home”" in differences
    assert "Action taken off under “Keep our home”: Call the housing officer" in differences


def test_only_the_lead_marks_it_agreed(bob, goal, grace):
    assert signed_in(bob).get(plan_url(grace) + "agree/").status_code == 403
    assert signed_in(bob).post(plan_url(grace) + "agree/", {"participants": []}).status_code == 403
    assert "Mark the plan agreed" not in signed_in(bob).get(plan_url(grace)).content.decode()


@pytest.mark.parametrize(
    "participants, message",
    [
        ([], "Choose who took part in agreeing the plan."),
        (["99999"], "Select a valid choice"),
        (["abc"], "Select a valid choice"),
    ],
)
def test_agreeing_without_real_participants_is_a_message(participants, message, alice, goal, grace):
    response = signed_in(alice).post(plan_url(grace) + "agree/", {"participants": participants})
    assert response.status_code == 200
    assert message in page_text(response)
    assert not PlanAgreement.objects.exists()


def test_comparing_with_another_clients_agreement_is_a_404(alice, goal, grace):
    from tests.factories import ClientFactory, MemberFactory

    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    theirs = services.plan_agree(actor=alice, client=other, participants=[membership(other, alice)])
    assert signed_in(alice).get(plan_url(grace) + f"agreed/{theirs.pk}/").status_code == 404
    assert signed_in(alice).get(plan_url(grace) + "agreed/999999/").status_code == 404


def test_comparing_with_an_unchanged_plan(alice, goal, grace):
    agreement = services.plan_agree(actor=alice, client=grace, participants=[membership(grace, alice)])
    response = signed_in(alice).get(plan_url(grace) + f"agreed/{agreement.pk}/")
    assert element_text(response.content, "differences") == "Nothing has changed since then."


# My actions.


def test_my_actions_page_overdue_first(alice, bob, goal, grace):
    mine = membership(grace, bob)
    soon = services.action_add(actor=alice, goal=goal, what="Soon", owner=mine, due_on=days_from_today(2))
    undated = services.action_add(actor=alice, goal=goal, what="Some day", owner=mine)
    late = services.action_add(actor=alice, goal=goal, what="Late", owner=mine, due_on=days_from_today(-2))
    later_late = services.action_add(
        actor=alice, goal=goal, what="Very late", owner=mine, due_on=days_from_today(-9)
    )
    finished = services.action_add(actor=alice, goal=goal, what="Finished", owner=mine)
    services.action_set_status(actor=bob, action=finished, status="done")

    response = signed_in(bob).get("/my-actions/")

    assert response.status_code == 200
    html = response.content.decode()
    order = [later_late, late, soon, undated]
    positions = [html.index(f'id="my-action-{a.pk}"') for a in order]
    assert positions == sorted(positions)
    assert f'id="my-action-{finished.pk}"' not in html
    assert "Overdue" in element_text(html, f"my-action-{late.pk}")
    assert "Overdue" not in element_text(html, f"my-action-{soon.pk}")
    assert grace.full_name in element_text(html, f"my-action-{soon.pk}")


def test_done_from_my_actions(alice, bob, goal, grace):
    mine = services.action_add(actor=alice, goal=goal, what="Soon", owner=membership(grace, bob))
    browser = signed_in(bob)
    status_url = plan_url(grace) + f"actions/{mine.pk}/status/"
    form = form_data(browser.get("/my-actions/").content, action=status_url)
    assert form["next"] == "/my-actions/"
    assert form["status"] == "done"  # the first button
    response = browser.post(status_url, form)
    assert response["Location"] == "/my-actions/"
    assert fresh(mine).status == "done"
    assert f"my-action-{mine.pk}" not in browser.get("/my-actions/").content.decode()


def test_my_actions_with_none(charlie):
    response = signed_in(charlie).get("/my-actions/")
    assert response.status_code == 200
    assert "You have no open actions." in response.content.decode()


@pytest.mark.parametrize("kind", ["goal", "action"])
@pytest.mark.parametrize("trouble", ["clash", "error"])
def test_an_htmx_edit_form_that_comes_back_can_come_back_again(
    kind, trouble, alice, bob, goal, action, grace
):
    item = goal if kind == "goal" else action
    field = "in_own_words" if kind == "goal" else "what"
    browser = signed_in(bob)
    opened = browser.get(edit_url(grace, item), **HTMX)
    form = form_data(opened.content)
    if trouble == "clash":
        change = services.goal_update if kind == "goal" else services.action_update
        change(actor=alice, **{kind: item}, changes={field: "Alice's words"}, base_version=1)
        form[f"{kind}{item.pk}-{field}"] = "Bob's words"
    else:
        form[f"{kind}{item.pk}-{field}"] = ""

    response = browser.post(edit_url(grace, item), form, **HTMX)

    assert response.status_code == 200
    target = response["HX-Retarget"]
    swap = response.get("HX-Reswap") or form_hx_swap(response.content)
    # After htmx swaps the fragment in, the element it targets must still be there for the next try.
    assert swap.startswith("innerHTML") or f'id="{target.lstrip("#")}"' in response.content.decode()


def form_hx_swap(html: bytes) -> str:
    match = re.search(r'<form[^>]*data-edit-form[^>]*hx-swap="([^"]+)"', html.decode(), re.S)
    return match.group(1) if match else "innerHTML"


def test_two_clashes_open_on_one_page_share_no_id(alice, bob, goal, grace):
    """Bob has a goal and a second goal open for editing on the plan page (each form swapped in by htmx);
    Alice changes both first. The two clash panels land on the same page: every id in them is the page's
    only one, and every label, hint and "Merge them" box points at its own form's elements."""
    other = services.goal_add(
        actor=alice, client=grace, in_own_words="See friends more", success_looks_like=""
    )
    browser = signed_in(bob)
    fragments = []
    for item, mine in ((goal, "Stay in the flat"), (other, "Go to the youth club")):
        form = form_data(browser.get(edit_url(grace, item), **HTMX).content)
        services.goal_update(
            actor=alice, goal=item, changes={"in_own_words": "Changed by Alice"}, base_version=1
        )
        form[f"goal{item.pk}-in_own_words"] = mine
        response = browser.post(edit_url(grace, item), form, **HTMX)
        assert "Someone changed this while you were editing" in response.content.decode()
        fragments.append(response.content.decode())
    page = "".join(fragments)

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    pointers = re.findall(r'\s(?:for|aria-describedby|data-reveals)="([^"]+)"', page)
    assert pointers and set(pointers) <= set(ids)
    for item in (goal, other):
        assert f'id="goal{item.pk}-resolve-in_own_words-merge"' in page
