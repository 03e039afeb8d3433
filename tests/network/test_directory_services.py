"""Writes to the directory (organisations and professional accounts), audited like every other write."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from network.models import Organisation, User
from network.services import organisation_create, professional_create


def test_organisation_create(alice):
    organisation = organisation_create(
        actor=alice, name="  Northside\tHousing ", kind="housing", phone="0113 496 0000"
    )

    assert (organisation.name, organisation.kind, organisation.phone) == (
        "Northside Housing",
        "housing",
        "0113 496 0000",
    )
    row = AuditEvent.objects.get(action="organisation.create")
    assert (row.actor, row.client, row.object_type, row.object_id) == (
        alice,
        None,
        "Organisation",
        str(organisation.pk),
    )
    assert row.after == {"name": "Northside Housing", "kind": "housing"}


@pytest.mark.parametrize(
    "name,kind,field",
    [
        ("", "housing", "name"),
        ("\x01 ", "housing", "name"),
        ("New", "spaceship", "kind"),
        ("early help", "health", "name"),
    ],
)
def test_organisation_create_refuses_bad_input(alice, name, kind, field):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        organisation_create(actor=alice, name=name, kind=kind)
    assert field in error.value.message_dict
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_professional_create(alice, health):
    person = professional_create(
        actor=alice,
        email="  Dana.Nurse@Example.ORG ",
        full_name="Dana Nurse",
        organisation=health,
        job_title="Nurse",
    )

    assert person.email == "dana.nurse@example.org"
    assert (person.full_name, person.organisation, person.job_title) == ("Dana Nurse", health, "Nurse")
    assert not person.has_usable_password()  # they set one through a reset email
    row = AuditEvent.objects.get(action="professional.create")
    assert (row.actor, row.object_type, row.object_id) == (alice, "User", str(person.pk))
    assert row.after == {
        "email": "dana.nurse@example.org",
        "full_name": "Dana Nurse",
        "organisation_id": health.pk,
    }
    assert "password" not in str(row.after)


def test_professional_create_with_a_password(alice, health):
    person = professional_create(
        actor=alice,
        email="eve@example.org",
        full_name="Eve",
        organisation=health,
        password="long enough password",
    )
    assert person.check_password("long enough password")
    assert "long enough password" not in str(AuditEvent.objects.get(action="professional.create").after)


@pytest.mark.parametrize(
    "email,full_name,field",
    [
        ("", "Dana", "email"),
        ("not-an-email", "Dana", "email"),
        ("ALICE@example.org", "Another Alice", "email"),
        ("dana@example.org", "", "full_name"),
    ],
)
def test_professional_create_refuses_bad_input(alice, health, email, full_name, field):
    before = User.objects.count()
    with pytest.raises(ValidationError) as error:
        professional_create(actor=alice, email=email, full_name=full_name, organisation=health)
    assert field in error.value.message_dict
    assert User.objects.count() == before
    assert not AuditEvent.objects.exists()
