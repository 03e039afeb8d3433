from typing import Any

from django import forms

from board.models import Column, Visibility, WorryKind
from board.services import CARD_MAX_LENGTH, REASON_MAX_LENGTH, WHY_MAX_LENGTH
from circles import access
from network.fields import CleanCharField
from sharing.models import Goal, Note

SCORES = [(str(n), str(n)) for n in range(11)]


class CardForm(forms.Form):
    """Adding a card (the column comes from where the person clicked) or changing one."""

    text = CleanCharField(
        label="What it says",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CARD_MAX_LENGTH,
        error_messages={"required": "Write what the card says."},
    )
    kind = forms.ChoiceField(
        label="What kind of worry?",
        choices=WorryKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label="Who can see it?", choices=Visibility.choices, initial=Visibility.CIRCLE, widget=forms.Select
    )


class MoveForm(forms.Form):
    column = forms.ChoiceField(label="Move to", choices=Column.choices, required=False)
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")], required=False)


class CloseForm(forms.Form):
    reason = CleanCharField(label="Why is it closed?", max_length=REASON_MAX_LENGTH)


class LinkForm(forms.Form):
    """`onlooker` is who reads the form (a RecordAccess): the notes are offered by their authors as the
    policy names them to that person (circles.access.person_label)."""

    def __init__(self, *args: Any, goals: Any, notes: Any, onlooker: access.Onlooker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressed_by"] = GoalChoiceField(
            label="Which goal addresses this worry?",
            queryset=goals,
            required=False,
            empty_label="No goal yet",
        )
        self.fields["evidence"] = NoteChoiceField(
            onlooker=onlooker,
            label="Which notes are evidence of it?",
            queryset=notes,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:  # type: ignore[override]
        return f"“{obj.in_own_words}”"


class NoteChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, onlooker: access.Onlooker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.onlooker = onlooker

    def label_from_instance(self, obj: Note) -> str:  # type: ignore[override]
        text = obj.text if len(obj.text) <= 80 else obj.text[:79] + "…"
        return f"{obj.created_at:%-d %b %Y}, {access.person_label(self.onlooker, obj.author)}: {text}"


class ActionFromCardForm(forms.Form):
    def __init__(self, *args: Any, goals: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"] = GoalChoiceField(label="Under which goal?", queryset=goals)


class ScaleForm(forms.Form):
    score = forms.ChoiceField(
        label="Your scale, 0 to 10",
        choices=SCORES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a number from 0 to 10.",
            "invalid_choice": "Choose a number from 0 to 10.",
        },
    )
    why = CleanCharField(label="Why, in one line", max_length=WHY_MAX_LENGTH, required=False)


def goal_choices(client: Any) -> Any:
    return Goal.objects.filter(plan__client=client, removed_at=None).order_by("position", "pk")
