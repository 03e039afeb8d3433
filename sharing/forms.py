from django import forms

from sharing.models import Note
from sharing.services import NOTE_MAX_LENGTH


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
