"""The live socket behind a client page: delivers that client's events and shows who else is there.

It only delivers. Writes go through HTTP and services; this consumer reads the outbox (to catch up) and
asks circles.access who may hear what.

Messages to the browser (JSON):
    {"type": "hello", "seq": N, "presence": [...]}     after connecting (and catching up)
    {"type": "event", "seq": N, "event": "note.create", "payload": {...}}
    {"type": "presence", "people": [{"user_id": 1, "name": "Priya Shah", "focus": "Keep our flat"}, ...]}
                                                        everyone else on the same page (?page=record|plan)
    {"type": "reload", "seq": N}                        reload the page: what this person may see changed,
                                                        or it is more than REALTIME_RELOAD_AFTER events behind
    {"type": "revoked"}                                 just before the socket closes (code 4403)
Messages from the browser:
    {"type": "resume", "after": N}   "I have seen up to N": send anything newer from the outbox
    {"type": "ping"}                 every ~25 s; keeps this person's presence fresh for the others, and
                                     sends anything the outbox has that this socket has not (a lost doorbell)
    {"type": "focus", "label": "…"}  what this person is editing now (null when they stop)
"""

import logging
import time
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import InterfaceError, OperationalError

from circles import access
from network.sessions import session_is_current
from realtime import selectors
from realtime.db import socket_database
from realtime.publish import client_group, stream_group, user_group

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_REVOKED = 4403


class Here:
    """Someone else on the same page, as this socket last heard (kept small: one per other tab, per socket)."""

    __slots__ = ("focus", "hidden", "name", "seen", "user_id")

    def __init__(self, user_id: int, name: str, focus: str | None, hidden: bool, seen: float) -> None:
        self.user_id, self.name, self.focus, self.hidden, self.seen = user_id, name, focus, hidden, seen


