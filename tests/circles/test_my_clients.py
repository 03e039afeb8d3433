"""My clients: the circles I am in now, with public ID, stage, lead and latest activity."""

import datetime

import pytest
from django.utils import timezone

from circles import services
from circles.models import CircleMember
from sharing.services import note_create
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory, OrganisationFactory, UserFactory

URL = "/clients/"


def listed(response) -> list[str]:
    return [client.public_id for client in response.context["clients"]]


def test_it_works(as_alice, grace):
    two_days_ago = timezone.now() - datetime.timedelta(days=2, minutes=5)
    type(grace).objects.filter(pk=grace.pk).update(last_activity_at=two_days_ago)

    response = as_alice.get(URL)

    assert response.status_code == 200
    assert listed(response) == [grace.public_id]
    html = response.content.decode()
    assert "Grace Okafor" in html
    assert f'<span class="app-public-id">{grace.public_id}</span>' in html
    assert "Intake" in html
    assert "Alice Lead, Early Help" in html
    assert f'datetime="{timezone.localtime(two_days_ago).isoformat()}"' in html
    assert "2\xa0days ago</time>" in html  # the number and its unit stay together


def test_it_shows_the_time_in_the_current_stage(alice, as_alice, grace):
    three_weeks_ago = timezone.now() - datetime.timedelta(days=22)
    type(grace).objects.filter(pk=grace.pk).update(stage="planning", stage_since=three_weeks_ago)
    html = as_alice.get(URL).content.decode()
    assert "Planning" in html and "for <time" in html and "3\xa0weeks</time>" in html


def test_closed_cases_leave_my_clients_but_stay_searchable(alice, as_alice, grace):
    services.client_stage_change(
        actor=alice, client=grace, stage="closed", reason="All goals met", outcome="goals_met"
    )
    assert listed(as_alice.get(URL)) == []
    found = as_alice.get("/clients/search/", {"q": "Grace"}).content.decode()
    assert grace.public_id in found and "Closed" in found


def test_it_checks_access(client, as_charlie, grace):
    assert listed(as_charlie.get(URL)) == []
    assert grace.public_id not in as_charlie.get(URL).content.decode()

    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_members_who_are_not_lead_see_the_client_with_its_lead(as_carol, grace):
    response = as_carol.get(URL)
    assert listed(response) == [grace.public_id]
    assert "Alice Lead, Early Help" in response.content.decode()


def test_a_removed_member_no_longer_sees_the_client(alice, bob, grace):
    membership = CircleMember.objects.get(client=grace, user=bob)
    assert listed(signed_in(bob).get(URL)) == [grace.public_id]

    services.circle_member_remove(actor=alice, client=grace, member=membership)

    assert listed(signed_in(bob).get(URL)) == []
    # …while the others still do.
    assert listed(signed_in(alice).get(URL)) == [grace.public_id]


def test_it_lists_most_recent_activity_first(alice, as_alice, grace):
    quiet = ClientFactory(given_name="Quiet", last_activity_at=timezone.now() - datetime.timedelta(days=30))
    busy = ClientFactory(given_name="Busy", last_activity_at=timezone.now() - datetime.timedelta(days=60))
    for client in (quiet, busy):
        MemberFactory(client=client, user=alice, is_lead=True)
    type(grace).objects.filter(pk=grace.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=90)
    )

    assert listed(as_alice.get(URL)) == [quiet.public_id, busy.public_id, grace.public_id]

    # A note (any write) makes a client the most recent.
    note_create(actor=alice, client=grace, text="Phoned Grace.")
    assert listed(as_alice.get(URL)) == [grace.public_id, quiet.public_id, busy.public_id]


def test_it_says_so_when_there_are_no_clients(as_charlie):
    response = as_charlie.get(URL)
    assert "You are not in anyone's circle yet." in response.content.decode()


@pytest.mark.parametrize("clients", [1, 20])
def test_query_count_stays_flat(alice, django_assert_num_queries, clients):
    for _ in range(clients):
        client = ClientFactory()
        MemberFactory(client=client, user=alice)
        # Each client led by someone else, from another organisation: the lead's name and agency are shown.
        lead = UserFactory(organisation=OrganisationFactory())
        MemberFactory(client=client, user=lead, is_lead=True)
    browser = signed_in(alice)

    # 1. the session, 2. the signed-in user with their organisation (one join; does it require two-factor?),
    # 3. the clients in my current circles, 4. their current leads with user and organisation (one prefetch
    # for all clients), 5. my last visits to them (the outbox and consents are read only for clients with
    # events I have not seen: none here; see tests/overview for those), 6. unread notifications (page
    # header), 7–9. SAVEPOINT, UPDATE the session (saved on every request, for the idle timeout), RELEASE
    # SAVEPOINT.
    with django_assert_num_queries(9):
        response = browser.get(URL)

    assert len(listed(response)) == clients
