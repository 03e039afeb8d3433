"""The board follows the notes rule: consent to share, "my organisation only", hidden members."""

import pytest
from django.utils import timezone

from board import selectors, services
from circles import access
from circles.models import CircleMember, Consent, EmergencyAccess
from realtime.models import Event
from tests.board.conftest import board_url, worry
from tests.conftest import signed_in
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def texts(user, client) -> set[str]:
    record = access.record_access(user, client)
    return {card.text for card in selectors.cards_for(record)}


def test_my_organisation_only_stays_in_the_organisation(alice, bob, carol, grace):
    worry(alice, grace, "Early Help only", visibility="organisation")
    worry(alice, grace, "Everyone")
    assert texts(bob, grace) == {"Early Help only", "Everyone"}
    assert texts(carol, grace) == {"Everyone"}
    assert "Early Help only" not in signed_in(carol).get(board_url(grace)).content.decode()


def test_without_consent_each_organisation_sees_its_own(alice, bob, carol, grace):
    worry(alice, grace, "From Early Help")
    worry(carol, grace, "From Health")
    Consent.objects.filter(client=grace).update(withdrawn_at=timezone.now())
    assert texts(bob, grace) == {"From Early Help"}
    assert texts(carol, grace) == {"From Health"}


def test_the_clients_own_cards_reach_the_whole_circle(alice, carol, grace):
    from circles.models import PortalAccess
    from network.models import User

    grace_user = UserFactory(organisation=None, kind=User.Kind.CLIENT, full_name="Grace Okafor")
    PortalAccess.objects.create(user=grace_user, client=grace)
    Consent.objects.filter(client=grace).update(withdrawn_at=timezone.now())
    services.card_add_by_client(user=grace_user, client=grace, column="working_well", text="My sister helps")
    assert texts(carol, grace) == {"My sister helps"}
    event = Event.objects.get(type="board.card_add")
    assert event.audience["client_visible"] is True


def test_socket_audiences_match_the_rule(alice, carol, grace):
    worry(alice, grace, "Early Help only", visibility="organisation")
    worry(alice, grace, "Shared with Grace", visibility="client")
    org_only, shared = Event.objects.filter(type="board.card_add").order_by("seq")
    carol_viewer = access.record_access(carol, grace).viewer()
    portal = access.Viewer(
        user_id=0, organisation_id=None, shares_across_organisations=False, in_circle=False, portal=True
    )
    assert not access.may_receive(carol_viewer, org_only.audience)
    assert access.may_receive(carol_viewer, shared.audience)
    assert not access.may_receive(portal, org_only.audience)
    assert access.may_receive(portal, shared.audience)


def test_a_card_no_longer_shared_rings_the_portal_once_more(alice, grace):
    card = worry(alice, grace, "Shared", visibility="client")
    services.card_update(actor=alice, card=card, changes={"visibility": "circle"}, base_version=1)
    assert Event.objects.get(type="board.card_update").audience["client_visible"] is True


def test_hidden_members_are_not_named_outside_the_circle(alice, charlie, grace):
    hidden = UserFactory(full_name="Hana Hidden")
    MemberFactory(client=grace, user=hidden, is_hidden=True)
    worry(hidden, grace, "A worry from a hidden member")
    EmergencyAccess.objects.create(
        client=grace, user=charlie, reason="Urgent", expires_at=timezone.now() + timezone.timedelta(hours=1)
    )

    inside = selectors.board_for(access.record_access(alice, grace))
    outside = selectors.board_for(access.record_access(charlie, grace))

    assert inside.column("worry").cards[0].author_shown.startswith("Hana Hidden")
    assert outside.column("worry").cards[0].author_shown == access.HIDDEN_LABEL
    html = signed_in(charlie).get(board_url(grace)).content.decode()
    assert "Hana Hidden" not in html and hidden.organisation.name not in html
    assert CircleMember.objects.filter(is_hidden=True).count() == 1
