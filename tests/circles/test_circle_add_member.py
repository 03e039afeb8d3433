"""The lead adds a professional or a family contact to the circle, from the page."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from circles.models import CircleMember
from realtime.models import Event
from tests.conftest import signed_in


def url(client) -> str:
    return f"/clients/{client.public_id}/circle/add/"


def test_it_works(alice, as_alice, charlie, grace):
    response = as_alice.post(
        url(grace), {"kind": "professional", "user": charlie.pk, "role": "police_officer"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{grace.public_id}/"
    member = CircleMember.objects.get(client=grace, user=charlie)
    assert (member.kind, member.role, member.is_lead, member.until) == (
        "professional",
        "police_officer",
        False,
        None,
    )
    assert member.organisation == charlie.organisation
    assert member.added_by == alice
    # Charlie can open the record now.
    assert signed_in(charlie).get(f"/clients/{grace.public_id}/").status_code == 200
    page = as_alice.get(response["Location"]).content.decode()
    assert "Charlie Outsider is now in Grace&#x27;s circle." in page


def test_it_checks_access(client, as_bob, as_charlie, charlie, grace):
    data = {"kind": "professional", "user": charlie.pk, "role": "police_officer"}

    # A member who is not the lead may not change the circle.
    assert as_bob.get(url(grace)).status_code == 403
    assert as_bob.post(url(grace), data).status_code == 403
    # To an outsider, the client does not exist.
    assert as_charlie.get(url(grace)).status_code == 404
    assert as_charlie.post(url(grace), data).status_code == 404
    # Nobody signed in: to the sign-in page.
    response = client.post(url(grace), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    assert not CircleMember.objects.filter(user=charlie).exists()
    assert not AuditEvent.objects.filter(action="circle.member_add").exists()
    assert not Event.objects.exists()


def test_the_lead_finds_professionals_in_the_directory(as_alice, bob, charlie, grace):
    page = as_alice.get(url(grace)).content.decode()
    assert "Find them first, above." in page and 'name="user"' not in page  # no 10,000-person list

    for find in ("charlie", "Outsider", "CHARLIE@example", "char outs"):
        page = as_alice.get(url(grace), {"find": find}).content.decode()
        assert f'value="{charlie.pk}"' in page, find
        assert "Charlie Outsider — Social worker, Police" in page

    # Bob is in the circle already; nobody else is called Zed.
    assert f'value="{bob.pk}"' not in as_alice.get(url(grace), {"find": "Bob"}).content.decode()
    assert "Nobody found for “Zed”" in as_alice.get(url(grace), {"find": "Zed"}).content.decode()


def test_finding_shows_at_most_twenty_with_a_flat_query_count(
    alice, as_alice, grace, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    for n in range(25):
        UserFactory(full_name=f"Sam Worker{n}")
    as_alice.get(url(grace))

    with django_assert_max_num_queries(8):
        page = as_alice.get(url(grace), {"find": "Sam"}).content.decode()

    assert page.count('name="user"') == 20


def test_finding_is_for_the_lead_only(as_bob, grace):
    assert as_bob.get(url(grace), {"find": "Charlie"}).status_code == 403


def test_a_family_contact_can_be_added(as_alice, grace):
    response = as_alice.post(
        url(grace),
        {
            "kind": "family",
            "name": "Mary Okafor",
            "relationship": "Mother",
            "family_role": "family_member",
            "phone": "07700 900123",
            "email": "mary@example.net",
        },
    )

    assert response.status_code == 302
    member = CircleMember.objects.get(client=grace, kind="family")
    assert (member.name, member.relationship, member.role) == ("Mary Okafor", "Mother", "family_member")
    assert (member.user, member.organisation, member.phone, member.email) == (
        None,
        None,
        "07700 900123",
        "mary@example.net",
    )
    html = as_alice.get(f"/clients/{grace.public_id}/").content.decode()
    block = html[html.index(f'id="member-{member.pk}"') :]
    block = block[: block.index("</li>")]
    assert "Mary Okafor" in block and ">Family</strong>" in block


def test_someone_already_in_the_circle_gets_a_field_error(as_alice, bob, grace):
    response = as_alice.post(url(grace), {"kind": "professional", "user": bob.pk, "role": "social_worker"})

    assert response.status_code == 200
    assert response.context["form"].errors["user"] == ["Bob Same-Org is already in this circle."]
    assert "Bob Same-Org is already in this circle." in response.content.decode()
    assert CircleMember.objects.filter(client=grace, user=bob).count() == 1


def test_someone_who_left_can_be_added_again(alice, as_alice, bob, grace):
    CircleMember.objects.filter(client=grace, user=bob).update(until=timezone.now())

    response = as_alice.post(url(grace), {"kind": "professional", "user": bob.pk, "role": "social_worker"})

    assert response.status_code == 302
    rows = CircleMember.objects.filter(client=grace, user=bob).order_by("since")
    assert [(row.role, row.until is None) for row in rows] == [("key_worker", False), ("social_worker", True)]


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"kind": "professional", "role": "teacher"}, "user", "Choose a professional from the directory."),
        ({"kind": "professional", "user": "999999", "role": "teacher"}, "user", "Select a valid choice."),
        ({"kind": "professional", "user": "CHARLIE", "role": ""}, "role", "Choose their role in the circle."),
        ({"kind": "professional", "user": "CHARLIE", "role": "carer"}, "role", "Select a valid choice."),
        (
            {"kind": "professional", "user": "CHARLIE", "role": "lead_professional"},
            "role",
            "Select a valid choice.",
        ),
        ({"kind": "family", "name": "", "family_role": "carer"}, "name", "Enter their name."),
        ({"kind": "family", "name": "\x01\x02", "family_role": "carer"}, "name", "Enter their name."),
        (
            {"kind": "family", "name": "Mary", "family_role": ""},
            "family_role",
            "Choose family member, carer or friend.",
        ),
        ({"kind": "family", "name": "Mary", "family_role": "gp"}, "family_role", "Select a valid choice."),
        ({"kind": "family", "name": "M" * 201, "family_role": "carer"}, "name", "at most 200 characters"),
        (
            {"kind": "family", "name": "Mary", "family_role": "carer", "email": "not-an-email"},
            "email",
            "Enter a valid email address.",
        ),
        ({"kind": "robot"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_added(as_alice, charlie, grace, data, field, message):
    if data.get("user") == "CHARLIE":
        data = data | {"user": charlie.pk}
    before = CircleMember.objects.count()

    response = as_alice.post(url(grace), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert "There is a problem" in response.content.decode()
    assert CircleMember.objects.count() == before
    assert not Event.objects.exists()
