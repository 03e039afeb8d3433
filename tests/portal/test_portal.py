"""The portal: invitations, signing in, seeing only what is shared, ticking off one's own actions."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from circles import services as circle_services
from circles.models import CircleMember, Consent, PortalAccess
from network.models import User
from portal import services as portal_services
from portal import views as portal_views
from portal.models import Invitation
from realtime.models import Event
from sharing import services as plan_services
from sharing.models import Action, Note
from tests.conftest import signed_in
from tests.factories import (
    ClientFactory,
    ConsentFactory,
    FamilyMemberFactory,
    MemberFactory,
    NoteFactory,
    UserFactory,
)


@pytest.fixture
def plan(alice, grace):
    shared = plan_services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    private = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Safeguarding review of the children",
        shared_with_client=False,
    )
    mine = plan_services.action_add(
        actor=alice, goal=shared, what="Open the post on Mondays", owner_is_client=True
    )
    theirs = plan_services.action_add(
        actor=alice,
        goal=shared,
        what="Talk to the landlord",
        owner=CircleMember.objects.get(client=grace, user=alice),
    )
    hidden_action = plan_services.action_add(
        actor=alice, goal=shared, what="Check the police log", shared_with_client=False
    )
    return {
        "shared": shared,
        "private": private,
        "mine": mine,
        "theirs": theirs,
        "hidden_action": hidden_action,
    }


@pytest.fixture
def grace_portal(alice, grace):
    invitation = portal_services.invitation_create(actor=alice, client=grace, email="grace@example.org")
    return portal_services.invitation_accept(token=invitation.token)


def test_the_lead_invites_the_client_who_starts_with_one_tap(
    alice, grace, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the email goes once the invitation is saved
        response = signed_in(alice).post(
            f"/portal/invite/{grace.public_id}/", {"who": "client", "email": "grace@example.org"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@example.org"]
    invitation = Invitation.objects.get()
    assert f"/portal/invitation/{invitation.token}/" in message.body
    assert "password" in message.body  # it says none is needed

    assert client.get(f"/portal/invitation/{invitation.token}/").status_code == 200
    response = client.post(f"/portal/invitation/{invitation.token}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    user = User.objects.get(email="grace@example.org")
    assert user.kind == "client" and not user.has_usable_password()
    assert client.get("/portal/").status_code == 200
    assert AuditEvent.objects.filter(action="portal.invite_accept", actor=user, client=grace).exists()


def test_a_link_works_once_and_not_after_it_expires_or_is_taken_back(alice, grace, client):
    used = portal_services.invitation_create(actor=alice, client=grace, email="a@example.org")
    portal_services.invitation_accept(token=used.token)
    expired = portal_services.invitation_create(actor=alice, client=grace, email="b@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    revoked = portal_services.invitation_create(actor=alice, client=grace, email="c@example.org")
    portal_services.invitation_revoke(actor=alice, invitation=revoked)
    for invitation in (used, expired, revoked):
        response = client.post(f"/portal/invitation/{invitation.token}/")
        assert response.status_code == 400
        assert "expired or has been used" in response.content.decode()
    assert client.post("/portal/invitation/not-a-token/").status_code == 400
    assert User.objects.filter(kind="client").count() == 1


def test_the_lead_takes_back_an_invitation_of_their_own_client_only(alice, grace):
    """Alice leads Grace and another client. Taking back the other client's invitation through Grace's
    page is "no such invitation" (404) and leaves it working; through its own client's page it works."""
    other = ClientFactory()
    MemberFactory(client=other, user=alice, is_lead=True)
    theirs = portal_services.invitation_create(actor=alice, client=other, email="o@example.org")
    browser = signed_in(alice)

    wrong = browser.post(f"/portal/invite/{grace.public_id}/{theirs.pk}/revoke/")
    assert wrong.status_code == 404
    assert Invitation.objects.get(pk=theirs.pk).revoked_at is None

    right = browser.post(f"/portal/invite/{other.public_id}/{theirs.pk}/revoke/")
    assert right.status_code == 302
    assert Invitation.objects.get(pk=theirs.pk).revoked_at is not None


def test_only_the_lead_invites(bob, grace):
    with pytest.raises(Exception, match="lead"):
        portal_services.invitation_create(actor=bob, client=grace, email="grace@example.org")
    assert signed_in(bob).get(f"/portal/invite/{grace.public_id}/").status_code == 403


