"""The phase clock: a phase ends when its deadline passes on the wall clock (the clock the deadline is
written in), never earlier, never while paused, and again after a restart. The tests move a fake wall
clock by hand: the server must notice without the test waiting out real minutes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from crisisgame.server import room as room_module
from tests.server.support import (
    Client,
    FakeClock,
    Pred,
    Running,
    create_game,
    facilitator,
    running_server,
    short_scenario,
)

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""


@pytest.fixture(autouse=True)
def quick_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(room_module, "TIMER_TICK", 0.02)


def phase(srv: Running, game: str) -> tuple[int, str]:
    state = srv.server.rooms[game].state
    return state.turn, state.phase


async def settle() -> None:
    await asyncio.sleep(0.2)  # ten ticks of the timer


async def started(srv: Running, tmp_path: Path, **options: Any) -> tuple[str, Client]:
    lobby = await facilitator(srv, label="lobby")
    created = await create_game(lobby, short_scenario(tmp_path, diplomacy=600, orders=300), ["ALPHA"], **options)
    control = await facilitator(srv, created["game"])
    await control.ok({"type": "start"})
    await control.wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")
    return created["game"], control


def view_of(phase_name: str) -> Pred:
    return lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == phase_name


async def test_a_phase_ends_when_its_deadline_passes_on_the_wall_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", clock=clock) as srv:
        game, control = await started(srv, tmp_path)
        deadline = srv.server.rooms[game].state.deadline
        assert deadline == clock.now + 600
        clock.advance(599)
        await settle()
        assert phase(srv, game) == (1, "diplomacy")
        clock.advance(2)
        orders = await control.wait(view_of("orders"), timeout=2)
        assert orders["view"]["game"]["deadline"] == clock.now + 300


async def test_a_paused_clock_never_ends_a_phase_and_resuming_or_extending_rearms_it(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", clock=clock) as srv:
        game, control = await started(srv, tmp_path)
        clock.advance(100)
        await control.ok({"type": "pause"})
        clock.advance(10_000)
        await settle()
        assert phase(srv, game) == (1, "diplomacy")
        await control.ok({"type": "resume"})
        assert srv.server.rooms[game].state.deadline == clock.now + 500
        await control.ok({"type": "extend", "seconds": 60})
        clock.advance(559)
        await settle()
        assert phase(srv, game) == (1, "diplomacy")
        clock.advance(2)
        await control.wait(view_of("orders"), timeout=2)


async def test_results_wait_for_the_facilitator_when_release_is_manual(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", clock=clock) as srv:
        game, control = await started(srv, tmp_path, auto_release=False)
        await control.ok({"type": "advance"})
        await control.ok({"type": "advance"})  # orders -> adjudication -> results (0 s)
        clock.advance(10_000)
        await settle()
        assert phase(srv, game) == (1, "results")  # the clock waits for the release
        await control.ok({"type": "release"})
        await control.wait(lambda m: m["type"] == "view" and m["view"]["game"]["turn"] == 2, timeout=2)
        await control.wait(view_of("diplomacy"), timeout=2)  # briefing 0 s: both timers fired at once


async def test_a_deadline_that_passed_while_the_server_was_down_is_moved_on_by_the_downtime(tmp_path: Path) -> None:
    """The phase clock does not run while the server is down (issue 15): after an hour's outage the
    phase resumes with the time it had left, instead of ending the moment the server is back."""
    clock = FakeClock()
    db = tmp_path / "games.db"
    async with asyncio.timeout(20):
        async with running_server(db, clock=clock) as srv:
            game, _ = await started(srv, tmp_path)
            deadline = srv.server.rooms[game].state.deadline
            assert deadline is not None
            left = deadline - clock.now
        clock.advance(3600)  # an hour with the server down
        async with running_server(db, clock=clock) as srv:
            control = await facilitator(srv, game)
            await control.wait(view_of("diplomacy"), timeout=2)
            state = srv.server.rooms[game].state
            assert state.phase == "diplomacy"
            assert state.deadline is not None
            assert state.deadline - clock.now == pytest.approx(left, abs=1.0)
