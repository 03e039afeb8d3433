from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from network.fields import CleanCharField
from network.models import User


def add_service_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on a form, field by field where it names fields the form has."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            name = (rename or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PersonForm(forms.Form):
    full_name = CleanCharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Work email address")
    job_title = CleanCharField(label="Job title", max_length=200, required=False)
    phone = CleanCharField(label="Work phone (optional)", max_length=40, required=False)
    org_role = forms.ChoiceField(
        label="Role in Alongside", choices=[], initial=User.OrgRole.PRACTITIONER, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["org_role"]).choices = User.OrgRole.choices


class ApiTokenForm(forms.Form):
    name = CleanCharField(
        label="Name",
        max_length=100,
        help_text="What will use it, so you know later which to revoke. For example, “Case system sync”.",
    )
