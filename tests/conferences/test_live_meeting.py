"""The live meeting: the chair opens it and moves through the agenda, and everyone follows; minutes are
co-edited without loss; decisions are recorded with dissent and their actions land on the client's plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from coedit.edits import StaleEdit
from conferences import services
from conferences.models import AgendaItem, DecisionAction
from realtime.models import Event
from sharing.models import Action
from tests.conftest import signed_in
from tests.factories import ClientFactory, ConsentFactory

from .conftest import tomorrow_at  # noqa: F401


@pytest.fixture
def second(meeting, moira, alice):
    other = ClientFactory(given_name="Tom", family_name="Reilly")
    ConsentFactory(client=other, scope="conference", recorded_by=alice)
    return services.agenda_item_add(actor=moira, meeting=meeting, client=other, reason="Housing")


def stream_events(meeting) -> list[tuple[int, str]]:
    return list(Event.objects.filter(stream=meeting.stream).order_by("seq").values_list("seq", "type"))


def test_opening_puts_the_first_item_up_and_moving_is_on_the_meetings_stream(item, second, moira):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    assert meeting.current_item == item
    services.meeting_item_move(actor=moira, meeting=meeting, item=second)
    events = stream_events(meeting)
    assert [seq for seq, _ in events] == list(range(1, len(events) + 1))  # gap-free, like a client's
    assert events[-1][1] == "meeting.item_move"
    last = Event.objects.get(stream=meeting.stream, seq=events[-1][0])
    assert last.client_id is None and last.payload["item_id"] == second.pk
    assert last.payload["slot_minutes"] == 20 and last.payload["started_at"]


def test_only_the_chair_moves_the_meeting(item, bob, moira):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    with pytest.raises(Exception, match="chair"):
        services.meeting_item_move(actor=bob, meeting=meeting, item=item)


def test_minutes_are_co_edited_and_a_stale_edit_is_refused_not_lost(item, moira, bob, meeting):
    meeting.minute_taker = bob
    meeting.save(update_fields=["minute_taker"])
    services.minutes_update(actor=moira, item=item, minutes="Moira's words", base_version=1)
    with pytest.raises(StaleEdit) as stale:
        services.minutes_update(actor=bob, item=item, minutes="Bob's words", base_version=1)
    assert stale.value.theirs == {"minutes": "Moira's words"}
    item.refresh_from_db()
    assert item.minutes == "Moira's words" and item.version == 2
    services.minutes_update(actor=bob, item=item, minutes="Moira's words\nBob's words", base_version=2)
    item.refresh_from_db()
    assert item.changes.count() == 2
    row = AuditEvent.objects.filter(action="meeting.minutes_update").last()
    assert "text_sha256" in row.after and "Bob" not in str(row.after)  # the audit keeps no words


def test_the_minutes_page_offers_a_merge_after_a_clash(item, moira, bob, meeting):
    meeting.minute_taker = bob
    meeting.save(update_fields=["minute_taker"])
    services.minutes_update(actor=moira, item=item, minutes="Moira's words", base_version=1)
    prefix = f"agendaitem{item.pk}"
    response = signed_in(bob).post(
        f"/meetings/{meeting.pk}/items/{item.pk}/minutes/",
        {"base_version": 1, "original_minutes": item.minutes, f"{prefix}-minutes": "Bob's words"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone changed the minutes while you were writing" in page and "Merge them" in page


@pytest.mark.parametrize(
    "body",
    [
        {},  # an empty post
        {"base_version": "1"},  # a version, and no minutes field at all
        # The minutes emptied, without the version the form was opened at.
        {"original_minutes": "Moira's words", "agendaitem{pk}-minutes": ""},
    ],
)
def test_a_post_without_the_minutes_or_their_version_does_not_wipe_them(item, moira, meeting, body):
    services.minutes_update(actor=moira, item=item, minutes="Moira's words", base_version=1)
    events = Event.objects.count()

    response = signed_in(moira).post(
        f"/meetings/{meeting.pk}/items/{item.pk}/minutes/",
        {name.format(pk=item.pk): value for name, value in body.items()},
    )

    if "base_version" in body:
        assert response.status_code == 302  # nothing sent to change: nothing changed
    else:
        assert response.status_code == 400
        assert "Reload the page and make your change again" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == "Moira's words"
    assert Event.objects.count() == events


def test_a_decision_with_dissent_puts_the_agreed_action_on_the_plan(item, moira, alice, grace):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    due = timezone.localdate() + datetime.timedelta(days=14)
    alice_member = grace.members.get(user=alice)
    decision = services.decision_record(
        actor=moira,
        item=item,
        text="A safety plan with the school",
        agreed_by=["Moira Lane", "Alice Lead"],
        dissent=[{"name": "Carol Other-Org", "reason": "Wants a home visit first"}],
        actions=[{"what": "Meet the school", "owner": alice_member, "due_on": due}],
    )
    action = Action.objects.get(pk=DecisionAction.objects.get(decision=decision).action_id)
    assert action.owner == alice_member and action.due_on == due
    assert action.goal.plan.client == grace
    assert "agreed" in action.goal.in_own_words
    assert decision.dissent == [{"name": "Carol Other-Org", "reason": "Wants a home visit first"}]
    # The plan's own event reaches the client's stream (an open plan page), the decision the meeting's.
    assert Event.objects.filter(client=grace, type="plan.action_add", payload__action_id=action.pk).exists()
    assert Event.objects.filter(stream=meeting.stream, type="meeting.decision").exists()


def test_an_item_closes_only_with_a_review_date_or_a_decision_to_close(item, moira):
    services.meeting_open(actor=moira, meeting=item.meeting)
    with pytest.raises(ValidationError, match="next review date"):
        services.item_close(actor=moira, item=item)
    with pytest.raises(ValidationError, match="decision to close first"):
        services.item_close(actor=moira, item=item, close_case=True)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=90)
    )
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.CLOSED


def test_a_decision_on_a_closed_item_is_refused(item, moira):
    services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="closed"):
        services.decision_record(actor=moira, item=item, text="Late", agreed_by=["Moira Lane"])


def test_attendance_is_taken_by_the_chair(item, moira, alice):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    invitation = meeting.invitations.get(user=alice)
    services.attendance_record(actor=moira, meeting=meeting, invitation=invitation, status="present")
    services.attendance_record(actor=moira, meeting=meeting, invitation=invitation, status="absent")
    assert meeting.attendance.get().status == "absent"


def test_the_meeting_page_follows_the_chair_and_lets_you_look_elsewhere(item, second, moira, bob):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    browser = signed_in(bob)
    page = browser.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="item-heading">Grace Okafor' in page and "Go back to where the chair is" not in page
    page = signed_in(moira).get(f"/meetings/{meeting.pk}/?item={second.pk}").content.decode()
    assert 'id="item-heading">Tom Reilly' in page and "Go back to where the chair is" in page
    # Bob is in Grace's circle, not Tom's: he may look at Tom's item, and learns nothing of who it is about.
    page = browser.get(f"/meetings/{meeting.pk}/?item={second.pk}").content.decode()
    assert 'id="item-heading">Another client' in page and "Go back to where the chair is" in page
    assert "Tom" not in page and "Housing" not in page


@pytest.mark.parametrize("invitation", ["abc", " ", "1.5", "\u00b2", "1" + "0" * 30, "-1", "1\x00"])
def test_attendance_for_an_invitation_that_is_no_number_says_choose_someone(item, moira, invitation):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    events = Event.objects.count()

    response = signed_in(moira).post(
        f"/meetings/{meeting.pk}/attendance/", {"invitation": invitation, "status": "present"}, follow=True
    )

    assert response.status_code == 200
    assert "Choose someone who was invited." in response.content.decode()
    assert not meeting.attendance.exists()
    assert Event.objects.count() == events


def test_the_chair_records_who_came_for_the_family(item, moira, alice):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    invitation = meeting.invitations.get(user=alice)
    response = signed_in(moira).post(
        f"/meetings/{meeting.pk}/attendance/",
        {"invitation": invitation.pk, "status": "present", "for_family": "on"},
    )
    assert response.status_code == 302
    attended = meeting.attendance.get()
    assert attended.status == "present" and attended.for_family
