"""The same matrix for live sockets: who may subscribe to a client's page, and to their own notifications."""

import datetime

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from circles.models import EmergencyAccess
from network.models import User
from realtime.routing import websocket_urlpatterns
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

# role -> may subscribe to Grace's page?
CLIENT_PAGE = {
    "anonymous": False,
    "lead": True,
    "member": True,
    "other_org_member": True,
    "outsider": False,
    "outsider_with_emergency_access": True,
    "outsider_whose_emergency_access_ended": False,
    "manager": False,
    "agency_admin": False,
    "panel_chair": False,
    "site_admin": False,
    "client": False,
    "family": False,
}


@pytest.fixture
def cast(alice, bob, carol, charlie, grace, early_help, police):
    now = timezone.now()
    rescuer = UserFactory(organisation=police)
    EmergencyAccess.objects.create(
        client=grace, user=rescuer, reason="Called at night", expires_at=now + datetime.timedelta(minutes=30)
    )
    late = UserFactory(organisation=police)
    EmergencyAccess.objects.create(
        client=grace, user=late, reason="Called last week", expires_at=now - datetime.timedelta(minutes=1)
    )
    return {
        "anonymous": AnonymousUser(),
        "lead": alice,
        "member": bob,
        "other_org_member": carol,
        "outsider": charlie,
        "outsider_with_emergency_access": rescuer,
        "outsider_whose_emergency_access_ended": late,
        "manager": UserFactory(organisation=early_help, org_role=User.OrgRole.MANAGER),
        "agency_admin": UserFactory(organisation=early_help, org_role=User.OrgRole.ADMIN),
        "panel_chair": UserFactory(organisation=early_help, org_role=User.OrgRole.PANEL_CHAIR),
        "site_admin": UserFactory(organisation=None, is_superuser=True),
        "client": UserFactory(organisation=None, kind=User.Kind.CLIENT),
        "family": UserFactory(organisation=None, kind=User.Kind.FAMILY),
    }


async def subscribe(user, path):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=3)
    await communicator.disconnect()
    return connected


@pytest.mark.parametrize("role", sorted(CLIENT_PAGE))
async def test_who_may_follow_a_client_page(role, cast, grace):
    assert await subscribe(cast[role], f"/ws/clients/{grace.public_id}/") is CLIENT_PAGE[role]


@pytest.mark.parametrize("role", sorted(CLIENT_PAGE))
async def test_everyone_signed_in_has_their_own_notification_socket(role, cast):
    assert await subscribe(cast[role], "/ws/me/") is (role != "anonymous")
