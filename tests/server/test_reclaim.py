"""A server that runs for a whole term gives memory back: an ended game's room nobody looks at leaves
memory (and opens again from its log), and neither it nor a closed connection is kept by the
collector's freeze. Real server on 127.0.0.1, real websocket clients, real SQLite file, the real freeze."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path

from crisisgame.server.reclaim import ENDED_ROOM_IDLE
from crisisgame.server.room import Room
from tests.server.support import FakeClock, join, running_server, until
from tests.server.test_harden import in_diplomacy


async def test_an_ended_games_room_nobody_looks_at_leaves_memory_and_opens_again_from_its_log(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    async with asyncio.timeout(60), running_server(tmp_path / "games.db", clock=clock) as srv:
        assert Room.freeze_history  # (serving: each published phase change froze what was alive)
        game, codes, control = await in_diplomacy(srv, tmp_path)
        await control.ok({"type": "end"})
        plenary = await join(srv, codes["observer"], "Projector", "plenary")
        room = weakref.ref(srv.server.rooms[game])

        clock.advance(2 * ENDED_ROOM_IDLE)  # connected: the room stays however long
        await asyncio.sleep(2.5)  # (two heartbeats)
        assert game in srv.server.rooms

        await plenary.close()
        await control.close()
        await until(lambda: game in srv.server.reclaimer.idle_since)
        clock.advance(ENDED_ROOM_IDLE - 1)
        await asyncio.sleep(1.5)
        assert game in srv.server.rooms  # not idle long enough yet
        clock.advance(2)
        await until(lambda: game not in srv.server.rooms)
        await until(lambda: room() is None)  # freed, frozen or not

        again = await join(srv, codes["observer"], "Projector", "again")
        assert again.latest_view()["game"]["phase"] == "ended"
        assert srv.server.rooms[game] is not None


async def test_a_connection_open_at_a_phase_change_is_freed_once_closed_though_the_freeze_held_it(
    tmp_path: Path,
) -> None:
    async with asyncio.timeout(60), running_server(tmp_path / "games.db") as srv:
        _, codes, control = await in_diplomacy(srv, tmp_path)
        before = set(srv.server.connections)
        watcher = await join(srv, codes["observer"], "Projector", "plenary")
        (conn,) = set(srv.server.connections) - before
        ws = weakref.ref(conn.ws)
        del conn
        await control.ok({"type": "advance"})  # a phase change while it is open: frozen with the rest
        await watcher.wait(lambda m: m.get("type") == "view" and m["view"]["game"]["phase"] == "orders")
        await watcher.close()
        await until(lambda: ws() is None)  # by reference counting: no cycle keeps it
