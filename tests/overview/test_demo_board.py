"""The demo data tells the board's story: Grace's board, Harold's with his son's view, Priya's news."""

import pytest
from django.core.management import call_command

from board.models import Card, Scale
from circles.models import Client
from network.models import User
from overview import selectors

pytestmark = pytest.mark.django_db


def test_the_demo(capsys):
    call_command("demo_data")
    grace = Client.objects.get(given_name="Grace", family_name="Okafor")
    cards = Card.objects.filter(client=grace, closed_at=None)
    assert cards.filter(column="worry").count() == 4
    assert cards.filter(column="working_well").count() == 5
    steps = cards.filter(column="next_step")
    assert steps.count() == 3 and steps.exclude(action=None).count() == 2
    scales = Scale.objects.filter(client=grace)
    assert scales.values("person").distinct().count() == 3 and scales.count() == 9
    assert (max(s.at for s in scales) - min(s.at for s in scales)).days >= 80

    harold = Client.objects.get(given_name="Harold")
    michael = User.objects.get(email="michael@example.org")
    assert Card.objects.filter(client=harold, author=michael, by_client=True).count() == 2
    assert Scale.objects.filter(client=harold, person=michael, by_client=True).exists()

    priya = User.objects.get(full_name="Priya Shah")
    counts = {c.given_name: c.new_count for c in selectors.my_clients(priya)}
    assert sum(1 for n in counts.values() if n) == 4, (
        counts
    )  # Grace, Daniel, Ruth and Quinn (reporting's demo)
