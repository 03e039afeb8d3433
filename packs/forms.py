import json
from typing import Any

from django import forms

MAX_BYTES = 2_000_000


class PackForm(forms.Form):
    """A pack, uploaded as a file or pasted; read as JSON (a byte-order mark is allowed)."""

    file = forms.FileField(label="Choose a pack file", required=False)
    pack = forms.CharField(
        label="Or paste the pack (JSON)",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
    )
    preview = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError("A pack is at most 2 MB.")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "The file is not text in UTF-8. Save it as UTF-8 and try again."
                ) from None
        else:
            text = (data.get("pack") or "").removeprefix("\ufeff")
            if len(text.encode()) > MAX_BYTES:
                raise forms.ValidationError("A pack is at most 2 MB.")
        if not text.strip():
            raise forms.ValidationError("Choose a pack file, or paste a pack.")
        try:
            data["parsed"] = json.loads(text)
        except ValueError as exc:
            where = (
                f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            )
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise forms.ValidationError(
                f"This is not a pack: it is not valid JSON{where}: {message}."
            ) from None
        data["text"] = text
        return data
