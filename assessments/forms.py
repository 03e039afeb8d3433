from django import forms

from assessments.models import Assessment
from circles.models import Client, Visibility
from network.fields import CleanCharField
from network.models import User


class StartForm(forms.Form):
    instrument = forms.ChoiceField(
        label="Which instrument?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an instrument."},
    )
    completed_by = forms.ChoiceField(
        label="Who is completing it?",
        choices=[c for c in Assessment.By.choices if c[0] != Assessment.By.CLIENT],
        initial=Assessment.By.PRACTITIONER,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Visibility.choices,
        initial=Visibility.CIRCLE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, client: Client, author: User, versions: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            (v.instrument.code, f"{v.definition['name']}: {v.definition['summary']}") for v in versions
        ]
        people = User.objects.filter(
            circle_memberships__client=client, circle_memberships__until=None
        ).exclude(pk=author.pk)
        self.fields["named_people"] = forms.ModelMultipleChoiceField(
            label="Who can see it? (for “named people only”)",
            queryset=people.select_related("organisation").order_by("full_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class AmendForm(forms.Form):
    reason = CleanCharField(
        label="Why are you amending it?",
        max_length=500,
        help_text="For example: I chose the wrong answer for question 3.",
        error_messages={"required": "Say why you are amending this assessment."},
    )


def answers_from(data, definition: dict) -> dict:
    """The answers in a posted assessment form: score-<code> and narrative-<code> for each question."""
    answers = {}
    for item in definition["items"]:
        code = item["code"]
        score = data.get(f"score-{code}")
        narrative = data.get(f"narrative-{code}", "")
        if score is None and not narrative:
            continue
        answers[code] = {"score": score if score not in (None, "") else None, "narrative": narrative}
    return answers
