"""The page side of co-editing: a form that sends only what the person changed, from the version they
opened it at; and, if someone saved the same field first, the form again with both values and a choice
for each clash: keep theirs, keep mine, or (for free text) merge them by hand.

The form posts, besides its fields, `base_version`, `original_<field>` (each field as it was when the
form was opened) and, after a clash, `resolve_<field>` ("theirs", "mine" or "merge") and `merge_<field>`.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from coedit.edits import StaleEdit
from coedit.fields import VersionedFields, stored

NO_VERSION = (
    "This form did not say which version you changed, so nothing was saved. "
    "Reload the page and make your change again."
)


def as_text(value: Any) -> str:
    """Form values and stored values in one shape, to tell which fields the person actually changed."""
    if hasattr(value, "pk"):
        return str(value.pk)
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass
class EditPage:
    """What to show after one round of the edit form, or `saved` if there is nothing more to show."""

    item: Any
    form: forms.Form
    base_version: int
    originals: dict[str, str]  # each field as the person first saw it, posted back with the form
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    saved: bool = False


def edit_with_merge(
    request: HttpRequest,
    item: Any,
    *,
    fields: VersionedFields,
    form_class: type[forms.Form],
    form_kwargs: Mapping[str, Any],
    save: Callable[[dict[str, Any], int], Any],
    reread: Callable[[], Any],
    add_errors: Callable[[forms.Form, ValidationError], None],
    name_of: Callable[[Any], str],
    shown: Mapping[str, Callable[[Any], str]] | None = None,
) -> EditPage:
    """One round of editing `item` with `form_class` (whose fields are co-edited `fields`).

    `save(changes, base_version)` writes (raising StaleEdit or ValidationError); `reread()` fetches the
    item as it is now; `add_errors` puts a ValidationError on the form; `name_of(account)` is who made a
    clashing change as the app lets this person know them (a hidden member is not named to someone
    outside the circle); `shown` gives the words for values only the app can name (a person, from their
    id) in the clash rows.
    """
    prefix = f"{type(item).__name__.lower()}{item.pk}"  # several items can be open for editing on one page
    make_form: Callable[..., forms.Form] = partial(form_class, prefix=prefix, **form_kwargs)
    names = list(form_class.base_fields)
    initial = fields.form_values(item, names)
    current = {name: as_text(value) for name, value in initial.items()}
    if request.method != "POST":
        return EditPage(item, make_form(initial=initial), item.version, current)

    form = make_form(request.POST)
    originals = {name: request.POST.get(f"original_{name}", current.get(name, "")) for name in form.fields}
    base_version = _version(request.POST.get("base_version"))
    if base_version is None:
        # Without the version the form was opened at, a change cannot be told from an overwrite of someone
        # else's: nothing is saved (the API asks for If-Match in the same way).
        form.add_error(None, NO_VERSION)
        return EditPage(item, form, item.version, originals)
    if not form.is_valid():
        return EditPage(item, form, base_version, originals)
    # Only what this person changed since they opened the form is saved. A field the post does not carry
    # at all was not on the form sent (an unticked box is absent, so those are read as sent).
    sent = {
        name
        for name, form_field in form.fields.items()
        if form.add_prefix(name) in request.POST
        or isinstance(form_field, forms.BooleanField | forms.MultipleChoiceField)
    }
    changes = {
        name: value
        for name, value in form.cleaned_data.items()
        if name in sent and as_text(value) != originals[name]
    }
    for name in list(changes):
        choice = request.POST.get(f"resolve_{name}")
        if choice == "theirs":
            changes.pop(name)
        elif choice == "merge":
            changes[name] = request.POST.get(f"merge_{name}", "")
    if not changes:
        return EditPage(item, form, base_version, originals, saved=True)
    try:
        save(changes, base_version)
    except StaleEdit as stale:
        fresh = reread()
        fresh_values = {name: as_text(value) for name, value in fields.form_values(fresh, names).items()}
        # Start again from what it says now, keeping this person's own changes, and ask about the clashes.
        values = fresh_values | {name: as_text(value) for name, value in changes.items()}
        form = make_form(_as_posted(form_class, values, prefix))
        form.is_valid()
        rows = [
            _clash(form, fields, name, details, changes.get(name), shown or {}, name_of)
            for name, details in stale.conflicts.items()
        ]
        return EditPage(fresh, form, fresh.version, fresh_values, rows)
    except ValidationError as exc:
        add_errors(form, exc)
        return EditPage(item, form, base_version, originals)
    return EditPage(item, form, base_version, originals, saved=True)


def _version(text: str | None) -> int | None:
    """The version the form was opened at: a plain whole number (not int(), which reads "²" as no number
    and refuses 5,000 digits), or None. (The engine imports no app, so not network.text.whole_number.)"""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def _as_posted(form_class: type[forms.Form], values: dict[str, str], prefix: str) -> dict[str, str]:
    """Values as a browser would post them (an unticked checkbox is simply absent)."""
    data = {}
    for name, value in values.items():
        if not isinstance(form_class.base_fields.get(name), forms.BooleanField):
            data[f"{prefix}-{name}"] = value
        elif value == "True":
            data[f"{prefix}-{name}"] = "on"
    return data


def _clash(
    form: forms.Form,
    fields: VersionedFields,
    name: str,
    details: dict[str, Any],
    mine: Any,
    shown: Mapping[str, Callable[[Any], str]],
    name_of: Callable[[Any], str],
) -> dict[str, Any]:
    """One clash for the page: the field, their value (who saved it, and when), mine, and whether they can
    be merged."""
    theirs, mine_shown = details["current"], as_text(mine)
    if name in shown:
        theirs, mine_shown = shown[name](theirs), shown[name](stored(mine) if mine else None)
    mergeable = fields[name].is_text
    form_field = form.fields.get(name)
    return {
        "name": name,
        "label": form_field.label if form_field else fields.label(name),
        "theirs": "" if theirs is None else theirs,
        "mine": mine_shown,
        "by": name_of(details["by"]),
        "at": datetime.datetime.fromisoformat(details["at"]),
        "mergeable": mergeable,
        "merged": f"{details['current']}\n{as_text(mine)}" if mergeable else "",  # to edit: as they are
    }
