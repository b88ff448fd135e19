"""What a server that runs for a whole term gives back: the rooms of ended games nobody is looking at.

The server keeps an ended game's room to serve its debrief (the plenary screen, the replay, the
report). Once nobody has been connected to it for `ENDED_ROOM_IDLE` seconds it is dropped; the next
request opens it again from its log (`GameServer.open_room`).

Dropping a room frees it by reference counting alone, which matters: while serving, a published
phase change moves every object alive then out of the cyclic collector's reach (`gc.freeze`,
`Room.freeze_history`), so an object frozen while alive that later dies in a reference cycle is never
collected. A room does not (`Room.close` lets its timetable task go), nor does a closed connection's
`websockets` connection; what a connection open at a phase change leaves behind is its transport and
socket objects, about 600 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crisisgame.server.room import Room

ENDED_ROOM_IDLE = 900.0
"""Seconds an ended game's room stays in memory with nobody connected to it before it is dropped."""


@dataclass
class Reclaimer:
    """Which ended games' rooms have had nobody connected, and since when; it drops them in time."""

    ended_room_idle: float = ENDED_ROOM_IDLE
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
        return dropped
