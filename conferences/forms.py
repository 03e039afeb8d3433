import datetime
from typing import Any

from django import forms
from django.utils import timezone

from conferences.models import Contribution, Invitation, MeetingType, Panel
from conferences.services import FAR_AHEAD, MOST_AHEAD
from network.fields import CleanCharField
from network.models import User


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(forms.Form):
    type = forms.ModelChoiceField(
        label="Kind of meeting", queryset=MeetingType.objects.all(), empty_label=None
    )
    title = CleanCharField(label="Title", max_length=200, help_text="For example “Risk panel, March”.")
    date = forms.DateField(label="Date", widget=DateInput)
    time = forms.TimeField(label="Time", widget=TimeInput)
    duration_minutes = forms.IntegerField(label="How long (minutes)", initial=90, min_value=10, max_value=480)
    place = CleanCharField(label="Where (optional if there is a video link)", max_length=300, required=False)
    video_link = forms.URLField(label="Video link (optional)", required=False)
    minute_taker = forms.EmailField(label="Minute-taker's work email (optional)", required=False)

    def __init__(self, *args, panels, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"] = forms.ModelChoiceField(
            label="Panel (optional)", queryset=panels, required=False, empty_label="No panel"
        )

    def clean_date(self) -> datetime.date:
        """The service checks the moment again; a date far ahead is refused before it is one (a time zone
        west of Greenwich puts 31 December 9999 past the last moment Python can hold)."""
        day = self.cleaned_data["date"]
        if day > timezone.localdate() + MOST_AHEAD:
            raise forms.ValidationError(FAR_AHEAD)
        return day

    def clean_minute_taker(self) -> User | None:
        email = self.cleaned_data.get("minute_taker")
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, kind=User.Kind.PROFESSIONAL, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Nobody with that email has an Alongside account.")
        return user


class AgendaItemForm(forms.Form):
    client = CleanCharField(label="Client's ID", max_length=20, help_text="Like 7KM3-QXP4.")
    reason = CleanCharField(label="Why the meeting should discuss them", max_length=500)
    slot_minutes = forms.IntegerField(
        label="Time for this item (minutes)", initial=20, min_value=5, max_value=120
    )
    without_consent_reason = CleanCharField(
        label="If they have not agreed: the reason for going ahead without their consent",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ClientAgendaForm(forms.Form):
    """A circle's lead puts their client on a meeting's agenda, from the client page."""

    meeting = forms.TypedChoiceField(
        label="Which meeting",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the meeting.",
            "invalid_choice": "Choose one of the meetings listed.",
        },
    )
    reason = CleanCharField(label="Why the meeting should discuss them", max_length=500)
    slot_minutes = forms.IntegerField(
        label="Time for this item (minutes)", initial=20, min_value=5, max_value=120
    )
    without_consent_reason = CleanCharField(
        label="If they have not agreed: the reason for going ahead without their consent",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = choices  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    minutes = CleanCharField(
        label="Minutes", widget=forms.Textarea(attrs={"rows": 10}), required=False, strip=False
    )


class AmendForm(forms.Form):
    minutes = CleanCharField(label="Minutes", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    reason = CleanCharField(label="Why they are being amended", max_length=500)


class DecisionForm(forms.Form):
    text = CleanCharField(label="What was decided", widget=forms.Textarea(attrs={"rows": 3}))
    dissent = CleanCharField(
        label="Anyone who disagreed (optional): one a line, “Name: why”",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    action_what = CleanCharField(label="Agreed action (optional): what", max_length=500, required=False)
    action_due = forms.DateField(label="By when", widget=DateInput, required=False)

    def __init__(self, *args, present: list[str], owners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"] = forms.MultipleChoiceField(
            label="Who agreed",
            choices=[(name, name) for name in present],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Say who agreed."},
        )
        self.fields["action_owner"] = forms.ChoiceField(
            label="Who does it", choices=[("", "Nobody yet"), *owners], required=False
        )

    def dissents(self) -> list[dict[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("dissent") or "").splitlines():
            name, _colon, reason = line.partition(":")
            if name.strip():
                rows.append({"name": name.strip(), "reason": reason.strip()})
        return rows


class CloseItemForm(forms.Form):
    next_review_on = forms.DateField(label="Next review date", widget=DateInput, required=False)
    close_case = forms.BooleanField(label="Or: the meeting decided to close", required=False)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Will you come?",
        choices=[c for c in Invitation.Answer.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose attending, apologies or sending someone else."},
    )
    deputy_name = CleanCharField(label="If sending someone else: who", max_length=200, required=False)


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is this?",
        choices=[c for c in Contribution.Kind.choices if c[0] != Contribution.Kind.CLIENT_VIEW],
        widget=forms.RadioSelect,
        initial=Contribution.Kind.AGENCY_REPORT,
    )
    facts = CleanCharField(label="Facts: what is known", widget=forms.Textarea(attrs={"rows": 5}))
    opinion = CleanCharField(
        label="Your view: what you think (kept apart from the facts)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class FamilySummaryForm(forms.Form):
    text = CleanCharField(
        label="Summary for the family, in plain words",
        help_text="What was decided, what happens next, and when the next meeting is.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    next_meeting_on = forms.DateField(label="Next meeting (optional)", widget=DateInput, required=False)


class ClientViewForm(forms.Form):
    text = CleanCharField(label="What I want the meeting to know", widget=forms.Textarea(attrs={"rows": 6}))


def panels_chaired_by(user: User):
    return Panel.objects.filter(members__user=user, members__role="chair", members__until=None)


class PackNoteForm(forms.Form):
    note = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("add", "Put in the pack"), ("remove", "Take out of the pack")])
