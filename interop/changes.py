"""interop's changes: it writes nothing of the record, only the audit rows of what it reads out."""

from changes.catalogue import Change, register

FHIR_READ = Change(
    "fhir.read", "Someone reads the client's record as FHIR (the Patient, or everything)", is_read=True
)

register(FHIR_READ)
