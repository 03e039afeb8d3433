"""The hidden-member rule on the newer apps' outputs that test_hidden_everywhere.py did not reach.

Same cast and world: Ida, a domestic-abuse adviser from a refuge, is a hidden member of Grace's circle. Here
she also writes a note about her assessment and amends it, is the worker who takes a referral, minutes a
case conference and is named in its decisions, and leaves the circle while an emergency reader is away.
Each output is read by someone outside the circle (an emergency reader, a receiving organisation's inbox, a
panel's standing member) and must not name her; a member of the circle reads it too and sees her (the
control that lets each test fail).
"""

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Assessment
from board.models import Card
from circles import access
from circles import services as circle_services
from circles.models import CircleMember, PortalAccess
from conferences import services as conference_services
from conferences.models import Meeting
from network.models import User
from sharing import services as sharing_services
from tests.access import test_hidden_everywhere as everywhere
from tests.access.test_hidden_everywhere import EMAIL, NAME, as_text, emergency, gives_away, read
from tests.factories import ConsentFactory

# The other file's world and fixtures, shared (Ida, the refuge, her notes and plan, the board and the
# assessment of `later`, the housing referral, the panel chair).
refuge, ida, world, later = everywhere.refuge, everywhere.ida, everywhere.world, everywhere.later
housing_referral, moira_chair = everywhere.housing_referral, everywhere.moira_chair

# Assessments: the author, an amendment, and what refers to an assessment.


@pytest.fixture
def her_assessment(grace, ida, later):
    """Ida's GAD-7 (from `later`), a note of hers about it, and her amendment of it."""
    original = Assessment.objects.get(author=ida, client=grace)
    sharing_services.note_create(
        actor=ida, client=grace, text="Went through the GAD-7 with Grace.", assessment=original
    )
    answers = {code: {"score": 2} for code in original.answers}
    amended = assessment_services.assessment_amend(
        actor=ida, assessment=original, answers=answers, reason="One answer was misheard."
    )
    return original, amended


def assessment_pages(grace, original, amended) -> dict:
    pid = grace.public_id
    return {
        "assessment page (what refers to it)": reverse("assessments:detail", args=[pid, original.pk]),
        "amendment page": reverse("assessments:detail", args=[pid, amended.pk]),
        "assessment API": f"/api/v1/clients/{pid}/assessments/{amended.pk}/",
    }


def test_the_circle_sees_her_on_the_assessment_pages(bob, grace, her_assessment):
    for surface, url in assessment_pages(grace, *her_assessment).items():
        response = read(bob, "api" if "API" in surface else "page", url)
        assert response.status_code == 200, surface
        assert NAME in as_text(response), surface


def test_emergency_access_never_names_her_on_the_assessment_pages(charlie, grace, ida, her_assessment):
    emergency(charlie, grace)
    leaks = {}
    for surface, url in assessment_pages(grace, *her_assessment).items():
        response = read(charlie, "api" if "API" in surface else "page", url)
        assert response.status_code == 200, surface
        if found := gives_away(as_text(response), ida, later_hidden(grace)):
            leaks[surface] = found
    assert leaks == {}
    original, _amended = her_assessment
    page = as_text(read(charlie, "page", assessment_pages(grace, *her_assessment)["amendment page"]))
    assert f"Amended by {access.HIDDEN_LABEL}" in page
    page = as_text(
        read(charlie, "page", assessment_pages(grace, *her_assessment)["assessment page (what refers to it)"])
    )
    assert f"note by {access.HIDDEN_LABEL}" in page  # her note about it, still listed, unnamed


def later_hidden(grace) -> CircleMember:
    return CircleMember.objects.get(client=grace, user__email=EMAIL)


# The board: linking a worry to notes offers the notes by their authors.


def test_the_card_link_form_names_her_to_the_circle_only(bob, charlie, grace, ida, later):
    card = Card.objects.get(client=grace, author=ida)
    url = reverse("board:card_link", args=[grace.public_id, card.pk])
    assert NAME in as_text(read(bob, "page", url))
    emergency(charlie, grace)
    response = read(charlie, "page", url)
    assert response.status_code == 200
    assert gives_away(as_text(response), ida, later["hidden"]) == []
    assert "Safety plan reviewed with Grace." in as_text(response)  # her note is offered, unnamed


