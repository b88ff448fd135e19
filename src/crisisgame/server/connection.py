"""One client's websocket as the server sees it: its seat, its rate limit and its outgoing backlog."""

from __future__ import annotations

import asyncio
import logging
import struct
import sys
import time
from collections.abc import Sequence
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.protocol import State
from websockets.server import ServerProtocol

from crisisgame.server.compression import LargeOnlyDeflate
from crisisgame.server.limits import Limits
from crisisgame.server.protocol import Error
from crisisgame.server.room import Batch, Room

log = logging.getLogger("crisisgame.server")

_OPEN = State.OPEN  # (an enum member read once: `State.OPEN` is a lookup through the enum's class each time)
_HEAD16 = struct.Struct("!BBH")
_HEAD64 = struct.Struct("!BBQ")


def text_frame(payload: bytes) -> bytes:
    """`payload` as one whole, uncompressed text frame from a server (RFC 6455 section 5.2: FIN set, no
    mask), byte for byte what `websockets` writes for it: the same bytes serve every connection."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return _HEAD16.pack(0x81, 126, size) + payload
    return _HEAD64.pack(0x81, 127, size) + payload


def _raw_below(ws: ServerConnection) -> int:
    """Messages shorter than this may be written as plain text frames on this connection: any, without
    an extension; under the threshold, with the server's own deflate (which leaves them as they are);
    none, with any other extension."""
    extensions = ws.protocol.extensions
    if not extensions:
        return sys.maxsize
    if all(isinstance(e, LargeOnlyDeflate) for e in extensions):
        return min(e.threshold for e in extensions if isinstance(e, LargeOnlyDeflate))
    return 0


class Connection:
    """One websocket, and the room seat it is subscribed to.

    Messages are written straight into the connection's outgoing buffer, as `websockets.broadcast`
    does: no task, queue or wait per message, and nothing a client does can hold up a delivery to
    anyone else. A client that stops reading lets its buffer grow; once it holds more than
    `limits.backlog` bytes the client is dropped: unsubscribed at once, then closed with 1013 within
    `close_timeout` (it can resume). A client that stops reading while nothing is sent to it is
    ended by the keepalive ping, which it does not answer.

    A batch goes out in one write (one system call): a message short enough to need no compression
    is framed here (`text_frame`), as `websockets.broadcast` would frame it, and a larger one (a view)
    through the connection's `websockets` protocol, which compresses it. What a group commit publishes
    is held until the end of its flush (`GroupCommit.hold`): the connection's share of every step
    of that flush, and the acknowledgements of its own commands, go out in one write.
    """

    __slots__ = (
        "closing",
        "dropped",
        "facilitator",
        "flooding",
        "held",
        "limits",
        "member",
        "name",
        "pending",
        "raw_below",
        "refilled",
        "role",
        "room",
        "seat",
        "tokens",
        "ws",
    )

    def __init__(self, ws: ServerConnection, limits: Limits) -> None:
        self.ws = ws
        self.raw_below = _raw_below(ws)
        self.limits = limits
        self.seat = ""
        self.room: Room | None = None
        self.member: str | None = None
        self.name: str | None = None
        """The student's display name (for the author of their messages)."""
        self.facilitator = False
        self.role = ""
        """'facilitator', 'observer' or 'team': how the connection signed in, never read from a seat's name."""
        self.flooding = 0
        self.dropped = False
        self.closing: asyncio.Task[None] | None = None
        self.tokens = limits.burst
        self.refilled = time.monotonic()
        self.held: list[bytes] | None = None
        """Frames written during a group commit's flush, written at its end (`release`)."""
        self.pending: asyncio.Future[int] | None = None
        """The write of the client's last command, while the session reads on (`sessions.settle`)."""

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        """Write a batch, unless the client is already `limits.backlog` bytes behind: then drop it."""
        if self.dropped:
            return
        held = self.held
        if held is not None:
            # Later in a group commit's flush than a first share held: the checks below passed for that one,
            # and hold still until the flush ends (nothing is written to the client meanwhile, and nothing it
            # sends is read).
            if type(messages) is Batch and messages.longest < self.raw_below:
                wire = messages.wire
                if wire is None:
                    wire = messages.wire = b"".join(map(text_frame, messages))
                held.append(wire)
                return
            if len(messages) == 1 and len(message := messages[0]) < self.raw_below:
                held.append(text_frame(message))
                return
        ws = self.ws
        transport = ws.transport
        if transport.get_write_buffer_size() > self.limits.backlog and not self.facilitator:
            # The facilitator is never dropped for backlog: the console must answer its clock commands
            # through any flood (the students' quotas bound what a flood can queue for it).
            self.drop(1013, "too slow: reconnect to resume")
            return
        protocol = ws.protocol
        if protocol.state is not _OPEN or ws.send_in_progress is not None or protocol.expect_continuation_frame:
            return  # closing, or (never, from this server) amid a fragmented message: as `broadcast` skips it
        try:
            # (`writes`: what the protocol queued and `data_to_send` would return, which goes first: nothing,
            # normally. Without it, messages short enough to need no compression are framed here.)
            if protocol.writes:
                wire = self._frames(protocol, messages)
            elif type(messages) is Batch:
                if messages.longest < self.raw_below:
                    # The room's batch, framed once for every connection that is sent it.
                    wire = messages.wire
                    if wire is None:
                        wire = messages.wire = b"".join(map(text_frame, messages))
                else:
                    wire = self._frames(protocol, messages)
            elif len(messages) == 1 and len(message := messages[0]) < self.raw_below:
                wire = text_frame(message)  # (one message of the connection's own: an ack, an error, a reply)
            else:
                wire = self._frames(protocol, messages)
            if wire is None:
                return
            if self.held is not None:
                self.held.append(wire)
                return
            room = self.room
            if room is not None and room.writer.holding:
                self.held = [wire]
                room.writer.hold(self.release)
                return
            transport.write(wire)
        except Exception:  # (as `broadcast` does: one client's failed write never stops the others')
            log.warning("could not write to a client (%s)", self.seat, exc_info=True)

    def _frames(self, protocol: ServerProtocol, messages: Sequence[bytes]) -> bytes | None:
        """The messages as the bytes to write, after what the protocol has queued: each short one framed
        here, each longer one through the protocol (which compresses it); None if there is nothing."""
        frames = protocol.data_to_send()
        for message in messages:
            if len(message) < self.raw_below:
                frames.append(text_frame(message))
            else:
                protocol.send_text(message)
                frames += protocol.data_to_send()
        if not frames:
            return None
        return frames[0] if len(frames) == 1 else b"".join(frames)

    def release(self) -> None:
        """Write what was held during a group commit's flush, in one write."""
        held, self.held = self.held, None
        if not held or self.dropped:
            return
        try:
            self.ws.transport.write(held[0] if len(held) == 1 else b"".join(held))
        except Exception:
            log.warning("could not write to a client (%s)", self.seat, exc_info=True)

    def send(self, message: Any) -> None:
        try:
            text = message.__pydantic_serializer__.to_json(message)
        except ValueError:  # (pydantic's serialisation error): a field the server failed to sanitise
            log.exception("cannot encode a %s for a client", type(message).__name__)
            failed = Error(code="server_error", message="the server failed on this message; it has been logged")
            text = failed.__pydantic_serializer__.to_json(failed)
        self.deliver_all((text,))

    def drop(self, code: int, reason: str) -> None:
        """Stop sending to this client and close its connection, whatever state its socket is in."""
        if self.dropped:
            return
        self.dropped = True
        log.warning("closing a client (%s) of game %s: %s", self.seat, self.room.id if self.room else "-", reason)
        if self.room is not None:
            self.room.subscribers.discard(self)
        self.closing = asyncio.get_running_loop().create_task(self.close(code, reason))

    async def close(self, code: int, reason: str) -> None:
        """The closing handshake, bounded: a peer that does not read never lets the close frame out."""
        try:
            await asyncio.wait_for(self.ws.close(code, reason), self.limits.close_timeout)
        except TimeoutError:
            self.ws.transport.abort()

    def allow(self) -> bool:
        """Token bucket: may this connection send another message now?"""
        now = time.monotonic()
        self.tokens = min(self.limits.burst, self.tokens + (now - self.refilled) * self.limits.rate)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
