"""The changes to instruments and assessments, each by one name for its audit row and its event."""

from typing import TypedDict

from changes.catalogue import Change, register


class AssessmentChanged(TypedDict):
    assessment_id: int
    instrument: str  # the instrument's code


class AssessmentAmended(TypedDict):
    assessment_id: int
    amends: int
    instrument: str


# A draft is its author's only: audited, never published (presence says "… is completing PHQ-9").
class SelfRatingAsked(TypedDict):
    request_id: int
    instrument: str


ASSESSMENT_ASK = Change(
    "assessment.ask", "The team asks the client to rate themself in the portal", SelfRatingAsked
)
ASSESSMENT_CREATE = Change("assessment.create", "Someone starts an assessment (a draft, theirs only)")
ASSESSMENT_UPDATE_DRAFT = Change("assessment.update_draft", "A draft assessment saves itself")
ASSESSMENT_DISCARD = Change(
    "assessment.discard", "Its author discards a draft assessment (never a completed one)"
)
ASSESSMENT_COMPLETE = Change(
    "assessment.complete", "An assessment is completed and scored", AssessmentChanged
)
ASSESSMENT_AMEND = Change(
    "assessment.amend",
    "A completed assessment is amended, with a reason; the original is kept",
    AssessmentAmended,
)
ASSESSMENT_FLAG = Change(
    "assessment.flag", "An answer the instrument says needs acting on at once (PHQ-9 question 9)"
)
INSTRUMENT_CREATE = Change("instrument.create", "An agency adds an instrument")
INSTRUMENT_VERSION = Change("instrument.version", "An instrument is changed: a new version")
INSTRUMENT_IMPORT = Change("instrument.import", "Instruments are brought in from a pack")
INSTRUMENT_EXPORT = Change("instrument.export", "Instruments are written out as a pack")

ASSESSMENT_VIEW = Change("assessment.view", "Someone reads one assessment", is_read=True)
ASSESSMENT_LIST = Change(
    "assessment.list", "Someone lists the client's assessments or their chart (API)", is_read=True
)

register(
    ASSESSMENT_ASK,
    ASSESSMENT_CREATE,
    ASSESSMENT_UPDATE_DRAFT,
    ASSESSMENT_DISCARD,
    ASSESSMENT_COMPLETE,
    ASSESSMENT_AMEND,
    ASSESSMENT_FLAG,
    INSTRUMENT_CREATE,
    INSTRUMENT_VERSION,
    INSTRUMENT_IMPORT,
    INSTRUMENT_EXPORT,
    ASSESSMENT_VIEW,
    ASSESSMENT_LIST,
)
