import json

from django import forms

from assessments.models import Assessment
from circles.models import Client, Visibility
from network.fields import CleanCharField
from network.models import User


class StartForm(forms.Form):
    instrument = forms.ChoiceField(
        label="Which instrument?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an instrument."},
    )
    completed_by = forms.ChoiceField(
        label="Who is completing it?",
        choices=[c for c in Assessment.By.choices if c[0] != Assessment.By.CLIENT],
        initial=Assessment.By.PRACTITIONER,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Visibility.choices,
        initial=Visibility.CIRCLE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, client: Client, author: User, versions: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [  # type: ignore[attr-defined]
            (v.instrument.code, f"{v.definition['name']}: {v.definition['summary']}") for v in versions
        ]
        people = User.objects.filter(
            circle_memberships__client=client, circle_memberships__until=None
        ).exclude(pk=author.pk)
        self.fields["named_people"] = forms.ModelMultipleChoiceField(
            label="Who can see it? (for “named people only”)",
            queryset=people.select_related("organisation").order_by("full_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class AmendForm(forms.Form):
    reason = CleanCharField(
        label="Why are you amending it?",
        max_length=500,
        help_text="For example: I chose the wrong answer for question 3.",
        error_messages={"required": "Say why you are amending this assessment."},
    )


def answers_from(data, definition: dict) -> dict:
    """The answers in a posted assessment form: score-<code> and narrative-<code> for each question."""
    answers = {}
    for item in definition["items"]:
        code = item["code"]
        score = data.get(f"score-{code}")
        narrative = data.get(f"narrative-{code}", "")
        if score is None and not narrative:
            continue
        answers[code] = {"score": score if score not in (None, "") else None, "narrative": narrative}
    return answers


class InstrumentForm(forms.Form):
    """An instrument in plain fields: lists are written one per line, so an agency admin needs no JSON."""

    code = forms.SlugField(
        label="Code", max_length=40, help_text="Short, lower case, with hyphens, for example: our-money-check"
    )
    name = CleanCharField(label="Name", max_length=100)
    summary = CleanCharField(label="What it is, in a sentence", max_length=500, required=False)
    question = CleanCharField(
        label="The question asked before the items (optional)", max_length=500, required=False
    )
    scale_min = forms.IntegerField(label="Lowest score", min_value=0, max_value=100)
    scale_max = forms.IntegerField(label="Highest score", min_value=1, max_value=100)
    scale_labels = forms.CharField(
        label="Words for scores (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, like: 0 = Not at all",
    )
    scoring = forms.ChoiceField(
        label="Scoring",
        choices=[("sum", "Add the items up into one total"), ("each", "Score each item on its own")],
        widget=forms.RadioSelect,
    )
    direction = forms.ChoiceField(
        label="Which way is better?",
        choices=[("higher_is_better", "Higher is better"), ("lower_is_better", "Lower is better")],
        widget=forms.RadioSelect,
    )
    items = forms.CharField(
        label="Items",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line: code | the words | narrative (none, optional or required). For example: "
        "home | Home: a safe place to live | required",
    )
    bands = forms.CharField(
        label="Score bands",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One a line, lowest first: from-to = label. For example: 0-4 = Minimal",
    )
    meaningful_change = forms.IntegerField(label="The smallest change that matters", min_value=1)
    completed_by = forms.MultipleChoiceField(
        label="Who may complete it?",
        choices=[c for c in Assessment.By.choices],
        widget=forms.CheckboxSelectMultiple,
    )
    reassess_days = forms.IntegerField(
        label="Days between assessments (0 for none)", min_value=0, max_value=3650, initial=0
    )
    licence = CleanCharField(
        label="Licence and attribution",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def to_definition(self) -> dict:
        """The definition these fields describe (checked again, fully, by the service)."""
        data = self.cleaned_data
        labels = {}
        for n, line in enumerate(_lines(data.get("scale_labels", "")), start=1):
            score, _, words = line.partition("=")
            if not score.strip().isdigit() or not words.strip():
                self.add_error("scale_labels", f"Line {n}: write it like 0 = Not at all.")
                continue
            labels[score.strip()] = words.strip()
        items = []
        for n, line in enumerate(_lines(data.get("items", "")), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) not in (2, 3):
                self.add_error("items", f"Line {n}: write it like code | the words | required.")
                continue
            items.append(
                {"code": parts[0], "text": parts[1], "narrative": parts[2] if len(parts) == 3 else "none"}
            )
        bands = []
        for n, line in enumerate(_lines(data.get("bands", "")), start=1):
            span, _, label = line.partition("=")
            low, _, high = span.partition("-")
            if not (low.strip().isdigit() and high.strip().isdigit() and label.strip()):
                self.add_error("bands", f"Line {n}: write it like 0-4 = Minimal.")
                continue
            bands.append({"from": int(low), "to": int(high), "label": label.strip()})
        return {
            "code": data.get("code", ""),
            "name": data.get("name", ""),
            "summary": data.get("summary", ""),
            "question": data.get("question", ""),
            "scale": {
                "code": "scale",
                "min": data.get("scale_min"),
                "max": data.get("scale_max"),
                "labels": labels,
            },
            "scoring": data.get("scoring"),
            "direction": data.get("direction"),
            "items": items,
            "bands": bands,
            "meaningful_change": data.get("meaningful_change"),
            "flags": [],
            "completed_by": data.get("completed_by", []),
            "reassess_days": data.get("reassess_days") or 0,
            "licence": data.get("licence", ""),
        }

    @staticmethod
    def initial_from(definition: dict) -> dict:
        scale = definition["scale"]
        return {
            "code": definition["code"],
            "name": definition["name"],
            "summary": definition.get("summary", ""),
            "question": definition.get("question", ""),
            "scale_min": scale["min"],
            "scale_max": scale["max"],
            "scale_labels": "\n".join(f"{k} = {v}" for k, v in scale.get("labels", {}).items()),
            "scoring": definition["scoring"],
            "direction": definition["direction"],
            "items": "\n".join(
                f"{i['code']} | {i['text']} | {i.get('narrative', 'none')}" for i in definition["items"]
            ),
            "bands": "\n".join(f"{b['from']}-{b['to']} = {b['label']}" for b in definition["bands"]),
            "meaningful_change": definition["meaningful_change"],
            "completed_by": definition["completed_by"],
            "reassess_days": definition.get("reassess_days", 0),
            "licence": definition.get("licence", ""),
        }


# Where a definition's error paths land among InstrumentForm's fields.
FIELD_FOR_PATH = {
    "scale": "scale_min",
    "items": "items",
    "bands": "bands",
    "flags": None,
    "completed_by": "completed_by",
}


def form_field_for(path: str) -> str | None:
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in FIELD_FOR_PATH:
        return FIELD_FOR_PATH[head]
    return head or None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PackForm(forms.Form):
    pack = forms.CharField(
        label="The pack (JSON)",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        required=False,
        help_text="Paste it here, or choose the file below.",
    )
    file = forms.FileField(label="Or choose a pack file", required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        text = data.get("pack") or ""
        upload = data.get("file")
        if upload is not None:
            if upload.size > 1_000_000:
                raise forms.ValidationError("A pack is at most 1 MB.")
            text = upload.read().decode("utf-8", errors="replace")
        if not text.strip():
            raise forms.ValidationError("Paste a pack or choose a pack file.")
        try:
            data["parsed"] = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(f"This is not JSON: {exc}") from None
        data["text"] = text
        return data
