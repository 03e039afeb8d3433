"""The portal's "Good things and worries": cards shared with the client, their own cards and their scale."""

import pytest

from board.models import Card, Scale
from circles.models import PortalAccess
from network.models import User
from realtime.models import Event
from tests.board.conftest import strength, worry
from tests.conftest import signed_in
from tests.factories import ConsentFactory, FamilyMemberFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace_user(grace):
    user = UserFactory(organisation=None, kind=User.Kind.CLIENT, full_name="Grace Okafor")
    PortalAccess.objects.create(user=user, client=grace)
    return user


def test_it_shows_only_what_is_shared(alice, grace, grace_user):
    strength(alice, grace, "Grace walks the children to school", visibility="client")
    worry(alice, grace, "Team only worry")
    html = signed_in(grace_user).get("/portal/board/").content.decode()
    assert "Grace walks the children to school" in html and "From Alice Lead" in html
    assert "Team only worry" not in html


def test_the_client_adds_their_own_and_the_team_sees_it(alice, grace, grace_user):
    browser = signed_in(grace_user)
    response = browser.post("/portal/board/cards/", {"column": "worry", "text": "<b>The rent</b>"})
    assert response.status_code == 302
    card = Card.objects.get()
    assert (card.by_client, card.author, card.visibility, card.kind) == (True, grace_user, "client", "")
    assert Event.objects.get(type="board.card_add").audience["client_visible"] is True
    team = signed_in(alice).get(f"/clients/{grace.public_id}/board/").content.decode()
    assert "&lt;b&gt;The rent&lt;/b&gt;" in team and "Grace Okafor (in their own words)" in team
    mine = browser.get("/portal/board/").content.decode()
    assert "&lt;b&gt;The rent&lt;/b&gt;" in mine and "From You" in mine
    # Only the two kinds a client writes; a next step is the team's to write.
    browser.post("/portal/board/cards/", {"column": "next_step", "text": "x"})
    browser.post("/portal/board/cards/", {"column": "worry", "text": "   "})
    assert Card.objects.count() == 1


def test_the_clients_scale(grace, grace_user):
    browser = signed_in(grace_user)
    browser.post("/portal/board/scale/", {"score": "4", "why": "Better than before"})
    response = browser.post("/portal/board/scale/", {"score": "11"}, follow=True)
    assert "Choose a number from 0 to 10." in response.content.decode()
    scale = Scale.objects.get()
    assert (scale.score, scale.by_client, scale.why) == (4, True, "Better than before")
    assert "Better than before" in browser.get("/portal/board/").content.decode()


def test_family_with_consent_and_without(alice, grace):
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ama = UserFactory(organisation=None, kind=User.Kind.FAMILY, full_name="Ama Okafor")
    PortalAccess.objects.create(user=ama, client=grace, member=sister)
    assert signed_in(ama).get("/portal/board/").status_code == 404
    ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    assert (
        signed_in(ama)
        .post("/portal/board/cards/", {"column": "working_well", "text": "Sunday lunch"})
        .status_code
        == 302
    )
    assert Card.objects.get().author == ama


def test_hidden_members_are_not_named_in_the_portal(grace, grace_user):
    hidden = UserFactory(full_name="Hana Hidden")
    MemberFactory(client=grace, user=hidden, is_hidden=True)
    strength(hidden, grace, "Shared by a hidden member", visibility="client")
    html = signed_in(grace_user).get("/portal/board/").content.decode()
    assert "Shared by a hidden member" in html and "Hana Hidden" not in html
