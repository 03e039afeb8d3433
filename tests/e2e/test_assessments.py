"""Assessments in the browser: the chart and its table pass axe at 360 px, a draft saves itself as the worker
types (nothing lost on a reload), and a completed assessment appears live on an open client page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.models import Assessment, Instrument
from circles.models import PortalAccess
from network.models import User
from tests.e2e.conftest import sign_in
from tests.e2e.test_portal_accessibility import PHONE, check, signed_in_context
from tests.factories import assessment_done

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shipped_instruments")]


@pytest.fixture
def series(alice, grace):
    start = timezone.now() - datetime.timedelta(days=180)
    for n, (home, money) in enumerate([(3, 2), (5, 4), (6, 5)]):
        assessment_done(
            author=alice,
            client=grace,
            code="wellbeing-domains",
            scores=[home, money, 5, 6, 5, 6, 4, 5],
            at=start + datetime.timedelta(days=80 * n),
        )
    for n, total in enumerate([16, 11, 6]):
        scores = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
        assessment_done(
            author=alice,
            client=grace,
            code="phq-9",
            scores=scores,
            at=start + datetime.timedelta(days=60 * n),
        )


def test_the_chart_pages_pass_axe_at_360px(browser, server, alice, grace, series):
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    page = sign_in(context, server, alice.email)
    for path in (
        f"/clients/{grace.public_id}/",
        f"/clients/{grace.public_id}/assessments/instruments/wellbeing-domains/",
        f"/clients/{grace.public_id}/assessments/instruments/phq-9/",
    ):
        check(page, server + path)
        # Usable at 360 px: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    context.close()


def test_the_portal_ratings_pass_axe_at_360px(browser, server, alice, grace, series):
    grace_user = User.objects.create_user("grace@example.org", None, full_name=grace.full_name, kind="client")
    PortalAccess.objects.create(user=grace_user, client=grace)
    asked = assessment_services.self_rating_ask(
        actor=alice, client=grace, instrument=Instrument.objects.get(code="ons4")
    )
    Assessment.objects.update(visibility="client")
    context = signed_in_context(browser, server, grace_user)
    page = context.new_page()
    for path in ("/portal/how-am-i-doing/", f"/portal/how-am-i-doing/{asked.pk}/"):
        check(page, server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    context.close()


def test_a_draft_saves_itself_as_the_worker_types(browser, server, alice, grace):
    draft = assessment_services.assessment_start(
        actor=alice, client=grace, instrument=Instrument.objects.get(code="wellbeing-domains")
    )
    context = browser.new_context()
    page = sign_in(context, server, alice.email)
    page.goto(f"{server}/clients/{grace.public_id}/assessments/{draft.pk}/edit/")
    page.locator("#score-home-3").check()
    page.locator("#narrative-home").press_sequentially("Two letters from the landlord this month")
    expect(page.locator("#draft-status")).to_contain_text("Saved")
    # The last keystrokes are saved 700 ms after typing stops: wait until the database has them (a
    # locator, not wait_for_function, whose polling the page's CSP refuses to evaluate).
    narrative = "Two letters from the landlord this month"
    for _ in range(150):
        draft.refresh_from_db()
        if narrative in str(draft.answers):
            break
        page.wait_for_timeout(200)
    page.reload()
    assert page.locator("#narrative-home").input_value() == "Two letters from the landlord this month"
    assert page.locator("#score-home-3").is_checked()
    context.close()


def test_a_completed_assessment_appears_live_on_an_open_client_page(browser, server, alice, bob, grace):
    """Alice completes a GAD-7 from the client page; Bob, on the same client page, sees "Alice is completing
    GAD-7" while she does, then the result, without a reload."""
    alice_page = sign_in(browser.new_context(), server, alice.email)
    bob_page = sign_in(browser.new_context(viewport=PHONE), server, bob.email)
    bob_page.goto(f"{server}/clients/{grace.public_id}/")
    expect(bob_page.locator("#live-status")).to_have_text("Live")

    alice_page.goto(f"{server}/clients/{grace.public_id}/")
    alice_page.get_by_role("link", name="Start an assessment").click()
    alice_page.get_by_label(re.compile("^GAD-7")).check()
    alice_page.get_by_role("button", name="Start").click()
    expect(alice_page.get_by_role("heading", level=1)).to_contain_text("GAD-7")
    expect(bob_page.locator("#presence")).to_contain_text(f"{alice.full_name} is completing GAD-7")
    for n in range(1, 8):
        alice_page.locator(f"#score-{n}-2").check()
    alice_page.get_by_role("button", name="Complete and see the result").click()
    expect(alice_page.locator("#result")).to_contain_text("Moderate")

    expect(bob_page.locator("#instrument-gad-7")).to_contain_text("14, moderate")
