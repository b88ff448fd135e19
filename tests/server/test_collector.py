"""The garbage collector's work, done by the server in event-loop steps of its own (`collector.py`): the
young generation once enough is pending, the middle and oldest in their turn, between two heavy steps
at the `Turnstile` and on a timer, never inside a heavy step; and while serving only."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisgame.server import collector
from crisisgame.server.app import GC_THRESHOLDS
from crisisgame.server.collector import Collector
from crisisgame.server.room import Turnstile
from tests.server.support import create_game, facilitator, join, running_server, short_scenario


@pytest.fixture
def quiet_collector() -> Iterator[None]:
    """Python's own collections off, so that the counts move only as the test makes them."""
    was = gc.isenabled()
    gc.disable()
    gc.collect()
    yield
    if was:
        gc.enable()


def allocate(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]


def test_nothing_is_collected_until_enough_is_pending(quiet_collector: None) -> None:
    c = Collector(young=5_000)
    kept = allocate(2_000)
    assert c.collect() == -1
    assert c.collections == [0, 0, 0]
    kept += allocate(4_000)
    pending = gc.get_count()[0]
    assert pending >= 5_000
    assert c.collect() == 0
    assert gc.get_count()[0] < pending
    assert c.collections == [1, 0, 0]
    assert len(kept) == 6_000


def test_the_middle_generation_comes_every_MIDDLE_young_collections_and_the_oldest_every_OLDEST_middle_ones(
    quiet_collector: None,
) -> None:
    c = Collector(young=100)
    kept = []
    for _ in range(collector.MIDDLE):
        kept.append(allocate(200))
        assert c.collect() == 0
    kept.append(allocate(200))
    assert c.collect() == 1
    assert gc.get_count()[1] == 0
    for _ in range(collector.OLDEST - 1):
        for _ in range(collector.MIDDLE):
            kept.append(allocate(200))
            c.collect()
        kept.append(allocate(200))
        assert c.collect() == 1
    assert c.collections[2] == 0
    for _ in range(collector.MIDDLE):
        kept.append(allocate(200))
        c.collect()
    kept.append(allocate(200))
    assert c.collect() == 2
    young, middle, oldest = gc.get_count()
    assert (middle, oldest) == (0, 0)
    assert young < c.young  # (not 0: another thread of the process, pytest-xdist's, may allocate meanwhile)
    assert c.collections == [(collector.OLDEST + 1) * collector.MIDDLE, collector.OLDEST, 1]


async def test_the_turnstile_collects_in_a_step_of_its_own_before_each_heavy_step() -> None:
    turnstile = Turnstile()
    seen: list[str] = []

    def between() -> None:
        # A plain callback of the loop, not inside the task that is let through next.
        seen.append("between" if asyncio.current_task() is None else "inside a task")

    turnstile.between = between

    async def heavy(name: str) -> None:
        await turnstile.turn()
        seen.append(name)

    await asyncio.gather(heavy("a"), heavy("b"))
    assert seen == ["between", "a", "between", "b"]


async def test_while_serving_the_server_collects_on_its_timer_and_at_the_turnstile(tmp_path: Path) -> None:
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        c = srv.server.collector
        assert c is not None
        assert gc.get_threshold() == GC_THRESHOLDS
        loop = asyncio.get_running_loop()
        assert Turnstile.of(loop).between == c.collect
        kept = allocate(c.young + 1_000)  # (more than enough pending, fewer than Python's own threshold)
        await asyncio.sleep(c.every * 3)
        assert c.collections[0] >= 1  # the timer's
        assert gc.get_count()[0] < c.young

        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
        control = await facilitator(srv, created["game"])
        at_turnstile: list[int] = []
        Turnstile.of(loop).between = lambda: at_turnstile.append(c.collect())
        kept += allocate(c.young + 1_000)
        await control.ok({"type": "start"})  # a phase change: its heavy steps pass the turnstile
        assert at_turnstile
        assert 0 in at_turnstile or c.collections[0] >= 2  # (or the timer came first)
        gc.unfreeze()
        Turnstile.of(loop).between = c.collect
    assert srv.server.collector is c
    assert Turnstile.of(loop).between is None
    assert len(kept) == 2 * (c.young + 1_000)
