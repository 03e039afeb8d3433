"""Reminder kinds: a registry each app adds to when Django starts.

A kind says what it reminds people of and how to find every reminder due on a day, for everyone at once
(a fixed number of queries however many clients there are). The daily scan asks every registered kind;
reminders never imports the apps that register (referrals, conferences, assessments sit above it).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


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
    collect: Callable[[datetime.date], Iterable[Reminder]] = field(compare=False)
    default: str = Delivery.DIGEST
    for_portal: bool = False  # offered to clients and family in the portal


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
