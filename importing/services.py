"""Moving clients in: upload and check a file (the dry run), start the import, and the import itself (run by
the task in tasks.py). All or nothing per file; each step audited."""

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from audit.context import Origin, current_origin
from changes.services import record
from circles.bulk import clients_register_many
from importing import changes as c
from importing import checking, selectors
from importing.checking import Checked, Problem
from importing.models import ImportJob
from network.models import User
from network.roles import is_agency_admin
from network.text import clean_line

logger = logging.getLogger(__name__)


class FileHasProblems(Exception):
    """The dry run found problems: nothing was kept, not even the file."""

    def __init__(self, checked: Checked) -> None:
        super().__init__(f"{checked.problem_count} problem(s)")
        self.checked = checked


def import_check(*, actor: User, file_name: str, content: bytes) -> tuple[ImportJob, Checked]:
    """The dry run: check every row. A file with problems raises FileHasProblems and leaves nothing behind;
    a clean one is kept as an import that is ready to start (its likely duplicates listed)."""
    organisation_id = selectors.admin_only(actor)
    file_name = clean_line(file_name)[:255] or "clients.csv"
    checked = checking.check(content, actor=actor)
    if not checked.ok:
        raise FileHasProblems(checked)
    with transaction.atomic():
        job = ImportJob.objects.create(
            organisation_id=organisation_id,
            created_by=actor,
            file_name=file_name,
            content=content,
            row_count=checked.row_count,
            member_count=checked.member_count,
            duplicates=checked.duplicates,
            duplicate_count=checked.duplicate_count,
        )
        record(
            change=c.IMPORT_CHECK,
            actor=actor,
            client=None,
            obj=job,
            after=_summary(job),
        )
    return job, checked


def import_start(*, actor: User, job: ImportJob) -> ImportJob:
    """Start importing a checked file: the task does it, in the background."""
    from importing import tasks

    organisation_id = selectors.admin_only(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk, organisation_id=organisation_id)
        if job.status != ImportJob.Status.CHECKED:
            raise ValidationError(
                "This import has already been started." if job.is_running else "This import is finished.",
                code="conflict",
            )
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["status"])
        record(change=c.IMPORT_START, actor=actor, client=None, obj=job, after=_summary(job))
    tasks.run_import.enqueue(job.pk)  # after the commit, so the worker finds the job queued
    return ImportJob.objects.defer("content").get(pk=job.pk)


def import_run(*, job_id: int) -> dict[str, Any]:
    """The import (in the task): check every row again (the directory may have changed since the dry run),
    telling the job as it goes; then make every client in one transaction, or none."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.CHECKING, started_at=timezone.now()
    )
    if not claimed:  # another worker has it, or it is not waiting to start
        return {"job": job_id, "claimed": False}
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    actor = job.created_by
    token = current_origin.set(Origin(via="task"))
    try:
        if not is_agency_admin(actor) or actor.organisation_id != job.organisation_id:
            return _fail(job, [Problem(None, "", f"{actor.full_name} is no longer an agency admin here.")], 1)

        def progress(rows: int) -> None:
            ImportJob.objects.filter(pk=job_id).update(rows_checked=rows)

        checked = checking.check(bytes(job.content), actor=actor, progress=progress)
        if not checked.ok:
            return _fail(job, checked.problems, checked.problem_count)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.SAVING, rows_checked=checked.row_count
        )
        made = []
        with transaction.atomic(), _saving_progress(job_id) as tell:
            for start in range(0, len(checked.clients), SAVE_CHUNK):
                chunk = checked.clients[start : start + SAVE_CHUNK]
                made += clients_register_many(actor=actor, clients=chunk)
                tell(len(made))
            job.created_count = len(made)
            record(change=c.IMPORT_RUN, actor=actor, client=None, obj=job, after=_summary(job))
    except Exception as exc:  # nothing was kept: say so, and why, on the job
        logger.exception("Import %s failed", job_id)
        problem = Problem(
            None,
            "",
            f"Nothing was imported: something went wrong while saving ({type(exc).__name__}). "
            "Upload the file again; if it happens again, tell whoever looks after Alongside.",
        )
        return _fail(job, [problem], 1)
    finally:
        current_origin.reset(token)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.DONE,
        created_count=len(made),
        rows_saved=len(made),
        finished_at=timezone.now(),
        content=b"",
    )
    return {"job": job_id, "claimed": True, "created": len(made)}


# Clients saved between two words to the progress bar (all inside the one transaction).
SAVE_CHUNK = 500


@contextmanager
def _saving_progress(job_id: int) -> Iterator[Any]:
    """Tell the job how many clients are saved while the import's transaction is still open: from a thread of
    its own, whose own database connection commits at once, so the page's progress bar sees it. On SQLite
    (one writer at a time, and the import holds the lock) there is no telling: the bar waits, and the count
    appears when the import commits."""
    if connection.vendor == "sqlite":
        yield lambda saved: None
        return

    def write(saved: int) -> None:
        try:
            ImportJob.objects.filter(pk=job_id).update(rows_saved=saved)
        finally:
            connections.close_all()  # this thread's own connection, not the import's

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-progress") as teller:
        yield lambda saved: teller.submit(write, saved)


def _fail(job: ImportJob, problems: list[Problem], count: int) -> dict[str, Any]:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        problems=[problem.as_dict() for problem in problems],
        problem_count=count,
        finished_at=timezone.now(),
        content=b"",
    )
    return {"job": job.pk, "claimed": True, "created": 0}


def _summary(job: ImportJob) -> dict[str, Any]:
    return {
        "file_name": job.file_name,
        "rows": job.row_count,
        "members": job.member_count,
        "likely_duplicates": job.duplicate_count,
        "clients_created": job.created_count,
    }
