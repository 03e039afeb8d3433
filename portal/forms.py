from typing import cast

from django import forms


class InvitationForm(forms.Form):
    who = forms.ChoiceField(label="Who are you inviting?", widget=forms.RadioSelect)
    email = forms.EmailField(
        label="Their email address",
        error_messages={"invalid": "Enter an email address, like name@example.org."},
    )

    def __init__(self, *args, family, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.family = {str(member.pk): member for member in family}
        cast(forms.ChoiceField, self.fields["who"]).choices = [("client", "The client")] + [
            (str(m.pk), f"{m.name} ({m.relationship or m.get_role_display()})") for m in family
        ]
        self.fields["who"].initial = "client"

    def clean_who(self):
        value = self.cleaned_data["who"]
        return None if value == "client" else self.family[value]
