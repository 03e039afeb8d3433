"""What the dashboard's figures are for: a period (the last 3, 6 or 12 months, or two dates), a team, and
in a partnership view an organisation. The page and the API read it with the same form."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from network.models import Organisation, Team
from reporting.figures import Period

PERIODS = [
    ("3", "Last 3 months"),
    ("6", "Last 6 months"),
    ("12", "Last 12 months"),
    ("dates", "Between two dates"),
]
EARLIEST = datetime.date(2000, 1, 1)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The day after the same date `months` months earlier (the 31st becomes the month's last day)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last)) + datetime.timedelta(days=1)
        except ValueError:
            continue
    raise ValueError(day)


class FiltersForm(forms.Form):
    period = forms.ChoiceField(label="Period", choices=PERIODS, required=False)
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)

    def __init__(
        self, data: Any, *, teams: list[Team], organisations: list[Organisation] | None = None
    ) -> None:
        super().__init__(data)
        # "from" is a keyword in Python: the fields are named as the query string names them.
        self.fields["from"] = forms.DateField(label="From", required=False)
        self.fields["to"] = forms.DateField(label="To", required=False)
        self.teams = {team.pk: team for team in teams}
        cast(forms.TypedChoiceField, self.fields["team"]).choices = [("", "All teams")] + [
            (team.pk, team.name) for team in teams
        ]
        self.organisations = {o.pk: o for o in organisations or []}
        if organisations is not None:
            self.fields["organisation"] = forms.TypedChoiceField(
                label="Organisation",
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "All organisations")] + [(o.pk, o.name) for o in organisations],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        start, end = data.get("from"), data.get("to")
        if self.errors:
            return data
        if data.get("period") == "dates" or start or end:
            end = end or today
            if end > today:
                self.add_error("to", "The end date must be today or in the past.")
            elif start is None:
                self.add_error("from", "Enter the date the period starts.")
            elif start < EARLIEST:
                self.add_error("from", "The start date must be in 2000 or later.")
            elif start > end:
                self.add_error("from", "The start date must be on or before the end date.")
            else:
                data["period_range"] = Period(start, end)
        else:
            months = int(data.get("period") or "3")
            data["period_range"] = Period(months_before(today, months), today)
            data["months"] = months  # a preset: its figures may come from a snapshot
        team = data.get("team")
        data["team_obj"] = self.teams.get(team) if team is not None else None
        organisation = data.get("organisation")
        if organisation is not None and data["team_obj"] is not None:
            if data["team_obj"].organisation_id != organisation:
                self.add_error("team", "Choose a team of the organisation you chose.")
        return data
