"""The requester's open page hears the lead's decision: "the lead will decide" gives way at once."""

import pytest
from playwright.sync_api import expect

from circles import services
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("decision", ["Approve", "Decline"])
def test_the_decision_reaches_the_requesters_open_page(browser, server, alice, charlie, grace, decision):
    services.join_request_create(
        actor=charlie, client=grace, reason="A report about the flat", role="police_officer"
    )
    asking = sign_in(browser.new_context(), server, charlie.email)
    asking.goto(f"{server}/clients/{grace.public_id}/")
    waiting = asking.locator("#my-join-request")
    expect(waiting).to_contain_text("The lead professional will decide")
    asking.wait_for_load_state("networkidle")  # its personal socket is open
    asking.evaluate("window.__notReloaded = true")

    lead = sign_in(browser.new_context(), server, alice.email)
    lead.goto(f"{server}/clients/{grace.public_id}/")
    lead.locator("#join-requests").get_by_role("button", name=f"{decision} Charlie Outsider").click()

    if decision == "Approve":
        expect(waiting).to_contain_text("added you to Grace Okafor's circle")
        expect(waiting.get_by_role("link", name="Open the record")).to_have_attribute(
            "href", f"/clients/{grace.public_id}/"
        )
    else:
        expect(waiting).to_contain_text("declined your request")
    expect(waiting).not_to_contain_text("will decide")
    assert asking.evaluate("window.__notReloaded === true"), "the page was reloaded, not updated"
