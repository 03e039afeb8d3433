"""axe-core on the board, the new client page and the timeline (with the board's history), at 1280 and
360 px, with something in every part."""

import pytest

from board import services as board_services
from sharing import services as plan_services
from tests.e2e.conftest import sign_in
from tests.e2e.test_portal_accessibility import check

pytestmark = pytest.mark.browser


@pytest.fixture
def filled(alice, bob, grace):
    goal = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    plan_services.action_add(actor=alice, goal=goal, what="Ring the landlord")
    plan_services.note_create(actor=bob, client=grace, text="Home visit", goals=[goal])
    board_services.card_add(actor=alice, client=grace, column="worry", kind="harm", text="Rent arrears")
    board_services.card_add(
        actor=bob, client=grace, column="working_well", text="School run", visibility="client"
    )
    step = board_services.card_add(actor=bob, client=grace, column="next_step", text="Repayment plan")
    board_services.card_make_goal(actor=alice, card=step)
    board_services.scale_add(actor=alice, client=grace, score=4, why="Arrears")
    return grace


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("path", ["board/", "", "timeline/"])
def test_the_board_and_the_client_page(filled, browser, server, alice, width, path):
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = sign_in(context, server, alice.email)
    url = f"{server}/clients/{filled.public_id}/{path}"
    check(page, url)
    check(page, url)  # the second visit, with "since you last looked"


def test_what_is_true_now_and_who_is_involved_are_near_the_top_at_360(filled, browser, server, alice):
    page = sign_in(browser.new_context(viewport={"width": 360, "height": 740}), server, alice.email)
    page.goto(f"{server}/clients/{filled.public_id}/")
    truth = page.locator("#truth-heading").bounding_box()
    involved = page.locator("#involved").bounding_box()
    notes = page.locator("#notes-heading").bounding_box()
    print(f"\nAt 360 px: what is true now at {truth['y']:.0f} px, who is involved at {involved['y']:.0f} px")
    assert truth["y"] < 1000 and involved["y"] < notes["y"]
    page.get_by_role("link", name="Who is involved").first.click()
    assert page.evaluate("location.hash") == "#involved"
