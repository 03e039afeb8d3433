"""Forms for the client pages. They parse and check shape; services decide and write."""

import datetime
from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils import timezone

from circles.models import CircleMember, Client, Consent
from circles.services import FAMILY_ROLES
from network.fields import CleanCharField
from network.models import Organisation, User

PROFESSIONAL_ROLES = [
    (value, label) for value, label in CircleMember.Role.choices if value not in FAMILY_ROLES
]
FAMILY_ROLE_CHOICES = [(value, label) for value, label in CircleMember.Role.choices if value in FAMILY_ROLES]


class ClientForm(forms.Form):
    given_name = CleanCharField(label="First name", max_length=100)
    family_name = CleanCharField(label="Last name", max_length=100)
    preferred_name = CleanCharField(
        label="Preferred name (optional)",
        max_length=100,
        required=False,
        help_text="What they like to be called",
    )
    dob_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    dob_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    dob_year = forms.IntegerField(label="Year", required=False, min_value=1900, max_value=2200)
    pronouns = CleanCharField(label="Pronouns (optional)", max_length=40, required=False)
    language = CleanCharField(label="Preferred language (optional)", max_length=60, required=False)
    phone = CleanCharField(label="Phone (optional)", max_length=40, required=False)
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
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label="Their role in the circle",
        choices=[("", "Choose a role")]
        + [(v, label) for v, label in PROFESSIONAL_ROLES if v != CircleMember.Role.LEAD_PROFESSIONAL],
        required=False,
        help_text="To make them the lead professional, add them first, then choose “Make lead”.",
    )
    name = CleanCharField(label="Name", max_length=200, required=False)
    relationship = CleanCharField(
        label="Relationship to the client",
        max_length=100,
        required=False,
        help_text="For example, sister or neighbour",
    )
    family_role = forms.ChoiceField(label="Role", choices=FAMILY_ROLE_CHOICES, required=False)
    phone = CleanCharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email", required=False)

    def __init__(self, *args, found: Sequence[User] = (), **kwargs) -> None:
        """`found`: the people a directory search found, offered as choices. Anyone active in the directory
        is accepted (checked by id), but only these are listed: the directory is far too long to show."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(
            is_active=True, organisation__isnull=False
        )
        self.fields["user"].widget.choices = [(person.pk, self.describe(person)) for person in found]

    @staticmethod
    def describe(person: User) -> str:
        return f"{person.full_name} — {person.job_title or 'Professional'}, {person.organisation}"

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


DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y"]


class MemberHideForm(forms.Form):
    """Hide a member from everyone outside the circle, with the reason the circle will see."""

    hidden = forms.TypedChoiceField(
        choices=[("yes", "Hide them"), ("no", "Stop hiding them")],
        coerce=lambda value: value == "yes",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label="Why must they be hidden?",
        help_text="The circle sees this. For example: domestic abuse adviser; the client's safety depends on it.",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinRequestForm(forms.Form):
    role = forms.ChoiceField(
        label="Your role with this person",
        choices=[("", "Choose a role")]
        + [(v, label) for v, label in PROFESSIONAL_ROLES if v != CircleMember.Role.LEAD_PROFESSIONAL],
    )
    reason = CleanCharField(
        label="Why do you need to join?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The lead professional reads this to decide. For example: I met Grace at the housing office today.",
        error_messages={"required": "Say why you need to join, so the lead professional can decide."},
    )


class EmergencyAccessForm(forms.Form):
    reason = CleanCharField(
        label="Why do you need to see this record now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The lead professional is told straight away, and this reason is kept in the audit.",
        error_messages={"required": "Say why you need to see this record now."},
    )


class _FamilyMemberField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CircleMember) -> str:
        return f"{obj.name} ({obj.relationship or obj.get_role_display()})"


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(
        label="What did they agree to?", choices=Consent.Scope.choices, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        label="Which organisation? (for a named organisation)",
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
    )
    family_member = _FamilyMemberField(
        label="Who may see the portal? (for family portal access)",
        queryset=CircleMember.objects.none(),
        required=False,
        empty_label="Choose a family member or carer",
    )
    method = forms.ChoiceField(
        label="How did they agree?", choices=Consent.Method.choices, widget=forms.RadioSelect
    )
    given_by = CleanCharField(
        label="Who gave consent?", max_length=200, help_text="For example, the client, or their mother"
    )
    given_on = forms.DateField(
        label="Date given",
        input_formats=DATE_FORMATS,
        help_text="For example, 27/3/2026",
        error_messages={"invalid": "Enter the date like 27/3/2026."},
    )
    expires_on = forms.DateField(
        label="Review or end date (optional)",
        input_formats=DATE_FORMATS,
        required=False,
        help_text="Leave empty if it lasts until withdrawn",
        error_messages={"invalid": "Enter the date like 27/3/2027."},
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["family_member"]).queryset = CircleMember.objects.filter(
            client=client, kind=CircleMember.Kind.FAMILY, until=None
        )
        self.fields["given_on"].initial = timezone.localdate().strftime("%d/%m/%Y")


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label="Move the case to", choices=Client.Stage.choices, widget=forms.RadioSelect
    )
    reason = CleanCharField(
        label="Why?",
        max_length=500,
        help_text="For example: the plan is agreed, so support starts.",
        error_messages={"required": "Say why the case is moving on (or back)."},
    )
    outcome = forms.ChoiceField(
        label="If you are closing it: how did it end?",
        choices=[(v, label) for v, label in Client.Outcome.choices if v != Client.Outcome.UNKNOWN],
        required=False,
        widget=forms.RadioSelect,
    )


class ReopenForm(forms.Form):
    stage = forms.ChoiceField(
        label="Reopen it at",
        choices=[(v, label) for v, label in Client.Stage.choices if v != Client.Stage.CLOSED],
        initial=Client.Stage.ASSESSMENT,
        widget=forms.RadioSelect,
    )
    reason = CleanCharField(
        label="Why reopen it?",
        max_length=500,
        error_messages={"required": "Say why the case is being reopened."},
    )
