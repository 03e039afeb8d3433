"""Every kind of change, declared once: its name, what it is, who it concerns, and its event's payload.

One name serves both records of a change: the audit row's `action` and the outbox event's `type` (the
audit's spelling, since audit rows are history that stays). An app declares its changes in its own
`changes.py` and registers them here; audit rows and events with a name not in the catalogue are refused,
and an event's payload must match the type its change declares (checked as it is published).

In the manner of Zulip's zerver/lib/event_types.py, where each event has one schema that the sender and
the tests share.
"""

import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

NAME = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
MAX_NAME = 60  # AuditEvent.action and Event.type


class UnknownChange(LookupError):
    """A name that is not in the catalogue (or an event for a change that is never published)."""


class BadPayload(TypeError):
    """An event's payload that does not match its change's declared payload type."""


@dataclass(frozen=True)
class Change:
    name: str  # "circle.member_add": the audit row's action and the event's type
    means: str  # what it is, in words
    payload: type | None = None  # a TypedDict: the event's payload; None means audited, never published
    changes_access: bool = (
        False  # after it, every open socket on the client re-checks what its person may see
    )
    is_read: bool = False  # someone looked at (part of) a record: audited, never published

    def __post_init__(self) -> None:
        if not NAME.match(self.name) or len(self.name) > MAX_NAME:
            raise ValueError(
                f"A change is named like 'noun.verb' in at most {MAX_NAME} characters: {self.name!r}"
            )
        if self.payload is not None and not is_typeddict(self.payload):
            raise TypeError(f"{self.name}: the payload is declared as a TypedDict")
        if self.is_read and (self.payload is not None or self.changes_access):
            raise ValueError(f"{self.name}: a read changes nothing and is never published")

    @property
    def is_published(self) -> bool:
        return self.payload is not None


class Catalogue:
    def __init__(self) -> None:
        self._changes: dict[str, Change] = {}

    def register(self, *changes: Change) -> None:
        for change in changes:
            known = self._changes.get(change.name)
            if known is not None and known != change:
                raise ValueError(f"Two changes are called {change.name!r}")
            self._changes[change.name] = change

    def get(self, name: str) -> Change:
        try:
            return self._changes[name]
        except KeyError:
            raise UnknownChange(f"{name!r} is not in the catalogue of changes") from None

    def __contains__(self, name: object) -> bool:
        return name in self._changes

    def __iter__(self) -> Iterator[Change]:
        return iter(self._changes.values())

    def access_changing(self) -> frozenset[str]:
        return frozenset(change.name for change in self if change.changes_access)

    def reads(self) -> frozenset[str]:
        return frozenset(change.name for change in self if change.is_read)

    def check_audited(self, name: str) -> None:
        self.get(name)

    def check_published(self, name: str, payload: Mapping[str, Any]) -> None:
        change = self.get(name)
        if change.payload is None:
            raise UnknownChange(f"{name!r} is audited, never published")
        check_payload(change.payload, payload, where=name)


catalogue = Catalogue()


def register(*changes: Change) -> None:
    catalogue.register(*changes)


def check_payload(declared: type, value: Any, *, where: str) -> None:
    """Raise BadPayload unless `value` (as it would come back from JSON) matches the TypedDict `declared`."""
    if not isinstance(value, dict):
        raise BadPayload(f"{where}: the payload is a JSON object, not {type(value).__name__}")
    hints = get_type_hints(declared)
    required: frozenset[str] = getattr(declared, "__required_keys__", frozenset())
    missing = required - value.keys()
    extra = value.keys() - hints.keys()
    if missing or extra:
        raise BadPayload(f"{where}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    for key, item in value.items():
        if not _matches(item, hints[key]):
            raise BadPayload(f"{where}: {key} = {item!r} is not {hints[key]}")


def _matches(value: Any, hint: Any) -> bool:
    origin = get_origin(hint)
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    if origin in (Union, types.UnionType):
        return any(_matches(value, arg) for arg in get_args(hint))
    if origin in (typing.NotRequired, typing.Required):
        return _matches(value, get_args(hint)[0])
    if origin is Literal:
        return value in get_args(hint)
    if origin is list:
        (item,) = get_args(hint)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if is_typeddict(hint):
        try:
            check_payload(hint, value, where="")
        except BadPayload:
            return False
        return True
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    raise TypeError(
        f"A payload field of type {hint} cannot be checked; use int, str, bool, float, list, None"
    )