def test_family_need_the_clients_consent_to_be_invited(alice, grace):
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    response = signed_in(alice).post(
        f"/portal/invite/{grace.public_id}/", {"who": str(sister.pk), "email": "ama@example.org"}
    )
    assert response.status_code == 200
    assert "has not agreed" in response.content.decode()
    assert not Invitation.objects.exists()

    ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    invitation = portal_services.invitation_create(
        actor=alice, client=grace, email="ama@example.org", member=sister
    )
    ama = portal_services.invitation_accept(token=invitation.token)
    assert ama.kind == "family"
    assert signed_in(ama).get("/portal/").status_code == 200


def test_an_expired_family_portal_consent_does_not_let_the_lead_invite(alice, grace):
    """Consent that has run out is no consent: the invitation is refused, as for no consent at all."""
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    ConsentFactory(
        client=grace,
        scope="family_portal",
        family_member=sister,
        recorded_by=alice,
        given_on=timezone.localdate() - datetime.timedelta(days=30),
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="has not agreed"):
        portal_services.invitation_create(actor=alice, client=grace, email="ama@example.org", member=sister)
    response = signed_in(alice).post(
        f"/portal/invite/{grace.public_id}/", {"who": str(sister.pk), "email": "ama@example.org"}
    )
    assert response.status_code == 200
    assert "has not agreed" in response.content.decode()
    assert not Invitation.objects.exists()


def test_withdrawing_consent_ends_a_family_members_access_at_once(alice, grace):
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor")
    consent = ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    ama = portal_services.invitation_accept(
        token=portal_services.invitation_create(
            actor=alice, client=grace, email="ama@example.org", member=sister
        ).token
    )
    browser = signed_in(ama)
    assert browser.get("/portal/").status_code == 200
    circle_services.consent_withdraw(actor=alice, consent=Consent.objects.get(pk=consent.pk))
    assert browser.get("/portal/").status_code == 404
    assert browser.get("/portal/people/").status_code == 404


def test_the_client_sees_only_what_is_shared_with_them(grace_portal, plan, alice, grace):
    NoteFactory(
        client=grace, author=alice, text="Shared: the rent is sorted", visibility=Note.Visibility.CLIENT
    )
    NoteFactory(
        client=grace, author=alice, text="Professionals only: concern", visibility=Note.Visibility.CIRCLE
    )
    MemberFactory(client=grace, is_hidden=True, user=UserFactory(full_name="Ida Hidden-Adviser"))
    browser = signed_in(grace_portal)

    home = browser.get("/portal/").content.decode()
    assert "Keep our flat" in home and "Open the post on Mondays" in home and "Talk to the landlord" in home
    assert "Safeguarding review" not in home and "Check the police log" not in home
    assert "0 of 2" in home  # the hidden action does not count either

    people = browser.get("/portal/people/").content.decode()
    assert alice.full_name in people and "Ida Hidden-Adviser" not in people

    shared = browser.get("/portal/shared/").content.decode()
    assert "the rent is sorted" in shared and "concern" not in shared


def test_the_client_cannot_see_another_client(grace_portal, early_help):
    other = ClientFactory(given_name="Someone", family_name="Else")
    assert signed_in(grace_portal).get(f"/portal/?client={other.public_id}").status_code == 404


def test_the_client_ticks_off_their_own_action_and_the_team_hears(grace_portal, plan, grace):
    browser = signed_in(grace_portal)
    response = browser.post(f"/portal/actions/{plan['mine'].pk}/done/")
    assert response.status_code == 302
    assert Action.objects.get(pk=plan["mine"].pk).status == "done"
    event = Event.objects.filter(client=grace, type="plan.action_update").last()
    assert event.payload["action_id"] == plan["mine"].pk and event.payload["by"] == grace_portal.full_name
    assert plan["mine"].changes.filter(field="status", actor=grace_portal).exists()

    # Not someone else's action, nor one that is not shared.
    assert browser.post(f"/portal/actions/{plan['theirs'].pk}/done/").status_code == 404
    assert browser.post(f"/portal/actions/{plan['hidden_action'].pk}/done/").status_code == 404
    assert Action.objects.get(pk=plan["theirs"].pk).status == "not_started"


@pytest.fixture
def just_before_the_lock(monkeypatch):
    """`just_before_the_lock(write)`: `write` runs once, after the service has read the action and just
    before it takes its locks, so another write lands in that gap every time, not only when unlucky.
    (It runs inside the service's transaction, so use it only where that transaction commits.)"""
    real = plan_services.plans.lock_in_order
    pending = []

    def lock_in_order(*args, **kwargs):
        while pending:
            pending.pop()()
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_services.plans, "lock_in_order", lock_in_order)
    return pending.append


