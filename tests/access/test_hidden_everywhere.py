"""A hidden member's identity reaches only the circle's current professional members: every audience × every
surface (issue 17, item 1).

Ida, a domestic-abuse adviser from a refuge, is a hidden member of Grace's circle. She writes notes (one
shared with Grace), owns an action Grace can see, changes a goal and takes part in agreeing the plan. Then
each audience reads each surface it can reach, and nothing but the circle may learn her name, her
organisation, her email or her account and membership ids. The circle itself sees her (the control).
"""

import datetime
import json

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from board import services as board_services
from circles import access
from circles import services as circle_services
from circles.models import CircleMember, Consent, EmergencyAccess, PortalAccess
from conferences import services as conference_services
from network.models import User
from portal import services as portal_services
from realtime.models import Notification
from referrals import handovers
from referrals import services as referral_services
from sharing import services as sharing_services
from sharing.models import Note
from tests.access.conftest import client_socket, receive_until
from tests.conferences.conftest import meeting_type, tomorrow_at
from tests.conftest import api_as, signed_in
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    FamilyMemberFactory,
    OrganisationFactory,
    UserFactory,
    assessment_done,
)

NAME, ORGANISATION, EMAIL = "Ida Hidden-Adviser", "Safe Haven Refuge", "ida@example.org"


@pytest.fixture
def refuge(db):
    return OrganisationFactory(name=ORGANISATION, kind="voluntary")


@pytest.fixture
def ida(refuge):
    return UserFactory(email=EMAIL, full_name=NAME, organisation=refuge)


@pytest.fixture
def world(alice, bob, carol, charlie, grace, ida):
    """Grace's circle with Ida hidden in it, and something of Ida's on every surface."""
    hidden = circle_services.circle_member_add(
        actor=alice, client=grace, kind="professional", user=ida, role="advocate", is_hidden=True
    )
    note = sharing_services.note_create(actor=ida, client=grace, text="Safety plan reviewed with Grace.")
    shared_note = sharing_services.note_create(
        actor=ida, client=grace, text="Grace, here is the helpline number.", visibility=Note.Visibility.CLIENT
    )
    goal = sharing_services.goal_add(actor=alice, client=grace, in_own_words="Feel safe at home")
    sharing_services.goal_update(
        actor=ida, goal=goal, changes={"success_looks_like": "Locks changed"}, base_version=1
    )
    action = sharing_services.action_add(actor=alice, goal=goal, what="Fit new locks", owner=hidden)
    sharing_services.plan_agree(
        actor=alice,
        client=grace,
        participants=[CircleMember.objects.get(client=grace, user=alice, until=None), hidden],
    )
    agreement = grace.plan.agreements.get()
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    client_user = User.objects.create_user("grace@example.net", None, full_name="Grace Okafor", kind="client")
    PortalAccess.objects.create(user=client_user, client=grace)
    family_user = User.objects.create_user("ama@example.net", None, full_name="Ama Okafor", kind="family")
    PortalAccess.objects.create(user=family_user, client=grace, member=sister)
    return {
        "hidden": hidden,
        "note": note,
        "shared_note": shared_note,
        "goal": goal,
        "action": action,
        "agreement": agreement,
        "client_user": client_user,
        "family_user": family_user,
    }


def emergency(user, client):
    EmergencyAccess.objects.create(
        client=client,
        user=user,
        reason="Grace is in A&E and cannot speak",
        expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )


def record_surfaces(grace, w) -> dict:
    """Everything a professional may open about Grace: pages and the API."""
    pid = grace.public_id
    api = f"/api/v1/clients/{pid}/"
    return {
        "client page": ("page", reverse("circles:client", args=[pid])),
        "note page": ("page", reverse("circles:note", args=[pid, w["note"].pk])),
        "plan page": ("page", reverse("plan:plan", args=[pid])),
        "goal history page": ("page", reverse("plan:item_history", args=[pid, "goals", w["goal"].pk])),
        "action history page": ("page", reverse("plan:item_history", args=[pid, "actions", w["action"].pk])),
        "agreed version page": ("page", reverse("plan:agreement", args=[pid, w["agreement"].pk])),
        "timeline": ("page", reverse("circles:timeline", args=[pid])),
        "API client": ("api", api),
        "API members": ("api", api + "members/?past=1"),
        "API notes": ("api", api + "notes/"),
        "API note": ("api", api + f"notes/{w['note'].pk}/"),
        "API plan": ("api", api + "plan/"),
        "API goal history": ("api", api + f"plan/goals/{w['goal'].pk}/history/"),
        "API action": ("api", api + f"plan/actions/{w['action'].pk}/"),
        "API agreements": ("api", api + "plan/agreements/"),
        "API agreed version": ("api", api + f"plan/agreements/{w['agreement'].pk}/"),
        "API consents": ("api", api + "consents/"),
    }


