"""/api/v1/clients/<id>/members/: who is in the circle; the lead adds and removes people."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from circles.models import CircleMember
from network.models import User
from realtime.models import Event
from tests.conftest import api_as
from tests.factories import ClientFactory, MemberFactory, UserFactory


def members_url(client) -> str:
    return f"/api/v1/clients/{client.public_id}/members/"


def member_url(client, member) -> str:
    return f"/api/v1/clients/{client.public_id}/members/{member.pk}/"


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def test_it_works(alice, carol, grace, mary):
    response = api_as(carol).get(members_url(grace))

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.data}
    assert list(rows) == ["Alice Lead", "Bob Same-Org", "Carol Other-Org", "Mary Okafor"]
    assert rows["Alice Lead"] | {"id": None, "since": None} == {
        "id": None,
        "kind": "professional",
        "user_id": alice.pk,
        "name": "Alice Lead",
        "organisation": "Early Help",
        "role": "lead_professional",
        "role_label": "Lead professional",
        "is_lead": True,
        "is_hidden": False,
        "hidden_reason": "",
        "relationship": "",
        "phone": "",
        "email": "alice@example.org",
        "since": None,
        "until": None,
    }
    assert rows["Mary Okafor"]["kind"] == "family"
    assert rows["Mary Okafor"]["organisation"] is None
    assert (rows["Mary Okafor"]["relationship"], rows["Mary Okafor"]["phone"]) == ("Mother", "07700 900123")


def test_it_checks_access(early_help, grace):
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    assert api_as(chair).get(members_url(grace)).status_code == 404
    assert APIClient().get(members_url(grace)).status_code in (401, 403)


def test_an_outsider_sees_who_is_involved_but_not_hidden_members(alice, charlie, grace):
    hidden = MemberFactory(client=grace, user=UserFactory(full_name="Hana Adviser"), is_hidden=True)

    response = api_as(charlie).get(members_url(grace))

    assert response.status_code == 200
    assert [row["name"] for row in response.data] == ["Alice Lead", "Bob Same-Org", "Carol Other-Org"]
    assert api_as(charlie).get(member_url(grace, hidden)).status_code == 404
    # …while the circle itself sees everyone.
    assert "Hana Adviser" in [row["name"] for row in api_as(alice).get(members_url(grace)).data]


def test_an_outsider_is_not_given_family_contact_details(charlie, grace, mary):
    (row,) = [row for row in api_as(charlie).get(members_url(grace)).data if row["kind"] == "family"]
    assert mary.phone not in str(row) and mary.email not in str(row)
    one = api_as(charlie).get(member_url(grace, mary)).data
    assert mary.phone not in str(one) and mary.email not in str(one)


def test_past_members_are_listed_on_request(alice, bob, grace):
    api_as(alice).delete(member_url(grace, membership(grace, bob)))

    current = api_as(alice).get(members_url(grace)).data
    with_past = api_as(alice).get(members_url(grace), {"past": "1"}).data

    assert "Bob Same-Org" not in [row["name"] for row in current]
    (bobs,) = [row for row in with_past if row["name"] == "Bob Same-Org"]
    assert bobs["until"] is not None


def test_one_member_can_be_read(bob, grace):
    response = api_as(bob).get(member_url(grace, membership(grace, bob)))
    assert response.status_code == 200
    assert response.data["name"] == "Bob Same-Org"


def test_one_member_checks_access(alice, early_help, bob, grace):
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    assert api_as(chair).get(member_url(grace, membership(grace, bob))).status_code == 404
    # A member of someone else's circle is not found through Grace.
    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    stranger = MemberFactory(client=other)
    assert api_as(alice).get(member_url(grace, stranger)).status_code == 404


def test_adding_works(alice, charlie, grace):
    response = api_as(alice).post(
        members_url(grace),
        {"kind": "professional", "user_id": charlie.pk, "role": "police_officer"},
        format="json",
    )

    assert response.status_code == 201
    assert (response.data["name"], response.data["organisation"], response.data["role"]) == (
        "Charlie Outsider",
        "Police",
        "police_officer",
    )
    assert membership(grace, charlie).added_by == alice
    assert api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/").status_code == 200


def test_adding_a_family_contact_works(alice, grace):
    response = api_as(alice).post(
        members_url(grace),
        {
            "kind": "family",
            "role": "carer",
            "name": "Mary Okafor",
            "relationship": "Mother",
            "phone": "07700 900123",
        },
        format="json",
    )

    assert response.status_code == 201
    member = CircleMember.objects.get(pk=response.data["id"])
    assert (member.kind, member.user, member.name, member.role) == ("family", None, "Mary Okafor", "carer")


def test_adding_checks_access(bob, charlie, grace):
    body = {"kind": "professional", "user_id": charlie.pk, "role": "police_officer"}

    assert api_as(bob).post(members_url(grace), body, format="json").status_code == 403
    assert api_as(charlie).post(members_url(grace), body, format="json").status_code == 404
    assert APIClient().post(members_url(grace), body, format="json").status_code in (401, 403)
    assert not CircleMember.objects.filter(user=charlie).exists()
    assert not Event.objects.exists()


def test_adding_someone_already_in_the_circle_is_a_field_error(alice, bob, grace):
    response = api_as(alice).post(
        members_url(grace),
        {"kind": "professional", "user_id": bob.pk, "role": "social_worker"},
        format="json",
    )

    assert response.status_code == 400
    assert "Bob Same-Org is already in this circle." in str(response.data)
    assert CircleMember.objects.filter(client=grace, user=bob).count() == 1


def test_the_field_error_names_the_field_sent(alice, bob, grace):
    response = api_as(alice).post(
        members_url(grace),
        {"kind": "professional", "user_id": bob.pk, "role": "social_worker"},
        format="json",
    )
    assert response.data["user_id"] == ["Bob Same-Org is already in this circle."]


def test_a_new_member_cannot_take_the_lead_role(alice, charlie, grace):
    response = api_as(alice).post(
        members_url(grace),
        {"kind": "professional", "user_id": charlie.pk, "role": "lead_professional"},
        format="json",
    )
    assert response.status_code == 400
    assert not CircleMember.objects.filter(user=charlie).exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "robot", "role": "gp"}, "kind"),
        ({"kind": "professional", "role": "gp"}, "user_id"),
        ({"kind": "professional", "role": "gp", "user_id": 999999}, "user_id"),
        ({"kind": "professional", "role": "carer", "user_id": "CHARLIE"}, "role"),
        ({"kind": "professional", "role": "wizard", "user_id": "CHARLIE"}, "role"),
        ({"kind": "family", "role": "carer"}, "name"),
        ({"kind": "family", "role": "gp", "name": "Mary"}, "role"),
        ({"kind": "family", "role": "carer", "name": "M" * 201}, "name"),
        ({"kind": "family", "role": "carer", "name": "Mary", "email": "nope"}, "email"),
    ],
)
def test_bad_input_gives_a_400_and_adds_nobody(alice, charlie, grace, body, field):
    if body.get("user_id") == "CHARLIE":
        body = body | {"user_id": charlie.pk}
    before = CircleMember.objects.count()

    response = api_as(alice).post(members_url(grace), body, format="json")

    assert response.status_code == 400
    assert field in response.data, response.data
    assert CircleMember.objects.count() == before


def test_an_inactive_professional_cannot_be_added(alice, grace):
    gone = UserFactory(is_active=False)
    response = api_as(alice).post(
        members_url(grace), {"kind": "professional", "user_id": gone.pk, "role": "gp"}, format="json"
    )
    assert response.status_code == 400
    assert not CircleMember.objects.filter(user=gone).exists()


def test_removing_works(alice, bob, grace):
    bobs = membership(grace, bob)
    assert api_as(bob).get(members_url(grace)).status_code == 200

    response = api_as(alice).delete(member_url(grace, bobs))

    assert response.status_code == 200
    assert response.data["until"] is not None
    bobs.refresh_from_db()
    assert bobs.until is not None and bobs.removed_by == alice
    # Bob's access to the record ends with the response.
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    assert (
        api_as(bob)
        .post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": "x"}, format="json")
        .status_code
        == 404
    )


def test_removing_checks_access(bob, carol, charlie, grace):
    carols = membership(grace, carol)

    assert api_as(bob).delete(member_url(grace, carols)).status_code == 403
    assert api_as(charlie).delete(member_url(grace, carols)).status_code == 404
    assert APIClient().delete(member_url(grace, carols)).status_code in (401, 403)
    carols.refresh_from_db()
    assert carols.until is None
    assert not AuditEvent.objects.filter(action="circle.member_remove").exists()


def test_the_lead_cannot_be_removed(alice, grace):
    response = api_as(alice).delete(member_url(grace, membership(grace, alice)))

    assert response.status_code == 400
    assert "The lead professional cannot be removed." in str(response.data)
    assert membership(grace, alice).is_lead
