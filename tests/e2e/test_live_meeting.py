"""A live case conference in three browsers (the chair and two attendees) and a fourth with the client's
plan open: the chair moves to the next item and the attendees follow; the minutes are co-edited (a clash
merged, nothing lost); an agreed action appears on the open plan page."""

import datetime

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from django.utils import timezone
from playwright.sync_api import expect

from conferences import services
from conferences.models import MeetingType
from tests.factories import ClientFactory, ConsentFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.browser


def as_user(browser, server, user, *, width=1024):
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server,
            }
        ]
    )
    return context.new_page()


@pytest.fixture
def live(alice, bob, charlie, grace):
    moira = UserFactory(email="moira@example.org", full_name="Moira Lane", org_role="panel_chair")
    kind, _ = MeetingType.objects.get_or_create(name="Risk panel", defaults={"family_invited": False})
    panel = services.panel_create(actor=moira, name="Northbridge Risk Panel")
    services.panel_member_add(actor=moira, panel=panel, user=charlie, role="standing")
    meeting = services.meeting_create(
        actor=moira,
        type=kind,
        title="Risk panel, December",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        panel=panel,
        place="Town Hall",
        minute_taker=bob,
    )
    ConsentFactory(client=grace, scope="conference", recorded_by=alice)
    tom = ClientFactory(given_name="Tom", family_name="Reilly")
    MemberFactory(client=tom, user=alice, is_lead=True, role="lead_professional")
    ConsentFactory(client=tom, scope="conference", recorded_by=alice)
    first = services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    second = services.agenda_item_add(actor=moira, meeting=meeting, client=tom, reason="Housing")
    services.minutes_update(actor=moira, item=first, minutes="", base_version=first.version)
    services.minutes_update(actor=moira, item=second, minutes="", base_version=second.version)
    services.meeting_open(actor=moira, meeting=meeting)
    return {"moira": moira, "meeting": meeting, "first": first, "second": second}


def test_a_live_meeting(browser, server, live, alice, bob, charlie, grace):
    meeting, first, second = live["meeting"], live["first"], live["second"]
    url = f"{server}/meetings/{meeting.pk}/"
    chair = as_user(browser, server, live["moira"])
    minute_taker = as_user(browser, server, bob)
    attendee = as_user(browser, server, charlie, width=360)
    plan = as_user(browser, server, alice)
    for page in (chair, minute_taker, attendee):
        page.goto(url)
        expect(page.locator("#live-status")).to_have_text("Live")
    plan.goto(f"{server}/clients/{grace.public_id}/plan/")
    expect(plan.locator("#live-status")).to_have_text("Live")
    expect(chair.locator("#presence")).to_contain_text("Bob Same-Org")
    expect(chair.locator("#presence")).to_contain_text("Charlie Outsider")
    for page in (chair, minute_taker, attendee):
        expect(page.locator("#item-heading")).to_have_text("Grace Okafor")
    expect(attendee.locator("#item-timer")).to_contain_text("left for this item")

    # The chair moves to the next item: both attendees follow, without a reload.
    chair.locator(f'[data-move-to="{second.pk}"]').click()
    for page in (minute_taker, attendee):
        expect(page.locator("#item-heading")).to_have_text("Tom Reilly")

    # The attendee looks back at Grace's item, then the chair moves on: they stay, with a way back.
    attendee.goto(f"{url}?item={first.pk}")
    expect(attendee.locator("#not-following")).to_contain_text("Go back to where the chair is")
    chair.goto(url)
    chair.locator(f'[data-move-to="{first.pk}"]').click()
    expect(minute_taker.locator("#item-heading")).to_have_text("Grace Okafor")

    # The minutes are co-edited: the minute-taker writes, the chair adds; a clash is merged, nothing lost.
    box = f"#id_agendaitem{first.pk}-minutes"
    minute_taker.locator(box).fill("School says attendance is 80%.")
    expect(chair.locator(box)).to_have_value("")
    chair.locator(box).fill("Mother worried about bullying.")
    minute_taker.get_by_role("button", name="Save the minutes").click()
    expect(attendee.locator("#minutes-text")).to_contain_text("attendance is 80%")
    expect(chair.locator(".app-stale-notice")).to_contain_text("Bob Same-Org just changed the minutes")
    chair.get_by_role("button", name="Save the minutes").click()
    expect(chair.locator(".app-conflict")).to_contain_text(
        "Someone changed the minutes while you were writing"
    )
    chair.get_by_label("Merged text").fill("School says attendance is 80%.\nMother worried about bullying.")
    chair.get_by_role("button", name="Save the minutes").click()
    expect(attendee.locator("#minutes-text")).to_contain_text("Mother worried about bullying")
    first.refresh_from_db()
    assert first.minutes == "School says attendance is 80%.\nMother worried about bullying."

    # A decision with an agreed action: it appears at once on the plan page Alice has open.
    chair.goto(url)
    chair.get_by_text("Record a decision").click()
    chair.get_by_label("What was decided").fill("A safety plan with the school")
    chair.get_by_label("Moira Lane").check()
    chair.get_by_label("Agreed action (optional): what").fill("Meet the head teacher")
    chair.get_by_label("Who does it").select_option(label="Alice Lead")
    chair.get_by_label("By when").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.locator("#decisions ~ .app-decision").first).to_contain_text("A safety plan with the school")
    expect(plan.locator("strong", has_text="Meet the head teacher")).to_be_visible()
    expect(plan.locator("strong", has_text="Meet the head teacher")).to_have_count(1)  # once, not per event
    expect(attendee.locator(".app-decision").first).to_contain_text("A safety plan")