class LiveSocket(AsyncJsonWebsocketConsumer):
    """Channels' JSON consumer without its database clean-up before every message.

    Channels closes the event loop's stale database connections before each message it dispatches, on
    a hop to the database thread: one per presence message, thousands a second when many pages open at
    once. These sockets never touch the database from the event loop; their reads go through realtime.db,
    which gives the connection back after each call.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class OutboxSocket(LiveSocket):
    """A live page's socket on one outbox (a client's or a named stream's): what every such socket does.

    connect       signed in (else close 4401), may follow the outbox (`follow`, else close 4403); join the
                  outbox's group and the person's own, accept, send what came after ?after=, "hello", and
                  tell the others on the page ("presence.join")
    doorbell      an event rung by realtime.publish: skip one already sent, read the outbox on a gap,
                  deliver the next; a database error leaves the page open (the event is read back later)
    resume        send anything after the browser's seq from the outbox
    ping          may this person stay (`may_stay`, else "revoked" and close 4403)? read the outbox for a
                  lost doorbell, forget the others not heard from for a while, say "still here"
    disconnect    tell the others ("presence.leave") and leave the groups

    A subclass says what differs: which outbox (`follow`, `outbox_latest`, `outbox_after`), how one event
    reaches its person (`deliver`) and whom they see present (`presence_list`, `presence_message`).
    """

    group: str  # the outbox's channel-layer group: its doorbells, and presence on its pages
    user_id: int
    name: str  # the name the others on the page see
    page: str  # which page of the outbox this is: presence is shared with the same page only
    last_seq: int  # every event up to here has been delivered (or skipped by a reload)
    groups_joined: list[str]
    revoked: bool
    others: dict[str, Here]  # channel name -> who is there

    # What differs between outboxes.

    async def follow(self, user: Any) -> int | None:
        """If `user` may follow this outbox now: set group, user_id, name and page, and return the outbox's
        latest seq. None if they may not."""
        raise NotImplementedError

    async def outbox_latest(self) -> int:
        """The seq of the outbox's newest event."""
        raise NotImplementedError

    async def outbox_after(self, after: int, upto: int) -> list[dict[str, Any]]:
        """A page of the outbox's events with seq in (after, upto], oldest first, as doorbells carry them."""
        raise NotImplementedError

    async def may_stay(self) -> bool:
        """May this person still follow the outbox? Asked on every ping."""
        raise NotImplementedError

    async def deliver(self, event: dict[str, Any]) -> None:
        """Send the event after last_seq as this person may hear it, or revoke; move last_seq past it,
        once the database has answered (an event met by a database error is then read back later)."""
        raise NotImplementedError

    def presence_list(self) -> list[dict[str, Any]]:
        """Everyone else on this page, as this person may see them."""
        raise NotImplementedError

    # What every outbox socket does.

    async def connect(self) -> None:
        self.groups_joined = []
        self.revoked = False
        self.others = {}
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        latest = await self.follow(user)
        if latest is None:
            await self.close(code=CLOSE_REVOKED)
            return
        for group in (self.group, user_group(user.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()

        after = _int_or_none(_query_param(self.scope, "after"))
        self.last_seq = after if after is not None and 0 <= after <= latest else latest
        await self.catch_up(latest=latest)
        await self.send_json({"type": "hello", "seq": self.last_seq, "presence": self.presence_list()})
        await self.announce("presence.join")

    async def disconnect(self, code: int) -> None:
        if self.groups_joined:
            await self.announce("presence.leave")
        await leave_groups(self, self.groups_joined)
        self.groups_joined = []

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "resume":
            after = _int_or_none(content.get("after"))
            if after is not None and 0 <= after < self.last_seq:
                self.last_seq = after
            await self.catch_up()
        elif content.get("type") == "ping":
            await self.ping()

    async def ping(self) -> None:
        try:
            if not await self.may_stay():
                await self.revoke()
                return
            # A lost doorbell with nothing written after it leaves no gap to notice: look at the outbox.
            await self.catch_up()
        except (OperationalError, InterfaceError) as error:
            # The database is restarting: keep the page open; the next ping looks at the outbox again.
            logger.info("Ping: the database did not answer (%s)", error)
        if self.revoked:
            return
        if self.expire_presence():
            await self.send_presence()
        await self.announce("presence.here")

    # Events from services (via realtime.publish) and from the other sockets, one handler per message type.

    async def doorbell(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event["seq"] <= self.last_seq:
            return  # already delivered, by catch-up
        try:
            if event["seq"] > self.last_seq + 1:
                await self.catch_up(latest=event["seq"])  # a doorbell went missing: read the outbox
            else:
                await self.deliver(event)
        except (OperationalError, InterfaceError) as error:
            # The database is restarting: keep the page open. last_seq has not moved past this event, so
            # the next doorbell (a gap) or ping reads it back from the outbox.
            logger.info("Doorbell: the database did not answer (%s)", error)

    async def user_signed_out(self, message: dict[str, Any]) -> None:
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def user_notification(self, message: dict[str, Any]) -> None:
        pass  # the personal socket shows these; this one only shares the person's group

    async def presence_join(self, message: dict[str, Any]) -> None:
        if message["channel"] == self.channel_name or message.get("page") != self.page:
            return
        self.remember(message)
        await self.send_presence()
        # Tell the newcomer we are here too. Presence is best effort: when many pages open at once the
        # newcomer's channel can be full, and that must not end this socket (their next ping will do).
        try:
            await self.channel_layer.send(message["channel"], self.presence_message("presence.here"))
        except ChannelFull:
            pass
        except Exception as error:
            logger.info("Presence not sent (%s)", error)

    async def presence_here(self, message: dict[str, Any]) -> None:
        if message["channel"] == self.channel_name or message.get("page") != self.page:
            return
        known = self.others.get(message["channel"])
        before = known.focus if known is not None else "unknown"
        self.remember(message)
        if before != message.get("focus"):
            await self.send_presence()

    async def presence_leave(self, message: dict[str, Any]) -> None:
        if self.others.pop(message["channel"], None) is not None:
            await self.send_presence()

    # Helpers.

    async def catch_up(self, *, latest: int | None = None) -> None:
        """Send every event after last_seq up to `latest` (the outbox's newest if not given), in order, a
        page at a time; last_seq moves only past what was sent. A page too far behind reloads instead."""
        if latest is None:
            latest = await self.outbox_latest()
        if latest - self.last_seq > settings.REALTIME_RELOAD_AFTER:
            # Replaying that many events (each one a fetch by the page) costs more than one fresh page.
            self.last_seq = latest
            await self.send_json({"type": "reload", "seq": latest})
            return
        while self.last_seq < latest and not self.revoked:
            page = await self.outbox_after(self.last_seq, latest)
            if not page:
                return
            for event in page:
                if self.revoked:
                    return
                await self.deliver(event)

    async def session_alive(self) -> bool:
        return await session_alive(self.scope, self)

    async def revoke(self) -> None:
        self.revoked = True
        await self.send_json({"type": "revoked"})
        await self.close(code=CLOSE_REVOKED)

    async def announce(self, message_type: str) -> None:
        """Tell the others on this page. Best effort: a channel-layer (Redis) error never ends the socket."""
        try:
            await self.channel_layer.group_send(self.group, self.presence_message(message_type))
        except Exception as error:
            logger.info("Presence not sent (%s)", error)

    def presence_message(self, message_type: str) -> dict[str, Any]:
        return {
            "type": message_type,
            "channel": self.channel_name,
            "user_id": self.user_id,
            "name": self.name,
            "page": self.page,
        }

    def remember(self, message: dict[str, Any]) -> None:
        self.others[message["channel"]] = Here(
            message["user_id"],
            message["name"],
            message.get("focus"),
            message.get("hidden", False),
            time.monotonic(),
        )

    def expire_presence(self) -> bool:
        """Forget anyone not heard from for a while (their process may have died); True if anyone went."""
        cutoff = time.monotonic() - settings.PRESENCE_TTL_SECONDS
        before = len(self.others)
        self.others = {channel: who for channel, who in self.others.items() if who.seen >= cutoff}
        return len(self.others) != before

    async def send_presence(self) -> None:
        # Best effort, like announce(): when many pages close at once, a socket whose own page has just gone
        # hears the others leave before it hears of its own close, and must not end in a traceback.
        try:
            await self.send_json({"type": "presence", "people": self.presence_list()})
        except Exception as error:
            logger.info("Presence not shown (%s)", error)


class ClientRecordConsumer(OutboxSocket):
    """The socket behind a client page, on the client's outbox. Its messages: the module docstring; what it
    does on connect, doorbell ("client.event"), resume, ping and disconnect: OutboxSocket.

    What is its own: who may follow the client and see what (circles.access, re-checked before delivery
    where access may have changed), what each person is editing ("focus"), and hidden members.
    """

    client_id: int
    viewer: access.Viewer
    focus: str | None

    async def follow(self, user: Any) -> int | None:
        subscription = await socket_database(selectors.subscription_for)(
            user, self.scope["url_route"]["kwargs"]["public_id"]
        )
        if subscription is None:
            return None
        self.client_id, self.viewer, current_seq = subscription
        self.group = client_group(self.client_id)
        self.user_id = self.viewer.user_id
        self.name = user.full_name
        self.page = page_kind(self.viewer, _query_param(self.scope, "page"))
        self.focus = None
        return current_seq

    async def outbox_latest(self) -> int:
        return await socket_database(selectors.latest_seq)(self.client_id)

    async def outbox_after(self, after: int, upto: int) -> list[dict[str, Any]]:
        return await socket_database(selectors.events_after)(self.client_id, after, upto)

    async def may_stay(self) -> bool:
        return not self.viewer.has_expired() and await self.session_alive()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "focus":
            label = content.get("label")
            self.focus = label[:200] if isinstance(label, str) and label else None
            await self.announce("presence.here")
        else:
            await super().receive_json(content, **kwargs)

    async def client_event(self, message: dict[str, Any]) -> None:
        await self.doorbell(message)

    async def deliver(self, event: dict[str, Any]) -> None:
        if self.viewer.has_expired() or not await self.session_alive():
            await self.revoke()
            return
        if not self.viewer.in_circle or access.changes_access(event["type"]):
            # Emergency access and the portal are re-checked with the record before each delivery (and
            # everyone after a change of access): who may see what, and who is hidden from them, now.
            viewer = await socket_database(selectors.viewer_now)(self.viewer.user_id, self.client_id)
            if viewer is None:
                await self.revoke()
                return
            changed = not viewer.same_access(self.viewer)
            self.viewer = viewer
            if changed:
                # What this person may see has changed (e.g. consent withdrawn): the page starts afresh.
                await self.send_json({"type": "reload", "seq": event["seq"]})
        # Past this event only now that the database has answered: had it failed above, the event would be
        # read back from the outbox by the next doorbell or ping.
        self.last_seq = event["seq"]
        if not access.may_receive(self.viewer, event["audience"]):
            return
        payload = access.event_for(self.viewer, event["payload"])
        if payload is not None:
            await self.send_json(
                {"type": "event", "seq": event["seq"], "event": event["type"], "payload": payload}
            )

    def presence_message(self, message_type: str) -> dict[str, Any]:
        return {
            **super().presence_message(message_type),
            "focus": self.focus,
            "hidden": self.viewer.is_hidden,
        }

    def presence_list(self) -> list[dict[str, Any]]:
        """Everyone else on this page, once each however many tabs they have open, with what they edit."""
        people: dict[int, dict[str, Any]] = {}
        for who in self.others.values():
            if who.user_id == self.viewer.user_id or (who.hidden and not self.viewer.in_circle):
                continue  # hidden members are never shown to anyone outside the circle
            person = people.setdefault(who.user_id, {"user_id": who.user_id, "name": who.name})
            # What professionals are editing is theirs: the portal hears who is here, never what they edit.
            if who.focus and not self.viewer.portal:
                person["focus"] = who.focus
        return sorted(people.values(), key=lambda person: person["name"])


def page_kind(viewer: access.Viewer, asked: str | None) -> str:
    """Which page's presence this socket shares, decided here: the portal is "portal", whatever it asks
    (a portal socket asking for "plan" would hear what professionals are editing)."""
    if viewer.portal:
        return "portal"
    return (asked or "record")[:20]


def _query_param(scope: dict[str, Any], name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class StreamConsumer(OutboxSocket):
    """A live socket on a named stream (a meeting's): the client socket's guarantees, for things that span
    several clients. A feature app subclasses it and says who may subscribe, and who may hear what
    (`payload_for`, per event, from what `subscribe` and `refresh` worked out: no query per event) and
    see whom (`shows_present`). `?page=` keeps presence to the sockets on the same page of the stream.

    Messages to the browser: {"type": "hello", "seq", "presence"}, {"type": "event", "seq", "event",
    "payload"}, {"type": "presence", "people": [{"user_id", "name"}]}, {"type": "reload", "seq"},
    {"type": "revoked"}. From the browser: {"type": "resume", "after"} and {"type": "ping"}, as for a client.
    """

    stream: str

    def subscribe(self, user: Any) -> tuple[str, int, str] | None:
        """(stream name, its latest seq, the name others see) if `user` may follow it now; else None.

        Runs in a worker thread (it may query)."""
        raise NotImplementedError

    def payload_for(self, event: dict[str, Any]) -> dict[str, Any] | None:
        """The event's payload as this socket's person may hear it, or None if they may not hear of it at
        all. Decided from what the socket remembers: no query (see `refresh`)."""
        return dict(event["payload"])

    def needs_refresh(self, event: dict[str, Any]) -> bool:
        """Is this event about something the socket has not heard of yet (so `refresh` first)?"""
        return False

    def refresh(self, user_id: int) -> None:
        """Work out again what this socket's person may hear (runs in a worker thread; may query)."""

    def shows_present(self, user_id: int) -> bool:
        """May this socket's person see that `user_id` is here? (No query.)"""
        return True

    def still_allowed(self, user_id: int) -> bool:
        """May this person still follow the stream? Asked on every ping (runs in a worker thread)."""
        return True

    async def follow(self, user: Any) -> int | None:
        subscription = await socket_database(self.subscribe)(user)
        if subscription is None:
            return None
        self.stream, latest, self.name = subscription
        self.group = stream_group(self.stream)
        self.user_id = user.pk
        # Which page of the stream this is (the meeting, a pack…): presence is shared with the same page only.
        self.page = (_query_param(self.scope, "page") or "stream")[:20]
        return latest

    async def outbox_latest(self) -> int:
        return await socket_database(selectors.stream_latest_seq)(self.stream)

    async def outbox_after(self, after: int, upto: int) -> list[dict[str, Any]]:
        return await socket_database(selectors.stream_events_after)(self.stream, after, upto)

    async def may_stay(self) -> bool:
        return await self.session_alive() and await socket_database(self.still_allowed)(self.user_id)

    async def stream_event(self, message: dict[str, Any]) -> None:
        await self.doorbell(message)

    async def deliver(self, event: dict[str, Any]) -> None:
        if not await self.session_alive():
            await self.revoke()
            return
        if self.needs_refresh(event):
            # Something new (an item added to the agenda): who may hear of it is worked out before anyone
            # does.
            await socket_database(self.refresh)(self.user_id)
        # Past this event only now that the database has answered (the session, a refresh): had it failed
        # above, the event would be read back from the outbox by the next doorbell or ping.
        self.last_seq = event["seq"]
        payload = self.payload_for(event)
        if payload is not None:
            await self.send_json(
                {"type": "event", "seq": event["seq"], "event": event["type"], "payload": payload}
            )

    def presence_list(self) -> list[dict[str, Any]]:
        people = {
            who.user_id: {"user_id": who.user_id, "name": who.name}
            for who in self.others.values()
            if self.shows_present(who.user_id)
        }
        people.pop(self.user_id, None)
        return sorted(people.values(), key=lambda person: person["name"])


class PersonalConsumer(LiveSocket):
    """The socket every signed-in page opens: this person's notifications, and sign-out everywhere.

    Messages to the browser: {"type": "notification", "notification": {id, kind, text, url}}.
    """

    async def connect(self) -> None:
        self.group = None
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await leave_groups(self, [self.group])

    async def user_notification(self, message: dict[str, Any]) -> None:
        if not await session_alive(self.scope, self):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.send_json({"type": "notification", "notification": message["notification"]})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if (
            isinstance(content, dict)
            and content.get("type") == "ping"
            and not await session_alive(self.scope, self)
        ):
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def user_signed_out(self, message: dict[str, Any]) -> None:
        await self.close(code=CLOSE_UNAUTHENTICATED)


async def leave_groups(consumer: AsyncJsonWebsocketConsumer, groups: list[str]) -> None:
    """Leave every group, even if the channel layer fails for one (Redis down): the others still go."""
    for group in groups:
        try:
            await consumer.channel_layer.group_discard(group, consumer.channel_name)
        except Exception as error:
            logger.info("Could not leave %s (%s)", group, error)


SESSION_CHECK_SECONDS = 60


async def session_alive(scope: dict[str, Any], consumer: Any) -> bool:
    """Is the sign-in this socket was opened with still valid (not signed out, not idle too long)?

    Checked at most once a minute per socket, so a page left open past the idle limit stops receiving.
    Sockets made without a session (tests, the two-process check) are not bound by one.
    """
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    if session is None or key is None:
        return True
    now = time.monotonic()
    if now - getattr(consumer, "_session_checked", 0) < SESSION_CHECK_SECONDS:
        return True
    consumer._session_checked = now
    return await socket_database(session_is_current)(key)
