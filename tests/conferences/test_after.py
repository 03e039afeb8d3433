"""After the meeting: sign-off locks the minutes and sends a link (never content); amendments are new
versions with a reason; answers keep their history; the family summary reaches the portal."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from circles.models import PortalAccess
from conferences import services
from conferences.models import Invitation, MeetingType, MinutesVersion
from tests.conftest import signed_in
from tests.factories import UserFactory

from .conftest import meeting_type, tomorrow_at


def minutes_emails():
    """The minutes' emails sent (the invitations, waiting in the same outbox, went with them)."""
    return [m for m in mail.outbox if m.subject == "Meeting minutes are ready"]


@pytest.fixture
def ended(item, moira, alice, carol):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.minutes_update(
        actor=moira, item=item, minutes="Talked about school. SECRET-WORDS", base_version=1
    )
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    services.attendance_record(
        actor=moira, meeting=meeting, invitation=meeting.invitations.get(user=alice), status="present"
    )
    return services.meeting_end(actor=moira, meeting=meeting)


def test_the_minutes_fall_due_in_working_days_and_show_on_the_chairs_home(ended, moira):
    assert ended.minutes_due_on > timezone.localdate()
    page = signed_in(moira).get("/meetings/").content.decode()
    assert "Minutes to sign off" in page


def test_sign_off_locks_and_sends_a_link_only(ended, moira, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_sign_off(actor=moira, meeting=ended, base_url="https://alongside.example")
    assert MinutesVersion.objects.get(meeting=ended).number == 1
    assert [m.to for m in minutes_emails()] == [[alice.email]]
    body = minutes_emails()[0].body
    assert "SECRET-WORDS" not in body and f"/meetings/{ended.pk}/minutes/" in body
    assert alice.notifications.filter(kind="meeting.minutes").exists()
    item = ended.items.get()
    with pytest.raises(ValidationError, match="amend them with a reason"):
        services.minutes_update(actor=moira, item=item, minutes="Changed", base_version=item.version)


def test_editing_signed_minutes_on_the_page_points_to_amend(ended, moira):
    services.minutes_sign_off(actor=moira, meeting=ended)
    item = ended.items.get()
    response = signed_in(moira).post(
        f"/meetings/{ended.pk}/items/{item.pk}/minutes/", {"base_version": item.version}
    )
    assert response["Location"] == f"/meetings/{ended.pk}/items/{item.pk}/amend/"


def test_an_amendment_is_a_new_version_with_a_reason(ended, moira):
    services.minutes_sign_off(actor=moira, meeting=ended)
    item = ended.items.get()
    with pytest.raises(ValidationError, match="why"):
        services.minutes_amend(actor=moira, item=item, minutes="Fixed", reason="")
    services.minutes_amend(actor=moira, item=item, minutes="Fixed a name", reason="A name was wrong")
    versions = list(MinutesVersion.objects.filter(meeting=ended).order_by("number"))
    assert [v.number for v in versions] == [1, 2] and versions[1].reason == "A name was wrong"
    assert "SECRET-WORDS" in versions[0].snapshot[str(item.pk)]["minutes"]


def test_answering_twice_keeps_the_later_answer_and_the_history(item, carol):
    invitation = Invitation.objects.get(meeting=item.meeting, user=carol)
    services.invitation_answer(actor=carol, invitation=invitation, answer="attending")
    services.invitation_answer(actor=carol, invitation=invitation, answer="deputy", deputy_name="Dee Deputy")
    invitation.refresh_from_db()
    assert invitation.answer == "deputy" and invitation.deputy_name == "Dee Deputy"
    assert list(invitation.answers.values_list("answer", flat=True)) == ["attending", "deputy"]


def test_only_the_invitee_answers(item, bob, carol):
    invitation = Invitation.objects.get(meeting=item.meeting, user=carol)
    with pytest.raises(Exception, match="Only the person invited"):
        services.invitation_answer(actor=bob, invitation=invitation, answer="attending")


def test_apologies_are_sent_the_minutes_too(item, moira, carol, django_capture_on_commit_callbacks):
    services.invitation_answer(
        actor=carol, invitation=Invitation.objects.get(meeting=item.meeting, user=carol), answer="apologies"
    )
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    services.meeting_end(actor=moira, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_sign_off(actor=moira, meeting=meeting)
    assert [m.to for m in minutes_emails()] == [[carol.email]]


def test_the_family_summary_and_real_meetings_show_in_the_portal(moira, grace, alice):
    from conferences.models import Meeting

    portal_user = UserFactory(organisation=None, kind="client")
    PortalAccess.objects.create(user=portal_user, client=grace)
    from tests.factories import ConsentFactory

    ConsentFactory(client=grace, scope="conference", recorded_by=alice)
    taf = services.meeting_create(
        actor=moira,
        type=meeting_type("Team Around the Family"),
        title="Grace's TAF",
        starts_at=tomorrow_at(),
        place="Children's Centre",
    )
    item = services.agenda_item_add(actor=moira, meeting=taf, client=grace, reason="How things are going")
    browser = signed_in(portal_user)
    assert "Grace&#x27;s TAF" in browser.get("/portal/shared/").content.decode()
    page = browser.get("/portal/meetings/").content.decode()
    assert "Grace&#x27;s TAF" in page and "Children&#x27;s Centre" in page and "Alice Lead" in page
    browser.post(f"/portal/meetings/{item.pk}/say/", {"text": "I want to stay at my school"})
    assert item.contributions.get(kind="client_view").facts == "I want to stay at my school"
    Meeting.objects.filter(pk=taf.pk).update(status="in_progress")
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=60)
    )
    taf.refresh_from_db()
    services.meeting_end(actor=moira, meeting=taf)
    services.family_summary_write(actor=moira, meeting=taf, text="We agreed to help with school.")
    assert "We agreed to help with school." in browser.get("/portal/meetings/").content.decode()


def test_a_risk_panel_does_not_show_in_the_portal(item, grace):
    portal_user = UserFactory(organisation=None, kind="client")
    PortalAccess.objects.create(user=portal_user, client=grace)
    assert "Risk panel, December" not in signed_in(portal_user).get("/portal/meetings/").content.decode()
    assert not MeetingType.objects.get(name="Risk panel").family_invited
