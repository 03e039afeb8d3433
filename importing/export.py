"""The organisation's clients as CSV, in the import's columns (so a file exported here imports back),
written row by row as the database hands them over: memory stays flat however many clients there are."""

import csv
from collections.abc import Iterator
from typing import Any

from circles.models import CircleMember, Client
from importing import selectors
from importing.columns import NAMES, ROLE_LABELS, protect
from network.models import User

CHUNK = 1000


class _Line:
    """csv.writer's file: hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def client_row(client: Client, professionals: list[CircleMember]) -> list[str]:
    lead = next((member for member in professionals if member.is_lead), None)
    others = [member for member in professionals if not member.is_lead and member.user_id]
    values = {
        "given_name": client.given_name,
        "family_name": client.family_name,
        "preferred_name": client.preferred_name,
        "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
        "pronouns": client.pronouns,
        "language": client.language,
        "phone": client.phone,
        "email": client.email,
        "address": client.address,
        "accessibility_needs": client.accessibility_needs,
        "lead_email": lead.user.email if lead and lead.user else "",
        "lead_role": str(ROLE_LABELS[lead.role]) if lead else "",
        "members": "; ".join(f"{m.user.email}:{ROLE_LABELS[m.role]}" for m in others if m.user),
    }
    return [protect(values[name]) for name in NAMES]


def csv_lines(user: User) -> Iterator[str]:
    """The header, then a line per client, reading `CHUNK` clients (and then their circles) at a time."""
    writer = csv.writer(_Line())
    yield writer.writerow(NAMES)
    chunk: list[Client] = []
    for client in selectors.clients_for_export(user).iterator(chunk_size=CHUNK):
        chunk.append(client)
        if len(chunk) == CHUNK:
            yield from _rows(writer, user, chunk)
            chunk = []
    yield from _rows(writer, user, chunk)


def _rows(writer: Any, user: User, clients: list[Client]) -> Iterator[str]:
    if not clients:
        return
    circles = selectors.professionals_of(user, [client.pk for client in clients])
    for client in clients:
        yield writer.writerow(client_row(client, circles.get(client.pk, [])))
