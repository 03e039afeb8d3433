"""Text fields for forms and API input that drop a NUL instead of refusing the text.

Django's and DRF's CharField reject a NUL ("Null characters are not allowed"); a stray one pasted from
another system should not stop a practitioner saving a note, so these remove it first (services clean
the other control characters).
"""

from typing import Any

from django import forms
from rest_framework import serializers

from network.text import without_nul


class CleanCharField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(without_nul(value))


class CleanTextInput(serializers.CharField):
    """`cleaned_min_length`: the fewest characters the service accepts once the text is cleaned. The schema
    states it (network.api_schema); the service checks it, in its own words."""

    def __init__(self, *, cleaned_min_length: int = 1, **kwargs: Any) -> None:
        self.cleaned_min_length = cleaned_min_length
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(without_nul(data))

    def run_validation(self, data: Any = serializers.empty) -> Any:
        return super().run_validation(without_nul(data))
