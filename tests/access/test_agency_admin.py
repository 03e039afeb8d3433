"""Agency admins manage their own organisation's people at /organisation/people/: add a person, change a
role, switch an account off (which closes that person's open pages) or on, and require two-factor sign-in
for everyone in the organisation."""

import pytest
from channels.db import database_sync_to_async

from audit.models import AuditEvent
from network import services
from network.models import Organisation, User
from tests.access.conftest import (
    client_socket,
    element_text,
    messages_until_closed,
    no_events,
    personal_socket,
)
from tests.conftest import api_as, signed_in

PEOPLE = "/organisation/people/"


def with_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def test_it_works(eh_admin, alice, bob, carol):
    response = signed_in(eh_admin).get(PEOPLE)

    assert response.status_code == 200
    people = element_text(response.content, "people")
    assert "Alice Lead" in people and "Bob Same-Org" in people and "Ada Admin" in people
    # Only their own organisation.
    assert "Carol Other-Org" not in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "manager", "panel_chair", "site_admin", "portal_user"])
def test_it_checks_access(who, request, bob):
    user = request.getfixturevalue(who)
    browser = signed_in(user)
    role_before = bob.org_role

    assert browser.get(PEOPLE).status_code == 403
    assert browser.get(PEOPLE + "new/").status_code == 403
    assert (
        browser.post(
            PEOPLE + "new/", {"full_name": "Eve", "email": "eve@example.org", "org_role": "admin"}
        ).status_code
        == 403
    )
    assert browser.post(PEOPLE + f"{bob.pk}/", {"org_role": "admin"}).status_code == 403
    assert browser.post(PEOPLE + f"{bob.pk}/", {"active": "off"}).status_code == 403
    assert browser.post("/organisation/two-factor/", {"required": "yes"}).status_code == 403
    assert not User.objects.filter(email="eve@example.org").exists()
    bob.refresh_from_db()
    assert (bob.org_role, bob.is_active) == (role_before, True)
    assert not Organisation.objects.filter(require_two_factor=True).exists()


