"""The client page's query count stays flat with the board: 1 card or 200, and the scales with them."""

import pytest

from board.models import Card, Scale
from sharing import services
from tests.conftest import signed_in
from tests.factories import MemberFactory, OrganisationFactory, UserFactory
from tests.plans.conftest import element_text


@pytest.mark.parametrize("cards", [1, 200])
def test_the_client_page_with_a_board(alice, grace, cards, django_assert_num_queries):
    people = []
    for _ in range(min(cards, 10)):
        person = UserFactory(organisation=OrganisationFactory())
        MemberFactory(client=grace, user=person)
        people.append(person)
    Card.objects.bulk_create(
        Card(
            client=grace,
            column=["worry", "working_well", "next_step"][n % 3],
            kind="harm" if n % 3 == 0 else "",
            text=f"Card {n}",
            author=people[n % len(people)],
            organisation=people[n % len(people)].organisation,
            position=n,
        )
        for n in range(cards)
    )
    Scale.objects.bulk_create(
        Scale(client=grace, person=p, organisation=p.organisation, score=5) for p in people
    )
    browser = signed_in(alice)
    browser.get(f"/clients/{grace.public_id}/")
    # As tests/circles/test_client_page.py names them, less the open referrals, the requests to join and
    # the emergency accesses (there are none here), and with the scales (there are some here): 17, whatever
    # the size of the board.
    with django_assert_num_queries(17):
        response = browser.get(f"/clients/{grace.public_id}/")
    truth = response.context["truth"]
    assert truth.worry_count + truth.working_well_count == len([n for n in range(cards) if n % 3 != 2])
    assert len(truth.scales) == len(people)


def test_the_goals_notes_refer_to_are_read_only_when_a_note_refers_to_one(
    alice, grace, django_assert_num_queries
):
    keep = services.goal_add(
        actor=alice, client=grace, in_own_words="Keep our flat", success_looks_like="Rent"
    )
    work = services.goal_add(actor=alice, client=grace, in_own_words="Find work", success_looks_like="A job")
    plain = services.note_create(actor=alice, client=grace, text="Nothing about the plan.")
    browser = signed_in(alice)
    browser.get(f"/clients/{grace.public_id}/")
    # As tests/circles/test_client_page.py names them, less the open referrals, the requests to join and
    # the emergency accesses (none here): no note refers to a goal, so none is read.
    with django_assert_num_queries(16):
        response = browser.get(f"/clients/{grace.public_id}/")
    assert "About: " not in element_text(response.content, f"note-{plain.pk}")

    about = services.note_create(actor=alice, client=grace, text="Rent paid; CV sent.", goals=[keep, work])
    browser.get(f"/clients/{grace.public_id}/")  # seen: no read of the outbox below
    with django_assert_num_queries(17):  # one more: the goals of the notes that refer to one
        response = browser.get(f"/clients/{grace.public_id}/")
    shown = element_text(response.content, f"note-{about.pk}")
    assert "About: “Keep our flat”" in shown and "“Find work”" in shown
    assert "About: " not in element_text(response.content, f"note-{plain.pk}")
