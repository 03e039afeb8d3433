"""First names, for reminders and emails: a formatting step only. Whether a person may be named at all
is the access policy's decision (circles.access.person_label); shorten only a name it has let through.
"""

from typing import Any


def client_first_name(client: Any) -> str:
    """A client as a reminder or an email names them: their first name (the one they prefer), no more."""
    return first_name(client.given_name, getattr(client, "preferred_name", ""))


def first_name(given_name: str, preferred_name: str = "") -> str:
    return (preferred_name or given_name).split(" ")[0]
