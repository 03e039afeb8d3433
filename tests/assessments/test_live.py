"""Who hears of an assessment on a live socket: exactly who may read it (the notes' rule), and the portal
only what is shared with the client."""

import pytest
from channels.db import database_sync_to_async

from assessments import services
from assessments.models import Instrument
from circles.models import PortalAccess
from network.models import User
from tests.access.conftest import client_socket, next_message, no_events

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("shipped_instruments"),
]


def complete(actor, client, *, visibility="circle"):
    draft = services.assessment_start(
        actor=actor, client=client, instrument=Instrument.objects.get(code="gad-7"), visibility=visibility
    )
    return services.assessment_complete(
        actor=actor, assessment=draft, answers={str(n): {"score": 1} for n in range(1, 8)}
    )


async def test_my_organisation_only_reaches_my_organisation(alice, bob, carol, grace):
    bob_socket, carol_socket = await client_socket(bob, grace), await client_socket(carol, grace)
    done = await database_sync_to_async(complete)(alice, grace, visibility="organisation")
    message = await next_message(bob_socket)
    assert (message["event"], message["payload"]) == (
        "assessment.complete",
        {"assessment_id": done.pk, "instrument": "gad-7"},
    )
    assert await no_events(carol_socket)
    await bob_socket.disconnect()
    await carol_socket.disconnect()


async def test_a_draft_is_never_announced(alice, bob, grace):
    bob_socket = await client_socket(bob, grace)
    await database_sync_to_async(services.assessment_start)(
        actor=alice,
        client=grace,
        instrument=await database_sync_to_async(Instrument.objects.get)(code="gad-7"),
    )
    assert await no_events(bob_socket)
    await bob_socket.disconnect()


async def test_the_portal_hears_only_what_is_shared_with_the_client(alice, grace):
    def portal_user():
        user = User.objects.create_user("grace@example.org", None, full_name="Grace", kind=User.Kind.CLIENT)
        PortalAccess.objects.create(user=user, client=grace)
        return user

    grace_user = await database_sync_to_async(portal_user)()
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from realtime.routing import websocket_urlpatterns

    portal = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/clients/{grace.public_id}/?page=portal"
    )
    portal.scope["user"] = grace_user
    connected, _code = await portal.connect(timeout=3)
    assert connected
    await database_sync_to_async(complete)(alice, grace, visibility="circle")
    assert await no_events(portal)
    shared = await database_sync_to_async(complete)(alice, grace, visibility="client")
    while True:
        message = await portal.receive_json_from(timeout=3)
        if message["type"] == "event":
            break
    assert message["payload"]["assessment_id"] == shared.pk
    await portal.disconnect()
