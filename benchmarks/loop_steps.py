"""Run `python -m crisisgame ...` and record how long each event-loop step takes, for benchmarks.

A step is one callback of the asyncio loop (a task running to its next `await`, a transport's read):
while it runs, nothing else in the server is answered. `bench_phase_change.py` runs the server
through this module to report the longest step of a phase change in CPU time (the thread's), which
a busy machine does not inflate as it does the wall-clock time a pinging client sees.

Each step that takes at least `MIN_MS` of CPU time is appended to the file named by the environment
variable `CRISISGAME_STEP_LOG`, one JSON line: {"at": Unix time at its end, "cpu_ms", "wall_ms",
"what"}.

Usage: CRISISGAME_STEP_LOG=steps.jsonl python benchmarks/loop_steps.py serve --port 0 ...
"""

from __future__ import annotations

import asyncio.events
import json
import os
import runpy
import sys
import time
from typing import Any, TextIO

MIN_MS = 2.0
"""Steps shorter than this (CPU milliseconds) are not recorded: most are, and they are harmless."""


def install(out: TextIO) -> None:
    """Time every `Handle._run` of asyncio (every callback and task step runs through it)."""
    original = asyncio.events.Handle._run

    def timed(self: Any) -> None:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            original(self)
        finally:
            cpu_ms = (time.thread_time() - cpu) * 1000
            if cpu_ms >= MIN_MS:
                wall_ms = (time.perf_counter() - wall) * 1000
                what = getattr(self._callback, "__qualname__", repr(self._callback))[:120]
                line = {"at": time.time(), "cpu_ms": round(cpu_ms, 2), "wall_ms": round(wall_ms, 2), "what": what}
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
