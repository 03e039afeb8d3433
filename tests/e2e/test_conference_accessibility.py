"""axe-core on every conference page (professional and portal), and the pack and minutes as they print."""

import datetime

import pytest
from django.utils import timezone

from circles.models import PortalAccess
from conferences import services
from conferences.models import MeetingType
from network.models import User
from tests.e2e.test_live_meeting import as_user
from tests.e2e.test_portal_accessibility import check, signed_in_context
from tests.factories import ConsentFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def conference(alice, bob, charlie, grace):
    moira = UserFactory(email="moira@example.org", full_name="Moira Lane", org_role="panel_chair")
    kind, _ = MeetingType.objects.get_or_create(
        name="Team Around the Family", defaults={"family_invited": True}
    )
    meeting = services.meeting_create(
        actor=moira,
        type=kind,
        title="Grace's TAF",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Hall",
    )
    ConsentFactory(client=grace, scope="conference", recorded_by=alice)
    item = services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="How it is going")
    services.contribution_add(
        actor=alice, item=item, kind="agency_report", facts="Rent paid.", opinion="Going well"
    )
    ended = services.meeting_create(
        actor=moira,
        type=kind,
        title="Last TAF",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        place="Hall",
    )
    done = services.agenda_item_add(actor=moira, meeting=ended, client=grace, reason="Review")
    services.meeting_open(actor=moira, meeting=ended)
    services.decision_record(actor=moira, item=done, text="Carry on", agreed_by=["Moira Lane"])
    services.item_close(
        actor=moira, item=done, next_review_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.meeting_end(actor=moira, meeting=ended)
    services.family_summary_write(actor=moira, meeting=ended, text="We agreed things are going well.")
    grace_user = User.objects.create_user("grace@example.org", None, full_name=grace.full_name, kind="client")
    PortalAccess.objects.create(user=grace_user, client=grace)
    return {
        "moira": moira,
        "meeting": meeting,
        "item": item,
        "ended": ended,
        "done": done,
        "grace": grace_user,
    }


def chair_pages(c) -> list[str]:
    m, i, e, d = c["meeting"].pk, c["item"].pk, c["ended"].pk, c["done"].pk
    return [
        "/meetings/",
        "/meetings/new/",
        f"/meetings/{m}/",
        f"/meetings/{m}/agenda/add/",
        f"/meetings/{m}/items/{i}/pack/",
        f"/meetings/{m}/items/{i}/contribute/",
        f"/meetings/{e}/",
        f"/meetings/{e}/minutes/",
        f"/meetings/{e}/family-summary/",
        f"/meetings/{e}/items/{d}/amend/",
    ]


def test_conference_pages_have_no_serious_accessibility_problems(conference, browser, server):
    page = as_user(browser, server, conference["moira"])
    for path in chair_pages(conference):
        check(page, f"{server}{path}")


def test_choosing_notes_for_the_pack_has_no_serious_accessibility_problems(
    conference, alice, grace, browser, server
):
    from sharing.services import note_create

    item = conference["item"]
    services.pack_note_add(
        actor=alice, item=item, note=note_create(actor=alice, client=grace, text="For the pack")
    )
    note_create(actor=alice, client=grace, text="Not for the pack")
    page = as_user(browser, server, alice)
    check(page, f"{server}/meetings/{item.meeting_id}/items/{item.pk}/pack/notes/")
    check(page, f"{server}/meetings/{item.meeting_id}/items/{item.pk}/pack/")


def test_my_meetings_in_the_portal_on_a_phone(conference, browser, server):
    page = signed_in_context(browser, server, conference["grace"]).new_page()
    check(page, f"{server}/portal/meetings/")


def test_the_pack_prints_without_navigation(conference, browser, server):
    page = as_user(browser, server, conference["moira"])
    page.goto(f"{server}/meetings/{conference['meeting'].pk}/items/{conference['item'].pk}/pack/")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".govuk-footer").is_visible()
    assert page.locator("#pack").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
