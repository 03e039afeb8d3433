"""Which fields of a model are co-edited: their names, what people call them, and their values in words.

An app declares one `VersionedFields` per co-edited model, once, and the page, the API, the history and
any comparison of saved versions all read it.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

TEXT = "text"  # free text: two people's versions can be merged by hand
DATE = "date"
YES_NO = "yes_no"
CHOICE = "choice"
OTHER = "other"


def stored(value: Any) -> Any:
    """A value as history keeps it, in JSON: a date as ISO text, a row as its id."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


@dataclass(frozen=True)
class VersionedField:
    """One co-edited field.

    `read`, `write` and `initial` are for a field kept in more than one column (say, an owner who is
    either a person or the client): how to read its stored value off the item, how to set it (returning
    the columns written), and the value a form starts from. Without them the field is the attribute.
    """

    name: str
    label: str  # on its own, as a heading or a column: "By when"
    noun: str = ""  # inside a sentence ("changed the date of …"); the label in lower case if not given
    kind: str = OTHER
    choices: tuple[tuple[str, str], ...] = ()
    read: Callable[[Any], Any] | None = None
    write: Callable[[Any, Any], tuple[str, ...]] | None = None
    initial: Callable[[Any], Any] | None = None

    @property
    def in_sentence(self) -> str:
        return self.noun or self.label.lower()

    @property
    def is_text(self) -> bool:
        return self.kind == TEXT

    def value_of(self, item: Any) -> Any:
        """The field's value on `item`, as history keeps it."""
        return self.read(item) if self.read else stored(getattr(item, self.name))

    def set_on(self, item: Any, value: Any) -> tuple[str, ...]:
        """Set the field on `item` (not saved); the columns to save."""
        if self.write:
            return self.write(item, value)
        setattr(item, self.name, value)
        return (self.name,)

    def form_value(self, item: Any) -> Any:
        return self.initial(item) if self.initial else getattr(item, self.name)

    def in_words(self, value: Any) -> str:
        """A stored value as people read it: dates written out, yes or no, a choice's name."""
        if value in (None, ""):
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if self.kind == CHOICE:
            return dict(self.choices).get(value, value)
        if self.kind == DATE:
            try:
                return datetime.date.fromisoformat(value).strftime("%-d %B %Y")
            except (TypeError, ValueError):
                return str(value)
        return str(value)


class VersionedFields(Mapping[str, VersionedField]):
    """The co-edited fields of one model, in order; a mapping from name to `VersionedField`."""

    def __init__(self, *fields: VersionedField) -> None:
        self._fields = {field.name: field for field in fields}

    def __getitem__(self, name: str) -> VersionedField:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def label(self, name: str) -> str:
        """What people call a field; a name that is not a co-edited field is shown as it is."""
        field = self._fields.get(name)
        return field.label if field else name

    def snapshot(self, item: Any) -> dict[str, Any]:
        """Every co-edited field of `item`, as history keeps it."""
        return {name: field.value_of(item) for name, field in self._fields.items()}

    def form_values(self, item: Any, names: Iterator[str] | list[str]) -> dict[str, Any]:
        return {name: self._fields[name].form_value(item) for name in names}

    def in_words(
        self, name: str, value: Any, *, shown: Mapping[str, Callable[[Any], str]] | None = None
    ) -> str:
        """A stored value in words; `shown` gives the words for fields only the app can name (people)."""
        if value in (None, ""):
            return ""
        if shown and name in shown:
            return shown[name](value)
        field = self._fields.get(name)
        return field.in_words(value) if field else VersionedField(name, name).in_words(value)

    def differences(
        self, old: Mapping[str, Any], new: Mapping[str, Any]
    ) -> list[tuple[VersionedField, Any, Any]]:
        """The fields whose values differ between two saved versions (plain dicts), in order."""
        return [
            (field, old.get(name), new.get(name))
            for name, field in self._fields.items()
            if old.get(name) != new.get(name)
        ]
