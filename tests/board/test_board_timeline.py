"""The board on the client's timeline (registered with sharing.timeline by BoardConfig.ready): cards added,
changed, moved, closed and linked, and scales, on the page and in the API, by the board's own rule for the
reader; a fixed number of queries however long the board's history."""

import pytest

from board import services
from board.models import Card, CardChange
from circles.models import Consent
from sharing.timeline import register_source
from tests.board.conftest import next_step, strength, worry
from tests.conftest import api_as, signed_in

pytestmark = pytest.mark.django_db


def page_url(client) -> str:
    return f"/clients/{client.public_id}/timeline/"


def api_url(client) -> str:
    return f"/api/v1/clients/{client.public_id}/timeline/"


def board_moments(moments) -> list[tuple[str, str, str]]:
    return [(m["title"], m["detail"], m["by"]) for m in moments if m["kind"] in ("board", "scale")]


def test_the_boards_history_is_on_the_timeline_newest_first(alice, bob, carol, grace):
    card = worry(alice, grace, "Rent arrears are growing")
    services.card_update(actor=bob, card=card, changes={"text": "Arrears of £900"}, base_version=1)
    services.card_move(actor=carol, card=Card.objects.get(pk=card.pk), column="working_well")
    services.card_close(actor=alice, card=Card.objects.get(pk=card.pk), reason="Paid off")
    step = next_step(alice, grace, "Ask for a repayment plan")
    services.card_make_goal(actor=bob, card=step)
    services.scale_add(actor=carol, client=grace, score=6, why="The rent is paid")

    moments = api_as(bob).get(api_url(grace)).json()

    assert board_moments(moments) == [
        ("Scale given: 6 out of 10", "The rent is paid", "Carol Other-Org"),
        (
            "Linked to the plan or notes: “Ask for a repayment plan”",
            "Made a goal on the plan",
            "Bob Same-Org",
        ),
        ("Added to the board: “Ask for a repayment plan”", "What needs to happen?", "Alice Lead"),
        ("Closed on the board: “Arrears of £900”", "Paid off", "Alice Lead"),
        (
            "Moved on the board: “Arrears of £900”",
            "What are we worried about? → What's working well?",
            "Carol Other-Org",
        ),
        (
            "Changed on the board: “Arrears of £900”",
            "What it says: Rent arrears are growing → Arrears of £900",
            "Bob Same-Org",
        ),
        (
            "Added to the board: “Rent arrears are growing”",
            "What are we worried about? (Danger: what we fear may happen)",
            "Alice Lead",
        ),
    ]
    # The plan's side shows too, from sharing's own history: one timeline.
    assert "Added to the plan: “Ask for a repayment plan”" in [m["title"] for m in moments]
    # The page shows the same moments.
    page = signed_in(bob).get(page_url(grace))
    titles = [m.title for m in page.context["moments"]]
    assert "Closed on the board: “Arrears of £900”" in titles
    assert "Scale given: 6 out of 10" in titles
    assert "app-timeline--board" in page.content.decode()


def test_the_board_rule_decides_what_each_reader_sees(alice, bob, carol, grace):
    worry(alice, grace, "Early Help only", visibility="organisation")
    strength(carol, grace, "Walks the children to school")
    services.scale_add(actor=alice, client=grace, score=3)

    # Carol (Health) does not see Early Help's "my organisation only" card; Bob (Early Help) does.
    carol_titles = [m[0] for m in board_moments(api_as(carol).get(api_url(grace)).json())]
    bob_titles = [m[0] for m in board_moments(api_as(bob).get(api_url(grace)).json())]
    assert "Added to the board: “Early Help only”" in bob_titles
    assert "Added to the board: “Early Help only”" not in carol_titles
    assert "Added to the board: “Walks the children to school”" in carol_titles

    # Without consent to share across organisations, Carol sees only her own organisation's (and her own).
    Consent.objects.filter(client=grace).delete()
    carol_titles = [m[0] for m in board_moments(api_as(carol).get(api_url(grace)).json())]
    assert carol_titles == ["Added to the board: “Walks the children to school”"]


def test_words_are_shown_as_text(alice, grace):
    worry(alice, grace, "<script>alert(1)</script> arrears")
    page = signed_in(alice).get(page_url(grace)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; arrears" in page


def test_outsiders_get_nothing(charlie, alice, grace):
    worry(alice, grace)
    assert api_as(charlie).get(api_url(grace)).status_code == 404
    assert signed_in(charlie).get(page_url(grace)).status_code == 404


def test_the_live_page_reads_the_list_again_and_each_read_is_audited(alice, grace):
    from audit.models import AuditEvent

    worry(alice, grace, "Rent arrears are growing")
    browser = signed_in(alice)
    page = browser.get(page_url(grace)).content.decode()
    assert 'data-live-socket="/ws/clients/' in page and 'hx-trigger="timeline-changed from:body"' in page

    refreshed = browser.get(page_url(grace), HTTP_HX_REQUEST="true")

    body = refreshed.content.decode()
    assert body.lstrip().startswith('<div class="moj-timeline" id="timeline"')  # the list alone
    assert "Added to the board: “Rent arrears are growing”" in body
    assert AuditEvent.objects.filter(action="client.timeline").count() == 2


def test_a_source_is_registered_once(alice, grace):
    from board.timeline import board_moments as source
    from sharing import timeline

    before = len(timeline._sources)
    register_source(source)
    assert len(timeline._sources) == before


@pytest.mark.parametrize("cards", [1, 60])
def test_query_count_stays_flat(alice, bob, carol, grace, cards, django_assert_num_queries):
    for n in range(cards):
        card = worry(alice, grace, f"Worry {n}")
        services.card_update(actor=bob, card=card, changes={"text": f"Worry {n}!"}, base_version=1)
        services.scale_add(actor=carol, client=grace, score=n % 11)
    assert CardChange.objects.count() == 2 * cards
    api = api_as(alice)
    # 1. the client, 2. Alice's membership, 3. consent, 4. INSERT the audit row; sharing's own: 5. notes,
    # 6. plan changes, 7. agreed versions, 8. members, 9. consents, 10. stages, 11. assessments; the
    # board's: 12. card changes (with the card and who), 13. scales (with who).
    with django_assert_num_queries(13):
        response = api.get(api_url(grace))
    kinds = [m["kind"] for m in response.json()]
    assert kinds.count("board") == min(2 * cards, 100) or len(kinds) == 100
    assert "scale" in kinds
