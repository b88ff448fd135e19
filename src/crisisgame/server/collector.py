"""The cyclic garbage collector's work, done by the server in event-loop steps of its own.

Python collects its young generation inside whichever step allocates past the first threshold, and
that collection scans everything every step since the last one left alive, with what those objects
hold: the young lists of three thousand outcomes a late game's states make, say. Measured in
`bench_phase_change --under-load --synchronised 20` (benchmarks/loop_steps.py names a step's
collection apart), such a collection took 1-24 ms, and landing in a turn-8 adjudication (9-13 ms of
the engine's own) or a seat's view it made the longest step of a phase change 24-36 ms; collecting
more often (a lower threshold) made each cheaper on average but not the worst ones, whose cost is
what they hold, not how many they are.

So while serving, the server collects the young generation itself (`Collector.collect`): between
two heavy steps (the `Turnstile` calls it before letting the next one through, in a turn of the loop
of its own), and every `EVERY` seconds otherwise; each time only once `YOUNG` allocations are
pending. A heavy step then starts with next to nothing pending and, under the backstop thresholds the
server sets (`BACKSTOP`: a turn-8 adjudication leaves some 5,500 objects alive, a seat's view fewer),
does not collect inside; what it leaves alive is collected after it, once its transient objects are
gone. Python still collects by itself past the backstop (a game replayed in a worker thread, a burst
between two checks), as it did before at that threshold. The older generations follow as in Python:
the middle one every `MIDDLE` young collections, the oldest every `OLDEST` middle ones (a phase change
freezes what is alive out of their reach: `Room.freeze_history`).
"""

from __future__ import annotations

import asyncio
import gc

YOUNG = 5_000
"""Net allocations (of objects the collector tracks) after which the young generation is collected: its
collection then takes a few milliseconds (about 0.2-1 µs an object, with what it holds)."""
MIDDLE = 200
"""Young collections after which the middle generation is collected instead (a million net allocations
or more, as the server's thresholds of (50,000, 20) before had it)."""
OLDEST = 10
"""Middle collections after which a full collection runs instead (Python's own figure)."""
EVERY = 0.025
"""Seconds between two checks while no heavy step comes (messages and commands only): a check is one
call to `gc.get_count`, and a busy server allocates `YOUNG` objects in some tens of milliseconds."""
BACKSTOP = (25_000, MIDDLE, OLDEST)
"""Python's own thresholds while the server collects: a young collection of its own only after five
times `YOUNG` allocations, more than any step of a game makes."""


class Collector:
    """Collects the garbage collector's generations when due, each call in the event-loop step it is
    called in. `start` also checks every `EVERY` seconds on the running loop until `stop`."""

    def __init__(self, young: int = YOUNG, every: float = EVERY) -> None:
        self.young = young
        self.every = every
        self.collections = [0, 0, 0]
        """Collections run, by generation (for tests)."""
        self._timer: asyncio.TimerHandle | None = None

    def collect(self) -> int:
        """Collect the young generation if `young` allocations are pending (the middle or the oldest
        instead when their turn has come); the generation collected, or -1."""
        pending, middle, oldest = gc.get_count()
        if pending < self.young:
            return -1
        generation = 2 if oldest >= OLDEST and middle >= MIDDLE else 1 if middle >= MIDDLE else 0
        gc.collect(generation)
        self.collections[generation] += 1
        return generation

    def start(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(self.every, self._tick)

    def _tick(self) -> None:
        self.collect()
        self._timer = asyncio.get_running_loop().call_later(self.every, self._tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
