"""Adding a client from the page: a valid public ID, the creator leads, bad input explained in words."""

import datetime

import pytest
from django.utils import timezone

from circles import public_id
from circles.models import CircleMember, Client
from tests.conftest import signed_in
from tests.factories import UserFactory

URL = "/clients/new/"
GOOD = {
    "given_name": "Amara",
    "family_name": "Mensah",
    "preferred_name": "Ama",
    "dob_day": "14",
    "dob_month": "3",
    "dob_year": "2016",
    "pronouns": "she/her",
    "language": "Twi",
    "phone": "07700 900456",
    "lead_role": "key_worker",
}


def test_it_works(alice, as_alice):
    response = as_alice.post(URL, GOOD)

    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.public_id}/"
    assert public_id.normalise(client.public_id) == client.public_id
    assert (client.given_name, client.family_name, client.preferred_name) == ("Amara", "Mensah", "Ama")
    assert client.date_of_birth == datetime.date(2016, 3, 14)
    assert client.created_by == alice
    lead = CircleMember.objects.get(client=client)
    assert (lead.user, lead.is_lead, lead.role, lead.organisation) == (
        alice,
        True,
        "key_worker",
        alice.organisation,
    )

    page = as_alice.get(response["Location"]).content.decode()
    assert f"Amara Mensah has been added. Their ID is {client.public_id}." in page


def test_it_checks_access(client, db):
    response = client.post(URL, GOOD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    # A person with no organisation (not a professional) cannot register clients.
    loner = UserFactory(organisation=None)
    assert signed_in(loner).post(URL, GOOD).status_code == 403

    assert not Client.objects.exists()


def test_it_shows_the_form(as_alice):
    response = as_alice.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="given_name"' in html and 'name="dob_day"' in html
    assert '<option value="lead_professional" selected>' in html


def test_only_the_names_are_needed(alice, as_alice):
    response = as_alice.post(
        URL, {"given_name": "Kofi", "family_name": "Mensah", "lead_role": "lead_professional"}
    )
    assert response.status_code == 302
    client = Client.objects.get()
    assert client.date_of_birth is None
    assert CircleMember.objects.get(client=client).role == "lead_professional"


def test_each_client_gets_a_different_id(as_alice):
    for n in range(5):
        as_alice.post(URL, GOOD | {"given_name": f"Amara{n}"})
    ids = list(Client.objects.values_list("public_id", flat=True))
    assert len(set(ids)) == 5


NEXT_YEAR = str(timezone.localdate().year + 1)


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"given_name": ""}, "given_name", "This field is required."),
        ({"family_name": ""}, "family_name", "This field is required."),
        ({"given_name": "   "}, "given_name", "This field is required."),
        ({"given_name": "\x01\x02"}, "given_name", "Enter the client&#x27;s first name."),
        (
            {"given_name": "A" * 101},
            "given_name",
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        (
            {"family_name": "B" * 101},
            "family_name",
            "Ensure this value has at most 100 characters (it has 101).",
        ),
        ({"dob_year": NEXT_YEAR}, None, "Date of birth must be today or in the past."),
        ({"dob_day": "31", "dob_month": "2"}, "dob_day", "Date of birth must be a real date."),
        (
            {"dob_day": "29", "dob_month": "2", "dob_year": "2015"},
            "dob_day",
            "Date of birth must be a real date.",
        ),
        ({"dob_month": ""}, "dob_day", "Enter a full date of birth: day, month and year."),
        ({"dob_month": "13"}, "dob_month", "Ensure this value is less than or equal to 12."),
        ({"dob_year": "1850"}, "dob_year", "Ensure this value is greater than or equal to 1900."),
        ({"lead_role": "family_member"}, "lead_role", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(as_alice, change, field, message):
    response = as_alice.post(URL, GOOD | change)

    assert response.status_code == 200
    form = response.context["form"]
    if field:
        assert any(message.replace("&#x27;", "'") in error for error in form.errors[field])
    else:
        assert any(message in error for error in form.non_field_errors())
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not Client.objects.exists()
    assert not CircleMember.objects.exists()


def test_a_name_of_exactly_100_characters_is_fine(as_alice):
    assert as_alice.post(URL, GOOD | {"given_name": "A" * 100}).status_code == 302
    assert Client.objects.get().given_name == "A" * 100


def test_control_characters_are_removed_from_names(as_alice):
    as_alice.post(URL, GOOD | {"given_name": "Am\x07ara\x1b", "family_name": "Men\tsah"})
    client = Client.objects.get()
    assert (client.given_name, client.family_name) == ("Amara", "Men sah")


def test_todays_date_of_birth_is_fine(as_alice):
    today = timezone.localdate()
    response = as_alice.post(
        URL, GOOD | {"dob_day": str(today.day), "dob_month": str(today.month), "dob_year": str(today.year)}
    )
    assert response.status_code == 302
    assert Client.objects.get().date_of_birth == today
