"""Discovery over the API shows exactly what the discovery page shows: the name, date of birth, public ID
and who is involved. Not the stage, pronouns, language or when the record was last active."""

from circles.models import CircleMember
from tests.conftest import api_as
from tests.factories import MemberFactory, UserFactory

DISCOVERY_FIELDS = {
    "public_id",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "lead",
    "members",
}


def test_an_outsider_gets_only_what_the_discovery_page_shows(charlie, grace):
    grace.pronouns, grace.language = "she/her", "Yoruba"
    grace.save(update_fields=["pronouns", "language"])
    data = api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/").data
    assert set(data) == DISCOVERY_FIELDS
    assert "she/her" not in str(data) and "Yoruba" not in str(data)
    assert {member["name"] for member in data["members"]} == {"Alice Lead", "Bob Same-Org", "Carol Other-Org"}


def test_a_hidden_member_is_not_among_who_is_involved(charlie, grace):
    secret = UserFactory(full_name="Hidden Worker")
    MemberFactory(client=grace, user=secret, is_hidden=True, role=CircleMember.Role.KEY_WORKER)
    data = api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/").data
    assert "Hidden Worker" not in str(data)


def test_a_member_still_gets_the_record(bob, grace):
    data = api_as(bob).get(f"/api/v1/clients/{grace.public_id}/").data
    assert {"stage", "pronouns", "language", "last_activity_at", "lead"} <= set(data)


def test_search_results_outside_my_circles_have_the_discovery_shape(charlie, alice, grace):
    (row,) = api_as(charlie).get("/api/v1/clients/", {"q": grace.public_id}).data["results"]
    assert set(row) <= DISCOVERY_FIELDS
    assert "stage" not in row and "last_activity_at" not in row
    (mine,) = api_as(alice).get("/api/v1/clients/", {"q": grace.public_id}).data["results"]
    assert "stage" in mine


def test_the_schema_describes_both_shapes(alice):
    schema = api_as(alice).get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    detail = schema["paths"]["/api/v1/clients/{public_id}/"]["get"]["responses"]["200"]["content"]
    shape = components[detail["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    names = {ref["$ref"].rsplit("/", 1)[-1] for ref in shape["oneOf"]}
    assert names == {"ClientOutput", "ClientDiscoveryOutput"}
    assert set(components["ClientDiscoveryOutput"]["properties"]) == DISCOVERY_FIELDS
