"""The lead removes someone from the circle; the history is kept and access ends at once."""

from audit.models import AuditEvent
from circles.models import CircleMember
from realtime.models import Event
from tests.conftest import api_as, signed_in
from tests.factories import ClientFactory, MemberFactory, NoteFactory


def url(client, member) -> str:
    return f"/clients/{client.public_id}/circle/{member.pk}/remove/"


def membership(client, user) -> CircleMember:
    return CircleMember.objects.get(client=client, user=user, until=None)


def test_it_works(alice, as_alice, bob, grace):
    bobs = membership(grace, bob)

    response = as_alice.post(url(grace, bobs))

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{grace.public_id}/"
    bobs.refresh_from_db()
    assert bobs.until is not None
    assert bobs.removed_by == alice
    page = as_alice.get(response["Location"]).content.decode()
    assert "Bob Same-Org has left the circle. Their history is kept." in page
    assert "Who was involved before (1)" in page
    assert f'id="member-{bobs.pk}"' not in page


def test_it_checks_access(client, as_bob, as_charlie, carol, grace):
    carols = membership(grace, carol)

    # A member who is not the lead may not remove anyone.
    assert as_bob.get(url(grace, carols)).status_code == 403
    assert as_bob.post(url(grace, carols)).status_code == 403
    # To an outsider, the client does not exist.
    assert as_charlie.post(url(grace, carols)).status_code == 404
    response = client.post(url(grace, carols))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

    carols.refresh_from_db()
    assert carols.until is None
    assert not AuditEvent.objects.filter(action="circle.member_remove").exists()
    assert not Event.objects.exists()


def test_it_asks_before_removing(as_alice, bob, grace):
    bobs = membership(grace, bob)

    response = as_alice.get(url(grace, bobs))

    assert response.status_code == 200
    assert "Remove Bob Same-Org from Grace's circle?" in response.content.decode()
    bobs.refresh_from_db()
    assert bobs.until is None


def test_the_removed_member_loses_access_at_once(alice, as_alice, bob, grace):
    note = NoteFactory(client=grace, author=alice, text="Only for the circle.")
    as_bob = signed_in(bob)
    assert note.text in as_bob.get(f"/clients/{grace.public_id}/").content.decode()

    as_alice.post(url(grace, membership(grace, bob)))

    # Bob now sees Grace only as any practitioner outside her circle would: who is involved, no record.
    page = as_bob.get(f"/clients/{grace.public_id}/")
    assert page.templates[0].name == "circles/client_discover.html"
    assert note.text not in page.content.decode()
    assert as_bob.get(f"/clients/{grace.public_id}/notes/{note.pk}/").status_code == 404
    assert as_bob.get(f"/clients/{grace.public_id}/notes/new/").status_code == 404
    assert as_bob.get(f"/clients/{grace.public_id}/circle/").status_code == 404
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/notes/").status_code == 404
    assert api_as(bob).get(f"/api/v1/clients/{grace.public_id}/notes/{note.pk}/").status_code == 404
    assert grace.public_id not in as_bob.get("/clients/").content.decode()


def test_a_family_contact_can_be_removed(as_alice, grace, mary):
    as_alice.post(url(grace, mary))
    mary.refresh_from_db()
    assert mary.until is not None
    assert (
        "Mary Okafor"
        in as_alice.get(f"/clients/{grace.public_id}/").content.decode().split("Who was involved before")[1]
    )


def test_the_lead_cannot_be_removed(alice, as_alice, grace):
    alices = membership(grace, alice)

    response = as_alice.post(url(grace, alices), follow=True)

    assert response.status_code == 200
    assert (
        "The lead professional cannot be removed. Make someone else the lead first."
        in response.content.decode()
    )
    alices.refresh_from_db()
    assert alices.until is None and alices.is_lead
    assert not Event.objects.exists()


def test_someone_who_already_left_cannot_be_removed_again(as_alice, bob, grace):
    bobs = membership(grace, bob)
    as_alice.post(url(grace, bobs))
    bobs.refresh_from_db()
    first_until = bobs.until

    response = as_alice.post(url(grace, bobs), follow=True)

    assert "That person has already left the circle." in response.content.decode()
    bobs.refresh_from_db()
    assert bobs.until == first_until
    assert AuditEvent.objects.filter(action="circle.member_remove").count() == 1


def test_a_member_of_another_circle_is_not_found(alice, as_alice, grace):
    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    stranger = MemberFactory(client=other)

    assert as_alice.post(url(grace, stranger)).status_code == 404
    stranger.refresh_from_db()
    assert stranger.until is None
