"""The client page's query count stays flat with the board: 1 card or 200, and the scales with them."""

import pytest

from board.models import Card, Scale
from tests.conftest import signed_in
from tests.factories import MemberFactory, OrganisationFactory, UserFactory


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
    # As tests/circles/test_client_page.py names them, less the prefetch of the goals notes refer to (there
    # are no notes here): 22, whatever the size of the board.
    with django_assert_num_queries(22):
        response = browser.get(f"/clients/{grace.public_id}/")
    truth = response.context["truth"]
    assert truth.worry_count + truth.working_well_count == len([n for n in range(cards) if n % 3 != 2])
    assert len(truth.scales) == len(people)
