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
