"""The event-loop step log of the benchmarks (benchmarks/loop_steps.py): a task's step is named by its
coroutine and the lines it ran between (not asyncio's bare `Task.task_wakeup`), and a garbage
collection inside a step is reported apart from the step's own work."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.benchmarks import load


def loop_steps() -> ModuleType:
    return load("loop_steps")


def burn(ms: float) -> None:
    began = time.thread_time()
    while time.thread_time() - began < ms / 1000:
        pass


async def inner_work() -> None:
    await asyncio.sleep(0.001)
    burn(4)  # the step to be named: from the sleep above to the one below
    await asyncio.sleep(0.001)


async def outer_work() -> None:
    await inner_work()


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    out = io.StringIO()
    module = loop_steps()
    monkeypatch.setattr(asyncio.events.Handle, "_run", asyncio.events.Handle._run)
    before = list(gc.callbacks)
    module.install(out)
    yield out
    gc.callbacks[:] = before


def lines(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_task_step_names_its_coroutine_and_the_lines_it_ran_between(logged: io.StringIO) -> None:
    async def main() -> None:
        await asyncio.create_task(outer_work())

    asyncio.run(main())
    steps = [s for s in lines(logged) if s["cpu_ms"] >= 3.5]
    assert len(steps) == 1
    what = steps[0]["what"]
    assert what.startswith("task outer_work: inner_work (test_bench_loop_steps.py:")
    first, second = (int(part.split(":")[-1].rstrip(")")) for part in what.split(" -> "))
    assert second - first == 2  # the sleeps around `burn`, not asyncio's own lines
    assert "gc_ms" not in steps[0]


def test_a_plain_callback_is_named_by_its_qualified_name(logged: io.StringIO) -> None:
    async def main() -> None:
        asyncio.get_running_loop().call_soon(burn, 3)
        await asyncio.sleep(0.01)

    asyncio.run(main())
    assert [s["what"] for s in lines(logged) if s["cpu_ms"] >= 2.5] == ["burn"]


def test_a_garbage_collection_inside_a_step_is_reported_with_its_generation(logged: io.StringIO) -> None:
    def collect() -> None:
        burn(2)
        gc.collect(1)

    async def main() -> None:
        asyncio.get_running_loop().call_soon(collect)
        await asyncio.sleep(0.01)

    asyncio.run(main())
    steps = [s for s in lines(logged) if s["what"].endswith("collect")]
    assert len(steps) == 1
    assert steps[0]["gc_gen"] == 1
    assert 0 <= steps[0]["gc_ms"] <= steps[0]["cpu_ms"]
