"""Every read of a client's record is recorded: the page, the API record, the notes list, one note."""

from audit.models import AuditEvent
from network.models import User
from tests.conftest import api_as, signed_in
from tests.factories import UserFactory


def actions(client) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(client=client)
        .order_by("id")
        .values_list("action", "actor__email", "via", "object_id")
    )


def test_it_works(alice, carol, grace, circle_note):
    signed_in(alice).get(f"/clients/{grace.public_id}/")
    api_as(carol).get(f"/api/v1/clients/{grace.public_id}/")
    api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/")
    api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/{circle_note.pk}/")
    signed_in(alice).get(f"/clients/{grace.public_id}/notes/{circle_note.pk}/")

    assert actions(grace) == [
        ("client.view", "alice@example.org", "web", ""),
        ("client.view", "carol@example.org", "api", ""),
        ("note.list", "carol@example.org", "api", ""),
        ("note.view", "carol@example.org", "api", str(circle_note.pk)),
        ("note.view", "alice@example.org", "web", str(circle_note.pk)),
    ]


def test_it_checks_access(charlie, carol, early_help, grace, circle_note, early_help_note):
    # Refused reads read nothing, so they record nothing.
    chair = UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR)
    signed_in(chair).get(f"/clients/{grace.public_id}/")
    api_as(charlie).get(f"/api/v1/clients/{grace.public_id}/notes/")
    api_as(carol).get(f"/api/v1/clients/{grace.public_id}/notes/{early_help_note.pk}/")
    assert actions(grace) == []

    # Looking up who is involved, from outside the circle, is recorded as that and not as a view.
    signed_in(charlie).get(f"/clients/{grace.public_id}/")
    assert actions(grace) == [("client.discover", "charlie@example.org", "web", "")]
