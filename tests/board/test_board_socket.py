"""The board, live: card changes reach the circle as small events (ids only), "my organisation only" cards
never reach other organisations, the portal hears only of cards shared with the client, and presence says
what someone is editing ("a worry")."""

import pytest
from channels.db import database_sync_to_async

from circles.models import PortalAccess
from network.models import User
from tests.board.conftest import worry
from tests.factories import UserFactory
from tests.plans.test_plan_live import connect, next_event, presence_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

add_worry = database_sync_to_async(worry)


@database_sync_to_async
def portal_user(client):
    user = UserFactory(organisation=None, kind=User.Kind.CLIENT)
    PortalAccess.objects.create(user=user, client=client)
    return user


async def test_a_new_card_reaches_the_others(alice, bob, grace):
    bobs = await connect(bob, grace, page="board")
    card = await add_worry(alice, grace, "<b>Arrears</b>")
    event = await next_event(bobs)
    assert event["event"] == "board.card_add"
    assert event["payload"] == {"card_id": card.pk, "column": "worry", "version": 1}  # no words, no names
    await bobs.disconnect()


async def test_my_organisation_only_and_the_portal(alice, carol, grace):
    carols = await connect(carol, grace, page="board")
    portal = await connect(await portal_user(grace), grace, page="portal")
    await add_worry(alice, grace, "Early Help only", visibility="organisation")
    shared = await add_worry(alice, grace, "For Grace too", visibility="client")
    assert (await next_event(carols))["payload"]["card_id"] == shared.pk
    assert (await next_event(portal))["payload"]["card_id"] == shared.pk
    await carols.disconnect()
    await portal.disconnect()


async def test_presence_says_what_someone_is_editing(alice, bob, grace):
    alices = await connect(alice, grace, page="board")
    bobs = await connect(bob, grace, page="board")
    await bobs.send_json_to({"type": "focus", "label": "a worry"})
    people = await presence_until(alices, lambda people: any(p.get("focus") == "a worry" for p in people))
    assert [(p["name"], p["focus"]) for p in people] == [("Bob Same-Org", "a worry")]
    await alices.disconnect()
    await bobs.disconnect()
