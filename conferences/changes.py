"""The changes to case conferences, each by one name for its audit row and event.

Changes about one client's agenda item are audited against that client; changes to the meeting as a whole
name no client. The live meeting's events go to the meeting's own stream ("meeting-<id>"), which everyone
in the meeting follows; plan actions agreed at the meeting are the plan's own changes, on the client's.
"""

from typing import Literal, TypedDict

from changes.catalogue import Change, register


class MeetingChanged(TypedDict):
    meeting_id: int


class ItemMoved(TypedDict):
    meeting_id: int
    item_id: int | None
    started_at: str | None  # ISO time the item's slot started (the timer)
    slot_minutes: int


class ItemChanged(TypedDict):
    meeting_id: int
    item_id: int


class ClientOnAgenda(TypedDict):
    """On the client's own stream: their next meeting has changed (the client page's "what is true now")."""

    meeting_id: int
    item_id: int


class ClientsMeetingChanged(TypedDict):
    """On the client's own stream: a meeting with them on its agenda has opened or ended, so their next
    meeting is now under way, or is the one after it. Ids and the status only: no one is named."""

    meeting_id: int
    item_id: int
    status: Literal["in_progress", "ended"]


class PackNoteChanged(TypedDict):
    """A note put into (or taken out of) an item's pack. The event carries the note's audience, so only
    those who may read the note hear of it."""

    meeting_id: int
    item_id: int
    note_id: int


class MinutesUpdated(TypedDict):
    meeting_id: int
    item_id: int
    version: int
    by: str


class DecisionRecorded(TypedDict):
    meeting_id: int
    item_id: int
    decision_id: int
    action_ids: list[int]


PANEL_CREATE = Change("panel.create", "A panel is set up")
PANEL_MEMBER_ADD = Change("panel.member_add", "Someone becomes a chair or standing member of a panel")
MEETING_CREATE = Change("meeting.create", "A meeting is arranged")
AGENDA_ADD = Change("meeting.agenda_add", "A client is put on a meeting's agenda", ItemChanged)
AGENDA_ANNOUNCE = Change(
    "meeting.on_agenda",
    "A client's circle is told, live, that the client is on a meeting's agenda",
    ClientOnAgenda,
)
CLIENT_MEETING_STATUS = Change(
    "meeting.client_status",
    "A client's circle is told, live, that a meeting with the client on its agenda has opened or ended",
    ClientsMeetingChanged,
)
AGENDA_WITHOUT_CONSENT = Change(
    "meeting.without_consent", "A client is to be discussed without their consent, with a reason"
)
INVITATION_SEND = Change("meeting.invite", "Someone is invited to a meeting")
INVITATION_ANSWER = Change(
    "meeting.answer", "An invitee answers: attending, apologies or sending someone", MeetingChanged
)
CONTRIBUTION_ADD = Change(
    "meeting.contribution_add", "A report or contribution is added to a pack", ItemChanged
)
PACK_NOTE_ADD = Change(
    "meeting.pack_note_add", "A circle member marks a note for the client's conference pack", PackNoteChanged
)
PACK_NOTE_REMOVE = Change(
    "meeting.pack_note_remove", "A note is taken out of the client's conference pack", PackNoteChanged
)
MEETING_OPEN = Change("meeting.open", "The chair opens the meeting", MeetingChanged)
ITEM_MOVE = Change("meeting.item_move", "The chair moves the meeting to an agenda item", ItemMoved)
ATTENDANCE_RECORD = Change("meeting.attendance", "Attendance is recorded", MeetingChanged)
MINUTES_UPDATE = Change("meeting.minutes_update", "An item's minutes are written or changed", MinutesUpdated)
DECISION_RECORD = Change(
    "meeting.decision", "A decision is recorded, with who agreed and any dissent", DecisionRecorded
)
ITEM_CLOSE = Change(
    "meeting.item_close", "An item is closed, with a next review date or a decision to close", ItemChanged
)
MEETING_END = Change("meeting.end", "The chair ends the meeting", MeetingChanged)
MINUTES_SIGN_OFF = Change(
    "meeting.sign_off", "The chair signs off the minutes, which are then locked", MeetingChanged
)
MINUTES_AMEND = Change(
    "meeting.amend", "Signed minutes are amended, as a new version with a reason", MinutesUpdated
)
FAMILY_SUMMARY = Change("meeting.family_summary", "The chair writes the family summary", MeetingChanged)

MEETING_TYPE_CREATE = Change("meeting_type.create", "An agency brings in a meeting type")
MEETING_TYPE_UPDATE = Change("meeting_type.update", "An agency's meeting type gets new defaults")

PACK_VIEW = Change("meeting.pack_view", "Someone reads a client's conference pack", is_read=True)
MINUTES_VIEW = Change("meeting.minutes_view", "Someone reads a client's minutes", is_read=True)

register(
    PANEL_CREATE,
    PANEL_MEMBER_ADD,
    MEETING_CREATE,
    AGENDA_ADD,
    AGENDA_ANNOUNCE,
    AGENDA_WITHOUT_CONSENT,
    INVITATION_SEND,
    INVITATION_ANSWER,
    CONTRIBUTION_ADD,
    PACK_NOTE_ADD,
    PACK_NOTE_REMOVE,
    MEETING_OPEN,
    ITEM_MOVE,
    ATTENDANCE_RECORD,
    MINUTES_UPDATE,
    DECISION_RECORD,
    ITEM_CLOSE,
    MEETING_END,
    CLIENT_MEETING_STATUS,
    MINUTES_SIGN_OFF,
    MINUTES_AMEND,
    FAMILY_SUMMARY,
    MEETING_TYPE_CREATE,
    MEETING_TYPE_UPDATE,
    PACK_VIEW,
    MINUTES_VIEW,
)
