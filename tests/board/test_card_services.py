"""Cards: add, change (co-edited, versioned), move, close; every change audited and published."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from board import services
from board.models import Card, CardChange
from coedit import StaleEdit
from realtime.models import Event
from tests.board.conftest import next_step, strength, worry

pytestmark = pytest.mark.django_db


def test_it_works(alice, grace):
    card = worry(alice, grace)

    assert (card.column, card.kind, card.version, card.position) == ("worry", "danger", 1, 1)
    assert card.author == alice and card.organisation == alice.organisation
    assert CardChange.objects.get(card=card).field == "created"
    audit = AuditEvent.objects.get(action="board.card_add")
    assert audit.actor == alice and audit.client == grace
    event = Event.objects.get(type="board.card_add")
    assert event.payload == {"card_id": card.pk, "column": "worry", "version": 1}
    assert event.audience == {
        "organisation": alice.organisation_id,
        "visibility": "circle",
        "author": alice.pk,
        "client_visible": False,
        "actor": alice.pk,
    }


def test_it_checks_membership(charlie, grace, alice):
    with pytest.raises(PermissionDenied):
        worry(charlie, grace)
    card = worry(alice, grace)
    with pytest.raises(PermissionDenied):
        services.card_update(actor=charlie, card=card, changes={"text": "x"}, base_version=1)
    with pytest.raises(PermissionDenied):
        services.card_close(actor=charlie, card=card, reason="No")
    assert not Event.objects.filter(type="board.card_update").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"column": "worry", "text": "   ", "kind": "harm"}, "text"),
        ({"column": "worry", "text": "x" * 1001, "kind": "harm"}, "text"),
        ({"column": "worries", "text": "Rent", "kind": "harm"}, "column"),
        ({"column": "worry", "text": "Rent", "kind": ""}, "kind"),
        ({"column": "working_well", "text": "School", "kind": "harm"}, "kind"),
        ({"column": "worry", "text": "Rent", "kind": "harm", "visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_cards_are_refused_and_nothing_is_written(alice, grace, values, field):
    with pytest.raises(ValidationError) as refused:
        services.card_add(actor=alice, client=grace, **values)
    assert field in refused.value.message_dict
    assert not Card.objects.exists() and not Event.objects.filter(type__startswith="board.").exists()


def test_html_is_kept_as_typed(alice, grace):
    card = worry(alice, grace, "<script>alert(1)</script>")
    assert card.text == "<script>alert(1)</script>"


def test_changes_to_different_fields_both_apply(alice, bob, grace):
    card = worry(alice, grace)
    services.card_update(actor=alice, card=card, changes={"text": "Arrears of £900"}, base_version=1)
    services.card_update(actor=bob, card=card, changes={"kind": "harm"}, base_version=1)

    card.refresh_from_db()
    assert (card.text, card.kind, card.version) == ("Arrears of £900", "harm", 3)


def test_a_stale_change_to_the_same_field_is_refused(alice, bob, grace):
    card = worry(alice, grace)
    services.card_update(actor=alice, card=card, changes={"text": "Arrears of £900"}, base_version=1)

    with pytest.raises(StaleEdit) as stale:
        services.card_update(actor=bob, card=card, changes={"text": "Arrears of £1,000"}, base_version=1)

    assert stale.value.theirs == {"text": "Arrears of £900"}
    assert stale.value.conflicts["text"]["by"] == alice
    card.refresh_from_db()
    assert card.text == "Arrears of £900" and card.version == 2


def test_moving_to_another_column(alice, grace):
    card = strength(alice, grace)
    services.card_move(actor=alice, card=card, column="worry")

    card.refresh_from_db()
    assert (card.column, card.kind, card.version) == ("worry", "complicating", 2)
    services.card_move(actor=alice, card=card, column="next_step")
    card.refresh_from_db()
    assert (card.column, card.kind) == ("next_step", "")
    assert Event.objects.filter(type="board.card_move").count() == 2


def test_moving_to_a_column_that_does_not_exist(alice, grace):
    card = strength(alice, grace)
    with pytest.raises(ValidationError) as refused:
        services.card_move(actor=alice, card=card, column="maybe")
    assert "no such column" in refused.value.message_dict["column"][0]
    card.refresh_from_db()
    assert card.column == "working_well" and card.version == 1


def test_moving_up_and_down(alice, grace):
    first, second = strength(alice, grace, "One"), strength(alice, grace, "Two")
    services.card_move(actor=alice, card=second, direction="up")
    order = list(
        Card.objects.filter(column="working_well").order_by("position").values_list("text", flat=True)
    )
    assert order == ["Two", "One"]
    services.card_move(actor=alice, card=second, direction="up")  # already at the top: nothing happens
    assert Event.objects.filter(type="board.card_move").count() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position


def test_closing(alice, grace):
    card = worry(alice, grace)
    with pytest.raises(ValidationError):
        services.card_close(actor=alice, card=card, reason="  ")
    services.card_close(actor=alice, card=card, reason="No longer a worry")

    card.refresh_from_db()
    assert card.closed_at and card.closed_reason == "No longer a worry" and card.closed_by == alice
    with pytest.raises(ValidationError):
        services.card_update(actor=alice, card=card, changes={"text": "x"}, base_version=card.version)
    assert AuditEvent.objects.filter(action="board.card_close").count() == 1


def test_a_next_step_becomes_a_goal_and_both_point_at_each_other(alice, grace):
    card = next_step(alice, grace, visibility="client")
    goal = services.card_make_goal(actor=alice, card=card)

    card.refresh_from_db()
    assert card.goal == goal and goal.in_own_words == card.text and goal.shared_with_client
    assert list(goal.board_cards.all()) == [card]
    assert {"plan.goal_add", "board.card_link"} <= set(Event.objects.values_list("type", flat=True))
    with pytest.raises(ValidationError):
        services.card_make_goal(actor=alice, card=card)  # already on the plan


def test_a_next_step_becomes_an_action(alice, grace):
    goal = services.card_make_goal(actor=alice, card=next_step(alice, grace, "Keep the flat"))
    action = services.card_make_action(
        actor=alice, card=next_step(alice, grace, "Call the landlord"), goal=goal
    )
    assert action.goal == goal and action.what == "Call the landlord"
    assert action.board_cards.get().action == action


def test_only_next_steps_go_on_the_plan(alice, grace):
    with pytest.raises(ValidationError):
        services.card_make_goal(actor=alice, card=worry(alice, grace))


def test_a_worry_links_to_its_goal_and_evidence(alice, bob, carol, grace):
    from sharing.services import note_create

    card = worry(alice, grace)
    goal = services.card_make_goal(actor=alice, card=next_step(alice, grace))
    note = note_create(actor=bob, client=grace, text="The arrears letter came today")
    private = note_create(actor=carol, client=grace, text="Health only", visibility="organisation")

    services.card_link(actor=alice, card=card, addressed_by=goal, evidence=[note])
    card.refresh_from_db()
    assert card.addressed_by == goal and list(card.evidence.all()) == [note]
    assert list(goal.worries.all()) == [card]
    with pytest.raises(ValidationError):  # Alice may not read Carol's "my organisation only" note
        services.card_link(actor=alice, card=card, evidence=[private])


def test_the_audit_keeps_a_fingerprint_of_the_words_not_the_words(alice, grace):
    card = worry(alice, grace, "Something private about Grace")
    services.card_update(actor=alice, card=card, changes={"text": "Something else private"}, base_version=1)
    for row in AuditEvent.objects.filter(action__startswith="board.card"):
        assert "private" not in str(row.before) + str(row.after)
    assert AuditEvent.objects.get(action="board.card_update").after["text_length"] == len(
        "Something else private"
    )
