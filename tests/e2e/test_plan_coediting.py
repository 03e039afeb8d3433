"""Two practitioners co-edit one plan in two browsers: presence, a live change, and a clash resolved."""

import pytest
from playwright.sync_api import expect

from sharing import services as plan_services
from sharing.models import Goal
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_two_people_co_edit_a_plan(browser, server, alice, bob, grace):
    goal = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    plan_url = f"{server}/clients/{grace.public_id}/plan/"
    alice_page = sign_in(browser.new_context(viewport={"width": 1024, "height": 900}), server, alice.email)
    bob_page = sign_in(browser.new_context(viewport={"width": 360, "height": 740}), server, bob.email)
    alice_page.goto(plan_url)
    bob_page.goto(plan_url)
    for page in (alice_page, bob_page):
        expect(page.locator("#live-status")).to_have_text("Live")
    expect(bob_page.locator("#presence")).to_contain_text(alice.full_name)

    # Alice starts editing the goal: Bob sees where she is.
    alice_page.get_by_role("link", name="Change goal “Keep our flat”").click()
    expect(bob_page.locator("#presence")).to_contain_text(f"{alice.full_name} is editing ‘Keep our flat’")

    # Her saved change appears on Bob's page without a reload.
    alice_form = alice_page.locator(f"#goal-{goal.pk}")
    alice_form.get_by_label("What success looks like").fill("No letters about the rent")
    alice_form.get_by_role("button", name="Save").click()
    expect(bob_page.locator(f"#goal-{goal.pk}")).to_contain_text("No letters about the rent")
    expect(bob_page.locator("#presence")).not_to_contain_text("is editing")

    # Both open the goal; Alice saves first; Bob, saving the same field, is shown both and chooses to merge.
    alice_page.get_by_role("link", name="Change goal “Keep our flat”").click()
    bob_page.get_by_role("link", name="Change goal “Keep our flat”").click()
    bob_form = bob_page.locator(f"#goal-{goal.pk}")
    expect(bob_form.get_by_label("What success looks like")).to_be_visible()
    alice_form.get_by_label("What success looks like").fill("Rent paid every month")
    alice_form.get_by_role("button", name="Save").click()
    expect(bob_form.locator(".app-stale-notice")).to_contain_text(f"{alice.full_name} just changed this")

    bob_form.get_by_label("What success looks like").fill("Arrears cleared by July")
    bob_form.get_by_role("button", name="Save").click()
    conflict = bob_page.locator(".app-conflict")
    expect(conflict).to_contain_text("Someone changed this while you were editing")
    expect(conflict).to_contain_text("Rent paid every month")
    expect(conflict).to_contain_text("Arrears cleared by July")
    bob_page.get_by_label("Merge them").check()
    bob_page.get_by_label("Merged text").fill("Rent paid every month; arrears cleared by July")
    bob_form.get_by_role("button", name="Save").click()

    merged = "Rent paid every month; arrears cleared by July"
    expect(bob_page.locator(f"#goal-{goal.pk}")).to_contain_text(merged)
    expect(alice_page.locator(f"#goal-{goal.pk}")).to_contain_text(merged)
    goal.refresh_from_db()
    assert goal.success_looks_like == merged
    # Nothing was lost: every saved value is in the history.
    history = list(goal.changes.filter(field="success_looks_like").values_list("new_value", flat=True))
    assert history == ["No letters about the rent", "Rent paid every month", merged]
    assert Goal.objects.get(pk=goal.pk).version == 4
