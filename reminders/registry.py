"""Reminder kinds: a registry each app adds to when Django starts.

A kind says what it reminds people of and how to find every reminder due on a day (a fixed number of
queries however many clients there are). The daily scan asks every registered kind; reminders never
imports the apps that register (referrals, conferences, assessments sit above it).

A kind that can be asked about a slice of clients says so (`sliced=True`): its `collect(today, clients=
(low, high))` reads only clients whose id is within low..high (both included), so the scan walks the
clients a slice at a time and its memory stays flat however many reminders a day has; a change to one
client asks for that client alone (`clients=(id, id)`, the "at once" reminders sent on commit). A kind
that cannot (`collect(today)`) is read whole, once a day: keep those for things that stay few (meetings).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

ClientSlice = tuple[int, int]  # client ids low..high, both included


class Delivery:
    AT_ONCE = "at_once"
    DIGEST = "digest"
    OFF = "off"
    CHOICES = ((AT_ONCE, "At once"), (DIGEST, "In the daily digest"), (OFF, "Not at all"))


@dataclass(frozen=True, slots=True)
class Reminder:
    """One thing one person should be told today, in plain words.

    `text` names no more than first names and what is due; `url` is the page to act on it. `client_id`,
    when set, is checked: the person must be able to see that client now (members; the client and family
    in the portal), or the reminder is dropped. A kind about something else the person may see (a referral
    in their inbox) leaves it None and checks access itself.
    """

    kind: str
    user_id: int
    text: str
    url: str
    client_id: int | None = None
    portal: bool = False  # for a client or family member: checked against portal access, not membership


@dataclass(frozen=True)
class ReminderKind:
    name: str  # "action.due": also the preference's key
    label: str  # what a person sees on their preferences page
    # collect(today) or, for a sliced kind, collect(today, clients=(low, high))
    collect: Callable[..., Iterable[Reminder]] = field(compare=False)
    default: str = Delivery.DIGEST
    for_portal: bool = False  # offered to clients and family in the portal
    sliced: bool = False  # collect takes clients=(low, high): see the module's docstring

    def reminders(self, today: datetime.date, clients: ClientSlice | None) -> Iterable[Reminder]:
        """This kind's reminders of the day: for the slice of clients if it is sliced (all of them, once,
        if it is not: then `clients` None)."""
        kwargs: dict[str, Any] = {"clients": clients} if self.sliced else {}
        return self.collect(today, **kwargs)


class Registry:
    def __init__(self) -> None:
        self._kinds: dict[str, ReminderKind] = {}

    def register(self, *kinds: ReminderKind) -> None:
        for kind in kinds:
            known = self._kinds.get(kind.name)
            if known is not None and known != kind:
                raise ValueError(f"Two reminder kinds are called {kind.name!r}")
            self._kinds[kind.name] = kind

    def get(self, name: str) -> ReminderKind:
        return self._kinds[name]

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[ReminderKind]:
        return iter(sorted(self._kinds.values(), key=lambda kind: kind.name))


registry = Registry()


def register(*kinds: ReminderKind) -> None:
    registry.register(*kinds)
