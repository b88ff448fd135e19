"""Memory a room holds as public messages flood one game: whether it stays flat (issue 14's target is
150 KiB of server memory per connection, and a flood that stays under the quotas for hours must not
grow the server without bound).

One game of a shipped scenario in diplomacy with `--clients` subscribers (students round-robin over
the teams, two observers) that count what they are sent and keep nothing, and `--messages` public
messages, each with a receipt of its own (seven members in turn), as a press of students sends them.
At each checkpoint it prints what the room holds (Python's heap, traced with `tracemalloc`, from just
before the game was made: the game's state, the seats' outboxes, the receipts, the store's objects;
SQLite's own cache is not Python's and not counted), per connection, and the bytes held per message
sent since the checkpoint before. Memory grows while the outboxes (`room.OUTBOX`), the receipts held
(`room.RECEIPTS_HELD`) and the channels' windows (`state.MESSAGE_WINDOW`) fill, and stays flat after.
Tracing makes the run about twice as slow; the CPU figure is for comparison between runs only.

Usage: .venv/bin/python benchmarks/bench_room_memory.py [--messages 20000] [--clients 7]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import GameCreated
from crisisgame.scenario.catalogue import shipped
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.store.base import Receipt
from crisisgame.store.sqlite import SqliteStore

TEXT = "|%d|1795435813.899814|%d Our delegation proposes talks on the exclusion zone, with observers present."
"""A press message: about the length of the load benchmark's, with a sender and a number of its own."""


class Counter:
    """A subscriber that counts what it is sent and keeps none of it (a connection that writes at once)."""

    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.received = 0

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.received += len(messages)


def checkpoints(total: int) -> list[int]:
    """10, then 1000, 2500, 5000, ... up to `total` (and `total` itself)."""
    points = [p for p in (10, 1000, 2500, 5000, 10_000, 20_000, 50_000, 100_000) if p < total]
    return [*points, total]


async def run(args: argparse.Namespace) -> list[str]:
    entry = next((e for e in shipped() if e.scenario.id == args.scenario), None)
    if entry is None:
        raise SystemExit(f"no shipped scenario {args.scenario!r}")
    sc = entry.scenario
    teams = [a.id for a in sc.actors if a.playable]
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-room-memory-") as tmp:
        store = SqliteStore(Path(tmp) / "games.db")
        store.create_game("g", sc.id, sc.meta.title, 0.0)
        tracemalloc.start()
        try:
            gc.collect()
            base = tracemalloc.get_traced_memory()[0]
            created = GameCreated(scenario=scenario_dict(sc), seed=1, teams=teams)
            room = Room.create("g", store, created, time.time, bot_pause=3600)
            await room.execute(Start(by=FACILITATOR))
            await room.execute(Advance(by=FACILITATOR, phase="briefing"))
            for c in range(args.clients):
                room.subscribers.add(Counter("observer" if c >= args.clients - 2 else teams[c % len(teams)]))
            sent = 0
            last: tuple[int, int] | None = None
            cpu = time.process_time()
            for point in checkpoints(args.messages):
                for i in range(sent, point):
                    command = SendMessage(by=teams[i % len(teams)], channel="public", text=TEXT % (i % 7, i))
                    await room.execute(command, receipt=Receipt(f"member-{i % 7}", f"c{i}"))
                sent = point
                gc.collect()
                held = tracemalloc.get_traced_memory()[0] - base
                line = (
                    f"after {point:7d} messages: the room holds {held / 1024:8.0f} KiB, "
                    f"{held / 1024 / args.clients:6.0f} KiB per connection"
                )
                if last is not None:
                    line += f"; {(held - last[1]) / (point - last[0]):7.0f} bytes per message since {last[0]}"
                lines.append(line)
                print(line, flush=True)
                last = (point, held)
            cpu = time.process_time() - cpu
        finally:
            tracemalloc.stop()
        room.close()
        store.close()
    lines.append(f"CPU {1000 * cpu / max(1, sent):.3f} ms per message (traced)")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--messages", type=int, default=20_000, help="public messages (default 20000)")
    p.add_argument("--clients", type=int, default=7, help="subscribers (default 7)")
    p.add_argument("--scenario", default="taiwan-strait", help="shipped scenario id (default taiwan-strait)")
    args = p.parse_args(argv)
    if not (20 <= args.messages <= 200_000 and 3 <= args.clients <= 200):
        p.error("--messages 20..200000, --clients 3..200")
    print(asyncio.run(run(args))[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