def read(user, kind: str, url: str):
    return (signed_in(user) if kind == "page" else api_as(user)).get(url)


def gives_away(text: str, ida, hidden) -> list[str]:
    clues = [NAME, ORGANISATION, EMAIL, f'"user_id": {ida.pk}', f'"member_id": {hidden.pk}']
    return [clue for clue in clues if clue in text]


def as_text(response) -> str:
    if hasattr(response, "data") and response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.data, default=str)
    return response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_the_circle_sees_her_everywhere(who, request, grace, ida, world):
    user = request.getfixturevalue(who)
    for surface, (kind, url) in record_surfaces(grace, world).items():
        response = read(user, kind, url)
        assert response.status_code == 200, surface
        if surface not in ("API client", "API consents", "action history page", "API action"):
            assert NAME in as_text(response), f"the circle should see her on the {surface}"


def test_emergency_access_never_names_her(charlie, grace, ida, world):
    emergency(charlie, grace)
    leaks = {}
    for surface, (kind, url) in record_surfaces(grace, world).items():
        response = read(charlie, kind, url)
        assert response.status_code == 200, surface
        if found := gives_away(as_text(response), ida, world["hidden"]):
            leaks[surface] = found
    assert leaks == {}
    # What she wrote and owns is still there, unnamed.
    assert (
        access.HIDDEN_LABEL
        in signed_in(charlie).get(reverse("circles:client", args=[grace.public_id])).content.decode()
    )
    assert (
        access.HIDDEN_LABEL
        in signed_in(charlie).get(reverse("plan:plan", args=[grace.public_id])).content.decode()
    )


@pytest.mark.parametrize("who", ["charlie", "manager", "police_admin"])
def test_discovery_never_names_her(who, request, grace, ida, world):
    user = request.getfixturevalue(who)
    pid = grace.public_id
    for kind, url in [
        ("page", reverse("circles:client", args=[pid])),
        ("page", reverse("circles:search") + f"?q={pid}"),
        ("api", f"/api/v1/clients/{pid}/"),
        ("api", f"/api/v1/clients/{pid}/members/?past=1"),
        ("api", f"/api/v1/clients/?q={pid}"),
    ]:
        response = read(user, kind, url)
        assert response.status_code == 200, url
        assert gives_away(as_text(response), ida, world["hidden"]) == [], url


def test_the_managers_caseload_never_names_her(manager, grace, ida, world):
    response = signed_in(manager).get(reverse("caseload"))
    assert "Grace Okafor" in response.content.decode()
    assert gives_away(response.content.decode(), ida, world["hidden"]) == []


@pytest.mark.parametrize("who", ["client_user", "family_user"])
def test_the_portal_never_names_her(who, grace, ida, world):
    user = world[who]
    for name in ("portal:home", "portal:shared", "portal:people"):
        response = signed_in(user).get(reverse(name))
        assert response.status_code == 200, name
        assert gives_away(response.content.decode(), ida, world["hidden"]) == [], name
    home = signed_in(user).get(reverse("portal:home")).content.decode()
    assert "Fit new locks" in home and access.HIDDEN_LABEL in home  # her action, unnamed
    shared = signed_in(user).get(reverse("portal:shared")).content.decode()
    assert "here is the helpline number" in shared and access.HIDDEN_LABEL in shared


