from typing import cast

from django import forms

from assessments.access import assessments_visible_filter
from assessments.models import Assessment
from circles.access import record_access
from circles.models import Client
from network.fields import CleanCharField
from network.models import User
from sharing.models import Goal, Note
from sharing.services import NOTE_MAX_LENGTH


class _PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}, {obj.organisation}"


class _AssessmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assessment) -> str:
        return f"{obj.instrument.name}, {obj.completed_at:%-d %b %Y}"


class _GoalsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"“{obj.in_own_words}”"


def _circle_people(client: Client, exclude: User | None) -> forms.ModelMultipleChoiceField:
    people = User.objects.filter(circle_memberships__client=client, circle_memberships__until=None)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return _PeopleField(
        label="Who can see it? (for “named people only”)",
        queryset=people.select_related("organisation").order_by("full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of note?",
        choices=Note.Kind.choices,
        initial=Note.Kind.UPDATE,
        widget=forms.RadioSelect,
    )
    text = CleanCharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Write the note before saving it."},
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Note.Visibility.choices,
        initial=Note.Visibility.CIRCLE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, client: Client, author: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_people"] = _circle_people(client, author)
        goals = Goal.objects.filter(plan__client=client, removed_at=None).order_by("position")
        self.fields["goals"] = _GoalsField(
            label="Which goals is this note about? (optional)",
            queryset=goals,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        assessments = Assessment.objects.none()
        if author is not None:
            record = record_access(author, client)
            assessments = (
                Assessment.objects.filter(client=client, status=Assessment.Status.COMPLETED)
                .filter(assessments_visible_filter(record))
                .select_related("instrument")
                .order_by("-completed_at")
            )
        self.fields["assessment"] = _AssessmentField(
            label="Which assessment is this note about? (optional)",
            queryset=assessments,
            required=False,
            empty_label="None",
        )


class NoteVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can see it?", choices=Note.Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, client: Client, author: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_people"] = _circle_people(client, author)


class GoalForm(forms.Form):
    in_own_words = CleanCharField(
        label="The goal, in the client's own words",
        max_length=500,
        help_text="For example: Keep our flat",
        error_messages={"required": "Write the goal, in the client's own words."},
    )
    success_looks_like = CleanCharField(
        label="What success looks like",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    review_on = forms.DateField(
        label="Review date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date."},
    )
    shared_with_client = forms.BooleanField(
        label="The client can see this goal in their portal", required=False
    )


class ActionForm(forms.Form):
    what = CleanCharField(
        label="What needs to happen", max_length=500, error_messages={"required": "Say what needs to happen."}
    )
    owner = forms.ChoiceField(label="Who", required=False)
    due_on = forms.DateField(
        label="By when (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date."},
    )
    shared_with_client = forms.BooleanField(
        label="The client can see this action in their portal", required=False
    )

    def __init__(self, *args, owners, client_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {str(member.pk): member for member in owners}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Nobody yet"),
            ("client", f"{client_name} (the client)"),
        ] + [(str(member.pk), f"{member.display_name}, {member.get_role_display()}") for member in owners]

    def clean_owner(self):
        value = self.cleaned_data["owner"]
        if value in ("", None):
            return None
        if value == "client":
            return "client"
        return self.owners[value]


class AgreeForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label="Who took part in agreeing it?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who took part in agreeing the plan."},
    )
    note = CleanCharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        help_text="For example: agreed at the review meeting at Grace's home",
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        cast(forms.ChoiceField, self.fields["participants"]).choices = [
            (str(m.pk), m.display_name) for m in members
        ]

    def clean_participants(self):
        return [self.members[value] for value in self.cleaned_data["participants"]]
