"""The changes to a client's record and circle, each by the one name its audit row and its event carry."""

from typing import TypedDict

from changes.catalogue import Change, register


class ClientCreated(TypedDict):
    public_id: str


class StageChanged(TypedDict):
    stage: str


class MemberChanged(TypedDict):
    member_id: int
    user_id: int | None  # None for family and friends, who have no account


class LeadChanged(TypedDict):
    member_id: int


class ConsentChanged(TypedDict):
    consent_id: int
    scope: str


class JoinRequestChanged(TypedDict):
    request_id: int


class EmergencyStarted(TypedDict):
    grant_id: int
    user_id: int


CLIENT_CREATE = Change("client.create", "A client is registered at first contact", ClientCreated)
CLIENT_STAGE_CHANGE = Change(
    "client.stage_change", "The client moves to another stage of support", StageChanged
)
CLIENT_REOPEN = Change("client.reopen", "A closed case is reopened, with a reason", StageChanged)
CLIENT_STAGE_HISTORY = Change(
    "client.stage_history", "Someone reads the case's stage history (API)", is_read=True
)
MEMBER_ADD = Change("circle.member_add", "Someone joins the circle", MemberChanged, changes_access=True)
MEMBER_REMOVE = Change(
    "circle.member_remove", "Someone leaves the circle", MemberChanged, changes_access=True
)
MEMBER_HIDE = Change(
    "circle.member_hide",
    "The lead hides a member from everyone outside the circle, or stops hiding them",
    MemberChanged,
    changes_access=True,
)
LEAD_CHANGE = Change(
    "circle.lead_change", "Another professional becomes the lead", LeadChanged, changes_access=True
)
CONSENT_RECORD = Change(
    "consent.record", "The client's consent is recorded", ConsentChanged, changes_access=True
)
CONSENT_WITHDRAW = Change(
    "consent.withdraw", "The client withdraws consent", ConsentChanged, changes_access=True
)
JOIN_REQUEST_CREATE = Change(
    "join_request.create", "A practitioner asks to join the circle", JoinRequestChanged
)
JOIN_REQUEST_DECIDE = Change(
    "join_request.decide", "The lead approves or declines a request to join", JoinRequestChanged
)
EMERGENCY_START = Change(
    "emergency.start", "A practitioner outside the circle breaks the glass", EmergencyStarted
)

CLIENT_VIEW = Change("client.view", "A member opens the client's record", is_read=True)
CLIENT_DISCOVER = Change("client.discover", "Someone outside the circle sees who is involved", is_read=True)
CLIENT_SEARCH = Change("client.search", "Someone searches for clients", is_read=True)

register(
    CLIENT_CREATE,
    CLIENT_STAGE_CHANGE,
    CLIENT_REOPEN,
    CLIENT_STAGE_HISTORY,
    MEMBER_ADD,
    MEMBER_REMOVE,
    MEMBER_HIDE,
    LEAD_CHANGE,
    CONSENT_RECORD,
    CONSENT_WITHDRAW,
    JOIN_REQUEST_CREATE,
    JOIN_REQUEST_DECIDE,
    EMERGENCY_START,
    CLIENT_VIEW,
    CLIENT_DISCOVER,
    CLIENT_SEARCH,
)
