"""A server that runs for a whole term gives memory back: an ended game's room nobody looks at leaves
memory (and opens again from its log), and what the collector's freeze held for closed connections is
swept. Real server on 127.0.0.1, real websocket clients, real SQLite file; the freeze is the real one."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path

from crisisgame.server.reclaim import ENDED_ROOM_IDLE, SWEEP_GAP
from crisisgame.server.room import Room
from tests.server.support import Client, FakeClock, join, running_server, until
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


async def test_closed_connections_the_freeze_held_are_swept_one_sweep_a_minute_at_most(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(60), running_server(tmp_path / "games.db", clock=clock) as srv:
        srv.server.reclaimer.sweep_after = 4
        _, codes, control = await in_diplomacy(srv, tmp_path)
        before = set(srv.server.connections)
        watcher = await join(srv, codes["observer"], "Projector", "plenary")
        (conn,) = set(srv.server.connections) - before
        ws = weakref.ref(conn.ws)
        await control.ok({"type": "advance"})  # a phase change while it is open: the freeze holds it
        await watcher.wait(lambda m: m.get("type") == "view" and m["view"]["game"]["phase"] == "orders")
        await watcher.close()
        del conn
        reclaimer = srv.server.reclaimer
        sweeps = reclaimer.sweeps
        for n in range(4):  # the closes that make a sweep due
            other = await Client.connect(srv.url, f"short-{n}")
            await other.close()
        await until(lambda: reclaimer.sweeps > sweeps)
        await until(lambda: ws() is None)
        assert reclaimer.closed < 4

        # A script opening and closing connections fast makes one sweep a minute at most.
        for n in range(12):
            other = await Client.connect(srv.url, f"again-{n}")
            await other.close()
        await asyncio.sleep(2.5)  # (two heartbeats)
        assert reclaimer.sweeps == sweeps + 1
        assert reclaimer.closed >= 12
        clock.advance(SWEEP_GAP)
        await until(lambda: reclaimer.sweeps == sweeps + 2)
