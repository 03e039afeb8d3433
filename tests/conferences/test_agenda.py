"""Setting up: panels, meetings and the agenda, where every client needs a lawful basis."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from conferences import services
from conferences.models import AgendaItem, Invitation, Meeting, MeetingType
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory

from .conftest import tomorrow_at


def test_meeting_types_carry_their_defaults(db):
    taf = MeetingType.objects.get(name="Team Around the Family")
    risk = MeetingType.objects.get(name="Risk panel")
    assert taf.family_invited and not risk.family_invited
    assert risk.agenda_headings[0] == "The risk now"


def test_a_chair_arranges_a_meeting_and_standing_members_are_invited(meeting, charlie):
    assert meeting.chair.full_name == "Moira Lane"
    assert Invitation.objects.get(meeting=meeting, user=charlie).kind == Invitation.Kind.STANDING
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(meeting.pk)).exists()


def test_a_meeting_in_the_past_is_refused(moira, panel):
    with pytest.raises(ValidationError, match="future"):
        services.meeting_create(
            actor=moira,
            type=MeetingType.objects.first(),
            title="Yesterday",
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            place="Here",
        )
    assert not Meeting.objects.exists()


def test_a_meeting_more_than_two_years_ahead_is_refused(moira, panel):
    """In the year 9999 a meeting's end is past the last date Python holds: the client's FHIR export failed."""
    with pytest.raises(ValidationError, match="at most two years ahead"):
        services.meeting_create(
            actor=moira,
            type=MeetingType.objects.first(),
            title="Far off",
            starts_at=timezone.now() + datetime.timedelta(days=3 * 365),
            place="Here",
        )
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2999-01-01", "0001-01-01", "2026-02-30", "99999-01-01"])
def test_the_new_meeting_form_refuses_dates_out_of_reach(moira, day):
    response = signed_in(moira).post(
        "/meetings/new/",
        {
            "type": MeetingType.objects.first().pk,
            "title": "Far off",
            "date": day,
            "time": "23:00",
            "duration_minutes": "480",
            "place": "Here",
        },
    )

    assert response.status_code == 400
    assert 'id="id_date-error"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_checks_who_arranges_meetings(alice):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=alice, type=MeetingType.objects.first(), title="Mine", starts_at=tomorrow_at(), place="Here"
        )


def test_a_client_with_consent_goes_on_the_agenda_and_the_circle_is_invited(item, alice, bob, carol):
    assert item.basis == AgendaItem.Basis.CONSENT and item.consent is not None
    invited = set(Invitation.objects.filter(meeting=item.meeting).values_list("user__email", flat=True))
    assert {alice.email, bob.email, carol.email, "charlie@example.org"} <= invited
    assert item.minutes.startswith("The risk now:")  # the type's standard agenda


def test_without_consent_needs_a_reason_which_is_audited(meeting, moira, grace):
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="Worries")
    assert "has not agreed" in str(refused.value)
    assert not AgendaItem.objects.exists()
    assert not Invitation.objects.filter(kind=Invitation.Kind.CIRCLE).exists()  # nothing half-written

    item = services.agenda_item_add(
        actor=moira,
        meeting=meeting,
        client=grace,
        reason="Worries",
        without_consent_reason="Risk of serious harm",
    )
    assert item.basis == AgendaItem.Basis.WITHOUT_CONSENT
    row = AuditEvent.objects.get(action="meeting.without_consent")
    assert row.client == grace and row.after["reason"] == "Risk of serious harm"


def test_the_circles_lead_may_add_their_client_and_nobody_else_may(
    meeting, alice, bob, grace, conference_consent
):
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=bob, meeting=meeting, client=grace, reason="Worries")
    item = services.agenda_item_add(actor=alice, meeting=meeting, client=grace, reason="Worries")
    assert item.added_by == alice


def test_the_same_client_twice_is_refused(item, moira, grace):
    with pytest.raises(ValidationError, match="already on"):
        services.agenda_item_add(actor=moira, meeting=item.meeting, client=grace, reason="Again")


def test_hidden_members_are_not_invited(meeting, moira, grace, conference_consent):
    hidden = MemberFactory(client=grace, is_hidden=True)
    services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="Worries")
    assert not Invitation.objects.filter(user=hidden.user).exists()


def test_the_agenda_page_shows_a_clear_message_without_a_basis(meeting, moira):
    client = ClientFactory(given_name="Nadia")
    response = signed_in(moira).post(
        f"/meetings/{meeting.pk}/agenda/add/",
        {"client": client.public_id, "reason": "Worries", "slot_minutes": 20},
    )
    assert response.status_code == 400
    assert "Nadia has not agreed to be discussed at a case conference" in response.content.decode()


def test_a_chairs_home_page_is_my_meetings(moira, meeting):
    browser = signed_in(moira)
    assert browser.get("/")["Location"] == "/meetings/"
    page = browser.get("/meetings/").content.decode()
    assert "Risk panel, December" in page and "Upcoming" in page


def test_invitations_are_emailed_with_a_link_only(
    meeting, moira, grace, conference_consent, django_capture_on_commit_callbacks
):
    from django.core import mail

    from circles.models import PortalAccess
    from tests.factories import FamilyMemberFactory, UserFactory

    grace.email = "grace@example.net"
    grace.save(update_fields=["email"])
    PortalAccess.objects.create(user=UserFactory(organisation=None, kind="client"), client=grace)
    FamilyMemberFactory(client=grace, name="Ama Okafor", email="ama@example.net")
    meeting.family_invited = True
    meeting.save(update_fields=["family_invited"])
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_add(
            actor=moira,
            meeting=meeting,
            client=grace,
            reason="Worries about school",
            base_url="https://a.example",
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert {"alice@example.org", "grace@example.net", "ama@example.net"} <= set(sent)
    assert "https://a.example/portal/meetings/" in sent["ama@example.net"].body
    assert f"https://a.example/meetings/{meeting.pk}/" in sent["alice@example.org"].body
    for message in mail.outbox:
        assert "Grace" not in message.body + message.subject and "school" not in message.body
