"""The room's order of play: what the game's timetable had due before a command is played before it."""

from __future__ import annotations

import json
from pathlib import Path

from crisisgame.engine.commands import FACILITATOR, Orders, SetReady, Start, SubmitOrders
from crisisgame.engine.events import GameCreated, OrdersSubmitted
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import TRIO, FakeClock


async def test_the_last_teams_ready_does_not_end_a_phase_before_the_bots_due_moves(tmp_path: Path) -> None:
    # The team answers before the room's timetable task has run once: as on a loaded or just restarted
    # server, the bots' round that opens each phase is due (game time) but not played yet (wall clock).
    # No await between the commands yields to the timetable, so its task plays nothing of its own here.
    clock = FakeClock()
    store = SqliteStore(tmp_path / "games.db")
    try:
        scenario = load_scenario(TRIO)
        created = GameCreated(scenario=scenario_dict(scenario), seed=3, teams=["ALPHA"])
        store.create_game("g", scenario.id, scenario.meta.title, clock())
        room = Room.create("g", store, created, clock)
        bots = set(room.state.bots())
        assert bots
        await room.execute(Start(by=FACILITATOR))
        while room.state.phase != "orders":  # the team ends briefing and diplomacy at once
            clock.advance(0.5)
            await room.execute(SetReady(by="ALPHA"))
        clock.advance(0.5)
        await room.execute(SubmitOrders(by="ALPHA", orders=Orders(defence_spending=2.0)))
        await room.execute(SetReady(by="ALPHA"))  # ends orders
        assert (room.state.turn, room.state.phase) == (1, "results")
        events = [e for _, e in store.events("g")]
        assert {e.actor for e in events if isinstance(e, OrdersSubmitted) and e.turn == 1} == bots | {"ALPHA"}
        room.close()
    finally:
        store.close()


async def test_a_room_reopened_from_its_log_sends_a_fresh_view_to_a_client_at_its_last_seq(tmp_path: Path) -> None:
    # The server was killed after a phase's events reached a client and before their view did: the
    # client resumes at the last stored seq, and must not go on playing the previous phase's view.
    clock = FakeClock()
    store = SqliteStore(tmp_path / "games.db")
    try:
        scenario = load_scenario(TRIO)
        created = GameCreated(scenario=scenario_dict(scenario), seed=3, teams=["ALPHA"])
        store.create_game("g", scenario.id, scenario.meta.title, clock())
        room = Room.create("g", store, created, clock)
        await room.execute(Start(by=FACILITATOR))
        room.close()
        reopened = Room("g", store, [e for _, e in store.events("g")], clock)
        missed = [json.loads(m) for m in reopened.missed("ALPHA", reopened.state.seq)]
        assert [(m["type"], m["seq"], m["view"]["game"]["phase"]) for m in missed] == [
            ("view", reopened.state.seq, reopened.state.phase)
        ]
        reopened.close()
    finally:
        store.close()
