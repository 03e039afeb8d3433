"""The lead hands the lead to another professional in the circle ("Make lead")."""

from audit.models import AuditEvent
from circles.models import CircleMember
from realtime.models import Event
from tests.conftest import signed_in


def url(client, member) -> str:
    return f"/clients/{client.public_id}/circle/{member.pk}/make-lead/"


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def test_it_works(alice, as_alice, bob, grace):
    response = as_alice.post(url(grace, membership(grace, bob)))

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{grace.public_id}/"
    assert membership(grace, bob).is_lead
    assert not membership(grace, alice).is_lead
    assert CircleMember.objects.filter(client=grace, until=None, is_lead=True).count() == 1
    page = as_alice.get(response["Location"]).content.decode()
    assert "Bob Same-Org is now the lead professional." in page
    # The circle shows the new lead first, tagged.
    assert page.index(f'id="member-{membership(grace, bob).pk}"') < page.index(
        f'id="member-{membership(grace, alice).pk}"'
    )


def test_it_checks_access(client, as_bob, as_charlie, carol, grace):
    carols = membership(grace, carol)

    assert as_bob.post(url(grace, carols)).status_code == 403
    assert as_charlie.post(url(grace, carols)).status_code == 404
    response = client.post(url(grace, carols))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert as_bob.get(url(grace, carols)).status_code == 405

    assert not membership(grace, carol).is_lead
    assert not AuditEvent.objects.filter(action="circle.lead_change").exists()


def test_the_old_lead_can_no_longer_manage_the_circle(as_alice, bob, grace):
    as_alice.post(url(grace, membership(grace, bob)))

    assert as_alice.get(f"/clients/{grace.public_id}/circle/add/").status_code == 403
    assert signed_in(bob).get(f"/clients/{grace.public_id}/circle/add/").status_code == 200
    # Alice is still in the circle, and still sees the client.
    assert as_alice.get(f"/clients/{grace.public_id}/").status_code == 200


def test_a_family_contact_cannot_be_lead(alice, as_alice, grace, mary):
    response = as_alice.post(url(grace, mary), follow=True)

    assert "The lead must be a professional who is in the circle now." in response.content.decode()
    assert membership(grace, alice).is_lead
    mary.refresh_from_db()
    assert not mary.is_lead


def test_someone_who_left_cannot_be_lead(alice, as_alice, bob, grace):
    bobs = membership(grace, bob)
    as_alice.post(f"/clients/{grace.public_id}/circle/{bobs.pk}/remove/")

    response = as_alice.post(url(grace, bobs), follow=True)

    assert "The lead must be a professional who is in the circle now." in response.content.decode()
    assert membership(grace, alice).is_lead


def test_making_the_lead_lead_again_changes_nothing(alice, as_alice, grace):
    as_alice.post(url(grace, membership(grace, alice)))

    assert membership(grace, alice).is_lead
    assert not AuditEvent.objects.filter(action="circle.lead_change").exists()
    assert not Event.objects.exists()
