"""One client's websocket as the server sees it: its seat, its rate limit and its outgoing backlog."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast

from crisisgame.server.limits import Limits
from crisisgame.server.protocol import Error
from crisisgame.server.room import Room

log = logging.getLogger("crisisgame.server")


class Connection:
    """One websocket, and the room seat it is subscribed to.

    Messages are written straight into the connection's outgoing buffer, as `websockets.broadcast`
    does: no task, queue or wait per message, and nothing a client does can hold up a delivery to
    anyone else. A client that stops reading lets its buffer grow; once it holds more than
    `limits.backlog` bytes the client is dropped: unsubscribed at once, then closed with 1013 within
    `close_timeout` (it can resume). A client that stops reading while nothing is sent to it is
    ended by the keepalive ping, which it does not answer.
    """

    def __init__(self, ws: ServerConnection, limits: Limits) -> None:
        self.ws = ws
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

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        """Write a batch, unless the client is already `limits.backlog` bytes behind: then drop it."""
        if self.dropped:
            return
        if self.ws.transport.get_write_buffer_size() > self.limits.backlog and not self.facilitator:
            # The facilitator is never dropped for backlog: the console must answer its clock commands
            # through any flood (the students' quotas bound what a flood can queue for it).
            self.drop(1013, "too slow: reconnect to resume")
            return
        for message in messages:
            broadcast((self.ws,), message, text=True)  # (a connection already closing is skipped)

    def send(self, message: Any) -> None:
        try:
            text = message.model_dump_json().encode()
        except ValueError:  # (pydantic's serialisation error): a field the server failed to sanitise
            log.exception("cannot encode a %s for a client", type(message).__name__)
            failed = Error(code="server_error", message="the server failed on this message; it has been logged")
            text = failed.model_dump_json().encode()
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
