"""The live meeting's socket: one per page, on the meeting's own stream in the outbox.

Following the chair, attendance, minutes and decisions arrive here as small events (ids only); the page
fetches what changed over HTTP, where the access rules apply again. Presence shows who is in the meeting.

Each socket hears only what its person may know (conferences.access.Hearing, worked out when it connects,
again on each ping, and whenever an event names an item it has not heard of): events about an agenda
item only if they may read that item, a note's event only if they may read the note, and names through
the policy's person_label. Hidden members they may not know are not shown as present.
"""

from typing import Any

from conferences import access, selectors
from network.models import User
from realtime.consumers import StreamConsumer
from realtime.selectors import stream_latest_seq


class MeetingConsumer(StreamConsumer):
    hearing: access.Hearing

    def _meeting_id(self) -> Any:
        return self.scope["url_route"]["kwargs"]["meeting_id"]

    def subscribe(self, user: Any) -> tuple[str, int, str] | None:
        try:
            meeting_access = selectors.meeting_get_for_user(user, self._meeting_id())
        except selectors.MeetingNotFound:
            return None
        meeting = meeting_access.meeting
        self.hearing = access.hearing_for(meeting_access)
        # The name others see is this person's own; each of them relabels it by their own rule (shows_present).
        return meeting.stream, stream_latest_seq(meeting.stream), user.full_name

    def still_allowed(self, user_id: int) -> bool:
        """A standing member's need to know ends some days after the meeting: their open page closes then.
        Who may hear what is worked out again too (someone joined a circle, an item was added)."""
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return False
        try:
            meeting_access = selectors.meeting_get_for_user(user, self._meeting_id())
        except selectors.MeetingNotFound:
            return False
        self.hearing = access.hearing_for(meeting_access)
        return True

    def needs_refresh(self, event: dict[str, Any]) -> bool:
        item_id = event["payload"].get("item_id")
        return item_id is not None and item_id not in self.hearing.known

    def refresh(self, user_id: int) -> None:
        self.still_allowed(user_id)  # a page no longer allowed is let go on its next ping

    def payload_for(self, event: dict[str, Any]) -> dict[str, Any] | None:
        return self.hearing.payload_for(event)

    def shows_present(self, user_id: int) -> bool:
        return not self.hearing.hides_person(user_id)
