"""The real queue: django-tasks-db, with `manage.py db_worker` processes sharing the test database.

Two workers given the same day twice send each person one digest; a worker killed halfway through the day
loses nothing: the next tick enqueues the day again, another worker takes the stale run over, finishes it,
and nobody is sent anything twice.
"""

import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.utils import timezone

from circles.models import CircleMember
from reminders import tasks
from reminders.models import DigestSent, OutgoingEmail, ScanRun
from tests.factories import ClientFactory, MemberFactory, UserFactory
from tests.reminders.conftest import add_due_action, days
from tests.servers import REPO, server_env

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
PEOPLE = 6


@pytest.fixture
def real_queue(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def people(db):
    """Six practitioners, each the owner of an overdue action in a circle of their own."""
    everyone = []
    for n in range(PEOPLE):
        person = UserFactory(email=f"worker{n}@example.org", full_name=f"Person{n} Example")
        client = ClientFactory(given_name=f"Client{n}")
        MemberFactory(client=client, user=person, is_lead=True, role=CircleMember.Role.LEAD_PROFESSIONAL)
        add_due_action(client, person, due_on=days(-1))
        everyone.append(person)
    return everyone


def worker(mail_dir: Path, *, batch: bool, extra: dict[str, str] | None = None) -> subprocess.Popen:
    env = {
        **server_env(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        **(extra or {}),
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
    ]
    return subprocess.Popen(  # noqa: S603
        command + (["--batch"] if batch else []),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def sent_digests(mail_dir: Path) -> list[str]:
    """Who was sent a digest, one entry per email the mail server was handed."""
    recipients = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = message_from_bytes(chunk.strip())
                if (message["Message-ID"] or "").startswith("<digest-"):
                    recipients.append(message["To"])
    return recipients


def wait(process: subprocess.Popen, seconds: float = 60) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""


def test_two_workers_given_the_day_twice_send_each_person_one_digest(real_queue, people, tmp_path):
    today = timezone.localdate().isoformat()
    tasks.daily_scan.enqueue(today)  # two ticks, on two machines
    tasks.daily_scan.enqueue(today)
    first, second = worker(tmp_path, batch=True), worker(tmp_path, batch=True)
    wait(first)
    wait(second)

    assert ScanRun.objects.count() == 1 and ScanRun.objects.get().finished_at is not None
    assert DigestSent.objects.count() == PEOPLE
    assert OutgoingEmail.objects.filter(sent_at=None).count() == 0
    assert sorted(sent_digests(tmp_path)) == sorted(p.email for p in people)


def test_a_worker_killed_mid_run_loses_nothing_and_never_sends_twice(real_queue, people, tmp_path, settings):
    today = timezone.localdate()
    tasks.daily_scan.enqueue(today.isoformat())
    slow = {
        "ALONGSIDE_REMINDERS_TEST_PAUSE_SECONDS": "0.4",  # after each batch
        "ALONGSIDE_REMINDERS_BATCH": "1",  # of one person
        "ALONGSIDE_REMINDERS_STALE_SECONDS": "1",
    }
    doomed = worker(tmp_path, batch=False, extra=slow)
    deadline = time.monotonic() + 60
    while DigestSent.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(doomed.pid, signal.SIGKILL)  # no goodbye: mid-run, between two people
    doomed.wait()
    done = DigestSent.objects.count()
    assert 2 <= done < PEOPLE
    assert ScanRun.objects.get().finished_at is None

    time.sleep(1.2)  # the dead worker's heartbeat goes stale
    settings.REMINDERS_STALE_SECONDS = 1
    assert f"daily_scan {today.isoformat()}" in tasks.enqueue_due_work(timezone.now())  # the next tick
    wait(worker(tmp_path, batch=True, extra={"ALONGSIDE_REMINDERS_STALE_SECONDS": "1"}))

    run = ScanRun.objects.get()
    assert run.finished_at is not None and run.takeovers == 1
    assert DigestSent.objects.count() == PEOPLE  # nobody lost
    assert sorted(sent_digests(tmp_path)) == sorted(p.email for p in people)  # nobody twice
