"""The portal, live, on a phone (360 px): the client and the team see each other's changes without a reload.

Every change is made in a browser, so it goes through the one server process whose channel layer rings
the open pages (on SQLite the layer is in memory, per process).
"""

import json
import re

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import expect

from circles.models import CircleMember, PortalAccess
from network.models import User
from portal import services as portal_services
from sharing import services as plan_services
from sharing.models import Action, Goal
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def plan(alice, grace):
    shared = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    private = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Safeguarding review of the children",
        shared_with_client=False,
    )
    mine = plan_services.action_add(
        actor=alice, goal=shared, what="Open the post on Mondays", owner_is_client=True
    )
    theirs = plan_services.action_add(
        actor=alice,
        goal=shared,
        what="Talk to the landlord",
        owner=CircleMember.objects.get(client=grace, user=alice),
    )
    return {"shared": shared, "private": private, "mine": mine, "theirs": theirs}


def portal_user(client) -> User:
    user = User.objects.create_user("grace@example.org", None, full_name=client.full_name, kind="client")
    PortalAccess.objects.create(user=user, client=client)
    return user


def signed_in_context(browser, server, user):
    """A phone-sized browser signed in as `user` (portal users have no password): the session cookie of a
    force_login, which the server reads from the shared test database."""
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server,
            }
        ]
    )
    return context


class SocketFrames:
    """What the page's client socket received, parsed: to know it is connected, and what it was told."""

    def __init__(self, page) -> None:
        self.page = page
        self.messages: list[dict] = []
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        if "/ws/clients/" in websocket.url:
            websocket.on("framereceived", lambda payload: self.messages.append(json.loads(payload)))

    def wait_for_hello(self, timeout_ms: int = 5000) -> None:
        waited = 0
        while not any(m.get("type") == "hello" for m in self.messages):
            assert waited < timeout_ms, "the portal page's live socket never said hello"
            self.page.wait_for_timeout(50)
            waited += 50

    def events(self) -> list[dict]:
        return [m for m in self.messages if m.get("type") == "event"]


def open_portal(context, server) -> tuple:
    page = context.new_page()
    frames = SocketFrames(page)
    page.goto(f"{server}/portal/")
    frames.wait_for_hello()
    page.evaluate("window.__notReloaded = true")
    return page, frames


def open_plan(browser, server, professional, client):
    page = sign_in(browser.new_context(viewport=PHONE), server, professional.email)
    page.goto(f"{server}/clients/{client.public_id}/plan/")
    expect(page.locator("#live-status")).to_have_text("Live")
    page.evaluate("window.__notReloaded = true")
    return page


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def test_the_clients_tick_shows_as_done_on_the_teams_open_plan(alice, grace, plan, browser, server):
    # The client starts from the link in her invitation email, on her phone.
    invitation = portal_services.invitation_create(actor=alice, client=grace, email="grace@example.org")
    plan_page = open_plan(browser, server, alice, grace)
    mine = plan_page.locator(f"#action-{plan['mine'].pk}")
    expect(mine).to_contain_text("Not started")

    portal = browser.new_context(viewport=PHONE).new_page()
    frames = SocketFrames(portal)
    portal.goto(f"{server}/portal/invitation/{invitation.token}/")
    portal.get_by_role("button", name="Start").click()
    portal.wait_for_url(f"{server}/portal/")
    frames.wait_for_hello()
    expect(portal.get_by_role("heading", level=1)).to_have_text("Your plan")

    portal.get_by_role("button", name=re.compile(r"^I have done this ?: Open the post on Mondays$")).click()
    expect(portal.get_by_role("alert")).to_contain_text("Well done")
    expect(portal.locator(f"#action-{plan['mine'].pk}")).to_contain_text("Done")
    expect(
        portal.get_by_role("button", name=re.compile(r"^I have done this ?: Open the post on Mondays$"))
    ).to_have_count(0)

    # The lead's open plan page shows it, without a reload.
    expect(mine.locator(".govuk-tag").first).to_have_text("Done")
    expect(plan_page.locator(f"#action-{plan['theirs'].pk} .govuk-tag").first).to_have_text("Not started")
    assert_not_reloaded(plan_page)
    assert Action.objects.get(pk=plan["mine"].pk).status == "done"


def test_a_goal_the_team_shares_appears_in_the_clients_open_portal(alice, grace, plan, browser, server):
    grace_user = portal_user(grace)
    portal, _frames = open_portal(signed_in_context(browser, server, grace_user), server)
    expect(portal.locator("#portal-content")).to_contain_text("Keep our flat")
    expect(portal.locator(f"#goal-{plan['private'].pk}")).to_have_count(0)

    plan_page = open_plan(browser, server, alice, grace)
    plan_page.get_by_role("link", name="Change goal “Safeguarding review of the children”").click()
    card = plan_page.locator(f"#goal-{plan['private'].pk}")
    card.get_by_label("The client can see this goal in their portal").check()
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".govuk-tag--grey")).to_have_count(0)  # "Not shared with Grace" is gone

    expect(portal.locator(f"#goal-{plan['private'].pk}")).to_contain_text(
        "Safeguarding review of the children"
    )
    assert_not_reloaded(portal)
    assert Goal.objects.get(pk=plan["private"].pk).shared_with_client


def test_a_goal_not_shared_never_reaches_the_open_portal(alice, grace, plan, browser, server):
    grace_user = portal_user(grace)
    portal, frames = open_portal(signed_in_context(browser, server, grace_user), server)
    private = plan["private"]

    plan_page = open_plan(browser, server, alice, grace)
    plan_page.get_by_role("link", name="Change goal “Safeguarding review of the children”").click()
    card = plan_page.locator(f"#goal-{private.pk}")
    card.get_by_label("What success looks like").fill("Strategy meeting held; children safe at home")
    card.get_by_role("button", name="Save").click()
    expect(card).to_contain_text("Strategy meeting held")

    # Then a change the client may see: when the portal shows it, the earlier one has been and gone.
    plan_page.get_by_role("button", name=re.compile(r"^Done ?: Talk to the landlord$")).click()
    expect(portal.locator(f"#action-{plan['theirs'].pk}")).to_contain_text("Done")
    assert_not_reloaded(portal)

    content = portal.locator("main")
    expect(content).not_to_contain_text("Safeguarding")
    expect(content).not_to_contain_text("Strategy meeting")
    expect(portal.locator(f"#goal-{private.pk}")).to_have_count(0)
    # Not even a doorbell about it reached the portal's socket.
    heard_of = [event["payload"].get("goal_id") for event in frames.events()]
    assert private.pk not in heard_of, frames.events()
    assert plan["shared"].pk in heard_of
    assert Goal.objects.get(pk=private.pk).success_looks_like.startswith("Strategy meeting")
