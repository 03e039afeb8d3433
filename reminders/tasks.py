"""Background tasks (Django's tasks framework; django-tasks-db runs them in `manage.py db_worker`)."""

import datetime
import os
import socket

from django.utils import timezone

from reminders import at_once, clock, outbox, scan
from reminders.background import task


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@task()
def daily_scan(day: str) -> dict:
    """The day's scan and digests, if no other worker has them; then send what it put in the outbox."""
    result = scan.run_day(datetime.date.fromisoformat(day), worker_name())
    result["emails_sent"] = outbox.deliver_outbox(worker=worker_name())
    return result


@task()
def send_at_once(client_id: int, kinds: list[str]) -> dict:
    """A change committed: its "at once" reminders about the client, to those who chose that, then sent."""
    sent = at_once.send_for_client(client_id, kinds)
    return {"sent": sent, "emails_sent": outbox.deliver_outbox(worker=worker_name()) if sent else 0}


@task()
def send_emails() -> int:
    return outbox.deliver_outbox(worker=worker_name())


def enqueue_due_work(now: datetime.datetime | None = None) -> list[str]:
    """The clock's tick (`manage.py reminders_tick`, from cron or a systemd timer, or scripts/run): enqueue
    the day's scan unless it is done, sending any email left waiting, and other apps' periodic work (the
    dashboard's snapshots, reminders.clock). Running it often, or on several
    machines at once, is harmless: the scan claims its day once, and the outbox claims each email."""
    enqueued = []
    day = scan.scan_day_now() if now is None else timezone.localtime(now).date()
    from reminders.models import OutgoingEmail, ScanRun

    if day is not None and not ScanRun.objects.filter(period=day, finished_at__isnull=False).exists():
        daily_scan.enqueue(day.isoformat())
        enqueued.append(f"daily_scan {day.isoformat()}")
    if OutgoingEmail.objects.filter(sent_at=None).exists():
        send_emails.enqueue()
        enqueued.append("send_emails")
    enqueued += clock.run_ticks(now or timezone.now())  # other apps' periodic work (reminders.clock)
    return enqueued