# Referrals: the worker who takes a referral, in the API.


@pytest.fixture
def hal(grace, housing_referral):
    """Hal, of the housing association, is a hidden member of Grace's circle and takes the referral."""
    referral, _hattie = housing_referral
    return everywhere.hidden_worker_takes(grace, referral)


def test_the_circle_sees_the_worker(bob, housing_referral, hal):
    referral, _hattie = housing_referral
    detail = read(bob, "api", f"/api/v1/referrals/{referral.pk}/")
    assert detail.data["worker"] == "Hal Hidden"


def test_the_inbox_is_not_told_a_hidden_worker_in_the_api(housing_referral, hal):
    referral, hattie = housing_referral
    for url in (f"/api/v1/referrals/{referral.pk}/", "/api/v1/referrals/?direction=received"):
        response = read(hattie, "api", url)
        assert response.status_code == 200, url
        assert "Hal Hidden" not in as_text(response), url
    detail = read(hattie, "api", f"/api/v1/referrals/{referral.pk}/")
    assert detail.data["worker"] == access.HIDDEN_LABEL


# Case conferences: Ida minutes a meeting about Grace; the decisions name her.


@pytest.fixture
def minuted(moira_chair, charlie, grace, alice, ida, world, django_capture_on_commit_callbacks):
    """A risk panel on Grace, minuted by Ida; Charlie is a standing member. Ida records a decision that she
    agreed to and that she disagreed with in part (names as written down, as the form offers them)."""
    with django_capture_on_commit_callbacks(execute=True):
        meeting, item = everywhere.risk_panel_on(
            grace,
            chair=moira_chair,
            standing=charlie,
            consent_by=alice,
            title="Risk panel, January",
            minute_taker=ida,
        )
    conference_services.decision_record(
        actor=ida,
        item=item,
        text="A safety plan review in four weeks.",
        agreed_by=["Moira", NAME],
        dissent=[{"name": NAME, "reason": "Sooner would be better."}],
    )
    return meeting, item


def conference_outputs(meeting: Meeting, item) -> dict:
    return {
        "meeting page": ("page", reverse("conferences:meeting", args=[meeting.pk])),
        "item panel": ("page", reverse("conferences:item", args=[meeting.pk, item.pk])),
        "minutes": ("page", reverse("conferences:minutes", args=[meeting.pk])),
        "API my meetings": ("api", "/api/v1/meetings/"),
        "API meeting": ("api", f"/api/v1/meetings/{meeting.pk}/"),
    }


def test_the_circle_sees_her_in_the_meeting(alice, minuted):
    meeting, item = minuted
    for surface, (kind, url) in conference_outputs(meeting, item).items():
        response = read(alice, kind, url)
        assert response.status_code == 200, surface
        assert NAME in as_text(response), surface


@pytest.mark.parametrize("who", ["charlie", "moira_chair"])
def test_the_panel_is_not_told_who_minuted_or_agreed(who, request, ida, world, minuted):
    user = request.getfixturevalue(who)
    meeting, item = minuted
    leaks = {}
    for surface, (kind, url) in conference_outputs(meeting, item).items():
        response = read(user, kind, url)
        assert response.status_code == 200, surface
        if found := gives_away(as_text(response), ida, world["hidden"]):
            leaks[surface] = found
    assert leaks == {}
    minutes = as_text(read(user, "page", reverse("conferences:minutes", args=[meeting.pk])))
    assert "A safety plan review in four weeks." in minutes
    assert f"{access.HIDDEN_LABEL} disagreed" in minutes


# "Since you last looked": what happened to a hidden member is not news to anyone outside the circle.


