"""Discovery: a practitioner, manager or admin outside the circle may look a client up (by public ID, or by
name *and* date of birth) and see who is involved, but not the record. Panel chairs, the site
administrator and portal users may not look anyone up."""

import pytest

from audit.models import AuditEvent
from tests.access.conftest import element_text, note_texts_in, public_id_with
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, UserFactory

DISCOVERERS = ["charlie", "manager", "police_admin"]
NOT_DISCOVERERS = ["panel_chair", "site_admin", "portal_user"]


def page(client) -> str:
    return f"/clients/{client.public_id}/"


@pytest.mark.parametrize("who", DISCOVERERS)
def test_it_works(who, request, grace_born, notes):
    user = request.getfixturevalue(who)
    browser = signed_in(user)

    found = browser.get("/clients/search/", {"q": grace_born.public_id})
    assert element_text(found.content, "search-results") is not None
    assert "Grace Okafor" in element_text(found.content, "search-results")
    assert "Not in your circles" in element_text(found.content, "search-results")

    response = browser.get(page(grace_born))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "circles/client_discover.html"
    circle = element_text(response.content, "circle-members")
    assert "Alice Lead" in circle and "Bob Same-Org" in circle and "Carol Other-Org" in circle
    # Who is involved, never what is written.
    assert note_texts_in(response.content.decode()) == set()
    assert element_text(response.content, "notes-list") is None


@pytest.mark.parametrize("who", NOT_DISCOVERERS)
def test_it_checks_the_role(who, request, grace_born, notes):
    user = request.getfixturevalue(who)
    browser = signed_in(user)
    # Portal users are turned away from every professional page (403); the others find nobody (404).
    refused = (403, 404) if who == "portal_user" else (404,)

    for query in (grace_born.public_id, "Grace 14/03/2016"):
        response = browser.get("/clients/search/", {"q": query})
        assert response.status_code in (200, *refused)
        assert element_text(response.content, "search-results") is None
        if response.status_code == 200:
            assert "0 results for" in response.content.decode()
        api_search = api_as(user).get("/api/v1/clients/", {"q": query})
        assert api_search.status_code in (200, *refused)
        if api_search.status_code == 200:
            assert api_search.data["results"] == []

    assert browser.get(page(grace_born)).status_code in refused
    assert api_as(user).get(f"/api/v1/clients/{grace_born.public_id}/").status_code in refused
    assert api_as(user).get(f"/api/v1/clients/{grace_born.public_id}/members/").status_code in refused


def test_a_portal_user_may_not_discover_even_with_an_organisation(grace_born, early_help):
    """The kind of account decides, not what else happens to be filled in."""
    user = UserFactory(kind="family", organisation=early_help, org_role="practitioner")

    assert signed_in(user).get(page(grace_born)).status_code in (403, 404)
    assert api_as(user).get(f"/api/v1/clients/{grace_born.public_id}/members/").status_code in (403, 404)


def test_it_checks_sign_in(client, grace_born):
    response = client.get(page(grace_born))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/v1/clients/{grace_born.public_id}/").status_code in (401, 403)
    assert client.get(f"/api/v1/clients/{grace_born.public_id}/members/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Grace 14/03/2016", True),
        ("okafor 2016-03-14", True),
        ("Grace Okafor 14.3.2016", True),
        ("Grace", False),  # a name alone would let anyone browse everyone called Grace
        ("Okafor", False),
        ("14/03/2016", False),  # so would a date alone
        ("Grace 15/03/2016", False),
        ("Mary 14/03/2016", False),
    ],
)
def test_outside_the_circle_it_takes_a_name_and_a_date_of_birth(query, found, charlie, grace_born):
    response = signed_in(charlie).get("/clients/search/", {"q": query})
    results = element_text(response.content, "search-results") or ""
    assert ("Grace Okafor" in results) is found

    api = api_as(charlie).get("/api/v1/clients/", {"q": query})
    assert [c["public_id"] for c in api.data["results"]] == ([grace_born.public_id] if found else [])


def test_an_id_without_digits_is_still_found(charlie, grace_born):
    grace_born.public_id = public_id_with(digits=False)
    grace_born.save(update_fields=["public_id"])

    response = api_as(charlie).get("/api/v1/clients/", {"q": grace_born.public_id})
    assert [c["public_id"] for c in response.data["results"]] == [grace_born.public_id]