def test_it_checks_sign_in(client, bob):
    for response in (client.get(PEOPLE), client.post(PEOPLE + f"{bob.pk}/", {"active": "off"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    bob.refresh_from_db()
    assert bob.is_active


def test_an_admin_adds_a_person_to_their_own_organisation(eh_admin, early_help):
    response = signed_in(eh_admin).post(
        PEOPLE + "new/",
        {
            "full_name": "Eve Newcomer",
            "email": "Eve@Example.org",
            "job_title": "Family worker",
            "org_role": "practitioner",
        },
    )

    assert response.status_code == 302
    eve = User.objects.get(email="eve@example.org")
    assert (eve.organisation, eve.org_role, eve.kind, eve.is_active) == (
        early_help,
        "practitioner",
        "professional",
        True,
    )
    row = AuditEvent.objects.get(action="professional.create", object_id=str(eve.pk))
    assert row.actor == eh_admin


def test_an_email_already_in_use_is_refused(eh_admin, carol):
    response = signed_in(eh_admin).post(
        PEOPLE + "new/", {"full_name": "Carol Again", "email": carol.email, "org_role": "admin"}
    )
    assert response.status_code == 200
    assert User.objects.filter(email=carol.email).count() == 1
    carol.refresh_from_db()
    assert carol.org_role == "practitioner"


def test_an_admin_changes_a_role(eh_admin, bob):
    response = signed_in(eh_admin).post(PEOPLE + f"{bob.pk}/", {"org_role": "manager"})

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.org_role == "manager"
    row = AuditEvent.objects.get(action="professional.update", object_id=str(bob.pk))
    assert (row.actor, row.before["org_role"], row.after["org_role"]) == (eh_admin, "practitioner", "manager")


def test_a_new_role_takes_effect_at_once(eh_admin, bob, grace, police):
    """Bob, made a panel chair, may no longer look up people he does not work with."""
    from tests.factories import ClientFactory

    stranger = ClientFactory()
    assert signed_in(bob).get(f"/clients/{stranger.public_id}/").status_code == 200

    signed_in(eh_admin).post(PEOPLE + f"{bob.pk}/", {"org_role": "panel_chair"})

    assert signed_in(bob).get(f"/clients/{stranger.public_id}/").status_code == 404


def test_an_unknown_role_is_refused(eh_admin, bob):
    signed_in(eh_admin).post(PEOPLE + f"{bob.pk}/", {"org_role": "superuser"})
    bob.refresh_from_db()
    assert bob.org_role == "practitioner"


def test_an_admin_cannot_touch_another_organisations_people(eh_admin, carol):
    assert signed_in(eh_admin).post(PEOPLE + f"{carol.pk}/", {"active": "off"}).status_code == 404
    assert signed_in(eh_admin).post(PEOPLE + f"{carol.pk}/", {"org_role": "admin"}).status_code == 404
    carol.refresh_from_db()
    assert (carol.is_active, carol.org_role) == (True, "practitioner")


def test_an_admin_cannot_switch_themselves_off_or_step_down(eh_admin):
    browser = signed_in(eh_admin)
    browser.post(PEOPLE + f"{eh_admin.pk}/", {"active": "off"})
    browser.post(PEOPLE + f"{eh_admin.pk}/", {"org_role": "practitioner"})
    eh_admin.refresh_from_db()
    assert (eh_admin.is_active, eh_admin.org_role) == (True, "admin")


def test_switching_an_account_off_signs_them_out(eh_admin, bob, grace):
    as_bob = signed_in(bob)
    assert as_bob.get(f"/clients/{grace.public_id}/").status_code == 200
    token = api_as(bob)  # the API, with the same person

    response = signed_in(eh_admin).post(PEOPLE + f"{bob.pk}/", {"active": "off"})

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active is False
    after = as_bob.get(f"/clients/{grace.public_id}/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/login/")
    bob.refresh_from_db()
    assert token.get(f"/api/v1/clients/{grace.public_id}/notes/").status_code in (401, 403)
    row = AuditEvent.objects.get(action="professional.update", object_id=str(bob.pk))
    assert (row.before["is_active"], row.after["is_active"]) == (True, False)
    assert "Off" in element_text(signed_in(eh_admin).get(PEOPLE).content, "people")


def test_switching_an_account_back_on(eh_admin, bob, grace):
    services.professional_update(actor=eh_admin, person=bob, is_active=False)
    signed_in(eh_admin).post(PEOPLE + f"{bob.pk}/", {"active": "on"})
    bob.refresh_from_db()
    assert bob.is_active
    assert signed_in(bob).get(f"/clients/{grace.public_id}/").status_code == 200


def test_an_admin_requires_two_factor(eh_admin, early_help, health):
    response = signed_in(eh_admin).post("/organisation/two-factor/", {"required": "yes"})

    assert response.status_code == 302
    early_help.refresh_from_db()
    health.refresh_from_db()
    assert early_help.require_two_factor and not health.require_two_factor
    row = AuditEvent.objects.get(action="organisation.two_factor")
    assert (row.actor, row.before, row.after) == (
        eh_admin,
        {"require_two_factor": False},
        {"require_two_factor": True},
    )

    # The admin is held to it too: set it up first, then (say) make it optional again.
    browser = signed_in(eh_admin)
    assert browser.post("/organisation/two-factor/", {"required": "no"})["Location"].startswith(
        "/accounts/2fa/"
    )
    early_help.refresh_from_db()
    assert early_help.require_two_factor
    with_totp(eh_admin)
    browser.post("/organisation/two-factor/", {"required": "no"})
    early_help.refresh_from_db()
    assert not early_help.require_two_factor


def test_an_admin_of_one_organisation_cannot_require_it_of_another(eh_admin, health):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.organisation_set_two_factor(actor=eh_admin, organisation=health, required=True)
    health.refresh_from_db()
    assert not health.require_two_factor


def test_an_admin_sees_no_notes_of_circles_they_are_not_in(eh_admin, grace, notes):
    from tests.access.conftest import note_texts_in

    response = signed_in(eh_admin).get(f"/clients/{grace.public_id}/")
    assert response.status_code == 200  # who is involved
    assert note_texts_in(response.content.decode()) == set()
    assert api_as(eh_admin).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_switching_an_account_off_closes_their_open_pages(eh_admin, alice, bob, grace):
    personal = await personal_socket(bob)
    record = await client_socket(bob, grace)
    alices = await client_socket(alice, grace)

    await database_sync_to_async(services.professional_update)(actor=eh_admin, person=bob, is_active=False)

    _, personal_code = await messages_until_closed(personal)
    _, record_code = await messages_until_closed(record)
    assert personal_code == 4401 and record_code == 4401
    # Nobody else's page is touched.
    assert await no_events(alices)  # (a close frame here would fail the test)
    await alices.disconnect()

    # And a switched-off account cannot open a page again.
    again, connected, _ = await _try(bob)
    assert not connected
    await again.disconnect()


async def _try(user):
    from tests.access.conftest import socket

    return await socket(user, "/ws/me/")
