"""Case conferences' reminder kinds: meetings coming up (the invited, and the client in the portal), and
minutes waiting for the chair's sign-off, overdue said so. Flat in the number of clients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles.models import Consent, PortalAccess
from conferences import reminder_kinds, services
from conferences.models import Invitation, Meeting
from network.models import User
from reminders import scan
from reminders.registry import registry
from tests.factories import ClientFactory, ConsentFactory, MemberFactory, UserFactory

from .conftest import meeting_type, tomorrow_at

pytestmark = pytest.mark.django_db


def mine(user, reminders, kind):
    return sorted(r.text for r in reminders if r.user_id == user.pk and r.kind == kind)


def test_the_kinds_are_registered_when_django_starts():
    assert {"meeting.upcoming", "meeting.minutes_sign_off", "portal.meetings"} <= {k.name for k in registry}
    assert registry.get("portal.meetings").for_portal


def test_everyone_invited_hears_of_a_meeting_tomorrow_except_who_sent_apologies(
    item, meeting, moira, charlie, alice, bob
):
    Invitation.objects.filter(meeting=meeting, user=bob).update(answer=Invitation.Answer.APOLOGIES)
    found = scan.collect(timezone.localdate())
    when = timezone.localtime(meeting.starts_at).strftime("%-d %B at %H:%M")
    for person in (moira, charlie, alice):
        assert mine(person, found, "meeting.upcoming") == [f"Risk panel, December is on {when}."]
    assert mine(bob, found, "meeting.upcoming") == []


def test_a_meeting_next_week_is_not_yet_a_reminder(moira, panel):
    services.meeting_create(
        actor=moira,
        type=meeting_type("Risk panel"),
        title="Later",
        starts_at=tomorrow_at() + datetime.timedelta(days=6),
        panel=panel,
        place="Here",
        minute_taker=None,
    )
    assert [r for r in scan.collect(timezone.localdate()) if r.kind == "meeting.upcoming"] == []


def test_the_chair_is_told_of_minutes_to_sign_off_and_overdue_is_said(item, meeting, moira, alice):
    today = timezone.localdate()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.ENDED, minutes_due_on=today - datetime.timedelta(days=1)
    )
    found = scan.collect(today)
    due = (today - datetime.timedelta(days=1)).strftime("%-d %B")
    assert mine(moira, found, "meeting.minutes_sign_off") == [
        f"The minutes of Risk panel, December were due for sign-off on {due}: overdue."
    ]
    assert mine(alice, found, "meeting.minutes_sign_off") == []  # the chair's job only
    Meeting.objects.filter(pk=meeting.pk).update(minutes_status=Meeting.Minutes.SIGNED)
    assert mine(moira, scan.collect(today), "meeting.minutes_sign_off") == []


def test_minutes_due_next_week_are_not_yet_a_reminder(item, meeting, moira):
    today = timezone.localdate()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.ENDED, minutes_due_on=today + datetime.timedelta(days=7)
    )
    assert mine(moira, scan.collect(today), "meeting.minutes_sign_off") == []


def portal_user(client):
    user = UserFactory(organisation=None, kind=User.Kind.CLIENT)
    PortalAccess.objects.create(user=user, client=client)
    return user


def test_the_client_hears_in_the_portal_of_a_meeting_the_family_is_invited_to(moira, grace, alice):
    ConsentFactory(client=grace, scope=Consent.Scope.CONFERENCE, recorded_by=alice)
    jade = portal_user(grace)
    taf = services.meeting_create(
        actor=moira,
        type=meeting_type("Team Around the Family"),
        title="Okafor family TAF",
        starts_at=tomorrow_at(),
        place="School",
        minute_taker=None,
    )
    services.agenda_item_add(actor=moira, meeting=taf, client=grace, reason="Review")
    found = scan.collect(timezone.localdate())
    when = timezone.localtime(taf.starts_at).strftime("%-d %B at %H:%M")
    assert mine(jade, found, "portal.meetings") == [f"Your Team Around the Family meeting is on {when}."]
    assert mine(jade, found, "meeting.upcoming") == []  # not a professional's reminder
    # Off until she chooses it, as the portal's other reminders.
    assert not [p for p in scan.plans_for(found) if p.user == jade]


def test_the_client_hears_nothing_of_a_meeting_the_family_is_not_invited_to(item, grace):
    jade = portal_user(grace)
    assert mine(jade, scan.collect(timezone.localdate()), "portal.meetings") == []


def test_a_hidden_member_is_neither_invited_nor_reminded_nor_named(meeting, moira, grace, conference_consent):
    hidden = MemberFactory(client=grace, is_hidden=True)
    services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="Worries")
    found = scan.collect(timezone.localdate())
    assert mine(hidden.user, found, "meeting.upcoming") == []
    assert not any(hidden.user.full_name in r.text for r in found)


@pytest.mark.parametrize("clients", [1, 12])
def test_the_query_count_is_flat_in_the_number_of_clients(moira, panel, alice, clients):
    today = timezone.localdate()
    for n in range(clients):
        client = ClientFactory(given_name=f"C{n}")
        MemberFactory(client=client, user=alice, is_lead=True, role="lead_professional")
        ConsentFactory(client=client, scope=Consent.Scope.CONFERENCE, recorded_by=alice)
        portal_user(client)
        for name in ("Team Around the Family", "Risk panel"):
            meeting = services.meeting_create(
                actor=moira,
                type=meeting_type(name),
                title=f"{name} {n}",
                starts_at=tomorrow_at(),
                panel=panel if name == "Risk panel" else None,
                place="Here",
                minute_taker=None,
            )
            services.agenda_item_add(actor=moira, meeting=meeting, client=client, reason="Worries")
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ENDED, minutes_due_on=today)
    with CaptureQueriesContext(connection) as queries:
        upcoming = list(reminder_kinds.meetings_coming_up(today))
    assert len(queries) == 2  # 1. the meetings coming up, 2. their invitations
    # The TAF's chair and Alice (with the circle); the risk panel has ended.
    assert len(upcoming) == clients * 2
    with CaptureQueriesContext(connection) as queries:
        portal = list(reminder_kinds.portal_meetings_coming_up(today))
    assert len(queries) == 2  # 1. the agenda items of meetings coming up, 2. the clients' portal accounts
    assert len(portal) == clients  # the TAF each
    with CaptureQueriesContext(connection) as queries:
        minutes = list(reminder_kinds.minutes_to_sign_off(today))
    assert len(queries) == 1  # the meetings whose minutes are due, with their chair
    assert len(minutes) == clients
