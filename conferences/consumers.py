"""The live meeting's socket: one per page, on the meeting's own stream in the outbox.

Following the chair, attendance, minutes and decisions arrive here as small events (ids only); the page
fetches what changed over HTTP, where the access rules apply again. Presence shows who is in the meeting.
"""

from typing import Any

from conferences import selectors
from network.models import User
from realtime.consumers import StreamConsumer
from realtime.selectors import stream_latest_seq


class MeetingConsumer(StreamConsumer):
    def subscribe(self, user: Any) -> tuple[str, int, str] | None:
        try:
            meeting_access = selectors.meeting_get_for_user(
                user, self.scope["url_route"]["kwargs"]["meeting_id"]
            )
        except selectors.MeetingNotFound:
            return None
        meeting = meeting_access.meeting
        return meeting.stream, stream_latest_seq(meeting.stream), user.full_name

    def still_allowed(self, user_id: int) -> bool:
        """A standing member's need to know ends some days after the meeting: their open page closes then."""
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return False
        try:
            selectors.meeting_get_for_user(user, self.scope["url_route"]["kwargs"]["meeting_id"])
        except selectors.MeetingNotFound:
            return False
        return True