def test_inside_the_circle_a_name_alone_finds_the_client(bob, grace_born):
    response = signed_in(bob).get("/clients/search/", {"q": "Grace"})
    results = element_text(response.content, "search-results")
    assert "Grace Okafor" in results
    assert "Not in your circles" not in results


def test_a_public_id_finds_only_that_client(charlie, grace_born):
    other = ClientFactory(given_name="Grace", family_name="Okafor", date_of_birth=grace_born.date_of_birth)
    response = api_as(charlie).get("/api/v1/clients/", {"q": grace_born.public_id.lower()})
    assert [c["public_id"] for c in response.data["results"]] == [grace_born.public_id]
    # Name and date of birth find both people who share them; the ID tells them apart.
    both = api_as(charlie).get("/api/v1/clients/", {"q": "Grace Okafor 14/03/2016"})
    assert {c["public_id"] for c in both.data["results"]} == {grace_born.public_id, other.public_id}


def test_the_api_shows_who_is_involved_but_no_notes(charlie, grace_born, notes):
    api = api_as(charlie)

    detail = api.get(f"/api/v1/clients/{grace_born.public_id}/")
    assert detail.status_code == 200
    assert detail.data["public_id"] == grace_born.public_id
    assert detail.data["lead"]["name"] == "Alice Lead"

    members = api.get(f"/api/v1/clients/{grace_born.public_id}/members/")
    assert members.status_code == 200
    assert {m["name"] for m in members.data} == {"Alice Lead", "Bob Same-Org", "Carol Other-Org"}

    assert api.get(f"/api/v1/clients/{grace_born.public_id}/notes/").status_code == 404
    assert (
        api.get(f"/api/v1/clients/{grace_born.public_id}/notes/{notes['alice_circle'].pk}/").status_code
        == 404
    )
    assert api.get(f"/api/v1/clients/{grace_born.public_id}/consents/").status_code == 404
    assert note_texts_in(detail.content.decode() + members.content.decode()) == set()


def test_a_discoverer_sees_no_history_of_the_circle(alice, charlie, grace_born, police):
    from circles import services
    from tests.factories import MemberFactory

    former = MemberFactory(client=grace_born, user=UserFactory(full_name="Fred Former", organisation=police))
    services.circle_member_remove(actor=alice, client=grace_born, member=former)

    listed = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/", {"past": 1})
    assert "Fred Former" not in {m["name"] for m in listed.data}
    assert "Fred Former" not in signed_in(charlie).get(page(grace_born)).content.decode()


def test_a_discoverer_cannot_read_a_former_member_by_id(alice, charlie, grace_born, police):
    from circles import services
    from tests.factories import MemberFactory

    former = MemberFactory(client=grace_born, user=UserFactory(full_name="Fred Former", organisation=police))
    services.circle_member_remove(actor=alice, client=grace_born, member=former)

    response = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/{former.pk}/")
    assert response.status_code == 404


def test_a_discoverer_gets_no_family_contact_details_from_the_api(charlie, grace_born):
    from tests.factories import FamilyMemberFactory

    FamilyMemberFactory(
        client=grace_born,
        name="Mary Okafor",
        relationship="Mother",
        phone="07700 900123",
        email="mary@example.net",
    )
    page_html = signed_in(charlie).get(page(grace_born)).content.decode()
    assert "Mary Okafor" in page_html and "07700 900123" not in page_html

    members = api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/members/").content.decode()
    assert "Mary Okafor" in members
    assert "07700 900123" not in members
    assert "mary@example.net" not in members


def test_each_look_is_audited_as_discovery(charlie, grace_born):
    signed_in(charlie).get(page(grace_born))
    api_as(charlie).get(f"/api/v1/clients/{grace_born.public_id}/")

    rows = AuditEvent.objects.filter(actor=charlie, client=grace_born)
    assert [row.action for row in rows.order_by("id")] == ["client.discover", "client.discover"]
    assert not rows.filter(emergency=True).exists()


def test_a_refused_look_is_not_a_discovery(panel_chair, grace_born):
    signed_in(panel_chair).get(page(grace_born))
    assert not AuditEvent.objects.filter(client=grace_born, actor=panel_chair).exists()


def test_a_member_gets_the_record_not_the_discovery_page(bob, grace_born, notes):
    response = signed_in(bob).get(page(grace_born))
    assert [t.name for t in response.templates][0] == "circles/client_detail.html"
    assert "BOB-CIRCLE" in response.content.decode()
