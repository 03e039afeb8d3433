"""Writes of the overview: only a person's last visit to a client (not the audit trail: a row rewritten in
place, so that "since you last looked" and My clients' counts are cheap)."""

from typing import Any

from django.utils import timezone

from overview.models import Visit


def visit_record(*, user: Any, client: Any, seq: int) -> None:
    """Remember that `user` has seen `client`'s record as it was at event `seq` (one UPDATE, or an INSERT
    the first time). A later visit never moves the mark back."""
    now = timezone.now()
    updated = Visit.objects.filter(user=user, client=client, seq__lte=seq).update(seq=seq, at=now)
    if not updated:
        Visit.objects.get_or_create(user=user, client=client, defaults={"seq": seq, "at": now})
