"""The client's timeline: notes, the plan, the circle and consent, newest first, as this person may see
them; a fixed number of queries however long the record."""

import datetime

import pytest
from django.utils import timezone

from circles import services as circle_services
from sharing import services
from tests.conftest import signed_in
from tests.factories import ConsentFactory, MemberFactory, NoteFactory, UserFactory, assessment_done

pytestmark = pytest.mark.django_db


def url(client) -> str:
    return f"/clients/{client.public_id}/timeline/"


def test_it_shows_what_happened_newest_first(alice, bob, grace):
    services.note_create(actor=bob, client=grace, text="Visited; the flat is warm now")
    goal = services.goal_add(actor=alice, client=grace, in_own_words="I want to keep our flat")
    services.goal_update(
        actor=alice, goal=goal, base_version=goal.version, changes={"success_looks_like": "No letters"}
    )

    moments = signed_in(alice).get(url(grace)).context["moments"]

    titles = [moment.title for moment in moments]
    assert "Update note" in titles
    assert "Added to the plan: “I want to keep our flat”" in titles
    assert "Alice Lead joined the circle" in titles
    assert "Changed the what success looks like of “I want to keep our flat”" in titles
    assert "Consent recorded: share information with everyone in the circle" in titles
    assert [m.at for m in moments] == sorted((m.at for m in moments), reverse=True)


def test_it_keeps_other_organisations_notes_to_themselves(alice, carol, grace):
    NoteFactory(client=grace, author=carol, visibility="organisation", text="Health only")
    NoteFactory(client=grace, author=carol, visibility="circle", text="For everyone")

    details = [m.detail for m in signed_in(alice).get(url(grace)).context["moments"]]

    assert "For everyone" in details and "Health only" not in details


def test_outsiders_get_nothing(charlie, grace):
    response = signed_in(charlie).get(url(grace))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 10])
def test_query_count_stays_flat(alice, bob, grace, rows, django_assert_num_queries):
    goal = services.goal_add(actor=alice, client=grace, in_own_words="A goal")
    for n in range(rows):
        NoteFactory(client=grace, author=bob, text=f"Note {n}").goals.add(goal)
        services.action_add(actor=alice, goal=goal, what=f"Action {n}")
        MemberFactory(client=grace, user=UserFactory(), until=timezone.now() - datetime.timedelta(days=n))
        ConsentFactory(client=grace, recorded_by=alice, given_by="Grace")
        circle_services.client_stage_change(
            actor=alice, client=grace, stage=["assessment", "review"][n % 2], reason=f"Step {n}"
        )
        assessment_done(author=bob, client=grace, code="gad-7", scores=[n % 4] * 7)
    services.plan_agree(actor=alice, client=grace, participants=list(grace.members.filter(user=alice)))
    browser = signed_in(alice)
    browser.get(url(grace))  # the first request after signing in also pushes the session's end back

    # 1. session, 2. user with organisation, 3. client, 4. membership, 5. consent across organisations,
    # 6. INSERT the client.timeline audit row (in a served request on PostgreSQL also BEGIN, SET LOCAL
    # synchronous_commit, COMMIT; a test runs in one transaction), 7. the notes with authors, 8. the goals
    # they refer to, 9. the plan's changes, 10. agreed versions, 11. members (with who added and removed
    # them), 12. consents, 13. stage changes with who made them, 14. the assessments Alice may see with
    # instrument, version and author; registered sources (sharing.timeline): the board's 15. card changes
    # and 16. scales; 17. unread notifications.
    with django_assert_num_queries(17):
        response = browser.get(url(grace))

    assert response.status_code == 200
    assert sum(m.kind == "note" for m in response.context["moments"]) == rows
    assert sum(m.kind == "stage" for m in response.context["moments"]) == rows
    assert sum(m.kind == "assessment" for m in response.context["moments"]) == rows


def test_a_change_of_owner_or_date_reads_in_words_not_numbers(alice, bob, carol, grace):
    """An action handed from Bob to Carol and given a date shows their names and the date written out, as
    the item's own history does, never the memberships' numbers or an ISO date."""
    goal = services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    bobs, carols = (grace.members.get(user=person, until=None) for person in (bob, carol))
    action = services.action_add(actor=alice, goal=goal, what="Call the landlord", owner=bobs)
    services.action_update(
        actor=alice,
        action=action,
        base_version=action.version,
        changes={"owner": carols, "due_on": datetime.date(2030, 5, 1)},
    )

    details = {m.title: m.detail for m in signed_in(alice).get(url(grace)).context["moments"]}

    assert details["Changed the owner of “Call the landlord”"] == "Bob Same-Org → Carol Other-Org"
    assert details["Changed the date of “Call the landlord”"] == "nothing → 1 May 2030"
