"""Agency managers see their organisation's caseload at /organisation/caseload/: which clients their people
work with, and who else is in each circle. Who works with whom, never what is written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circles import services
from tests.access.conftest import element_text, membership, note_texts_in
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, MemberFactory, NoteFactory, UserFactory

CASELOAD = "/organisation/caseload/"


def test_it_works(manager, grace, notes):
    response = signed_in(manager).get(CASELOAD)

    assert response.status_code == 200
    caseload = element_text(response.content, "caseload")
    assert "Grace Okafor" in caseload and grace.public_id in caseload
    # Who works with whom, other organisations included...
    assert "Alice Lead (lead), Early Help" in caseload
    assert "Carol Other-Org, Community Health" in caseload
    # ...and nothing anyone wrote.
    assert note_texts_in(response.content.decode()) == set()


def test_admins_see_it_too(eh_admin, grace):
    assert "Grace Okafor" in element_text(signed_in(eh_admin).get(CASELOAD).content, "caseload")


@pytest.mark.parametrize("who", ["alice", "bob", "panel_chair", "site_admin", "portal_user"])
def test_it_checks_access(who, request, grace):
    user = request.getfixturevalue(who)
    response = signed_in(user).get(CASELOAD)
    assert response.status_code == 403
    assert "Grace Okafor" not in response.content.decode()


def test_it_checks_sign_in(client):
    response = client.get(CASELOAD)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_shows_only_clients_their_own_people_work_with(manager, grace, carol, charlie):
    health_only = ClientFactory(given_name="Harriet", family_name="Health-Only")
    MemberFactory(client=health_only, user=carol, is_lead=True, role="lead_professional")
    police_only = ClientFactory(given_name="Percival", family_name="Police-Only")
    MemberFactory(client=police_only, user=charlie, is_lead=True, role="lead_professional")

    caseload = element_text(signed_in(manager).get(CASELOAD).content, "caseload")

    assert "Grace Okafor" in caseload
    assert "Harriet" not in caseload and "Percival" not in caseload


def test_another_organisations_manager_sees_their_own(grace, health, carol):
    health_manager = UserFactory(organisation=health, org_role="manager")
    caseload = element_text(signed_in(health_manager).get(CASELOAD).content, "caseload")
    assert "Grace Okafor" in caseload  # Carol, from Health, is in Grace's circle


def test_a_client_drops_off_when_their_people_leave(alice, manager, early_help):
    """Early Help hands Hope over to Health: once nobody from Early Help is in her circle, she is not theirs."""
    from tests.factories import UserFactory as Person

    hope = services.client_create(actor=alice, given_name="Hope", family_name="Mensah")
    assert "Hope Mensah" in element_text(signed_in(manager).get(CASELOAD).content, "caseload")
    nurse = Person(full_name="Nia Nurse", organisation=UserFactory().organisation)
    services.circle_member_add(actor=alice, client=hope, kind="professional", user=nurse, role="nurse")
    services.circle_lead_change(actor=alice, client=hope, member=membership(hope, nurse))
    services.circle_member_remove(actor=nurse, client=hope, member=membership(hope, alice))

    assert "Hope Mensah" not in element_text(signed_in(manager).get(CASELOAD).content, "caseload")


def test_a_manager_sees_who_is_involved_but_no_notes(manager, grace, notes):
    """From the caseload to the client: the discovery page, unless the manager is in the circle."""
    response = signed_in(manager).get(f"/clients/{grace.public_id}/")
    assert [t.name for t in response.templates][0] == "circles/client_discover.html"
    assert note_texts_in(response.content.decode()) == set()
    assert api_as(manager).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    assert (
        signed_in(manager).get(f"/clients/{grace.public_id}/notes/{notes['alice_org'].pk}/").status_code
        == 404
    )


def test_a_manager_in_a_circle_reads_it_like_any_member(manager, grace, notes):
    MemberFactory(client=grace, user=manager)
    assert "ALICE-EARLY-HELP-ONLY" in note_texts_in(
        signed_in(manager).get(f"/clients/{grace.public_id}/").content.decode()
    )


def test_query_count_stays_flat(manager, early_help):
    worker = UserFactory(organisation=early_help)
    browser = signed_in(manager)

    def add_clients(how_many):
        for _ in range(how_many):
            client = ClientFactory()
            MemberFactory(client=client, user=worker, is_lead=True, role="lead_professional")
            MemberFactory(client=client)
            NoteFactory(client=client, author=worker)

    def count_queries(expected_clients):
        browser.get(CASELOAD)  # warm up (content types and the like)
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(CASELOAD)
        assert element_text(response.content, "caseload").count("(lead)") == expected_clients
        return [q["sql"] for q in queries]

    add_clients(1)
    one = count_queries(1)
    add_clients(19)
    twenty = count_queries(20)

    # Session, user, organisation (two-factor), unread notifications, clients, their members, session save:
    # the same for 1 client as for 20.
    assert len(twenty) == len(one), "\n".join(twenty)
