"""Hidden members (a domestic-abuse adviser, say): the circle sees them; nobody outside it ever does."""

import datetime

import pytest
from django.utils import timezone

from circles import services
from circles.models import CircleMember, EmergencyAccess
from tests.access.conftest import element_text
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, MemberFactory, OrganisationFactory, UserFactory

OUTSIDERS = ["charlie", "manager", "police_admin"]


@pytest.fixture
def refuge(db):
    return OrganisationFactory(name="Safe Haven Refuge", kind="voluntary")


@pytest.fixture
def adviser(refuge):
    return UserFactory(
        email="ida@example.org", full_name="Ida Hidden-Adviser", organisation=refuge, phone="07700 900999"
    )


@pytest.fixture
def hidden(grace_born, alice, adviser):
    """Added through the service, as the lead would."""
    return services.circle_member_add(
        actor=alice, client=grace_born, kind="professional", user=adviser, role="advocate", is_hidden=True
    )


def page(client) -> str:
    return f"/clients/{client.public_id}/"


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_it_works(who, request, grace_born, hidden):
    user = request.getfixturevalue(who)

    circle = element_text(signed_in(user).get(page(grace_born)).content, "circle-members")
    assert "Ida Hidden-Adviser" in circle
    listed = api_as(user).get(f"/api/v1/clients/{grace_born.public_id}/members/")
    assert "Ida Hidden-Adviser" in {m["name"] for m in listed.data}
    one = api_as(user).get(f"/api/v1/clients/{grace_born.public_id}/members/{hidden.pk}/")
    assert one.status_code == 200


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_checks_access(who, request, grace_born, hidden):
    user = request.getfixturevalue(who)

    response = signed_in(user).get(page(grace_born))
    assert response.status_code == 200  # discovery
    circle = element_text(response.content, "circle-members")
    assert "Alice Lead" in circle
    html = response.content.decode()
    assert "Ida Hidden-Adviser" not in html
    assert "Safe Haven Refuge" not in html
    assert "07700 900999" not in html

    api = api_as(user)
    listed = api.get(f"/api/v1/clients/{grace_born.public_id}/members/", {"past": 1})
    assert "Ida Hidden-Adviser" not in listed.content.decode()
    assert hidden.pk not in {m["id"] for m in listed.data}
    assert api.get(f"/api/v1/clients/{grace_born.public_id}/members/{hidden.pk}/").status_code == 404

    found = signed_in(user).get("/clients/search/", {"q": grace_born.public_id})
    assert "Grace Okafor" in element_text(found.content, "search-results")
    assert "Ida Hidden-Adviser" not in found.content.decode()


def test_the_member_count_does_not_give_them_away(charlie, grace_born, hidden):
    listed = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/")
    assert len(listed.data) == 3  # Alice, Bob and Carol


def test_a_hidden_member_who_leaves_stays_hidden(alice, charlie, grace_born, hidden):
    services.circle_member_remove(actor=alice, client=grace_born, member=hidden)

    assert (
        api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/{hidden.pk}/").status_code == 404
    )
    past = api_as(alice).get(f"/api/v1/clients/{grace_born.public_id}/members/", {"past": 1})
    assert "Ida Hidden-Adviser" in {m["name"] for m in past.data}


def test_the_caseload_leaves_them_out(manager, grace_born, hidden):
    response = signed_in(manager).get("/organisation/caseload/")
    caseload = element_text(response.content, "caseload")
    assert "Grace Okafor" in caseload and "Carol Other-Org" in caseload
    assert "Ida Hidden-Adviser" not in response.content.decode()


def test_emergency_access_does_not_reveal_them(charlie, grace_born, hidden):
    EmergencyAccess.objects.create(
        client=grace_born,
        user=charlie,
        reason="Grace is in A&E and cannot speak",
        expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )

    response = signed_in(charlie).get(page(grace_born))
    assert element_text(response.content, "emergency-banner") is not None
    assert "Alice Lead" in element_text(response.content, "circle-members")
    assert "Ida Hidden-Adviser" not in response.content.decode()
    listed = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/")
    assert "Ida Hidden-Adviser" not in listed.content.decode()


def test_a_hidden_lead_is_not_named_to_outsiders(charlie, adviser):
    client = ClientFactory(given_name="Hope", family_name="Mensah", date_of_birth=datetime.date(2010, 1, 2))
    MemberFactory(
        client=client, user=adviser, is_lead=True, is_hidden=True, role=CircleMember.Role.LEAD_PROFESSIONAL
    )

    found = signed_in(charlie).get("/clients/search/", {"q": "Hope Mensah 02/01/2010"})
    assert "Hope Mensah" in element_text(found.content, "search-results")
    assert "Ida Hidden-Adviser" not in found.content.decode()
    detail = api_as(charlie).get(f"/api/v1/clients/{client.public_id}/")
    assert detail.status_code == 200
    assert detail.data["lead"] is None
    listed = api_as(charlie).get("/api/v1/clients/", {"q": client.public_id})
    assert "Ida Hidden-Adviser" not in listed.content.decode()


def test_emergency_access_does_not_reveal_them_after_they_leave(alice, charlie, grace_born, hidden):
    services.circle_member_remove(actor=alice, client=grace_born, member=hidden)
    services.emergency_access_start(
        actor=charlie, client=grace_born, reason="Grace is in A&E and cannot speak"
    )

    assert "Ida Hidden-Adviser" not in signed_in(charlie).get(page(grace_born)).content.decode()
    past = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/", {"past": 1})
    assert "Ida Hidden-Adviser" not in past.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_presence_does_not_reveal_them_to_emergency_access(charlie, adviser, grace_born, hidden):
    from channels.db import database_sync_to_async

    from tests.access.conftest import client_socket, receive_until

    await database_sync_to_async(services.emergency_access_start)(
        actor=charlie, client=grace_born, reason="Grace is in A&E and cannot speak"
    )
    as_adviser = await client_socket(adviser, grace_born)
    as_charlie = await client_socket(charlie, grace_born)
    try:
        # The adviser's page learns Charlie is here (members may know who looks at the record)...
        assert "Charlie Outsider" in str((await receive_until(as_adviser, "presence"))["people"])
        # ...but Charlie's must not learn the adviser is.
        assert await _never_names(as_charlie, "Ida Hidden-Adviser")
    finally:
        await as_adviser.disconnect()
        await as_charlie.disconnect()


async def _never_names(communicator, name: str) -> bool:
    while not await communicator.receive_nothing(timeout=0.3):
        if name in str(await communicator.receive_json_from()):
            return False
    return True


def test_the_note_form_does_not_list_them_under_emergency_access(alice, charlie, grace_born, hidden):
    # The control: the form lists the circle, Ida among them, for someone in it.
    assert "Ida Hidden-Adviser" in signed_in(alice).get(page(grace_born) + "notes/new/").content.decode()
    services.emergency_access_start(
        actor=charlie, client=grace_born, reason="Grace is in A&E and cannot speak"
    )

    response = signed_in(charlie).get(page(grace_born) + "notes/new/")

    # An emergency reader writes nothing, so is not given the form at all (a refusal names nobody)...
    assert response.status_code == 403
    # ...and should that change, the form must still leave her out.
    assert "Ida Hidden-Adviser" not in response.content.decode()
