"""Progress notes and the plan point at each other: a note can be about goals (and actions) of the same
client's plan, and a goal's history page shows the notes about it, to those who may read them."""

import pytest
from django.core.exceptions import ValidationError

from sharing import services
from sharing.models import Note
from tests.conftest import signed_in
from tests.factories import ClientFactory, MemberFactory
from tests.plans.conftest import element_text, page_text, plan_url

pytestmark = pytest.mark.django_db


def history_url(client, goal) -> str:
    return plan_url(client) + f"goals/{goal.pk}/history/"


def test_it_works(alice, bob, goal, grace):
    note = services.note_create(actor=bob, client=grace, text="Rent paid this week.", goals=[goal])

    assert list(note.goals.all()) == [goal]
    page = signed_in(alice).get(history_url(grace, goal))
    assert page.status_code == 200
    shown = element_text(page.content, f"note-{note.pk}")
    assert "Rent paid this week." in shown
    assert "About: “Keep our flat”" in shown
    # The plan page says there is a note, and links to where it is.
    card = element_text(signed_in(alice).get(plan_url(grace)).content, f"goal-{goal.pk}")
    assert "History and 1 note" in card


def test_a_goal_with_no_notes_says_so(alice, goal, grace):
    page = signed_in(alice).get(history_url(grace, goal))
    assert "No notes point at this goal yet." in page_text(page)


def test_a_note_about_one_of_its_actions_shows_on_the_goal(alice, bob, goal, action, grace):
    note = services.note_create(actor=bob, client=grace, text="Left a voicemail.", actions=[action])
    assert list(note.actions.all()) == [action]
    page = signed_in(alice).get(history_url(grace, goal))
    assert "Left a voicemail." in element_text(page.content, f"note-{note.pk}")


def test_a_note_about_another_goal_does_not_show(alice, goal, grace):
    other = services.goal_add(actor=alice, client=grace, in_own_words="See my sister")
    note = services.note_create(actor=alice, client=grace, text="Sister visited.", goals=[other])
    assert element_text(signed_in(alice).get(history_url(grace, goal)).content, f"note-{note.pk}") is None


def test_it_checks_ownership(charlie, bob, goal, grace):
    services.note_create(actor=bob, client=grace, text="Rent paid this week.", goals=[goal])
    assert signed_in(charlie).get(history_url(grace, goal)).status_code == 404


def test_a_note_cannot_point_at_another_clients_goal(alice, goal, grace):
    other_client = ClientFactory()
    MemberFactory(client=other_client, user=alice, is_lead=True)
    elsewhere = services.goal_add(actor=alice, client=other_client, in_own_words="Someone else's goal")

    with pytest.raises(ValidationError) as refused:
        services.note_create(actor=alice, client=grace, text="Mixed up", goals=[goal, elsewhere])
    assert "about" in refused.value.message_dict
    assert not Note.objects.exists()


def test_a_note_cannot_point_at_another_clients_action(alice, grace):
    other_client = ClientFactory()
    MemberFactory(client=other_client, user=alice, is_lead=True)
    elsewhere = services.goal_add(actor=alice, client=other_client, in_own_words="Someone else's goal")
    their_action = services.action_add(actor=alice, goal=elsewhere, what="Theirs")

    with pytest.raises(ValidationError):
        services.note_create(actor=alice, client=grace, text="Mixed up", actions=[their_action])
    assert not Note.objects.exists()


def test_the_note_form_offers_only_this_clients_current_goals(alice, goal, grace):
    other_client = ClientFactory()
    MemberFactory(client=other_client, user=alice, is_lead=True)
    elsewhere = services.goal_add(actor=alice, client=other_client, in_own_words="Someone else's goal")
    removed = services.goal_add(actor=alice, client=grace, in_own_words="Taken off")
    services.goal_remove(actor=alice, goal=removed)
    browser = signed_in(alice)
    url = f"/clients/{grace.public_id}/notes/new/"

    form = page_text(browser.get(url))
    assert "“Keep our flat”" in form
    assert "Someone else's goal" not in form and "Taken off" not in form

    for goal_id in (elsewhere.pk, removed.pk):
        response = browser.post(
            url, {"kind": "update", "text": "Hello", "visibility": "circle", "goals": [goal_id]}
        )
        assert response.status_code == 400
        assert "Select a valid choice" in page_text(response)
    assert not Note.objects.exists()

    response = browser.post(
        url, {"kind": "update", "text": "Rent paid", "visibility": "circle", "goals": [goal.pk]}
    )
    assert response.status_code == 302
    assert list(Note.objects.get().goals.all()) == [goal]


def test_notes_about_a_goal_follow_who_may_read_them(alice, bob, carol, goal, grace):
    secret = services.note_create(
        actor=alice, client=grace, text="Early Help only.", visibility="organisation", goals=[goal]
    )
    open_note = services.note_create(actor=alice, client=grace, text="For the circle.", goals=[goal])

    as_bob = signed_in(bob).get(history_url(grace, goal))
    assert element_text(as_bob.content, f"note-{secret.pk}") is not None
    as_carol = signed_in(carol).get(history_url(grace, goal))
    assert element_text(as_carol.content, f"note-{secret.pk}") is None
    assert element_text(as_carol.content, f"note-{open_note.pk}") is not None


def test_the_note_count_counts_only_notes_i_may_read(alice, carol, goal, grace):
    services.note_create(
        actor=alice, client=grace, text="Early Help only.", visibility="organisation", goals=[goal]
    )
    services.note_create(actor=alice, client=grace, text="For the circle.", goals=[goal])

    card = element_text(signed_in(carol).get(plan_url(grace)).content, f"goal-{goal.pk}")
    assert "History and 1 note" in card
