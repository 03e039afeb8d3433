from typing import cast

from django import forms

from circles.models import Consent
from network.models import Organisation
from referrals.models import Referral


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label="Refer to", queryset=Organisation.objects.none(), empty_label="Choose an organisation"
    )
    service = forms.CharField(
        label="For which service", max_length=200, help_text="For example, tenancy support"
    )
    asked = forms.CharField(label="What are you asking them to do?", widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label="Why?", widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Referral.Urgency.choices,
        initial="routine",
        widget=forms.RadioSelect,
    )
    shares = forms.MultipleChoiceField(
        label="What will be shared with them",
        help_text="The reason is always shared. Hidden members of the circle never are.",
        choices=Referral.Share.choices,
        initial=[Referral.Share.CIRCLE, Referral.Share.NOW],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    now_summary = forms.CharField(
        label="What is true now",
        help_text="Filled in from the record: change it to say only what they need to know.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    # For the lead, when the client has not yet agreed to share with the chosen organisation: record it now.
    consent_method = forms.ChoiceField(
        label="How did they agree?",
        choices=[("", "They have not agreed yet"), *Consent.Method.choices],
        required=False,
    )
    consent_given_by = forms.CharField(
        label="Who agreed",
        help_text="For example, the client, or their parent",
        max_length=200,
        required=False,
    )
    consent_given_on = forms.DateField(
        label="When", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, own_organisation_id: int | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["to_organisation"])
        field.queryset = Organisation.objects.exclude(pk=own_organisation_id or 0).order_by("name")


class HandoverForm(forms.Form):
    to_member = forms.ChoiceField(label="Hand over to", choices=[])
    summary = forms.CharField(
        label="Handover summary",
        help_text="Filled in from what is true now: add what the new lead needs to know.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
