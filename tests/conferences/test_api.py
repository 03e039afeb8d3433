"""The conferences API: the same services and rules as the pages, minutes with ETag / If-Match / 412 / 428."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferences import services
from conferences.models import DecisionAction, MeetingType
from tests.conftest import api_as
from tests.factories import ClientFactory

# The meetings (with type, panel, chair and minute-taker), their agenda items, and the names: the reader's
# circles among the agendas' clients, and the members of the others (who is hidden there).
QUERIES_FOR_MY_MEETINGS = 4


def test_a_chair_arranges_a_meeting_and_puts_a_client_on_it(moira, panel, grace, conference_consent):
    api = api_as(moira)
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = api.post(
        "/api/v1/meetings/",
        {
            "type": "Risk panel",
            "title": "March panel",
            "starts_at": starts,
            "panel": panel.pk,
            "place": "Hall",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting_id = response.json()["id"]
    response = api.post(
        f"/api/v1/meetings/{meeting_id}/agenda/",
        {"client": grace.public_id, "reason": "School"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["basis"] == "consent"
    assert [m["title"] for m in api.get("/api/v1/meetings/").json()] == ["March panel"]


def test_bad_input_gets_a_clear_message(moira, meeting):
    api = api_as(moira)
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = api.post(
        "/api/v1/meetings/",
        {"type": "Review", "title": "Old", "starts_at": past, "place": "Hall"},
        format="json",
    )
    assert response.status_code == 400 and "future" in str(response.json())
    nobody = ClientFactory(given_name="Nadia")
    response = api.post(
        f"/api/v1/meetings/{meeting.pk}/agenda/", {"client": nobody.public_id, "reason": "Why"}, format="json"
    )
    assert response.status_code == 400 and "has not agreed" in str(response.json())


def test_minutes_need_if_match_and_a_stale_edit_gets_412(item, moira):
    api = api_as(moira)
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/minutes/"
    read = api.get(url)
    tag = read["ETag"]
    assert api.patch(url, {"minutes": "One"}, format="json").status_code == 428
    assert api.patch(url, {"minutes": "One"}, format="json", HTTP_IF_MATCH=tag).status_code == 200
    stale = api.patch(url, {"minutes": "Two"}, format="json", HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and stale.json()["current"]["minutes"] == "One"
    assert stale.json()["conflicts"]["minutes"]["by"] == "You"  # Moira's own earlier save


def test_someone_who_may_not_minute_hears_403_not_412_whatever_version_they_name(item, moira, charlie):
    # Charlie sits on the panel: he sees the meeting, but only the chair and the minute-taker write minutes.
    url = f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/minutes/"
    minutes = item.minutes
    for tag in (f'"agendaitem-{item.pk}-v0"', f'"agendaitem-{item.pk}-v999"', '"nonsense"'):
        response = api_as(charlie).patch(url, {"minutes": "Mine"}, format="json", HTTP_IF_MATCH=tag)
        assert response.status_code == 403, tag
    item.refresh_from_db()
    assert (item.minutes, item.version) == (minutes, 1)


def test_edits_after_sign_off_are_refused_with_the_way_to_amend(item, moira):
    meeting = services.meeting_open(actor=moira, meeting=item.meeting)
    services.item_close(
        actor=moira, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    services.meeting_end(actor=moira, meeting=meeting)
    api = api_as(moira)
    assert api.post(f"/api/v1/meetings/{meeting.pk}/sign-off/").status_code == 200
    url = f"/api/v1/meetings/{meeting.pk}/items/{item.pk}/minutes/"
    response = api.patch(url, {"minutes": "Late"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 400 and "amend" in str(response.json())


def test_a_decision_with_an_action_over_the_api(item, moira, alice, grace):
    services.meeting_open(actor=moira, meeting=item.meeting)
    member = grace.members.get(user=alice)
    response = api_as(moira).post(
        f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/decisions/",
        {
            "text": "Safety plan",
            "agreed_by": ["Moira Lane"],
            "dissent": [{"name": "Carol Other-Org", "reason": "Too soon"}],
            "actions": [{"what": "Ring the school", "owner": member.pk, "due_on": "2030-01-01"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert DecisionAction.objects.get(action_id=response.json()["action_ids"][0]).action.owner == member


def test_answering_and_the_invitation_list(item, carol, charlie):
    api = api_as(carol)
    assert (
        api.post(
            f"/api/v1/meetings/{item.meeting_id}/answer/", {"answer": "apologies"}, format="json"
        ).status_code
        == 200
    )
    names = {
        row["name"]: row["answer"]
        for row in api.get(f"/api/v1/meetings/{item.meeting_id}/invitations/").json()
    }
    assert names["Carol Other-Org"] == "apologies" and "Charlie Outsider" in names


def test_a_meeting_type_with_a_nul_byte_is_no_type(moira):
    """Found by the schema fuzz test on PostgreSQL, whose text cannot hold NUL: it was a 500."""
    soon = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    response = api_as(moira).post(
        "/api/v1/meetings/",
        {"type": "Rev\x00iew", "title": "Soon", "starts_at": soon, "place": "Hall"},
        format="json",
    )
    assert response.status_code == 400 and "type" in response.json()


@pytest.mark.parametrize("count", [1, 6])
def test_my_meetings_list_reads_a_fixed_number_of_queries(count, moira, panel, grace, conference_consent):
    """The list names chairs and minute-takers through the policy for all its meetings at once: as many
    queries for one meeting as for six (each with Grace on its agenda, the last one minuted)."""
    for n in range(count):
        meeting = services.meeting_create(
            actor=moira,
            type=MeetingType.objects.get(name="Risk panel"),
            title=f"Panel {n}",
            starts_at=timezone.now() + datetime.timedelta(days=n + 1),
            panel=panel,
            place="Town Hall",
            minute_taker=moira if n == count - 1 else None,
        )
        services.agenda_item_add(actor=moira, meeting=meeting, client=grace, reason="Safety")
    api = api_as(moira)
    with CaptureQueriesContext(connection) as captured:
        listed = api.get("/api/v1/meetings/").json()
    assert len(listed) == count and listed[-1]["minute_taker"] == "Moira Lane"
    assert len(captured.captured_queries) == QUERIES_FOR_MY_MEETINGS, [
        q["sql"][:90] for q in captured.captured_queries
    ]
