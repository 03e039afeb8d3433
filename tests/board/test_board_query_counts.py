"""The board's query count does not grow with its cards (1 or 200) or its scales."""

import pytest

from board.models import Card, Scale
from tests.board.conftest import api_url, board_url
from tests.conftest import api_as, signed_in
from tests.factories import MemberFactory, OrganisationFactory, UserFactory


@pytest.fixture
def cards(request, grace, alice):
    columns = ["worry", "working_well", "next_step"]
    people = []
    for _ in range(min(request.param, 10)):
        person = UserFactory(organisation=OrganisationFactory())
        MemberFactory(client=grace, user=person)
        people.append(person)
    Card.objects.bulk_create(
        Card(
            client=grace,
            column=columns[n % 3],
            kind="harm" if n % 3 == 0 else "",
            text=f"Card {n}",
            author=people[n % len(people)],
            organisation=people[n % len(people)].organisation,
            position=n,
        )
        for n in range(request.param)
    )
    Scale.objects.bulk_create(
        Scale(client=grace, person=person, organisation=person.organisation, score=n % 11)
        for n, person in enumerate(people)
    )
    return request.param


@pytest.mark.parametrize("cards", [1, 200], indirect=True)
def test_the_board_page(cards, alice, grace, django_assert_num_queries):
    browser = signed_in(alice)
    browser.get(board_url(grace))
    # 1. the session, 2. the signed-in user with their organisation, 3. the client by public ID, 4. Alice's
    # membership, 5. does the client's consent share across organisations, 6. INSERT the board.view audit
    # row, 7. the open cards with author, organisation, goal, action, addressed-by goal and evidence count,
    # 8. the most recently closed cards (the same), 9. the scales with person and organisation, 10. the
    # plan's goals (for "make it an action"), 11. unread notifications (page header). Before them,
    # through board.hooks (opening the board is a visit): Alice's last visit (overview.Visit) and, as
    # nothing happened since, no events; UPDATE her visit. 13 in all.
    with django_assert_num_queries(13):
        response = browser.get(board_url(grace))
    assert response.status_code == 200
    assert response.context["board"].open_count == cards


@pytest.mark.parametrize("cards", [1, 200], indirect=True)
def test_the_card_list_api(cards, alice, grace, django_assert_num_queries):
    api = api_as(alice)
    # 1. the client by public ID, 2. Alice's membership, 3. consent, 4. INSERT the board.view audit row,
    # 5. the cards with what they show.
    with django_assert_num_queries(5):
        response = api.get(api_url(grace, "cards/"))
    assert len(response.json()) == cards
