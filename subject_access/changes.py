"""Subject access exports in the catalogue of changes: audited, never published (nobody's page follows
them; the job's own page polls its row)."""

from changes.catalogue import Change, register

EXPORT_START = Change(
    "subject_access.start", "An agency admin starts a subject access export of the client's record"
)
EXPORT_FINISH = Change(
    "subject_access.finish", "A subject access export is put together, or could not be (the task)"
)
EXPORT_DOWNLOAD = Change(
    "subject_access.download",
    "An agency admin downloads a subject access export of the client's record",
    is_read=True,
)

register(EXPORT_START, EXPORT_FINISH, EXPORT_DOWNLOAD)
