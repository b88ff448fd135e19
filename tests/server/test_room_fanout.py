"""A phase change sends every seat a fresh view: the room lets the event loop run between two
seats' views, so one game's phase change does not stall every other game on the server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from crisisgame.engine.state import State
from crisisgame.engine.view import view_json
from crisisgame.server import room as room_module
from tests.server.support import UNLIMITED, create_game, facilitator, join, running_server, short_scenario

TEAMS = ["ALPHA", "BETA", "GAMMA"]


async def test_the_loop_runs_between_two_seats_views_at_a_phase_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace: list[str] = []

    def traced(state: State, seat: str) -> bytes:
        trace.append(f"view {seat}")
        return view_json(state, seat)

    monkeypatch.setattr(room_module, "view_json", traced)
    async with running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), TEAMS)
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        students = [await join(srv, created["codes"][seat], seat) for seat in (*TEAMS, "observer")]

        ticking = True

        async def ticker() -> None:
            while ticking:
                trace.append("tick")
                await asyncio.sleep(0)

        trace.clear()
        task = asyncio.get_running_loop().create_task(ticker())
        await control.ok({"type": "advance"})
        ticking = False
        await task
        views = [i for i, x in enumerate(trace) if x.startswith("view")]
        assert len(views) >= len(TEAMS) + 2  # every team, the plenary screen and Control
        between = trace[views[0] : views[-1]]
        assert between.count("tick") >= len(views) - 1  # the loop ran between each two seats' views
        for c in (lobby, control, *students):
            await c.close()
