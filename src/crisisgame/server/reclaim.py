"""What a server that runs for a whole term gives back: the rooms of ended games nobody is looking at,
and the garbage the collector's freeze holds.

While serving, a published phase change moves every object alive then out of the cyclic collector's
reach (`gc.freeze`, `Room.freeze_history`), so that full collections no longer scan the games' long
history. The price: an object frozen while alive is never collected if it later dies in a reference
cycle. A closed websocket connection is such an object (its transport, protocol, tasks and the
exception that ended it refer to one another): about 50 KB for each connection that was open at a
phase change, and a room referred to by such a connection stays with it. So the server counts what
may have been left that way, and once enough has been (`SWEEP_AFTER` connections closed, or any room
dropped) it sweeps: it gives the frozen objects back to the collector, collects once and freezes again.
That one collection scans everything (tens of milliseconds with a few late games in memory), which is
why it is rare and never runs while a room publishes a step.

A room of an ended game, which the server keeps to serve its debrief, is dropped once nobody has been
connected to it for `ENDED_ROOM_IDLE` seconds; the next request opens it again from its log
(`GameServer.open_room`).
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field

from crisisgame.server.room import Room

log = logging.getLogger("crisisgame.server")

ENDED_ROOM_IDLE = 900.0
"""Seconds an ended game's room stays in memory with nobody connected to it before it is dropped."""
SWEEP_AFTER = 500
"""Connections closed since the last sweep after which the next heartbeat sweeps (about 25 MB of
them at most, had every one been open at a phase change)..."""
SWEEP_GAP = 60.0
"""...but not within this many seconds of the last sweep: a script opening and closing connections
as fast as it can must not make the server pause every game again and again."""


@dataclass
class Reclaimer:
    """The server's count of what it may hold for nothing, and the two ways it gives memory back."""

    ended_room_idle: float = ENDED_ROOM_IDLE
    sweep_after: int = SWEEP_AFTER
    sweep_gap: float = SWEEP_GAP
    swept_at: float = float("-inf")
    """When the last sweep ran (the server's clock)."""
    closed: int = 0
    """Connections closed since the last sweep."""
    dropped: int = 0
    """Rooms dropped since the last sweep."""
    sweeps: int = 0
    idle_since: dict[str, float] = field(default_factory=dict)
    """Since when (the server's clock) each ended game's room has had nobody connected."""

    def drop_idle_rooms(self, rooms: dict[str, Room], now: float) -> list[str]:
        """Drop (and close) the rooms of ended games nobody has been connected to for `ended_room_idle`
        seconds; their ids."""
        dropped = []
        for game_id, room in list(rooms.items()):
            if room.state.phase != "ended" or len(room.subscribers) or room.publishing:
                self.idle_since.pop(game_id, None)
                continue
            if now - self.idle_since.setdefault(game_id, now) >= self.ended_room_idle:
                del rooms[game_id]
                del self.idle_since[game_id]
                room.close()
                dropped.append(game_id)
        self.dropped += len(dropped)
        return dropped

    def sweep_due(self, rooms: dict[str, Room], now: float) -> bool:
        """Whether to sweep now: enough may be held for nothing, the last sweep is `sweep_gap` seconds
        behind, and no room is publishing a step."""
        due = (self.dropped > 0 or self.closed >= self.sweep_after) and now - self.swept_at >= self.sweep_gap
        return due and not any(room.publishing for room in rooms.values())

    def sweep(self, now: float) -> int:
        """Give the frozen objects back to the collector, collect them all once, freeze what lives;
        the number of unreachable objects found."""
        self.swept_at = now
        started = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        log.info(
            "memory sweep after %d closed connection(s) and %d dropped room(s): %d objects freed in %.0f ms",
            self.closed,
            self.dropped,
            found,
            (time.perf_counter() - started) * 1000,
        )
        self.closed = self.dropped = 0
        self.sweeps += 1
        return found
