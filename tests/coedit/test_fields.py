"""coedit.fields: one declaration of a model's co-edited fields gives labels, values as history keeps
them, values in words and the differences between two saved versions."""

import datetime

import pytest

from coedit import VersionedField, VersionedFields, stored
from coedit.fields import CHOICE, DATE, TEXT, YES_NO
from sharing.models import Action, Goal

FIELDS = VersionedFields(
    VersionedField("title", "Title", kind=TEXT),
    VersionedField("due", "By when", noun="date", kind=DATE),
    VersionedField("open", "Open", kind=YES_NO),
    VersionedField("state", "State", kind=CHOICE, choices=(("todo", "To do"), ("done", "Done"))),
)


def test_it_is_a_mapping_of_names_in_order():
    assert list(FIELDS) == ["title", "due", "open", "state"]
    assert FIELDS["due"].label == "By when"
    assert len(FIELDS) == 4


def test_labels_and_words_in_a_sentence():
    assert FIELDS.label("due") == "By when"
    assert FIELDS.label("position") == "position"  # not a co-edited field: shown as it is
    assert FIELDS["due"].in_sentence == "date"
    assert FIELDS["title"].in_sentence == "title"
    assert FIELDS["title"].is_text and not FIELDS["due"].is_text


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("title", "Call them", "Call them"),
        ("due", "2030-05-01", "1 May 2030"),
        ("due", "not a date", "not a date"),
        ("open", True, "Yes"),
        ("open", False, "No"),
        ("state", "done", "Done"),
        ("state", None, ""),
        ("title", "", ""),
        ("unknown", 3, "3"),
    ],
)
def test_values_in_words(name, value, words):
    assert FIELDS.in_words(name, value) == words


def test_the_app_names_what_only_it_can():
    shown = {"title": lambda value: f"“{value}”"}
    assert FIELDS.in_words("title", "Call them", shown=shown) == "“Call them”"
    assert FIELDS.in_words("title", None, shown=shown) == ""


def test_values_are_kept_as_json():
    assert stored(datetime.date(2030, 5, 1)) == "2030-05-01"
    assert stored("client") == "client"
    assert stored(None) is None


def test_differences_between_two_saved_versions():
    old = {"title": "Call", "due": None, "open": True, "state": "todo"}
    new = {"title": "Call", "due": "2030-05-01", "open": True, "state": "done"}
    assert [(field.name, was, now) for field, was, now in FIELDS.differences(old, new)] == [
        ("due", None, "2030-05-01"),
        ("state", "todo", "done"),
    ]


def test_a_field_kept_in_two_columns(alice, grace, db):
    """The plan's action owner: a circle member or the client, read and written through its hooks."""
    from sharing import services

    goal = services.goal_add(actor=alice, client=grace, in_own_words="Keep our flat")
    action = services.action_add(actor=alice, goal=goal, what="Call", owner_is_client=True)
    owner = Action.EDITABLE["owner"]
    assert owner.value_of(action) == "client"
    assert owner.form_value(action) == "client"
    assert owner.set_on(action, None) == ("owner", "owner_is_client")
    assert (action.owner, action.owner_is_client, owner.value_of(action)) == (None, False, None)
    assert owner.form_value(action) == ""


def test_the_plan_declares_its_fields_once():
    assert list(Goal.EDITABLE) == ["in_own_words", "success_looks_like", "review_on", "shared_with_client"]
    assert list(Action.EDITABLE) == [
        "what",
        "owner",
        "due_on",
        "status",
        "dropped_reason",
        "shared_with_client",
    ]
