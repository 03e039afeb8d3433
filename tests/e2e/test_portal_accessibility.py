"""axe-core on every page a client or family member meets, on a phone (360 × 740).

The test fails on any violation axe rates "serious" or "critical", and prints each one with the elements.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as DjangoClient

from circles.models import CircleMember, PortalAccess
from network.models import User
from portal import services as portal_services
from sharing import services as plan_services
from sharing.models import Note
from tests.factories import ConsentFactory, FamilyMemberFactory, NoteFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
BLOCKING = ("serious", "critical")


@pytest.fixture
def people(alice, grace):
    """Grace (the client) and her sister Ama (with Grace's consent), each with a portal account and a plan
    with something in every part of the portal."""
    flat = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Keep our flat",
        success_looks_like="No more letters about the rent.",
        review_on=None,
    )
    plan_services.action_add(actor=alice, goal=flat, what="Open the post on Mondays", owner_is_client=True)
    plan_services.action_add(
        actor=alice,
        goal=flat,
        what="Talk to the landlord",
        owner=CircleMember.objects.get(client=grace, user=alice),
    )
    NoteFactory(client=grace, author=alice, visibility=Note.Visibility.CLIENT, text="The rent is sorted.")
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    grace_user = User.objects.create_user("grace@example.org", None, full_name=grace.full_name, kind="client")
    PortalAccess.objects.create(user=grace_user, client=grace)
    ama_user = User.objects.create_user("ama@example.org", None, full_name=sister.name, kind="family")
    PortalAccess.objects.create(user=ama_user, client=grace, member=sister)
    return {
        "client": {
            "user": grace_user,
            "invitation": portal_services.invitation_create(
                actor=alice, client=grace, email="grace.new@example.org"
            ),
        },
        "family": {
            "user": ama_user,
            "invitation": portal_services.invitation_create(
                actor=alice, client=grace, email="ama.new@example.org", member=sister
            ),
        },
    }


def signed_in_context(browser, server, user):
    """Portal users have no password: the session cookie of a force_login (read from the shared test DB).
    Content-Security-Policy is bypassed only so that axe can be injected."""
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
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


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def check(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    page.wait_for_load_state("networkidle")
    assert page.locator("main h1").count() == 1, f"{url} has no page heading: not the page expected"
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [f"{v['impact']}: {v['id']}" for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\n{url}: minor or moderate (not failing): {others}")
    if blocking:
        print("\n" + describe(url, blocking))
    assert not blocking, describe(url, blocking)


WHO = ["client", "family"]


@pytest.mark.parametrize("path", ["/portal/", "/portal/people/", "/portal/shared/"])
@pytest.mark.parametrize("who", WHO)
def test_portal_pages_have_no_serious_accessibility_problems(people, browser, server, who, path):
    page = signed_in_context(browser, server, people[who]["user"]).new_page()
    check(page, f"{server}{path}")


@pytest.mark.parametrize("who", WHO)
def test_the_invitation_landing_page_has_no_serious_accessibility_problems(people, browser, server, who):
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    check(page, f"{server}/portal/invitation/{people[who]['invitation'].token}/")


def test_the_sign_in_by_code_page_has_no_serious_accessibility_problems(people, browser, server):
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    check(page, f"{server}/accounts/login/code/")


@pytest.mark.parametrize(
    "path",
    ["/accounts/password/reset/", "/accounts/password/reset/key/1-not-a-real-link/", "/accounts/signup/"],
)
def test_the_password_reset_pages_have_no_serious_accessibility_problems(people, browser, server, path):
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    check(page, f"{server}{path}")


def test_axe_does_find_a_serious_problem_when_there_is_one(browser):
    """The check can fail: an image with no text alternative and an unlabelled field are caught."""
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="x.png"><input type="text"></main></body></html>'
    )
    found = {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING}
    assert {"image-alt", "label"} <= found, found