def test_another_organisations_audit_export_never_names_her(health_admin, grace, ida, world):
    circle_services.circle_member_hide(
        actor=grace.members.get(is_lead=True).user,
        client=grace,
        member=world["hidden"],
        hidden=True,
        reason="Domestic abuse adviser",
    )
    response = signed_in(health_admin).get(reverse("circles:audit_export", args=[grace.public_id]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert "a member of the circle" in text
    assert NAME not in text and ORGANISATION not in text
    hidden_rows = [
        line for line in text.splitlines() if "CircleMember" in line and str(world["hidden"].pk) in line
    ]
    assert not any(f'"user_id": {ida.pk}' in line for line in hidden_rows)


def test_her_own_organisation_export_names_her(refuge, grace, ida, world):
    refuge_admin = UserFactory(email="rita@example.org", organisation=refuge, org_role="admin")
    response = signed_in(refuge_admin).get(reverse("circles:audit_export", args=[grace.public_id]))
    assert NAME in response.content.decode()


@pytest.mark.parametrize("organisation", ["early_help", "refuge"])
def test_a_subject_access_export_never_names_her(
    organisation, request, grace, ida, world, django_capture_on_commit_callbacks
):
    """The export goes to Grace, outside the circle: Ida is unnamed in it, her own organisation's included."""
    import io
    import zipfile

    from subject_access.models import SubjectAccessExport

    admin = UserFactory(organisation=request.getfixturevalue(organisation), org_role="admin")
    browser = signed_in(admin)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(reverse("subject_access:start", args=[grace.public_id]))
    export = SubjectAccessExport.objects.get(requested_by=admin)
    response = browser.get(reverse("subject_access:download", args=[export.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    for name, text in files.items():
        # The organisation that answers the request says who it is (when the refuge answers, that is all).
        if name.endswith("export.json"):
            document = json.loads(text)
            assert document.pop("produced")["organisation"] == admin.organisation.name
            text = json.dumps(document)
        text = text.replace(f"by {admin.organisation.name}", "by the organisation answering")
        assert not gives_away(text, ida, world["hidden"]), name
    html = next(text for name, text in files.items() if name.endswith("export.html"))
    assert "Safety plan reviewed with Grace." in html and "A member of the circle (name withheld)" in html


def test_a_hidden_lead_is_not_named_in_a_declined_request_or_an_invitation(
    charlie, ida, django_capture_on_commit_callbacks
):
    hope = ClientFactory(given_name="Hope", family_name="Mensah")
    CircleMember.objects.create(
        client=hope,
        user=ida,
        organisation=ida.organisation,
        role="lead_professional",
        is_lead=True,
        is_hidden=True,
    )
    request = circle_services.join_request_create(
        actor=charlie, client=hope, reason="A report about the flat", role="police_officer"
    )
    circle_services.join_request_decide(actor=ida, request=request, approve=False)
    told = Notification.objects.get(user=charlie)
    assert NAME not in told.text and access.HIDDEN_LABEL in told.text

    with django_capture_on_commit_callbacks(execute=True):
        portal_services.invitation_create(actor=ida, client=hope, email="hope@example.net")
    assert NAME not in mail.outbox[-1].body


# Sockets.


@pytest.mark.django_db(transaction=True)
async def test_events_never_name_her_outside_the_circle(alice, bob, charlie, grace, ida, world):
    await database_sync_to_async(emergency)(charlie, grace)
    as_bob = await client_socket(bob, grace)
    as_charlie = await client_socket(charlie, grace)
    as_family = await client_socket(world["family_user"], grace)
    goal = world["goal"]
    try:
        await database_sync_to_async(sharing_services.goal_update)(
            actor=ida, goal=goal, changes={"success_looks_like": "Locks changed twice"}, base_version=2
        )
        heard = {}
        for who, socket in [("bob", as_bob), ("charlie", as_charlie), ("family", as_family)]:
            heard[who] = (await receive_until(socket, "event"))["payload"]["by"]
        assert heard == {"bob": NAME, "charlie": access.HIDDEN_LABEL, "family": access.HIDDEN_LABEL}

        await database_sync_to_async(circle_services.circle_member_remove)(
            actor=alice, client=grace, member=world["hidden"]
        )
        removed = await receive_until(as_bob, "event")
        assert removed["event"] == "circle.member_remove"
        # The emergency reader hears nothing of it: not her account, not her membership.
        assert await _never_mentions(as_charlie, ida, world["hidden"])
    finally:
        for socket in (as_bob, as_charlie, as_family):
            await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_catch_up_never_names_her_outside_the_circle(charlie, grace, ida, world):
    """A socket asking for the whole outbox again (?after=0) reads it through the same rule."""
    from tests.access.conftest import socket

    await database_sync_to_async(emergency)(charlie, grace)
    communicator, connected, _code = await socket(charlie, f"/ws/clients/{grace.public_id}/?after=0")
    assert connected
    try:
        heard = await _everything_heard(communicator)
    finally:
        await communicator.disconnect()
    # The control: the catch-up did replay what she did (her goal change, her action), unnamed; an empty
    # catch-up would name nobody either.
    by = [m["payload"]["by"] for m in heard if m.get("type") == "event" and "by" in m.get("payload", {})]
    assert access.HIDDEN_LABEL in by, heard
    assert [m for m in heard if gives_away(json.dumps(m), ida, world["hidden"])] == []


async def _everything_heard(communicator) -> list[dict]:
    heard = []
    while not await communicator.receive_nothing(timeout=0.3):
        heard.append(await communicator.receive_json_from())
    return heard


async def _never_mentions(communicator, ida, hidden) -> bool:
    while not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_json_from()
        if gives_away(json.dumps(message), ida, hidden):
            return False
    return True


# The surfaces of the apps that came after the rule: the board, what is true now, assessments, referrals,
# handovers, reminders and case conferences. Each audience that can reach one is checked on it.


@pytest.fixture
def later(world, alice, grace, ida):
    """Ida writes on the board (a card Grace can see too), gives a scale and completes an assessment."""
    board_services.card_add(
        actor=ida,
        client=grace,
        column="worry",
        text="Ex-partner seen near school",
        kind="danger",
        visibility="client",
    )
    board_services.scale_add(actor=ida, client=grace, score=4, why="Safety plan in place")
    assessment_done(author=ida, client=grace, code="gad-7", scores=[1, 1, 1, 1, 1, 1, 1])
    return world


def later_surfaces(grace) -> dict:
    pid = grace.public_id
    api = f"/api/v1/clients/{pid}/"
    return {
        "board page": ("page", f"/clients/{pid}/board/"),
        "API board cards": ("api", api + "board/cards/"),
        "API board scales": ("api", api + "board/scales/"),
        "client page (what is true now)": ("page", reverse("circles:client", args=[pid])),
        "API assessments": ("api", api + "assessments/"),
        # FHIR: the circle, the plan (her action), the assessments (hers), the consents, who looked.
        "FHIR everything": ("api", f"/fhir/Patient/{pid}/$everything"),
        "timeline (the board's history, scales, assessments)": (
            "page",
            reverse("circles:timeline", args=[pid]),
        ),
        "API timeline": ("api", api + "timeline/"),
    }


def test_the_circle_sees_her_on_the_later_surfaces(bob, grace, ida, later):
    for surface, (kind, url) in later_surfaces(grace).items():
        response = read(bob, kind, url)
        assert response.status_code == 200, surface
        assert NAME in as_text(response), f"the circle should see her on the {surface}"


def test_emergency_access_never_names_her_on_the_later_surfaces(charlie, grace, ida, later):
    emergency(charlie, grace)
    leaks = {}
    for surface, (kind, url) in later_surfaces(grace).items():
        response = read(charlie, kind, url)
        assert response.status_code == 200, surface
        text = as_text(response)
        if found := gives_away(text, ida, later["hidden"]):
            leaks[surface] = found
    assert leaks == {}
    board = as_text(read(charlie, "page", later_surfaces(grace)["board page"][1]))
    assert "Ex-partner seen near school" in board and access.HIDDEN_LABEL in board  # her card, unnamed
    assessments = as_text(read(charlie, "api", later_surfaces(grace)["API assessments"][1]))
    assert access.HIDDEN_LABEL in assessments
    fhir = as_text(read(charlie, "api", later_surfaces(grace)["FHIR everything"][1]))
    assert "Fit new locks" in fhir and access.HIDDEN_LABEL in fhir  # her action and assessment, unnamed


@pytest.mark.parametrize("who", ["charlie", "manager", "police_admin"])
def test_discovery_never_names_her_on_the_later_surfaces(who, request, grace, ida, later):
    user = request.getfixturevalue(who)
    for surface, (kind, url) in later_surfaces(grace).items():
        assert gives_away(as_text(read(user, kind, url)), ida, later["hidden"]) == [], surface


@pytest.mark.parametrize("who", ["client_user", "family_user"])
def test_the_portal_board_never_names_her(who, grace, ida, later):
    board = signed_in(later[who]).get(reverse("portal:board"))
    assert board.status_code == 200
    text = board.content.decode()
    assert "Ex-partner seen near school" in text and access.HIDDEN_LABEL in text
    assert gives_away(text, ida, later["hidden"]) == []


@pytest.fixture
def housing_referral(alice, grace, ida, world):
    """Ida refers Grace to a housing association (with Grace's consent); Hattie works its inbox."""
    housing = OrganisationFactory(name="Riverside Housing", kind="housing")
    hattie = UserFactory(email="hattie@example.org", organisation=housing, org_role="manager")
    ConsentFactory(client=grace, scope=Consent.Scope.ORGANISATION, organisation=housing, recorded_by=alice)
    referral = referral_services.referral_create(
        actor=ida,
        client=grace,
        to_organisation=housing,
        service="Tenancy support",
        asked="Help Grace move somewhere safe.",
        reason="Her ex-partner knows the address.",
        now_summary="Grace lives with her two children.",
    )
    return referral, hattie


def referral_surfaces(referral) -> dict:
    return {
        "referral page": ("page", reverse("referrals:referral", args=[referral.pk])),
        "API referral (pack)": ("api", f"/api/v1/referrals/{referral.pk}/"),
    }


def test_the_circle_sees_who_referred(bob, ida, housing_referral):
    referral, _hattie = housing_referral
    for surface, (kind, url) in referral_surfaces(referral).items():
        response = read(bob, kind, url)
        assert response.status_code == 200, surface
        assert NAME in as_text(response), surface


def test_the_receiving_inbox_never_learns_she_referred(ida, world, housing_referral):
    referral, hattie = housing_referral
    surfaces = {
        **referral_surfaces(referral),
        "API referrals received": ("api", "/api/v1/referrals/?direction=received"),
    }
    for surface, (kind, url) in surfaces.items():
        response = read(hattie, kind, url)
        assert response.status_code == 200, surface
        # Not her organisation: a referral says which organisation it comes from (see the lead's note).
        assert [c for c in gives_away(as_text(response), ida, world["hidden"]) if c != ORGANISATION] == [], (
            surface
        )
    assert access.HIDDEN_LABEL in as_text(read(hattie, "api", f"/api/v1/referrals/{referral.pk}/"))
    # What the inbox is told (notifications, and the "already accepted" answer) names nobody hidden either.
    told = " ".join(Notification.objects.filter(user=hattie).values_list("text", flat=True))
    assert NAME not in told


def hidden_worker_takes(client, referral):
    """Hal, of the receiving organisation, is a hidden member of `client`'s circle and takes the referral."""
    organisation = referral.to_organisation
    hal = UserFactory(
        email="hal@example.org", full_name="Hal Hidden", organisation=organisation, org_role="manager"
    )
    CircleMember.objects.create(
        client=client, user=hal, organisation=organisation, role="support_worker", is_hidden=True
    )
    referral_services.referral_accept(actor=hal, referral=referral, worker=hal)
    return hal


def test_an_answer_by_a_hidden_member_is_not_named_to_the_other_inbox_readers(
    grace, ida, world, housing_referral
):
    referral, hattie = housing_referral
    # Someone of the housing association is (hidden) in Grace's circle too, and answers the referral.
    hidden_worker_takes(grace, referral)
    with pytest.raises(referral_services.ReferralConflict) as conflict:
        referral_services.referral_accept(actor=hattie, referral=referral, worker=hattie)
    assert "Hal Hidden" not in conflict.value.message
    page = as_text(read(hattie, "page", reverse("referrals:referral", args=[referral.pk])))
    assert "Hal Hidden" not in page


def test_a_handover_to_her_is_for_the_circle_only(alice, bob, charlie, grace, ida, world):
    handover = handovers.handover_offer(
        actor=alice, client=grace, to_member=world["hidden"], summary="Ida knows Grace best now."
    )
    url = reverse("referrals:handover", args=[handover.pk])
    assert NAME in as_text(read(bob, "page", url))
    assert NAME in as_text(read(bob, "page", reverse("circles:client", args=[grace.public_id])))
    emergency(charlie, grace)
    response = read(charlie, "page", url)
    assert response.status_code == 404
    client_page = as_text(read(charlie, "page", reverse("circles:client", args=[grace.public_id])))
    assert gives_away(client_page, ida, world["hidden"]) == []


def test_a_hidden_lead_who_leaves_is_not_named_to_managers_outside_the_circle(refuge, ida):
    from network import hooks

    hope = ClientFactory(given_name="Hope", family_name="Mensah")
    CircleMember.objects.create(
        client=hope, user=ida, organisation=refuge, role="lead_professional", is_lead=True, is_hidden=True
    )
    refuge_manager = UserFactory(email="rory@example.org", organisation=refuge, org_role="manager")
    hooks.account_switched_off(actor=refuge_manager, person=ida)
    told = " ".join(Notification.objects.filter(user=refuge_manager).values_list("text", flat=True))
    assert "needs a new lead" in told
    assert "Ida" not in told
    page = as_text(read(refuge_manager, "page", reverse("referrals:leads_needed")))
    assert "Hope" in page and NAME not in page and access.HIDDEN_LABEL in page


def risk_panel_on(client, *, chair, standing, consent_by, title: str, minute_taker=None):
    """A risk panel with `client` on the agenda of its next meeting; `standing` a standing member (in no
    circle). The invitations' emails are sent (call it inside django_capture_on_commit_callbacks)."""
    panel = conference_services.panel_create(actor=chair, name="Northbridge Risk Panel")
    conference_services.panel_member_add(actor=chair, panel=panel, user=standing, role="standing")
    ConsentFactory(
        client=client, scope=Consent.Scope.CONFERENCE, recorded_by=consent_by, given_by="Grace Okafor"
    )
    meeting = conference_services.meeting_create(
        actor=chair,
        type=meeting_type("Risk panel"),
        title=title,
        starts_at=tomorrow_at(),
        panel=panel,
        place="Town Hall, room 2",
        minute_taker=minute_taker,
    )
    item = conference_services.agenda_item_add(
        actor=chair, meeting=meeting, client=client, reason="Safety at home"
    )
    return meeting, item


@pytest.fixture
def conference(moira_chair, charlie, grace, alice, ida, world, django_capture_on_commit_callbacks):
    """A risk panel discusses Grace; Charlie is a standing member (in no circle). Ida owns an action in the plan
    (hidden members are not invited, so they write nothing for the pack)."""
    with django_capture_on_commit_callbacks(execute=True):  # the invitations' emails
        return risk_panel_on(
            grace, chair=moira_chair, standing=charlie, consent_by=alice, title="Risk panel, December"
        )


@pytest.fixture
def moira_chair(early_help):
    return UserFactory(email="moira@example.org", organisation=early_help, org_role="panel_chair")


def conference_surfaces(meeting, item) -> dict:
    return {
        "meeting page": ("page", reverse("conferences:meeting", args=[meeting.pk])),
        "pack": ("page", f"/meetings/{meeting.pk}/items/{item.pk}/pack/"),
        "minutes": ("page", reverse("conferences:minutes", args=[meeting.pk])),
        "API invitations": ("api", f"/api/v1/meetings/{meeting.pk}/invitations/"),
    }


def test_the_circle_sees_her_in_the_pack(alice, ida, conference):
    meeting, item = conference
    pack = read(alice, "page", f"/meetings/{meeting.pk}/items/{item.pk}/pack/")
    assert pack.status_code == 200 and NAME in pack.content.decode()


@pytest.mark.parametrize("who", ["charlie", "moira_chair"])
def test_the_panel_never_learns_her_name(who, request, ida, world, conference):
    """A standing member and the chair are in no circle: the pack, minutes and invitations never name her."""
    user = request.getfixturevalue(who)
    meeting, item = conference
    for surface, (kind, url) in conference_surfaces(meeting, item).items():
        response = read(user, kind, url)
        assert response.status_code == 200, surface
        assert gives_away(as_text(response), ida, world["hidden"]) == [], surface
    pack = as_text(read(user, "page", f"/meetings/{meeting.pk}/items/{item.pk}/pack/"))
    assert "Fit new locks" in pack and access.HIDDEN_LABEL in pack  # her action, unnamed


def test_meeting_emails_never_name_her(conference, ida):
    assert mail.outbox, "invitations were sent"
    for message in mail.outbox:
        assert NAME not in message.body and NAME not in message.subject


@pytest.mark.parametrize("who", ["client_user", "family_user"])
def test_the_portal_meetings_never_name_her(who, grace, ida, world, conference):
    response = signed_in(world[who]).get(reverse("portal:meetings"))
    assert response.status_code == 200
    assert gives_away(response.content.decode(), ida, world["hidden"]) == []


def test_the_reminder_digest_never_names_her(grace, ida, world, alice):
    """An overdue action of hers reaches the lead's digest (from the day's real scan); no digest names her."""
    from reminders import scan
    from reminders.email import digest_email
    from sharing.models import Action

    today = timezone.localdate()
    Action.objects.filter(pk=world["action"].pk).update(due_on=today - datetime.timedelta(days=10))
    found = scan.collect(today)
    to_alice = [r for r in found if r.user_id == alice.pk]
    assert [r.kind for r in to_alice] == ["action.overdue_lead"]  # the control: her action is in it
    for user in User.objects.filter(pk__in={r.user_id for r in found}):
        digest = digest_email(user, [r for r in found if r.user_id == user.pk], today)
        assert digest is not None
        assert not gives_away(f"{digest.subject}\n{digest.body}", ida, world["hidden"]), user
    assert "Grace" in digest_email(alice, to_alice, today).body
