"""/api/v1/clients/: my clients, search, one client, and adding a client."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from circles import public_id
from circles.models import CircleMember, Client
from circles.services import circle_member_remove
from network.models import User
from tests.conftest import api_as
from tests.factories import ClientFactory, MemberFactory, OrganisationFactory, UserFactory

LIST = "/api/v1/clients/"


def detail(client) -> str:
    return f"/api/v1/clients/{client.public_id}/"


def test_it_works(alice, grace):
    response = api_as(alice).get(LIST)

    assert response.status_code == 200
    assert response.data["count"] == 1
    (row,) = response.data["results"]
    assert row["public_id"] == grace.public_id
    assert (row["given_name"], row["family_name"]) == ("Grace", "Okafor")
    assert row["stage"] == "Intake"
    assert row["lead"] == {"name": "Alice Lead", "organisation": "Early Help"}
    assert row["last_activity_at"]


def test_it_checks_access(charlie, early_help, grace):
    assert api_as(charlie).get(LIST).data["count"] == 0
    assert api_as(charlie).get(LIST, {"q": "Grace"}).data["count"] == 0
    # A precise search (an ID) finds a client outside one's circles: discovery, as on the page.
    assert [r["public_id"] for r in api_as(charlie).get(LIST, {"q": grace.public_id}).data["results"]] == [
        grace.public_id
    ]
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    assert api_as(chair).get(LIST, {"q": grace.public_id}).data["count"] == 0
    assert APIClient().get(LIST).status_code in (401, 403)
    portal_user = UserFactory(organisation=None, kind=User.Kind.CLIENT)
    assert api_as(portal_user).get(LIST).status_code == 403


def test_the_detail_works(carol, grace):
    response = api_as(carol).get(detail(grace))
    assert response.status_code == 200
    assert response.data["public_id"] == grace.public_id
    assert response.data["lead"] == {"name": "Alice Lead", "organisation": "Early Help"}


def test_the_detail_checks_access(charlie, early_help, grace):
    # An outsider who may look clients up gets the client (to see who is involved), recorded as such.
    assert api_as(charlie).get(detail(grace)).status_code == 200
    assert AuditEvent.objects.get(client=grace).action == "client.discover"
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    assert api_as(chair).get(detail(grace)).status_code == 404
    assert APIClient().get(detail(grace)).status_code in (401, 403)
    assert not AuditEvent.objects.filter(action="client.view").exists()


def test_the_detail_records_the_view(bob, grace):
    api_as(bob).get(detail(grace))
    event = AuditEvent.objects.get(action="client.view")
    assert (event.actor, event.client, event.via) == (bob, grace, "api")


def test_the_detail_reads_ids_forgivingly(alice, grace):
    response = api_as(alice).get(f"/api/v1/clients/{grace.public_id.lower().replace('-', '')}/")
    assert response.status_code == 200
    assert response.data["public_id"] == grace.public_id


def test_search_works(alice, grace):
    grace.date_of_birth = datetime.date(1992, 3, 14)
    grace.save()
    api = api_as(alice)
    for query in ("oka", "14/03/1992", grace.public_id.lower()):
        response = api.get(LIST, {"q": query})
        assert [row["public_id"] for row in response.data["results"]] == [grace.public_id], query


def test_a_removed_member_loses_the_record_at_once(alice, bob, grace):
    circle_member_remove(actor=alice, client=grace, member=CircleMember.objects.get(client=grace, user=bob))
    assert api_as(bob).get(LIST).data["count"] == 0
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    # Bob is still a practitioner: he may look Grace up like anyone outside her circle.
    api_as(bob).get(detail(grace))
    assert AuditEvent.objects.filter(actor=bob).values_list("action", flat=True).get() == "client.discover"


def test_searches_through_the_api_are_recorded(charlie, grace):
    api_as(charlie).get(LIST, {"q": grace.public_id})
    row = AuditEvent.objects.get(action="client.search")
    assert (row.actor, row.after) == (charlie, {"query": grace.public_id, "results": 1})


def test_adding_works(alice):
    response = api_as(alice).post(
        LIST,
        {
            "given_name": "Amara",
            "family_name": "Mensah",
            "date_of_birth": "2016-03-14",
            "lead_role": "key_worker",
        },
        format="json",
    )

    assert response.status_code == 201
    client = Client.objects.get()
    assert response.data["public_id"] == client.public_id == public_id.normalise(client.public_id)
    assert response.data["lead"] == {"name": "Alice Lead", "organisation": "Early Help"}
    assert client.date_of_birth == datetime.date(2016, 3, 14)
    lead = CircleMember.objects.get(client=client)
    assert (lead.user, lead.is_lead, lead.role) == (alice, True, "key_worker")
    # The new client is now in Alice's list.
    assert api_as(alice).get(LIST).data["results"][0]["public_id"] == client.public_id


def test_adding_checks_access(db):
    assert APIClient().post(LIST, {"given_name": "A", "family_name": "B"}, format="json").status_code in (
        401,
        403,
    )
    loner = UserFactory(organisation=None)
    assert api_as(loner).post(LIST, {"given_name": "A", "family_name": "B"}, format="json").status_code == 403
    assert not Client.objects.exists()


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "body,field,message",
    [
        ({"family_name": "Mensah"}, "given_name", "This field is required."),
        ({"given_name": "Amara"}, "family_name", "This field is required."),
        ({"given_name": "", "family_name": "Mensah"}, "given_name", "This field may not be blank."),
        ({"given_name": "\x01", "family_name": "Mensah"}, "given_name", "Enter the client's first name."),
        ({"given_name": "A" * 101, "family_name": "Mensah"}, "given_name", "no more than 100 characters"),
        (
            {"given_name": "A", "family_name": "B", "date_of_birth": TOMORROW},
            "date_of_birth",
            "today or in the past",
        ),
        (
            {"given_name": "A", "family_name": "B", "date_of_birth": "1992-02-31"},
            "date_of_birth",
            "Date has wrong format",
        ),
        (
            {"given_name": "A", "family_name": "B", "date_of_birth": "31/02/1992"},
            "date_of_birth",
            "Date has wrong format",
        ),
        ({"given_name": "A", "family_name": "B", "lead_role": "carer"}, "lead_role", "is not a valid choice"),
    ],
)
def test_bad_input_gives_a_400_in_words_and_creates_nothing(alice, body, field, message):
    response = api_as(alice).post(LIST, body, format="json")

    assert response.status_code == 400
    assert any(message in str(error) for error in response.data[field]), response.data
    assert not Client.objects.exists()
    assert not CircleMember.objects.exists()


@pytest.mark.parametrize("clients", [1, 20])
def test_query_count_stays_flat(alice, django_assert_num_queries, clients):
    for _ in range(clients):
        client = ClientFactory()
        MemberFactory(client=client, user=alice)
        MemberFactory(client=client, user=UserFactory(organisation=OrganisationFactory()), is_lead=True)
    api = api_as(alice)  # token-style authentication: no session queries

    # 1. count of my current clients (pagination), 2. the page of clients,
    # 3. their current leads with user and organisation (one prefetch).
    with django_assert_num_queries(3):
        response = api.get(LIST)

    assert response.data["count"] == clients
    assert all(row["lead"] for row in response.data["results"])
