"""My meetings, the meeting page and the pack read a fixed number of queries however many meetings, items,
invitations or plan actions there are: pinned with a comment naming each query, and shown flat."""

import pytest

from board import services as board_services
from conferences import services
from sharing import services as plan_services
from tests.conftest import signed_in
from tests.factories import ClientFactory, ConsentFactory, MemberFactory

from .conftest import meeting_type, tomorrow_at

SIZES = [pytest.param(1, id="1"), pytest.param(8, id="8")]


def meetings_with_clients(moira, alice, *, meetings, clients_each):
    made = []
    for m in range(meetings):
        meeting = services.meeting_create(
            actor=moira,
            type=meeting_type("Risk panel"),
            title=f"Panel {m}",
            starts_at=tomorrow_at(9 + m % 8),
            place="Hall",
        )
        for c in range(clients_each):
            client = ClientFactory(given_name=f"C{m}-{c}")
            MemberFactory(client=client, user=alice, is_lead=True, role="lead_professional")
            MemberFactory(client=client)
            ConsentFactory(client=client, scope="conference", recorded_by=alice)
            item = services.agenda_item_add(actor=moira, meeting=meeting, client=client, reason="Why")
            goal = plan_services.goal_add(actor=alice, client=client, in_own_words="A goal")
            for a in range(clients_each):
                plan_services.action_add(actor=alice, goal=goal, what=f"Action {a}")
                board_services.card_add(actor=alice, client=client, column="working_well", text=f"Card {a}")
            services.contribution_add(actor=alice, item=item, kind="agency_report", facts="Facts")
        made.append(meeting)
    return made


@pytest.mark.parametrize("size", SIZES)
def test_my_meetings(size, moira, alice, django_assert_num_queries):
    meetings_with_clients(moira, alice, meetings=size, clients_each=2)
    browser = signed_in(moira)
    browser.get("/meetings/")
    with django_assert_num_queries(5):
        # 1 session, 2 the signed-in user with their organisation, 3 their meetings (chaired, minuted or
        # invited to) with type, panel and chair, 4 the agenda items of all of them, 5 unread notifications.
        # (A panel chair by role needs no look at their panel seats to be offered "Arrange a meeting".)
        response = browser.get("/meetings/")
    assert response.content.decode().count("<time") == size


@pytest.mark.parametrize("size", SIZES)
def test_the_meeting_page(size, moira, alice, django_assert_num_queries):
    (meeting,) = meetings_with_clients(moira, alice, meetings=1, clients_each=size)
    services.meeting_open(actor=moira, meeting=meeting)
    browser = signed_in(moira)
    url = f"/meetings/{meeting.pk}/"
    browser.get(url)
    with django_assert_num_queries(17):
        # 1 session, 2 the user, 3 the meeting with type, panel, chair and minute-taker, 4 the person's
        # invitation, 5 the agenda's items with their clients, 6 all their decisions (no plan actions yet, so
        # no more), 7 the current item's decisions, 8-10 how people are named to this person (circles.access,
        # once per page: the agenda's clients, the person's memberships of their circles, those circles'
        # members for who is hidden), 11-12 attendance and invitations (who may be named as agreeing),
        # 13 the circle for "who does it", 14-15 attendance and invitations for the invitation list,
        # 16 the meeting stream's last event (where the live page starts), 17 unread notifications.
        # (The chair reads every item's pack: no look at the circle.)
        response = browser.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<li id="agenda-') == size


@pytest.mark.parametrize("size", SIZES)
def test_the_pack(size, moira, alice, django_assert_num_queries):
    (meeting,) = meetings_with_clients(moira, alice, meetings=1, clients_each=size)
    item = meeting.items.first()
    for n in range(size):
        note = plan_services.note_create(actor=alice, client=item.client, text=f"Marked note {n}")
        services.pack_note_add(actor=alice, item=item, note=note)
    browser = signed_in(moira)
    url = f"/meetings/{meeting.pk}/items/{item.pk}/pack/"
    browser.get(url)
    with django_assert_num_queries(19):
        # 1 session, 2 the user, 3 the meeting, 4 the reader's invitation, 5 the item with its client, 6 the
        # reader's membership of the circle, 7 the circle (no hidden members), 8 the plan's goals, 9 their
        # actions with owners, 10 the contributions, 11-13 the read written to the audit trail (in a
        # savepoint), 14 the open cards of the board the reader may see, with author and organisation,
        # 15 who in the circle is hidden (the chair is not in it), 16 whether the client's consent lets
        # notes reach the chair's organisation, 17 the marked notes she may read, with author and
        # organisation, 18 the meeting stream's last event (where the live pack starts), 19 unread
        # notifications.
        response = browser.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="pack-note-') == size
