"""coedit.pages: the edit form sends only what the person changed, from the version they opened; a clash
comes back with both values and the choice keep theirs / keep mine / merge."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from coedit.pages import edit_with_merge
from sharing.models import Goal, PlanChange
from tests.coedit.conftest import edit

pytestmark = pytest.mark.django_db


class GoalForm(forms.Form):
    in_own_words = forms.CharField(label="The goal", max_length=500)
    success_looks_like = forms.CharField(label="Success", required=False)
    shared_with_client = forms.BooleanField(label="Shared", required=False)


def round_trip(goal, actor, data: dict | None = None, name_of=str):
    """One request to the edit form: GET without data, POST with it."""
    factory = RequestFactory()
    request = factory.post("/", data) if data is not None else factory.get("/")
    saved: list[tuple[dict, int]] = []

    def save(changes, base_version):
        saved.append((changes, base_version))
        edit(goal, actor, changes, base_version)

    page = edit_with_merge(
        request,
        Goal.objects.get(pk=goal.pk),
        fields=Goal.EDITABLE,
        form_class=GoalForm,
        form_kwargs={},
        save=save,
        reread=lambda: Goal.objects.get(pk=goal.pk),
        add_errors=lambda form, exc: form.add_error(None, exc.messages),
        name_of=name_of,  # str(user) is their full name
        shown={"success_looks_like": lambda value: value.upper()},
    )
    return page, saved


def posted(goal, **fields) -> dict:
    """The form as opened at version 1 and posted with `fields` changed."""
    prefix = f"goal{goal.pk}"
    data = {
        "base_version": "1",
        "original_in_own_words": "Keep our flat",
        "original_success_looks_like": "Rent paid on time",
        "original_shared_with_client": "True",
        f"{prefix}-in_own_words": "Keep our flat",
        f"{prefix}-success_looks_like": "Rent paid on time",
        f"{prefix}-shared_with_client": "on",
    }
    return data | {
        f"{prefix}-{name}" if name in GoalForm.base_fields else name: v for name, v in fields.items()
    }


def test_opening_the_form_remembers_the_version_and_the_values(alice, goal):
    page, saved = round_trip(goal, alice)
    assert (page.saved, page.base_version, page.conflicts, saved) == (False, 1, [], [])
    assert page.originals == {
        "in_own_words": "Keep our flat",
        "success_looks_like": "Rent paid on time",
        "shared_with_client": "True",
    }
    assert page.form.prefix == f"goal{goal.pk}"


def test_only_what_the_person_changed_is_saved(alice, goal):
    page, saved = round_trip(goal, alice, posted(goal, in_own_words="Keep our home"))
    assert page.saved
    assert saved == [({"in_own_words": "Keep our home"}, 1)]


def test_a_clash_comes_back_with_both_values(alice, bob, goal):
    edit(goal, alice, {"in_own_words": "Keep our home", "success_looks_like": "No arrears"}, base_version=1)

    page, _saved = round_trip(goal, bob, posted(goal, in_own_words="Stay put", success_looks_like="Paid"))
    saved_at = {c.field: c.at for c in PlanChange.objects.filter(goal=goal, version=2)}

    assert not page.saved
    assert page.base_version == 2  # the form starts again from what it says now
    assert page.originals["in_own_words"] == "Keep our home"
    assert page.form.data[f"goal{goal.pk}-in_own_words"] == "Stay put"  # keeping Bob's own changes
    assert page.conflicts == [
        {
            "name": "in_own_words",
            "label": "The goal",
            "theirs": "Keep our home",
            "mine": "Stay put",
            "by": "Alice Lead",
            "at": saved_at["in_own_words"],
            "mergeable": True,
            "merged": "Keep our home\nStay put",
        },
        {
            "name": "success_looks_like",
            "label": "Success",
            "theirs": "NO ARREARS",  # in the app's words
            "mine": "PAID",
            "by": "Alice Lead",
            "at": saved_at["success_looks_like"],
            "mergeable": True,
            "merged": "No arrears\nPaid",  # the words to edit are the values themselves
        },
    ]


def test_a_clash_names_who_got_there_first_as_the_caller_says(alice, bob, goal):
    """The engine knows nobody: who may know whom (a hidden member, an outsider) is the app's rule."""
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)
    asked = []

    def name_of(person):
        asked.append(person)
        return "A member of the circle"

    page, _saved = round_trip(goal, bob, posted(goal, in_own_words="Stay put"), name_of=name_of)

    assert asked == [alice]
    assert [(row["name"], row["by"], row["theirs"]) for row in page.conflicts] == [
        ("in_own_words", "A member of the circle", "Keep our home")
    ]


@pytest.mark.parametrize(
    ("choice", "saved_value"),
    [("mine", "Stay put"), ("merge", "Keep our home, or stay put"), ("theirs", None)],
)
def test_keep_theirs_keep_mine_or_merge(alice, bob, goal, choice, saved_value):
    edit(goal, alice, {"in_own_words": "Keep our home"}, base_version=1)
    answer = posted(
        goal,
        in_own_words="Stay put",
        original_in_own_words="Keep our home",
        base_version="2",
        resolve_in_own_words=choice,
        merge_in_own_words="Keep our home, or stay put",
    )

    page, saved = round_trip(goal, bob, answer)

    assert page.saved
    assert saved == ([({"in_own_words": saved_value}, 2)] if saved_value else [])
    assert Goal.objects.get(pk=goal.pk).in_own_words == (saved_value or "Keep our home")


def test_a_refusal_goes_on_the_form(alice, goal):
    def refuse(changes, base_version):
        raise ValidationError("Nothing to change.")

    request = RequestFactory().post("/", posted(goal, in_own_words="Stay put"))
    page = edit_with_merge(
        request,
        goal,
        fields=Goal.EDITABLE,
        form_class=GoalForm,
        form_kwargs={},
        save=refuse,
        reread=lambda: goal,
        add_errors=lambda form, exc: form.add_error(None, exc.messages),
        name_of=str,
    )
    assert not page.saved
    assert page.form.non_field_errors() == ["Nothing to change."]


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "1.5", "\u00b2", "1" + "0" * 30])
def test_a_post_without_a_version_saves_nothing_and_says_reload(alice, goal, version):
    """Without the version the form was opened at, a change cannot be told from an overwrite of someone
    else's change: nothing is saved (the API's If-Match, 428, in the same way)."""
    data = posted(goal, in_own_words="Keep our home")
    if version is None:
        del data["base_version"]
    else:
        data["base_version"] = version

    page, saved = round_trip(goal, alice, data)

    assert not page.saved and saved == []
    assert "Reload the page and make your change again" in page.form.non_field_errors()[0]
    assert Goal.objects.get(pk=goal.pk).in_own_words == "Keep our flat"


def test_a_field_the_post_does_not_carry_is_not_a_change(alice, goal):
    """An empty optional field clears it; a field missing from the post was not on the form sent."""
    data = posted(goal, in_own_words="Keep our home")
    del data[f"goal{goal.pk}-success_looks_like"]

    page, saved = round_trip(goal, alice, data)

    assert page.saved
    assert saved == [({"in_own_words": "Keep our home"}, 1)]
    assert Goal.objects.get(pk=goal.pk).success_looks_like == "Rent paid on time"
