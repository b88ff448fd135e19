"""Run `python -m crisisgame ...` and record how long each event-loop step takes, for benchmarks.

A step is one callback of the asyncio loop (a task running to its next `await`, a transport's read):
while it runs, nothing else in the server is answered. `bench_phase_change.py` runs the server
through this module to report the longest step of a phase change in CPU time (the thread's), which
a busy machine does not inflate as it does the wall-clock time a pinging client sees.

Each step that takes at least `MIN_MS` of CPU time is appended to the file named by the environment
variable `CRISISGAME_STEP_LOG`, one JSON line: {"at": Unix time at its end, "cpu_ms", "wall_ms",
"what"}. `what` names the callback; for a task's step (asyncio's `Task.task_wakeup` or `Task.__step`,
which say nothing of the work) it names the task's coroutine and the code the step ran: "task
COROUTINE: FROM -> TO", FROM the innermost function and line the task was suspended at (where it
resumed) and TO where it suspended again ("done" if it finished). Between the two lines is the work.
A step in which the cyclic garbage collector ran also has "gc_ms" (its CPU time in the step, which
counts in "cpu_ms"), "gc_gen" (the oldest generation collected) and "gc_freed" (the unreachable
objects it found): a collection runs in whichever step happens to allocate past the threshold, so it
is named apart from the step's own work.

Usage: CRISISGAME_STEP_LOG=steps.jsonl python benchmarks/loop_steps.py serve --port 0 ...
"""

from __future__ import annotations

import asyncio
import asyncio.events
import gc
import json
import os
import runpy
import sys
import time
from typing import Any, TextIO

MIN_MS = 2.0
"""Steps shorter than this (CPU milliseconds) are not recorded: most are, and they are harmless."""


_ASYNCIO = os.path.dirname(asyncio.__file__)


def _innermost(coro: Any) -> str:
    """Where a suspended coroutine waits: the innermost function of its `await` chain outside asyncio
    itself (whose `sleep` or `wait` say nothing), as "function (file:line)"; "done" once finished."""
    frame = None
    while coro is not None:
        found = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if found is None:
            break
        if frame is None or not found.f_code.co_filename.startswith(_ASYNCIO):
            frame = found
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    if frame is None:
        return "done"
    code = frame.f_code
    return f"{code.co_qualname} ({os.path.basename(code.co_filename)}:{frame.f_lineno})"


def _task_of(callback: Any) -> Any:
    """The task whose step `callback` is (its wakeup or step method), or None."""
    task = getattr(callback, "__self__", None)
    return task if isinstance(task, asyncio.Task) else None


def describe(callback: Any, resumed: str | None) -> str:
    """What a step ran: the callback's name; for a task's step, its coroutine and from where to where."""
    what = getattr(callback, "__qualname__", repr(callback))
    task = _task_of(callback)
    if task is None or resumed is None:
        return what[:120]
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", type(coro).__name__)
    return f"task {name}: {resumed} -> {_innermost(coro)}"[:240]


class Collections:
    """The garbage collector's CPU time and oldest generation since the last `take` (gc.callbacks)."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.oldest = -1
        self.freed = 0
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.thread_time()
        else:
            self.ms += (time.thread_time() - self._began) * 1000
            self.oldest = max(self.oldest, info["generation"])
            self.freed += info["collected"]

    def take(self) -> tuple[float, int, int]:
        taken, self.ms, self.oldest, self.freed = (self.ms, self.oldest, self.freed), 0.0, -1, 0
        return taken


def install(out: TextIO) -> None:
    """Time every `Handle._run` of asyncio (every callback and task step runs through it)."""
    original = asyncio.events.Handle._run
    collections = Collections()
    gc.callbacks.append(collections)

    def timed(self: Any) -> None:
        task = _task_of(self._callback)
        resumed = _innermost(task.get_coro()) if task is not None else None
        collections.take()
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            original(self)
        finally:
            cpu_ms = (time.thread_time() - cpu) * 1000
            if cpu_ms >= MIN_MS:
                wall_ms = (time.perf_counter() - wall) * 1000
                what = describe(self._callback, resumed)
                line: dict[str, Any] = {"at": time.time(), "cpu_ms": round(cpu_ms, 2), "wall_ms": round(wall_ms, 2)}
                line["what"] = what
                gc_ms, gc_gen, gc_freed = collections.take()
                if gc_gen >= 0:
                    line.update(gc_ms=round(gc_ms, 2), gc_gen=gc_gen, gc_freed=gc_freed)
                out.write(json.dumps(line) + "\n")
                out.flush()

    asyncio.events.Handle._run = timed  # type: ignore[method-assign]


def main() -> None:
    path = os.environ.get("CRISISGAME_STEP_LOG")
    if not path:
        raise SystemExit("set CRISISGAME_STEP_LOG to the file to write the steps to")
    with open(path, "a", encoding="utf-8") as out:
        install(out)
        sys.argv = ["crisisgame", *sys.argv[1:]]
        runpy.run_module("crisisgame", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
