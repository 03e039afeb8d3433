"""Forms for the client pages. They parse and check shape; services decide and write."""

import datetime

from django import forms

from circles.models import CircleMember
from circles.services import FAMILY_ROLES
from network.models import User

PROFESSIONAL_ROLES = [
    (value, label) for value, label in CircleMember.Role.choices if value not in FAMILY_ROLES
]
FAMILY_ROLE_CHOICES = [(value, label) for value, label in CircleMember.Role.choices if value in FAMILY_ROLES]


class ClientForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    preferred_name = forms.CharField(
        label="Preferred name (optional)",
        max_length=100,
        required=False,
        help_text="What they like to be called",
    )
    dob_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    dob_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    dob_year = forms.IntegerField(label="Year", required=False, min_value=1900, max_value=2200)
    pronouns = forms.CharField(label="Pronouns (optional)", max_length=40, required=False)
    language = forms.CharField(label="Preferred language (optional)", max_length=60, required=False)
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    lead_role = forms.ChoiceField(
        label="Your role in their circle",
        choices=PROFESSIONAL_ROLES,
        initial=CircleMember.Role.LEAD_PROFESSIONAL,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
        data["date_of_birth"] = None
        if any(part is not None for part in parts):
            if any(part is None for part in parts):
                self.add_error("dob_day", "Enter a full date of birth: day, month and year.")
            else:
                try:
                    data["date_of_birth"] = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
                except ValueError:
                    self.add_error("dob_day", "Date of birth must be a real date.")
        return data


class MemberForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who are you adding?",
        choices=CircleMember.Kind.choices,
        widget=forms.RadioSelect,
        initial=CircleMember.Kind.PROFESSIONAL,
    )
    user = forms.ModelChoiceField(
        label="Professional",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
        help_text="Anyone in the directory, from any organisation",
    )
    role = forms.ChoiceField(
        label="Their role in the circle",
        choices=[("", "Choose a role")]
        + [(v, label) for v, label in PROFESSIONAL_ROLES if v != CircleMember.Role.LEAD_PROFESSIONAL],
        required=False,
        help_text="To make them the lead professional, add them first, then choose “Make lead”.",
    )
    name = forms.CharField(label="Name", max_length=200, required=False)
    relationship = forms.CharField(
        label="Relationship to the client",
        max_length=100,
        required=False,
        help_text="For example, sister or neighbour",
    )
    family_role = forms.ChoiceField(label="Role", choices=FAMILY_ROLE_CHOICES, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, organisation__isnull=False)
            .select_related("organisation")
            .order_by("full_name")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name} — {u.job_title or 'Professional'}, {u.organisation}"
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("kind") == CircleMember.Kind.FAMILY:
            data["role"] = data.get("family_role") or ""
        elif data.get("kind") == CircleMember.Kind.PROFESSIONAL:
            if not data.get("user"):
                self.add_error("user", "Choose a professional from the directory.")
            if not data.get("role"):
                self.add_error("role", "Choose their role in the circle.")
        return data
