"""The lead sees "Who has looked at this record" on the client page: every reader, how often, when last,
and whether under emergency access. Nobody else sees it."""

import pytest

from circles import services
from tests.access.conftest import element_text, membership
from tests.conftest import api_as, signed_in


def page(client) -> str:
    return f"/clients/{client.public_id}/"


def readers_seen_by(user, client) -> str | None:
    return element_text(signed_in(user).get(page(client)).content, "readers")


def test_it_works(alice, bob, carol, grace, notes):
    signed_in(bob).get(page(grace))
    signed_in(bob).get(page(grace))
    api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/")

    readers = readers_seen_by(alice, grace)

    assert "Who has looked at this record" in readers
    assert "Bob Same-Org, Early Help" in readers and "(2 times)" in readers
    assert "Carol Other-Org, Community Health" in readers and "(1 time)" in readers
    assert "Emergency" not in readers


def test_it_covers_the_last_ninety_days(alice, bob, carol, grace):
    """The page reads a season of audit rows, not the record's whole history (the audit export has that)."""
    import datetime

    from django.utils import timezone

    from audit.models import AuditEvent

    long_ago = timezone.now() - datetime.timedelta(days=91)
    AuditEvent.objects.create(at=long_ago, actor=carol, action="client.view", client=grace, via="web")
    signed_in(bob).get(page(grace))

    readers = readers_seen_by(alice, grace)
    assert "In the last 90 days" in readers
    assert "Bob Same-Org" in readers and "Carol Other-Org" not in readers


def test_looking_someone_up_counts_as_a_look(alice, charlie, grace):
    signed_in(charlie).get(page(grace))
    assert "Charlie Outsider, Police" in readers_seen_by(alice, grace)


def test_emergency_readers_stand_out(alice, charlie, grace):
    services.emergency_access_start(actor=charlie, client=grace, reason="Grace is in A&E, need her history")
    signed_in(charlie).get(page(grace))

    readers = readers_seen_by(alice, grace)
    assert "Charlie Outsider, Police" in readers and "Emergency" in readers


def test_writing_is_not_reading(alice, bob, grace):
    from sharing.services import note_create

    note_create(actor=bob, client=grace, text="Written without looking")
    assert "Bob Same-Org" not in readers_seen_by(alice, grace)


def test_refused_looks_are_not_listed(alice, panel_chair, grace):
    signed_in(panel_chair).get(page(grace))
    assert "Pat Panel-Chair" not in readers_seen_by(alice, grace)


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_it_checks_access(who, request, alice, grace):
    user = request.getfixturevalue(who)
    signed_in(alice).get(page(grace))

    response = signed_in(user).get(page(grace))

    assert response.status_code == 200
    assert element_text(response.content, "readers") is None
    assert "Who has looked at this record" not in response.content.decode()


@pytest.mark.parametrize("who", ["charlie", "manager", "eh_admin"])
def test_outsiders_do_not_see_it(who, request, bob, grace):
    user = request.getfixturevalue(who)
    signed_in(bob).get(page(grace))

    response = signed_in(user).get(page(grace))

    assert response.status_code == 200  # who is involved, and no more
    assert "Who has looked at this record" not in response.content.decode()
    assert "time)" not in response.content.decode()


def test_under_emergency_access_it_is_not_shown(charlie, bob, grace):
    services.emergency_access_start(actor=charlie, client=grace, reason="Grace is in A&E, need her history")
    signed_in(bob).get(page(grace))
    assert readers_seen_by(charlie, grace) is None


def test_it_follows_the_lead(alice, bob, grace):
    signed_in(bob).get(page(grace))
    services.circle_lead_change(actor=alice, client=grace, member=membership(grace, bob))

    assert readers_seen_by(alice, grace) is None
    assert "Alice Lead" in readers_seen_by(bob, grace)


def test_reading_the_timeline_counts_as_a_look(alice, bob, grace, notes):
    response = signed_in(bob).get(page(grace) + "timeline/")
    assert response.status_code == 200 and "BOB-CIRCLE" in response.content.decode()

    assert "Bob Same-Org" in readers_seen_by(alice, grace)


def test_reading_the_plan_counts_as_a_look(alice, bob, grace):
    response = api_as(bob).get(f"/api/v1/clients/{grace.public_id}/plan/")
    assert response.status_code == 200

    assert "Bob Same-Org" in readers_seen_by(alice, grace)


def test_looking_someone_up_through_the_api_counts_as_a_look(alice, charlie, grace):
    response = api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/members/")
    assert response.status_code == 200

    assert "Charlie Outsider" in readers_seen_by(alice, grace)


def test_reading_consent_records_counts_as_a_look(alice, carol, grace):
    response = api_as(carol).get(f"/api/v1/clients/{grace.public_id}/consents/")
    assert response.status_code == 200 and response.data

    assert "Carol Other-Org" in readers_seen_by(alice, grace)
