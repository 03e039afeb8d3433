"""The board, live, in real browsers: two practitioners and the client, at 1280 and at 360 px.

Alice adds a worry and Bob sees it; Bob starts changing it and Alice sees "Bob is editing a worry"; both
change its words, Alice saves first and Bob is shown both and keeps his (nothing lost); the client adds her
own worry in the portal and the team sees it live; a card Alice shares with the client reaches the portal.
"""

import re

import pytest
from playwright.sync_api import expect

from board.models import Card
from tests.e2e.conftest import sign_in
from tests.e2e.test_portal_live import SocketFrames, portal_user, signed_in_context

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_two_practitioners_and_the_client_on_one_board(browser, server, alice, bob, grace, width):
    viewport = {"width": width, "height": 900 if width > 400 else 740}
    board_url = f"{server}/clients/{grace.public_id}/board/"
    alice_page = sign_in(browser.new_context(viewport=viewport), server, alice.email)
    bob_page = sign_in(browser.new_context(viewport=viewport), server, bob.email)
    for page in (alice_page, bob_page):
        page.goto(board_url)
        expect(page.locator("#live-status")).to_have_text("Live")
    expect(alice_page.locator("#presence")).to_contain_text(bob.full_name)

    # Alice adds a worry in one click plus typing; Bob sees it without a reload.
    form = alice_page.locator("#add-worry")
    form.get_by_label("What it says").fill("<b>Rent arrears</b> are growing")
    form.get_by_label("Danger: what we fear may happen").check()
    form.get_by_role("button", name=re.compile("^Add")).click()
    card = bob_page.locator("#cards-worry .app-card")
    expect(card).to_contain_text("<b>Rent arrears</b> are growing")  # as text, not markup
    expect(alice_page.locator("#cards-worry .app-card")).to_have_count(1)
    card_id = Card.objects.get().pk

    # Bob starts changing it: Alice sees where he is.
    bob_page.locator(f"#card-{card_id}").get_by_role("link", name="Change this card").click()
    expect(alice_page.locator("#presence")).to_contain_text(f"{bob.full_name} is editing a worry")

    # Alice changes the words and saves first; Bob, changing the same words, is shown both and keeps his.
    alice_page.locator(f"#card-{card_id}").get_by_role("link", name="Change this card").click()
    alice_card = alice_page.locator(f"#card-{card_id}")
    alice_card.get_by_label("What it says").fill("Arrears of £900")
    alice_card.get_by_role("button", name="Save").click()
    expect(alice_page.locator(f"#card-{card_id}")).to_contain_text("Arrears of £900")
    bob_card = bob_page.locator(f"#card-{card_id}")
    expect(bob_card.locator(".app-stale-notice")).to_contain_text("Someone just changed this card")
    bob_card.get_by_label("What it says").fill("Arrears of £1,000 and a notice")
    bob_card.get_by_role("button", name="Save").click()
    expect(bob_page.locator(".app-conflict")).to_contain_text("Arrears of £900")
    bob_page.get_by_label(re.compile("^Keep mine")).check()
    bob_page.locator(f"#card-{card_id}").get_by_role("button", name="Save").click()
    expect(bob_page.locator(f"#card-{card_id}")).to_contain_text("Arrears of £1,000 and a notice")
    expect(alice_page.locator(f"#card-{card_id}")).to_contain_text("Arrears of £1,000 and a notice")
    history = list(Card.objects.get().changes.filter(field="text").values_list("new_value", flat=True))
    assert history == ["Arrears of £900", "Arrears of £1,000 and a notice"]  # nothing lost

    # The client, in the portal on her phone, adds her own worry: the team sees it live, attributed to her.
    grace_user = portal_user(grace)
    portal = signed_in_context(browser, server, grace_user).new_page()
    frames = SocketFrames(portal)
    portal.goto(f"{server}/portal/board/")
    frames.wait_for_hello()
    portal.get_by_label("Something I am worried about").check()
    portal.get_by_label("Say it in your own words").fill("I can't sleep because of the letters")
    portal.get_by_role("button", name="Send to my team").click()
    expect(portal.get_by_role("alert")).to_contain_text("Your team can see what you wrote")
    expect(alice_page.locator("#cards-worry")).to_contain_text("I can't sleep because of the letters")
    expect(bob_page.locator("#cards-worry")).to_contain_text("Grace Okafor (in their own words)")

    # A card Alice shares with the client reaches the open portal page.
    frames.wait_for_hello()
    form = alice_page.locator("#add-working_well")
    form.get_by_label("What it says").fill("Grace walks the children to school")
    form.get_by_label("Who can see it?").select_option("client")
    form.get_by_role("button", name=re.compile("^Add")).click()
    expect(portal.locator("#portal-content")).to_contain_text("Grace walks the children to school")


def test_the_timeline_shows_board_changes_live(browser, server, alice, bob, grace):
    """Bob has Grace's timeline open; Alice adds a worry on the board: it appears on Bob's timeline
    without a reload, attributed to her."""
    bob_page = sign_in(browser.new_context(viewport={"width": 1280, "height": 900}), server, bob.email)
    bob_page.goto(f"{server}/clients/{grace.public_id}/timeline/")
    expect(bob_page.locator("#live-status")).to_have_text("Live")
    alice_page = sign_in(browser.new_context(viewport={"width": 1280, "height": 900}), server, alice.email)
    alice_page.goto(f"{server}/clients/{grace.public_id}/board/")
    expect(alice_page.locator("#live-status")).to_have_text("Live")

    form = alice_page.locator("#add-worry")
    form.get_by_label("What it says").fill("<b>Boiler</b> broken since Monday")
    form.get_by_label("Danger: what we fear may happen").check()
    form.get_by_role("button", name=re.compile("^Add")).click()

    moment = bob_page.locator(".app-timeline--board").first
    expect(moment).to_contain_text("Added to the board: “<b>Boiler</b> broken since Monday”")
    expect(moment).to_contain_text(f"by {alice.full_name}")
