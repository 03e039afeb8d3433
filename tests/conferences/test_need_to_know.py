"""Need to know: a standing member outside the circle sees the client's pack and nothing else, only from
their invitation until a few days after the meeting; every pack read is audited with the meeting as its
reason; a hidden member is never named in a pack, minutes, invitation list or email."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from circles.access import HIDDEN_LABEL
from conferences import services
from conferences.models import Contribution
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory, NoteFactory, UserFactory


@pytest.fixture
def hidden(grace):
    person = UserFactory(full_name="Hester Hidden-Worker")
    return MemberFactory(client=grace, user=person, is_hidden=True)


def pack_url(item):
    return f"/meetings/{item.meeting_id}/items/{item.pk}/pack/"


def test_a_standing_member_sees_the_pack_and_nothing_else(item, charlie, grace, alice):
    NoteFactory(client=grace, author=alice, text="A-PRIVATE-NOTE")
    services.contribution_add(
        actor=alice,
        item=item,
        kind=Contribution.Kind.AGENCY_REPORT,
        facts="Missed school twice",
        opinion="Worried",
    )
    browser = signed_in(charlie)
    response = browser.get(pack_url(item))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Missed school twice" in page and "Alice Lead" in page
    assert "A-PRIVATE-NOTE" not in page
    for url in (
        f"/clients/{grace.public_id}/timeline/",
        f"/clients/{grace.public_id}/plan/",
        f"/api/v1/clients/{grace.public_id}/notes/",
        f"/api/v1/clients/{grace.public_id}/plan/",
    ):
        assert browser.get(url).status_code in (403, 404), url
    read = AuditEvent.objects.get(action="meeting.pack_view", actor=charlie)
    assert read.client == grace and read.after["meeting_id"] == item.meeting_id


def test_after_the_window_the_standing_member_sees_nothing(item, charlie, settings):
    meeting = item.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(days=15)
    meeting.save(update_fields=["starts_at"])
    settings.PACK_DAYS_AFTER = 14
    assert signed_in(charlie).get(pack_url(item)).status_code == 404
    settings.PACK_DAYS_AFTER = 30
    assert signed_in(charlie).get(pack_url(item)).status_code == 200


def test_the_circle_reads_its_own_clients_pack_whenever(item, bob):
    meeting = item.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(days=400)
    meeting.save(update_fields=["starts_at"])
    assert signed_in(bob).get(pack_url(item)).status_code == 200


def test_someone_not_in_the_meeting_sees_no_pack(item):
    stranger = UserFactory()
    assert signed_in(stranger).get(pack_url(item)).status_code == 404
    assert signed_in(stranger).get(f"/meetings/{item.meeting_id}/").status_code == 404


def test_a_hidden_member_is_never_named(item, hidden, moira, charlie, django_capture_on_commit_callbacks):
    texts = []
    texts.append(signed_in(charlie).get(pack_url(item)).content.decode())
    texts.append(signed_in(charlie).get(f"/meetings/{item.meeting_id}/").content.decode())
    texts.append(signed_in(moira).get(f"/meetings/{item.meeting_id}/").content.decode())
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.meeting_end(actor=moira, meeting=meeting)
    for invitation in meeting.invitations.exclude(user=None):
        services.attendance_record(actor=moira, meeting=meeting, invitation=invitation, status="present")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_sign_off(actor=moira, meeting=meeting)
    texts.append(signed_in(charlie).get(f"/meetings/{meeting.pk}/minutes/").content.decode())
    texts += [f"{m.subject} {m.body} {m.to}" for m in mail.outbox]
    assert mail.outbox, "the minutes were sent"
    for text in texts:
        assert "Hester" not in text and hidden.user.email not in text


def test_someone_from_one_clients_circle_sees_nothing_of_anothers_item(item, moira, alice, bob):
    from tests.factories import ClientFactory, ConsentFactory

    tom = ClientFactory(given_name="Tom", family_name="Reilly")
    ConsentFactory(client=tom, scope="conference", recorded_by=alice)
    other = services.agenda_item_add(actor=moira, meeting=item.meeting, client=tom, reason="TOM-REASON")
    services.minutes_update(actor=moira, item=other, minutes="TOM-MINUTES", base_version=other.version)
    browser = signed_in(bob)  # in Grace's circle, not Tom's
    page = browser.get(f"/meetings/{item.meeting_id}/?item={other.pk}").content.decode()
    assert "TOM-MINUTES" not in page and "Only their circle and the panel read it" in page
    assert "Tom" not in page and "TOM-REASON" not in page
    assert browser.get(pack_url(other)).status_code == 404
    api = browser.get(f"/api/v1/meetings/{item.meeting_id}/").json()
    row = {row["id"]: row for row in api["items"]}[other.pk]
    assert row["minutes"] == row["client_name"] == row["reason"] == row["client"] == ""
    assert browser.get(f"/api/v1/meetings/{item.meeting_id}/items/{other.pk}/minutes/").status_code == 404


def test_after_the_window_a_standing_member_no_longer_sees_the_meeting(item, charlie, bob):
    meeting = item.meeting
    meeting.starts_at = timezone.now() - datetime.timedelta(days=30)
    meeting.save(update_fields=["starts_at"])
    assert signed_in(charlie).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert signed_in(charlie).get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert signed_in(bob).get(f"/meetings/{meeting.pk}/").status_code == 200  # the circle still does


# A clash over the minutes names who saved first: the chair and the minute-taker need not be in the
# client's circle, so that name goes through the policy's rule like every other (person_label).


def _hester_takes_the_minutes_and_saves_first(item, hidden):
    meeting = item.meeting
    meeting.minute_taker = hidden.user
    meeting.save(update_fields=["minute_taker"])
    opened_at = item.version
    services.minutes_update(actor=hidden.user, item=item, minutes="HESTER-WORDS", base_version=opened_at)
    return opened_at


def _stale_patch(user, item, opened_at):
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/minutes/"
    tag = f'"agendaitem-{item.pk}-v{opened_at}"'
    return api_as(user).patch(url, {"minutes": "MOIRA-WORDS"}, format="json", HTTP_IF_MATCH=tag)


def _stale_post(user, item, opened_at):
    return signed_in(user).post(
        f"/meetings/{item.meeting_id}/items/{item.pk}/minutes/",
        {
            "base_version": opened_at,
            "original_minutes": "",
            f"agendaitem{item.pk}-minutes": "MOIRA-WORDS",
        },
    )


def test_a_412_over_the_minutes_does_not_name_a_hidden_minute_taker_to_the_chair(item, hidden, moira):
    opened_at = _hester_takes_the_minutes_and_saves_first(item, hidden)

    answer = _stale_patch(moira, item, opened_at)  # Moira chairs; she is not in Grace's circle
    assert answer.status_code == 412
    body = answer.json()
    assert body["conflicts"]["minutes"]["current"] == "HESTER-WORDS"  # the rest of the 412 as it was
    assert body["conflicts"]["minutes"]["by"] == HIDDEN_LABEL
    assert "Hester" not in answer.content.decode()


def test_the_minutes_merge_page_does_not_name_a_hidden_minute_taker_to_the_chair(item, hidden, moira):
    opened_at = _hester_takes_the_minutes_and_saves_first(item, hidden)

    page = _stale_post(moira, item, opened_at)
    text = page.content.decode()
    assert page.status_code == 200 and "Merge them" in text and "HESTER-WORDS" in text
    assert HIDDEN_LABEL in text and "Hester" not in text
    assert "Keep theirs: “HESTER-WORDS”" in text and f"{HIDDEN_LABEL} saved this at" in text


def test_a_chair_in_the_circle_is_told_who_saved_first(item, hidden, moira, grace):
    MemberFactory(client=grace, user=moira)
    opened_at = _hester_takes_the_minutes_and_saves_first(item, hidden)

    answer = _stale_patch(moira, item, opened_at)
    assert answer.status_code == 412
    assert answer.json()["conflicts"]["minutes"]["by"] == "Hester Hidden-Worker"
    page = _stale_post(moira, item, opened_at).content.decode()
    assert "Keep theirs: “HESTER-WORDS”" in page and "Hester Hidden-Worker saved this at" in page
