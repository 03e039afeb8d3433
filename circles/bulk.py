"""Registering many clients at once (a migration from another system), with what `client_create` keeps
for each: a public ID of their own, who registered them, the founding lead's membership, the audit rows
and the client's events. In bulk: a few statements per thousand clients rather than a dozen per client.

The caller (the importing app) has checked every row and may make the clients; this module re-checks what
would break the record's own rules, and writes everything in the caller's transaction.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from changes.services import Recorded, record_for_new_clients
from circles import access, public_id
from circles import changes as c
from circles.models import CircleMember, Client
from circles.services import FAMILY_ROLES, _client_snapshot, _member_snapshot

if TYPE_CHECKING:
    from network.models import User

BATCH = 1000
CLIENT_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "pronouns",
    "language",
    "phone",
    "email",
    "address",
    "accessibility_needs",
)


@dataclass
class NewClient:
    """One client to register: their details (cleaned and checked), their lead and who else is in the circle."""

    details: dict[str, Any]
    lead: "User"
    lead_role: str = CircleMember.Role.LEAD_PROFESSIONAL
    members: list[tuple["User", str]] = field(default_factory=list)  # (professional, role)


def clients_register_many(*, actor: "User", clients: Sequence[NewClient]) -> list[Client]:
    """Register `clients` for `actor`, all or none: call inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("clients_register_many() belongs inside the caller's transaction")
    if not (access.is_professional(actor) and actor.organisation_id):
        raise PermissionDenied("Only a professional in an organisation can add clients.")
    _check(clients)
    now = timezone.now()
    ids = _unused_public_ids(len(clients))
    rows = [
        Client(
            public_id=ids[n],
            created_by=actor,
            created_at=now,
            stage_since=now,
            last_activity_at=now,
            **{
                name: new.details.get(name, None if name == "date_of_birth" else "") for name in CLIENT_FIELDS
            },
        )
        for n, new in enumerate(clients)
    ]
    made = Client.objects.bulk_create(rows, batch_size=BATCH)
    members: list[CircleMember] = []
    for client, new in zip(made, clients, strict=True):
        members.append(_membership(actor, client, new.lead, new.lead_role, is_lead=True, now=now))
        members.extend(
            _membership(actor, client, user, role, is_lead=False, now=now) for user, role in new.members
        )
    members = CircleMember.objects.bulk_create(members, batch_size=BATCH)

    changes: list[Recorded] = []
    by_client: dict[int, list[CircleMember]] = {}
    for member in members:
        by_client.setdefault(member.client_id, []).append(member)
    for client in made:
        changes.append(
            Recorded(
                change=c.CLIENT_CREATE,
                client=client,
                obj=client,
                after=_client_snapshot(client),
                payload=c.ClientCreated(public_id=client.public_id),
            )
        )
        for member in by_client[client.pk]:
            # The founding lead's membership is part of the creation: audited, with no event of its own
            # (as client_create); everyone else joins as circle_member_add adds them.
            changes.append(
                Recorded(
                    change=c.MEMBER_ADD,
                    client=client,
                    obj=member,
                    after=_member_snapshot(member),
                    payload=None
                    if member.is_lead
                    else c.MemberChanged(member_id=member.pk, user_id=member.user_id),
                    audience=None if member.is_lead else {"client_visible": True},
                )
            )
    record_for_new_clients(actor=actor, changes=changes)
    return made


def _membership(
    actor: "User", client: Client, user: "User", role: str, *, is_lead: bool, now: datetime.datetime
) -> CircleMember:
    return CircleMember(
        client=client,
        kind=CircleMember.Kind.PROFESSIONAL,
        user=user,
        organisation_id=user.organisation_id,
        role=role,
        is_lead=is_lead,
        added_by=actor,
        since=now,
    )


def _check(clients: Sequence[NewClient]) -> None:
    """What the record's own rules need, whoever checked the rows before (a ValidationError otherwise)."""
    today = timezone.localdate()
    for n, new in enumerate(clients, start=1):
        problem = ""
        born = new.details.get("date_of_birth")
        people = [new.lead, *(user for user, _role in new.members)]
        if not (new.details.get("given_name") and new.details.get("family_name")):
            problem = "a client needs a first and a last name"
        elif born is not None and born > today:
            problem = "a date of birth is in the future"
        elif any(not (access.is_professional(user) and user.organisation_id) for user in people):
            problem = "everyone in a circle here is a professional in an organisation"
        elif len({user.pk for user in people}) != len(people):
            problem = "someone is in the same circle twice"
        elif new.lead_role not in CircleMember.Role.values or new.lead_role in FAMILY_ROLES:
            problem = "the lead's role is not a professional's"
        elif any(
            role not in CircleMember.Role.values
            or role in FAMILY_ROLES
            or role == CircleMember.Role.LEAD_PROFESSIONAL
            for _user, role in new.members
        ):
            problem = "a member's role is not one a professional joins with"
        if problem:
            raise ValidationError(f"Client {n}: {problem}.")


def _unused_public_ids(count: int) -> list[str]:
    """`count` public IDs, different from each other and from every client's (a clash is one in 34 billion
    per pair, so this is one query per thousand, and a second draw almost never)."""
    ids: set[str] = set()
    while len(ids) < count:
        drawn = {public_id.generate() for _ in range(count - len(ids))} - ids
        drawn_list = list(drawn)
        for start in range(0, len(drawn_list), BATCH):
            chunk = drawn_list[start : start + BATCH]
            drawn -= set(Client.objects.filter(public_id__in=chunk).values_list("public_id", flat=True))
        ids |= drawn
    return list(ids)
