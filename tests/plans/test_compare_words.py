"""The comparison with an agreed version reads as the plan page does: words, not stored values."""

import datetime

from django.urls import reverse

from circles.models import CircleMember
from sharing import services
from tests.conftest import signed_in


def test_the_comparison_uses_the_pages_words(alice, grace):
    goal = services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    action = services.action_add(actor=alice, goal=goal, what="Ring the landlord")
    agreement = services.plan_agree(
        actor=alice, client=grace, participants=[CircleMember.objects.get(client=grace, user=alice)]
    )
    services.action_set_status(actor=alice, action=action, status="in_progress")
    services.action_update(
        actor=alice, action=action, changes={"due_on": datetime.date(2025, 3, 14)}, base_version=2
    )
    services.goal_update(actor=alice, goal=goal, changes={"shared_with_client": False}, base_version=1)

    page = signed_in(alice).get(reverse("plan:agreement", args=[grace.public_id, agreement.pk]))
    text = " ".join(page.content.decode().split())

    assert "from “Not started” to “In progress”" in text
    assert "from “nothing” to “14 March 2025”" in text
    assert "from “Yes” to “No”" in text
    for raw in ("not_started", "in_progress", "2025-03-14", "True", "False"):
        assert raw not in text
