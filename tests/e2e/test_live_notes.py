"""Two practitioners on one client page: one adds a note, the other sees it appear, live."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_note_added_by_one_member_appears_on_anothers_open_page(browser, server, alice, bob, grace):
    alice_context = browser.new_context(viewport={"width": 1024, "height": 800})
    bob_context = browser.new_context(viewport={"width": 360, "height": 740})  # a phone
    alice_page = sign_in(alice_context, server, alice.email)
    bob_page = sign_in(bob_context, server, bob.email)

    # Alice finds Grace on My clients; Bob opens the same page.
    alice_page.get_by_role("link", name=re.compile("Grace Okafor")).click()
    expect(alice_page.get_by_role("heading", level=1)).to_have_text("Grace Okafor")
    bob_page.goto(f"{server}/clients/{grace.public_id}/")
    expect(bob_page.locator("#live-status")).to_have_text("Live")
    expect(alice_page.locator("#live-status")).to_have_text("Live")

    # Each sees the other is here.
    expect(bob_page.locator("#presence")).to_contain_text(alice.full_name)
    expect(alice_page.locator("#presence")).to_contain_text(bob.full_name)

    # Alice adds a note in one click plus typing.
    alice_page.get_by_role("button", name="Add note").or_(
        alice_page.get_by_role("link", name="Add note")
    ).click()
    alice_page.get_by_label("Note", exact=True).fill("Grace has a new tenancy support worker.")
    alice_page.get_by_role("button", name="Save note").click()
    expect(alice_page.locator("#notes-list")).to_contain_text("Grace has a new tenancy support worker.")

    # Bob's open page shows it without a reload.
    expect(bob_page.locator("#notes-list")).to_contain_text("Grace has a new tenancy support worker.")
    expect(bob_page.locator("#notes-list article")).to_have_count(1)
    bob_page.screenshot(path=str(server_screenshot_dir() / "client-page-360.png"), full_page=True)

    alice_context.close()
    bob_context.close()


def server_screenshot_dir():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent.parent / "test-results"
    path.mkdir(exist_ok=True)
    return path
