"""Versioned writes: every saved change raises the item's version and leaves one history row per field.

A writer says which version they started from. If a change made since then touched one of the fields
they are changing, the write is refused with `StaleEdit`, which carries the newer values, so the writer
can see them and choose. Changes to other fields of the same item never conflict.

The item is a model instance with an integer `version`; its history is any model with the columns of
`coedit.models.FieldChange`. Both are the app's: this module is given them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q

from coedit.fields import VersionedFields, stored

Between = TypeVar("Between")


class StaleEdit(Exception):
    """The writer started from an older version and someone has since changed the same field(s).

    `conflicts` maps each such field to {"current": value now, "by": who changed it, "at": when}; `mine`
    maps it to the value the refused writer sent. Both as history keeps them. "by" is the account, not a
    name: what the refused writer may call that person is the app's rule (a hidden member is not named to
    someone outside the circle), so the page and the API name them through the `name_of` they are given.
    """

    def __init__(
        self, item: Any, conflicts: dict[str, dict[str, Any]], mine: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{type(item).__name__} {item.pk} changed since you started: {', '.join(conflicts)}")
        self.item = item
        self.conflicts = conflicts
        self.mine = mine or {}

    @property
    def theirs(self) -> dict[str, Any]:
        return {name: conflict["current"] for name, conflict in self.conflicts.items()}


class NoSuchVersion(ValidationError):
    """The writer named a version the item never had (0, or one newer than it is now). A ValidationError,
    so a page shows it on the form like any bad input; the API answers it as a 412. Raised by `edit_apply`,
    after the service has checked the writer may change the item at all: 403 always comes before it."""

    def __init__(self, item: Any) -> None:
        super().__init__({"version": "That version of the item does not exist."})
        self.item = item


@dataclass(frozen=True)
class History:
    """Where one item's changes are kept: the change model, the columns that tie a row to the item
    (which also find its rows), and any more columns a new row needs."""

    model: type[Any]  # a concrete model with the columns of coedit.models.FieldChange
    item: Mapping[str, Any]  # e.g. {"goal": goal}
    also: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"plan": plan}

    def record(self, *, field: str, old: Any, new: Any, version: int, actor: Any) -> None:
        self.model._default_manager.create(
            **self.also, **self.item, field=field, old_value=old, new_value=new, version=version, actor=actor
        )

    def conflicts_since(self, current: Any, fields: VersionedFields, version: int, names: list[str]) -> dict:
        """Changes made after `version` to any of `names`: what each field says now, who (the account)
        changed it last, when."""
        newer = (
            self.model._default_manager.filter(**self.item, version__gt=version, field__in=names)
            .select_related("actor")
            .order_by("version")
        )
        return {
            change.field: {
                "current": fields[change.field].value_of(current),
                "by": change.actor,
                "at": change.at.isoformat(),
            }
            for change in newer
        }


@dataclass(frozen=True)
class Edit:
    """What an applied edit changed: each field's value before and after, as history keeps them."""

    before: dict[str, Any]
    after: dict[str, Any]


def lock_in_order(
    model: type[Any],
    pk: Any,
    *,
    first: type[Any],
    path: str,
    then: Callable[[Any], Between],
    only: Callable[[Between], Q] | None = None,
) -> tuple[Any, Between, Any]:
    """Take a write's locks in the one order every writer of this group uses: `first` (found from the
    item by `path`), then whatever `then` locks and checks, then the item itself. `only(between)`, if
    given, is a filter the item must pass (say, what the writer may see), checked by the same statement
    that locks it: `model.DoesNotExist` otherwise.

    Two writers that lock in the same order never each hold what the other waits for. Locking the item
    first would deadlock, say, a move (which locks the neighbour it swaps with) against an edit of that
    neighbour.
    """
    try:
        top = first._default_manager.select_for_update(of=("self",)).get(**{path: pk})
    except first.DoesNotExist:
        raise model.DoesNotExist(f"No {model.__name__.lower()} {pk}") from None
    between = then(top)
    items = model._default_manager.select_for_update()
    if only is not None:
        items = items.filter(only(between))
    return top, between, items.get(pk=pk)


def edit_apply(
    item: Any,
    *,
    fields: VersionedFields,
    values: Mapping[str, Any],
    base_version: int,
    actor: Any,
    history: History,
    also: Mapping[str, Any] | None = None,
) -> Edit | None:
    """Apply `values`, edited from `base_version`, to `item` (locked by the caller, in a transaction).

    Fields already holding the value are left alone. StaleEdit if a change since `base_version` touched a
    field being changed; None if nothing needed changing; otherwise the item is saved with its version
    raised by one, and one history row per changed field carries that version. `also` sets more columns
    in the same UPDATE when something changed (e.g. {"updated_at": now}); they are not history.
    """
    changed = {name: value for name, value in values.items() if fields[name].value_of(item) != stored(value)}
    if not isinstance(base_version, int) or base_version < 1 or base_version > item.version:
        raise NoSuchVersion(item)
    if base_version < item.version and changed:
        conflicts = history.conflicts_since(item, fields, base_version, list(changed))
        if conflicts:
            raise StaleEdit(item, conflicts, mine={name: stored(changed[name]) for name in conflicts})
    if not changed:
        return None
    before = {name: fields[name].value_of(item) for name in changed}
    columns: list[str] = []
    for name, value in changed.items():
        columns.extend(fields[name].set_on(item, value))
    for column, value in (also or {}).items():
        setattr(item, column, value)
        columns.append(column)
    item.version += 1
    item.save(update_fields=[*columns, "version"])
    after = {name: fields[name].value_of(item) for name in changed}
    for name in changed:
        history.record(field=name, old=before[name], new=after[name], version=item.version, actor=actor)
    return Edit(before=before, after=after)
