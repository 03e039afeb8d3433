"""An open conference pack refreshes in place when a circle member marks a note for it, for a reader the
note's visibility lets read it; a note for the author's organisation only never appears for a standing
member from another organisation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circles.models import Visibility
from conferences import services
from conferences.models import MeetingType
from sharing.services import note_create
from tests.e2e.test_live_meeting import as_user
from tests.factories import ConsentFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_marked_note_appears_on_an_open_pack(alice, bob, charlie, grace, browser, server):
    moira = UserFactory(full_name="Moira Lane", org_role="panel_chair")
    kind, _ = MeetingType.objects.get_or_create(name="Risk panel", defaults={"family_invited": False})
    panel = services.panel_create(actor=moira, name="Northbridge Risk Panel")
    services.panel_member_add(actor=moira, panel=panel, user=charlie, role="standing")
    meeting = services.meeting_create(
        actor=moira,
        type=kind,
        title="Risk panel",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        panel=panel,
        place="Town Hall",
    )
    ConsentFactory(client=grace, scope="conference", recorded_by=alice)
    item = services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="School")
    page = as_user(browser, server, charlie)
    page.goto(f"{server}/meetings/{meeting.pk}/items/{item.pk}/pack/")
    expect(page.locator("#live-status")).to_have_text("Live")
    note_create(actor=alice, client=grace, text="EARLY-HELP-ONLY words", visibility=Visibility.ORGANISATION)
    note_create(actor=alice, client=grace, text="Rent is paid up to date")
    # Bob, in Grace's circle, puts both in the pack from his own page (the server rings the doorbell).
    chooser = as_user(browser, server, bob)
    chooser.goto(f"{server}/meetings/{meeting.pk}/items/{item.pk}/pack/notes/")
    for text in ("EARLY-HELP-ONLY words", "Rent is paid up to date"):
        chooser.locator("tr", has_text=text).get_by_role("button", name="Put in the pack").click()
        expect(chooser.locator("tr", has_text=text)).to_contain_text("In the pack")
    expect(page.locator("#pack-notes")).to_contain_text("Rent is paid up to date")
    expect(page.locator("#pack-notes")).not_to_contain_text("EARLY-HELP-ONLY")
    mine = as_user(browser, server, bob)  # Bob, Early Help like Alice, reads both
    mine.goto(f"{server}/meetings/{meeting.pk}/items/{item.pk}/pack/")
    expect(mine.locator("#pack-notes")).to_contain_text("EARLY-HELP-ONLY words")
