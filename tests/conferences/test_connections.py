"""Conferences joined to the rest: the next meeting on "what is true now"."""

from conferences import services
from conferences.models import Meeting
from tests.conftest import signed_in


def client_page(user, client) -> str:
    return signed_in(user).get(f"/clients/{client.public_id}/").content.decode()


def test_what_is_true_now_shows_the_next_meeting_with_the_client_on_its_agenda(item, meeting, alice, grace):
    page = client_page(alice, grace)
    assert 'id="truth-next-meeting"' in page
    assert "Risk panel, December" in page
    assert f"/meetings/{meeting.pk}/" in page  # Alice was invited with the circle: it opens for her


def test_no_meeting_shows_until_the_client_is_on_an_agenda(meeting, alice, grace):
    assert 'id="truth-next-meeting"' not in client_page(alice, grace)


def test_an_ended_meeting_is_not_the_next_one(item, meeting, moira, alice, grace):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.ENDED)
    assert 'id="truth-next-meeting"' not in client_page(alice, grace)


def test_the_truth_panel_refresh_shows_it_too(item, alice, grace):
    response = signed_in(alice).get(f"/clients/{grace.public_id}/now/")
    assert response.status_code == 200
    assert "Risk panel, December" in response.content.decode()


def test_another_clients_meeting_is_not_shown(meeting, moira, alice, grace, conference_consent):
    from tests.factories import ClientFactory, ConsentFactory

    other = ClientFactory()
    ConsentFactory(client=other, scope="conference", recorded_by=moira)
    services.agenda_item_add(actor=moira, meeting=meeting, client=other, reason="Another")
    assert 'id="truth-next-meeting"' not in client_page(alice, grace)


# A circle's lead puts their client on a meeting's agenda from the client page.


def agenda_url(client) -> str:
    return f"/meetings/for/{client.public_id}/"


def test_the_lead_finds_the_link_on_the_client_page_and_others_do_not(meeting, alice, bob, grace):
    assert 'id="put-on-agenda"' in client_page(alice, grace)
    assert 'id="put-on-agenda"' not in client_page(bob, grace)


def test_the_lead_puts_their_client_on_a_panel_meeting_in_one_go(meeting, alice, grace, conference_consent):
    browser = signed_in(alice)
    page = browser.get(agenda_url(grace)).content.decode()
    # Alice is not in the meeting yet: it is named by its panel and kind, not its title.
    assert "Northbridge Risk Panel (Risk panel)" in page and "Risk panel, December" not in page
    assert "has agreed to be discussed" in page
    response = browser.post(
        agenda_url(grace), {"meeting": meeting.pk, "reason": "School worries", "slot_minutes": 15}
    )
    assert response.status_code == 302 and response.url == f"/clients/{grace.public_id}/"
    item = meeting.items.get(client=grace)
    assert (item.reason, item.slot_minutes, item.basis, item.added_by) == (
        "School worries",
        15,
        "consent",
        alice,
    )
    # She is invited with the circle, so the meeting now opens for her from what is true now.
    assert f"/meetings/{meeting.pk}/" in client_page(alice, grace)
    # And it is no longer offered.
    assert 'id="no-meetings"' in browser.get(agenda_url(grace)).content.decode()


def test_a_client_with_no_basis_cannot_be_added(meeting, alice, grace):
    browser = signed_in(alice)
    page = browser.get(agenda_url(grace)).content.decode()
    assert "has not agreed to be discussed at a case conference" in page
    response = browser.post(
        agenda_url(grace), {"meeting": meeting.pk, "reason": "Worries", "slot_minutes": 20}
    )
    assert response.status_code == 400
    assert "Grace has not agreed to be discussed at a case conference" in response.content.decode()
    assert not meeting.items.exists()


def test_with_a_reason_for_going_ahead_without_consent_it_is_added_and_recorded(meeting, alice, grace):
    response = signed_in(alice).post(
        agenda_url(grace),
        {
            "meeting": meeting.pk,
            "reason": "Risk to the children",
            "slot_minutes": 20,
            "without_consent_reason": "Safeguarding: asking would put the children at risk.",
        },
    )
    assert response.status_code == 302
    assert meeting.items.get(client=grace).basis == "without_consent"
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="meeting.without_consent", actor=alice).exists()


def test_a_meeting_not_offered_cannot_be_chosen(moira, alice, grace, conference_consent):
    """A private meeting (no panel) Alice is not part of is neither listed nor accepted."""
    from .conftest import meeting_type, tomorrow_at

    private = services.meeting_create(
        actor=moira,
        type=meeting_type("Team Around the Family"),
        title="Another family's TAF",
        starts_at=tomorrow_at(),
        place="School",
        minute_taker=None,
    )
    browser = signed_in(alice)
    assert "Another family" not in browser.get(agenda_url(grace)).content.decode()
    response = browser.post(
        agenda_url(grace), {"meeting": private.pk, "reason": "Worries", "slot_minutes": 20}
    )
    assert response.status_code == 400
    assert not private.items.exists()


def test_a_member_who_is_not_the_lead_may_not(meeting, bob, grace, conference_consent):
    response = signed_in(bob).post(
        agenda_url(grace), {"meeting": meeting.pk, "reason": "W", "slot_minutes": 20}
    )
    assert response.status_code == 403
    assert not meeting.items.exists()


# The board in the conference pack, by the board's own rule for the pack's reader.


def pack_page(user, item) -> str:
    response = signed_in(user).get(f"/meetings/{item.meeting_id}/items/{item.pk}/pack/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_pack_shows_worries_what_is_working_well_and_next_steps(item, moira, alice, bob):
    from tests.board.conftest import next_step, strength, worry

    worry(alice, item.client, "WORRY-RENT")
    strength(bob, item.client, "STRENGTH-SCHOOL")
    next_step(alice, item.client, "STEP-HOUSING")
    page = pack_page(moira, item)
    for text in ("WORRY-RENT", "STRENGTH-SCHOOL", "STEP-HOUSING"):
        assert text in page
    assert "Bob" in page and "Early Help" in page  # who wrote it


def test_my_organisation_only_does_not_reach_a_standing_member_from_another(item, charlie, alice, bob):
    """Charlie (Police) is a standing member of the panel, in no circle; Alice's "my organisation only"
    card stays in Early Help."""
    from tests.board.conftest import worry

    worry(alice, item.client, "EARLY-HELP-ONLY", visibility="organisation")
    worry(alice, item.client, "FOR-THE-CIRCLE")
    seen_by_charlie = pack_page(charlie, item)
    assert "FOR-THE-CIRCLE" in seen_by_charlie
    assert "EARLY-HELP-ONLY" not in seen_by_charlie
    assert "EARLY-HELP-ONLY" in pack_page(bob, item)  # Bob is in Early Help and the circle


def test_a_closed_card_is_not_in_the_pack(item, moira, alice):
    from django.utils import timezone

    from board.models import Card
    from tests.board.conftest import worry

    card = worry(alice, item.client, "DEALT-WITH")
    Card.objects.filter(pk=card.pk).update(closed_at=timezone.now())
    assert "DEALT-WITH" not in pack_page(moira, item)


def test_a_hidden_members_card_is_not_named_to_a_standing_member(item, charlie, grace):
    from tests.board.conftest import worry
    from tests.factories import MemberFactory, UserFactory

    hidden = MemberFactory(client=grace, user=UserFactory(full_name="Hester Hidden-Worker"), is_hidden=True)
    worry(hidden.user, grace, "HIDDEN-WORRY")
    page = pack_page(charlie, item)
    assert "HIDDEN-WORRY" in page and "Hester" not in page