def test_since_you_last_looked_leaves_out_what_the_socket_would(alice, bob, charlie, grace, ida, world):
    page = reverse("circles:client", args=[grace.public_id])
    emergency(charlie, grace)
    signed_in_pages = {who: read(who, "page", page) for who in (bob, charlie)}  # both visit now
    assert all(response.status_code == 200 for response in signed_in_pages.values())
    circle_services.circle_member_remove(actor=alice, client=grace, member=world["hidden"])

    for_bob = as_text(read(bob, "page", page))
    assert "1 circle or consent change" in for_bob  # the control: the circle hears of it
    for_charlie = as_text(read(charlie, "page", page))
    assert "circle or consent change" not in for_charlie
    assert gives_away(for_charlie, ida, world["hidden"]) == []


# Sockets: who is present, and what the meeting's events say.


async def _presence_names(communicator) -> set[str]:
    """Every name in the presence lists this socket hears until it falls quiet."""
    names: set[str] = set()
    while not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_json_from()
        for person in message.get("people", []) + message.get("presence", []):
            names.add(person["name"])
    return names


async def _meeting_socket(user, meeting):
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from conferences.routing import websocket_urlpatterns
    from tests.access.conftest import SOCKET_TIMEOUT, receive_until

    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/meetings/{meeting.pk}/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect(timeout=SOCKET_TIMEOUT)
    assert connected, f"{user} was refused ({code})"
    await receive_until(communicator, "hello")
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_the_meeting_socket_shows_her_to_the_circle_only(alice, charlie, ida, minuted):
    from tests.access.conftest import receive_until

    meeting, item = minuted
    as_alice = await _meeting_socket(alice, meeting)
    as_charlie = await _meeting_socket(charlie, meeting)
    as_ida = await _meeting_socket(ida, meeting)
    try:
        assert NAME in await _presence_names(as_alice)
        assert NAME not in await _presence_names(as_charlie)
        await database_sync_to_async(conference_services.minutes_update)(
            actor=ida, item=item, minutes="Safety at home:\nDiscussed.", base_version=item.version
        )
        heard = {
            "alice": (await receive_until(as_alice, "event"))["payload"]["by"],
            "charlie": (await receive_until(as_charlie, "event"))["payload"]["by"],
        }
        assert heard == {"alice": NAME, "charlie": access.HIDDEN_LABEL}
    finally:
        for communicator in (as_alice, as_charlie, as_ida):
            await communicator.disconnect()


@pytest.fixture
def hidden_carer(alice, grace, world):
    """A carer in Grace's circle, hidden (she is hiding from someone), with the family portal."""
    carer = circle_services.circle_member_add(
        actor=alice, client=grace, kind="family", role="carer", name="Cora Hidden-Carer", is_hidden=True
    )
    ConsentFactory(client=grace, scope="family_portal", family_member=carer, recorded_by=alice)
    user = User.objects.create_user("cora@example.net", None, full_name="Cora Hidden-Carer", kind="family")
    PortalAccess.objects.create(user=user, client=grace, member=carer)
    return user


@pytest.mark.django_db(transaction=True)
async def test_the_portal_does_not_show_a_hidden_carer_as_present(grace, world, hidden_carer):
    from tests.access.conftest import client_socket

    as_client = await client_socket(world["client_user"], grace)
    as_carer = await client_socket(hidden_carer, grace)
    as_sister = await client_socket(world["family_user"], grace)
    try:
        assert "Grace Okafor" in await _presence_names(as_carer)  # the control: presence works here
        assert "Cora Hidden-Carer" not in await _presence_names(as_client)
        assert "Cora Hidden-Carer" not in await _presence_names(as_sister)
    finally:
        for communicator in (as_client, as_carer, as_sister):
            await communicator.disconnect()


@pytest.mark.parametrize("who", ["client_user", "family_user"])
def test_the_portal_ratings_page_never_names_her(who, grace, ida, world):
    """Her assessment shared with Grace is on "How am I doing?", with nobody's name on it."""
    from tests.factories import assessment_done

    assessment_done(author=ida, client=grace, code="gad-7", scores=[1] * 7, visibility="client")
    response = read(world[who], "page", reverse("portal:ratings"))
    assert response.status_code == 200
    text = as_text(response)
    assert "GAD-7" in text or "Anxiety" in text  # the control: her assessment is shown
    assert gives_away(text, ida, world["hidden"]) == []
