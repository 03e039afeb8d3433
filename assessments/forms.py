import json
import re
from typing import Any

from django import forms

from assessments.models import Assessment
from circles.models import Client, Visibility
from network.fields import CleanCharField
from network.models import User
from network.text import whole_number


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
        help_text="One a line: code | the words | narrative (none, optional or required), and, only for an "
        "item that goes the other way from the instrument, | lower is better (or higher is better). For "
        "example: home | Home: a safe place to live | required",
    )
    bands = forms.CharField(
        label="Score bands",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One a line, lowest first: from-to = label. For example: 0-4 = Minimal",
    )
    item_bands = forms.CharField(
        label="Score bands of single items (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only when each item is scored on its own, for an item whose bands differ from the ones "
        "above. One a line, lowest first: item code | from-to = label. For example: anxious | 0-1 = Very low",
    )
    flags = forms.CharField(
        label="Answers to act on at once (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The worker and the lead are told at once, with what to do. One a line: item code | "
        "above a score | what to do. For example: 9 | above 0 | Talk with them about their safety today.",
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Which line of "Score bands of single items" wrote each item's band: (item code, band n) -> line.
        self.item_band_lines: dict[tuple[str, int], int] = {}

    def to_definition(self) -> dict:
        """The definition these fields describe (checked again, fully, by the service)."""
        data = self.cleaned_data
        labels = {}
        for n, line in enumerate(_lines(data.get("scale_labels", "")), start=1):
            score, _, words = line.partition("=")
            if whole_number(score.strip()) is None or not words.strip():
                self.add_error("scale_labels", f"Line {n}: write it like 0 = Not at all.")
                continue
            labels[score.strip()] = words.strip()
        items: list[dict] = []
        for n, line in enumerate(_lines(data.get("items", "")), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) not in (2, 3, 4):
                self.add_error("items", f"Line {n}: write it like code | the words | required.")
                continue
            item = {"code": parts[0], "text": parts[1], "narrative": parts[2] if len(parts) > 2 else "none"}
            if len(parts) == 4:
                direction = DIRECTION_WORDS.get(parts[3].lower())
                if direction is None:
                    self.add_error(
                        "items", f"Line {n}: the last part is lower is better, or higher is better."
                    )
                    continue
                item["direction"] = direction
            items.append(item)
        bands = []
        for n, line in enumerate(_lines(data.get("bands", "")), start=1):
            band = _band(line)
            if band is None:
                self.add_error("bands", f"Line {n}: write it like 0-4 = Minimal.")
                continue
            bands.append(band)
        by_code = {item["code"]: item for item in items}
        for n, line in enumerate(_lines(data.get("item_bands", "")), start=1):
            code, _, rest = (part.strip() for part in line.partition("|"))
            band = _band(rest)
            if band is None:
                self.add_error("item_bands", f"Line {n}: write it like anxious | 0-1 = Very low.")
            elif code not in by_code:
                self.add_error("item_bands", f"Line {n}: no item is coded {code!r}.")
            else:
                by_code[code].setdefault("bands", []).append(band)
                self.item_band_lines[(code, len(by_code[code]["bands"]) - 1)] = n
        flags = []
        for n, line in enumerate(_lines(data.get("flags", "")), start=1):
            parts = [part.strip() for part in line.split("|")]
            above = whole_number(parts[1].lower().removeprefix("above").strip()) if len(parts) == 3 else None
            if above is None or not parts[2]:
                self.add_error("flags", f"Line {n}: write it like 9 | above 0 | what to do.")
                continue
            flags.append({"item": parts[0], "above": above, "message": parts[2]})
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
            "flags": flags,
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
                f"{i['code']} | {i['text']} | {i.get('narrative', 'none')}"
                + (f" | {DIRECTION_NAMES[i['direction']]}" if "direction" in i else "")
                for i in definition["items"]
            ),
            "bands": "\n".join(f"{b['from']}-{b['to']} = {b['label']}" for b in definition["bands"]),
            "item_bands": "\n".join(
                f"{i['code']} | {b['from']}-{b['to']} = {b['label']}"
                for i in definition["items"]
                for b in i.get("bands", [])
            ),
            "flags": "\n".join(
                f"{f['item']} | above {f['above']} | {f['message']}" for f in definition.get("flags", [])
            ),
            "meaningful_change": definition["meaningful_change"],
            "completed_by": definition["completed_by"],
            "reassess_days": definition.get("reassess_days", 0),
            "licence": definition.get("licence", ""),
        }


DIRECTION_WORDS = {"lower is better": "lower_is_better", "higher is better": "higher_is_better"}
DIRECTION_NAMES = {value: words for words, value in DIRECTION_WORDS.items()}

# Where a definition's error paths land among InstrumentForm's fields.
FIELD_FOR_PATH = {
    "scale": "scale_min",
    "items": "items",
    "bands": "bands",
    "flags": "flags",
    "completed_by": "completed_by",
}
ITEM_BAND = re.compile(r"^items\[(\d+)\]\.bands(?:\[(\d+)\])?")
LINE = re.compile(r"^(items|bands|flags)\[(\d+)\]")


def form_field_for(path: str) -> str | None:
    if ITEM_BAND.match(path):
        return "item_bands"
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in FIELD_FOR_PATH:
        return FIELD_FOR_PATH[head]
    return head or None


def error_in_words(form: InstrumentForm, definition: dict, path: str, error: str) -> str:
    """A service's error at `path` ("items[2].code", "items[3].bands[1].from", "flags[0].item") as the
    admin reads it: the line of the box they wrote it in."""
    item_band = ITEM_BAND.match(path)
    if item_band:
        n = int(item_band.group(1))
        code = definition["items"][n]["code"] if n < len(definition["items"]) else "?"
        band = int(item_band.group(2)) if item_band.group(2) is not None else None
        line = form.item_band_lines.get((code, band)) if band is not None else None
        return f"Line {line} ({code}): {error}" if line else f"Item {code}: {error}"
    line_of = LINE.match(path)
    if line_of:
        return f"Line {int(line_of.group(2)) + 1}: {error}"
    return error


def _band(text: str) -> dict | None:
    """ "0-4 = Minimal" as a band, or None."""
    span, _, label = text.partition("=")
    low_text, _, high_text = span.partition("-")
    low, high = whole_number(low_text.strip()), whole_number(high_text.strip())
    if low is None or high is None or not label.strip():
        return None
    return {"from": low, "to": high, "label": label.strip()}


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
