from django import forms

from circles.models import Client
from network.models import User
from sharing.models import Note
from sharing.services import NOTE_MAX_LENGTH


def _circle_people(client: Client, exclude: User | None) -> forms.ModelMultipleChoiceField:
    people = User.objects.filter(circle_memberships__client=client, circle_memberships__until=None)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    field = forms.ModelMultipleChoiceField(
        label="Who can see it? (for “named people only”)",
        queryset=people.select_related("organisation").order_by("full_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field.label_from_instance = lambda u: f"{u.full_name}, {u.organisation}"
    return field


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of note?",
        choices=Note.Kind.choices,
        initial=Note.Kind.UPDATE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
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


class NoteVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can see it?", choices=Note.Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, client: Client, author: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_people"] = _circle_people(client, author)
