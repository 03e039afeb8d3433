"""The co-editing engine: versioned fields, stale-write detection against a per-field history, and the
page's and the API's sides of it. Used by the plan (goals and actions); made for anything people edit
together live.

It imports nothing of the apps that use it (only Django, DRF and the standard library): an app passes
in its models, its history and its words.

- `coedit.fields`: which fields of a model are co-edited, their labels, their values in words.
- `coedit.edits`: `StaleEdit`, `NoSuchVersion`, `History`, `lock_in_order`, `edit_apply`.
- `coedit.models`: `FieldChange`, the abstract columns of a per-field history.
- `coedit.pages`: the edit form's round trip (keep theirs / keep mine / merge).
- `coedit.api`: ETag, If-Match, 428 and 412 for DRF views.
"""

from coedit.edits import Edit, History, NoSuchVersion, StaleEdit, edit_apply, lock_in_order
from coedit.fields import VersionedField, VersionedFields, stored

__all__ = [
    "Edit",
    "History",
    "NoSuchVersion",
    "StaleEdit",
    "VersionedField",
    "VersionedFields",
    "edit_apply",
    "lock_in_order",
    "stored",
]
