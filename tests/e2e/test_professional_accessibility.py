"""axe-core on the professional pages issue 17 named: the plan's conflict panel, adding someone to the
circle, and the API docs. Fails on any violation axe rates "serious" or "critical"."""

import pytest
from playwright.sync_api import expect

from sharing import services as plan_services
from tests.e2e.conftest import sign_in
from tests.e2e.test_portal_accessibility import BLOCKING, axe_violations, describe

pytestmark = pytest.mark.browser


def professional(browser, server, user):
    return sign_in(browser.new_context(bypass_csp=True), server, user.email)


def assert_no_blocking(page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(where, blocking)


def test_the_plans_conflict_panel(browser, server, alice, bob, grace):
    goal = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    page = professional(browser, server, alice)
    page.goto(f"{server}/clients/{grace.public_id}/plan/")
    page.get_by_role("link", name="Change goal “Keep our flat”").click()
    card = page.locator(f"#goal-{goal.pk}")
    field = card.get_by_label("The goal, in the client's own words")
    field.wait_for()
    # Bob saves the same field first.
    plan_services.goal_update(actor=bob, goal=goal, changes={"in_own_words": "Keep our home"}, base_version=1)
    field.fill("Stay in our flat")
    card.get_by_role("button", name="Save").click()
    expect(page.locator(".app-conflict")).to_be_visible()
    page.get_by_label("Merge them").check()  # the merge box opens
    expect(page.get_by_label("Merged text")).to_be_visible()
    assert_no_blocking(page, "the plan's conflict panel")


def test_adding_someone_to_the_circle(browser, server, alice, grace):
    page = professional(browser, server, alice)
    page.goto(f"{server}/clients/{grace.public_id}/circle/add/")
    page.get_by_label("A family member, carer or friend").check()
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
    assert_no_blocking(page, "adding someone to the circle")
    page.get_by_label("A professional", exact=True).check()
    expect(page.get_by_label("Name", exact=True)).to_be_hidden()


def test_the_api_docs(browser, server, alice):
    page = professional(browser, server, alice)
    page.goto(f"{server}/api/docs/")
    page.locator(".opblock").first.wait_for()
    page.locator(".opblock-summary").first.click()  # an operation open, as a reader would have it
    page.locator(".opblock-body").first.wait_for()
    assert_no_blocking(page, "/api/docs/")