@pytest.fixture
def just_after_the_page_read(monkeypatch):
    """`just_after_the_page_read(write)`: `write` runs once, and commits, right after the portal has found
    the client's action for the tick, so the service is handed the action as it was before that write."""
    real = portal_views.selectors.my_action_for
    pending = []

    def my_action_for(*args, **kwargs):
        action = real(*args, **kwargs)
        while pending:
            pending.pop()()
        return action

    monkeypatch.setattr(portal_views.selectors, "my_action_for", my_action_for)
    return pending.append


def test_done_lands_on_the_latest_version_when_the_team_changed_the_status_just_before(
    grace_portal, plan, alice, grace, just_before_the_lock
):
    # Alice sets it in progress between the client's page being read and the tick being saved. "Done" is
    # the client's decision about now: it lands, and Alice's change stays in the history.
    mine = plan["mine"]
    just_before_the_lock(
        lambda: plan_services.action_set_status(actor=alice, action=mine, status="in_progress")
    )
    response = signed_in(grace_portal).post(f"/portal/actions/{mine.pk}/done/", follow=True)

    assert response.status_code == 200
    assert "Well done. Your team can see it." in response.content.decode()
    action = Action.objects.get(pk=mine.pk)
    assert (action.status, action.version) == ("done", 3)
    assert [(c.old_value, c.new_value, c.actor, c.version) for c in mine.changes.filter(field="status")] == [
        ("not_started", "in_progress", alice, 2),
        ("in_progress", "done", grace_portal, 3),
    ]


def test_done_keeps_a_rewording_made_just_before(grace_portal, plan, alice, just_before_the_lock):
    mine = plan["mine"]
    just_before_the_lock(
        lambda: plan_services.action_update(
            actor=alice, action=mine, changes={"what": "Open the post on Monday mornings"}, base_version=1
        )
    )
    assert signed_in(grace_portal).post(f"/portal/actions/{mine.pk}/done/").status_code == 302
    action = Action.objects.get(pk=mine.pk)
    assert (action.what, action.status) == ("Open the post on Monday mornings", "done")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda member: {"owner": member}, id="given to someone else"),
        pytest.param(lambda member: {"shared_with_client": False}, id="no longer shared"),
    ],
)
def test_done_changes_nothing_if_the_action_stopped_being_the_clients_just_before(
    change, grace_portal, plan, alice, bob, grace, just_after_the_page_read
):
    # Then it is not the client's to tick any more: they are told so plainly, and nothing is saved.
    mine = plan["mine"]
    bobs = CircleMember.objects.get(client=grace, user=bob, until=None)
    just_after_the_page_read(
        lambda: plan_services.action_update(actor=alice, action=mine, changes=change(bobs), base_version=1)
    )
    response = signed_in(grace_portal).post(f"/portal/actions/{mine.pk}/done/", follow=True)

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "Someone changed this just now. Please look again and try once more." in page
    assert "Well done" not in page
    action = Action.objects.get(pk=mine.pk)
    assert (action.status, action.version) == ("not_started", 2)
    assert not mine.changes.filter(actor=grace_portal).exists()
    assert not Event.objects.filter(
        client=grace, type="plan.action_update", payload__by=grace_portal.full_name
    )


def test_done_on_an_action_taken_off_just_before_says_so(grace_portal, plan, alice, just_after_the_page_read):
    mine = plan["mine"]
    just_after_the_page_read(lambda: plan_services.action_remove(actor=alice, action=mine))
    response = signed_in(grace_portal).post(f"/portal/actions/{mine.pk}/done/", follow=True)

    assert response.status_code == 200
    assert "This has been taken off the plan." in response.content.decode()
    assert Action.objects.get(pk=mine.pk).status == "not_started"


def test_portal_users_never_open_professional_pages_or_the_api(grace_portal, grace):
    browser = signed_in(grace_portal)
    for url in (
        "/clients/",
        f"/clients/{grace.public_id}/",
        f"/clients/{grace.public_id}/plan/",
        "/my-actions/",
    ):
        assert browser.get(url).status_code == 403, url
    assert browser.get("/api/v1/clients/").status_code == 403


def test_professionals_do_not_use_the_portal(as_alice):
    assert as_alice.get("/portal/").status_code == 403


def test_a_removed_portal_access_ends_it(grace_portal, grace):
    PortalAccess.objects.filter(user=grace_portal).update(until=timezone.now())
    assert signed_in(grace_portal).get("/portal/").status_code == 404


def test_the_sign_in_page_offers_a_code_by_email(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Email me a sign-in code" in page
    assert client.get("/accounts/login/code/").status_code == 200
