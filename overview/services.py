"""Writes of the overview: only a person's last visit to a client (not the audit trail: a row rewritten in
place, so that "since you last looked" and My clients' counts are cheap)."""

from typing import Any

from django.utils import timezone

from audit.services import read_transaction
from overview.models import Visit
from overview.selectors import last_visit, since_last_looked


def visit_record(*, user: Any, client: Any, seq: int) -> None:
    """Remember that `user` has seen `client`'s record as it was at event `seq` (one UPDATE, or an INSERT
    the first time). A later visit never moves the mark back.

    Committed as a read's audit row is (`audit.services.read_transaction`): without waiting for the disk.
    A crash of the database server at that moment could only lose the mark, and "since you last looked"
    would then show a little more as new."""
    now = timezone.now()
    with read_transaction():
        updated = Visit.objects.filter(user=user, client=client, seq__lte=seq).update(seq=seq, at=now)
        if not updated:
            Visit.objects.get_or_create(user=user, client=client, defaults={"seq": seq, "at": now})


def visit_record_for(*, record: Any) -> None:
    """A visit to the record as this person has just opened it (the client page, or the board through
    `board.hooks`): everything up to the client's event number when the page was read counts as seen."""
    visit_record(user=record.user, client=record.client, seq=record.client.last_event_seq)


def board_visit(*, record: Any) -> set[int]:
    """Someone opens the board (registered with `board.hooks`): the cards changed since they last looked
    at this client (to mark "new"), then the visit is recorded, as the client page does."""
    new_cards = since_last_looked(record, last_visit(record)).card_ids()
    visit_record_for(record=record)
    return new_cards
