"""One loop: a live room with bots in every seat plays exactly the game `crisisgame simulate` plays.

The room runs on a fake wall clock that the test moves to the game's next wakeup each time, through
the room's own path (lock, SQLite append before the ack, fan-out); the headless run jumps its game
clock the same way. Same scenario, same seed, same bot timetable: the same events, byte for byte.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from crisisgame.engine.commands import FACILITATOR, Start
from crisisgame.engine.events import GameCreated, event_to_json
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.simulate import play
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import BALTIC, FakeClock, short_scenario


async def play_live(room: Room, clock: FakeClock) -> None:
    """Move the wall clock to each thing the game has due and let the room play it."""
    await room.execute(Start(by=FACILITATOR))
    for _ in range(10_000):
        if room.state.phase == "ended":
            return
        wake = room.game.next_wakeup()
        assert wake is not None, f"the room waits for nobody in {room.state.phase}"
        clock.now = max(clock.now, wake)
        await room.pump()
    raise AssertionError("the live game never ended")


async def test_a_live_room_of_bots_plays_the_same_moves_as_a_headless_run(tmp_path: Path) -> None:
    sc = load_scenario(short_scenario(tmp_path, BALTIC, count=2, diplomacy=60, orders=60, results=10))
    seed = 5
    headless = play(sc, seed)

    store = SqliteStore(tmp_path / "games.db")
    try:
        store.create_game("g", sc.id, sc.meta.title, 0.0)
        clock = FakeClock(start=0.0)
        created = GameCreated(scenario=scenario_dict(sc), seed=seed, teams=[])
        room = Room.create("g", store, created, clock)
        async with asyncio.timeout(120):
            await play_live(room, clock)
        room.close()
        live = [e for _, e in store.events("g")]
    finally:
        store.close()

    bot_moves = [e for e in headless.log if e.type in ("proposal_made", "proposal_answered", "orders_submitted")]
    assert len(bot_moves) > 20  # the bots did play: proposals, answers and orders
    assert [event_to_json(e) for e in live] == [event_to_json(e) for e in headless.log]
