"""What a FHIR export of one client holds: what the reader may see of the record on its pages, read through
each app's own selectors, and so by each app's own access rules (interop decides nothing of access itself).

Start from `patient_for` (the record's access check: members of the circle and emergency access; anyone else
gets the same 404 for a forbidden client as for an unknown one), then `everything_for`.
"""

from dataclasses import dataclass

from assessments.models import Assessment
from assessments.selectors import assessment_list_for
from audit.models import AuditEvent
from circles import access
from circles.audit_selectors import record_reads
from circles.models import CircleMember, Consent
from circles.selectors import circle_members, client_get_for_user, consents_for
from conferences.selectors import ClientMeeting, client_meetings_for
from network.models import User
from sharing.selectors.plans import PlanView, plan_for


def patient_for(user: User, public_id_text: str) -> access.RecordAccess:
    """The client with this public ID, if `user` may open their record (404 otherwise, unknown or not)."""
    return client_get_for_user(user, public_id_text, need="view")


@dataclass
class Everything:
    """Everything the reader may see of one client's record that Alongside exports as FHIR."""

    record: access.RecordAccess
    members: list[CircleMember]  # now, then before (for members only: emergency access sees who is there now)
    consents: list[Consent]
    plan: PlanView
    assessments: list[Assessment]  # completed, amendments included, oldest first; no drafts, no replaced ones
    meetings: list[ClientMeeting]
    reads: list[AuditEvent]  # who looked: for the lead only


def everything_for(record: access.RecordAccess) -> Everything:
    """A bounded number of queries, however much the record holds (tests/interop pins it)."""
    current, past = circle_members(record)
    assessments = (
        assessment_list_for(record).filter(status=Assessment.Status.COMPLETED).order_by("completed_at", "id")
    )
    return Everything(
        record=record,
        members=current + past,
        consents=consents_for(record),
        plan=plan_for(record),
        assessments=list(assessments),
        meetings=client_meetings_for(record, current + past),
        reads=record_reads(record),
    )
