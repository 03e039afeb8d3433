"""Writes of subject access exports: start one (the page and the API), build it (the background task),
download it; each audited through the catalogue of changes."""

import datetime
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from changes.services import record
from circles.access import is_agency_admin
from circles.models import Client
from subject_access import build
from subject_access.access import ADMINS_ONLY, NOT_OURS, may_export, may_see_export
from subject_access.changes import EXPORT_DOWNLOAD, EXPORT_FINISH, EXPORT_START
from subject_access.models import SubjectAccessExport
from subject_access.package import FORMAT, package

logger = logging.getLogger(__name__)

# One step per section of the record, and one for writing the files.
STEPS_TOTAL = len(build.SECTIONS) + 1
IN_PROGRESS = (SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.RUNNING)


def keep_days() -> int:
    return int(settings.SUBJECT_ACCESS_KEEP_DAYS)


def export_start(*, actor: Any, client: Client) -> tuple[SubjectAccessExport, bool]:
    """Start putting the client's export together in the background; (the export, whether it is new).

    One at a time per organisation and client: while one is waiting or running, asking again gives that
    one (a double click makes one export, not two).
    """
    if not is_agency_admin(actor):
        raise PermissionDenied(ADMINS_ONLY)
    if not may_export(actor, client):
        raise PermissionDenied(NOT_OURS)
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()  # one start at a time per client
        running = (
            SubjectAccessExport.objects.filter(
                client=client, organisation_id=actor.organisation_id, status__in=IN_PROGRESS
            )
            .defer("file")
            .first()
        )
        if running is not None:
            return running, False
        export = SubjectAccessExport.objects.create(
            client=client,
            organisation_id=actor.organisation_id,
            requested_by=actor,
            steps_total=STEPS_TOTAL,
        )
        record(change=EXPORT_START, actor=actor, client=client, obj=export, after={"export_id": export.pk})
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export, True


def _enqueue(export_id: int) -> None:
    from subject_access.tasks import build_export

    build_export.enqueue(export_id)


def _step(export_id: int) -> None:
    # Committed at once (the task runs outside a transaction), so the page polling the row sees it move.
    SubjectAccessExport.objects.filter(pk=export_id).update(steps_done=F("steps_done") + 1)


def export_build(export_id: int) -> str:
    """Put the export together, section by section, reporting each step on its row; the task's body.

    Claimed with a conditional UPDATE (queued → running), so a task run twice builds it once.
    Returns the export's status when done.
    """
    claimed = SubjectAccessExport.objects.filter(
        pk=export_id, status=SubjectAccessExport.Status.QUEUED
    ).update(
        status=SubjectAccessExport.Status.RUNNING,
        started_at=timezone.now(),
        steps_done=0,
        steps_total=STEPS_TOTAL,
    )
    if not claimed:
        return "skipped"
    exports_purge_expired()
    export = SubjectAccessExport.objects.select_related("client", "organisation", "requested_by").get(
        pk=export_id
    )
    try:
        if not may_export(export.requested_by, export.client):
            raise PermissionError(
                "The person who asked is no longer an agency admin of an organisation working with this client."
            )
        disclosure = build.Disclosure.for_export(
            client=export.client, organisation=export.organisation, exporter=export.requested_by
        )
        sections: dict[str, Any] = {}
        for key, read in build.READERS.items():
            sections[key] = read(disclosure)
            _step(export_id)
        produced_at = timezone.now()
        document = {
            "format": FORMAT,
            "client": {"public_id": export.client.public_id, "name": export.client.full_name},
            "produced": {
                "at": produced_at,
                "organisation": export.organisation.name,
                "by": export.requested_by.full_name,
                "export_id": export.pk,
            },
            "disclosure_rule": DISCLOSURE_RULE,
            "sections": sections,
            "redactions": disclosure.redactions.rows(),
        }
        file_name, data = package(document, build.SECTIONS)
    except PermissionError as exc:
        return _fail(export, str(exc))
    except Exception:
        logger.exception("Subject access export %s could not be finished", export_id)
        return _fail(
            export,
            "Something went wrong putting the export together. Try again; if it fails again, tell your support team.",
        )
    with transaction.atomic():
        SubjectAccessExport.objects.filter(pk=export_id).update(
            status=SubjectAccessExport.Status.DONE,
            steps_done=STEPS_TOTAL,
            finished_at=produced_at,
            expires_at=produced_at + datetime.timedelta(days=keep_days()),
            file=data,
            file_name=file_name,
            file_size=len(data),
            file_sha256=hashlib.sha256(data).hexdigest(),
            redaction_count=disclosure.redactions.total,
        )
        record(
            change=EXPORT_FINISH,
            actor=export.requested_by,
            client=export.client,
            obj=export,
            after={
                "export_id": export.pk,
                "status": SubjectAccessExport.Status.DONE,
                "file_sha256": hashlib.sha256(data).hexdigest(),
                "redactions": disclosure.redactions.total,
            },
        )
    return SubjectAccessExport.Status.DONE


def _fail(export: SubjectAccessExport, message: str) -> str:
    with transaction.atomic():
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            status=SubjectAccessExport.Status.FAILED, finished_at=timezone.now(), error=message[:300]
        )
        record(
            change=EXPORT_FINISH,
            actor=export.requested_by,
            client=export.client,
            obj=export,
            after={"export_id": export.pk, "status": SubjectAccessExport.Status.FAILED},
        )
    return SubjectAccessExport.Status.FAILED


class NotReady(ValidationError):
    """The export cannot be downloaded as it is now (still being put together, failed, or expired)."""


def export_download(*, actor: Any, export: SubjectAccessExport) -> bytes:
    """The ZIP, once it is ready and until it expires; each download is audited as a read of the record."""
    if not may_see_export(actor, export):
        raise PermissionDenied(ADMINS_ONLY)
    if not export.is_downloadable:
        if export.status in IN_PROGRESS:
            message = "The export is still being put together. Try again when it says it is ready."
        elif export.status == SubjectAccessExport.Status.FAILED:
            message = "The export could not be finished. Start a new one."
        else:
            message = f"Exports are deleted after {keep_days()} days, and this one has been. Start a new one."
        raise NotReady(message, code="conflict")
    with transaction.atomic():
        record(
            change=EXPORT_DOWNLOAD,
            actor=actor,
            client=export.client,
            obj=export,
            after={"export_id": export.pk, "file_sha256": export.file_sha256},
        )
    return bytes(export.file or b"")


def exports_purge_expired(now: datetime.datetime | None = None) -> int:
    """Empty the files of exports past their time (run before each new export is built)."""
    return SubjectAccessExport.objects.filter(
        status=SubjectAccessExport.Status.DONE, expires_at__lte=now or timezone.now()
    ).update(status=SubjectAccessExport.Status.EXPIRED, file=None)


DISCLOSURE_RULE = (
    "This is the exporting organisation's disclosure. The client record, the circle's history, consents, "
    "stages, the plan and its history, meetings where the client was discussed (their own agenda items "
    "only), referrals, handovers, portal access and who looked are disclosed in full. Notes, assessments "
    "and board cards are disclosed if the organisation's own people wrote them, if they were shared with "
    "the client, if the client wrote them, or if another organisation wrote them for the whole circle and "
    "the client's consent lets them reach this organisation. Hidden members of the circle are never named. "
    "Everything left out or blanked is listed under redactions, with the reason."
)
