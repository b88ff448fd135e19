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

`--late TURN` measures what a late game's views cost instead: the Baltic played by bots (seed 3, every
playable actor a team, the game `bench_view_cost.py` and `bench_phase_change.py` serve) from the
diplomacy of `TURN`, with a subscriber on every seat (each team, the plenary, Control), through
`--phases` phase changes (Control's `advance`, or `release` where results wait for it), each of which
sends every seat a fresh view. After each it prints the bytes each seat's outbox holds (mean and
largest over the seats, and the views among them), the size of the seats' newest views, and the memory
the room holds (traced as above). A seat's outbox keeps its newest view only, and the events since the
view before it (`room._Outbox`): with `--late 5`, at the diplomacy of turn 8, 89 KiB a seat (its view,
88 KiB); while results are out, 190 KiB a seat and 330 KiB at most (Control's, with the adjudication's
events). Before, it kept every view: 1.2 MiB a seat at turn 8, and growing, up to `room.OUTBOX_BYTES`.
The room held 6.0 MiB at turn 8, 15.5 MiB before.

Usage: .venv/bin/python benchmarks/bench_room_memory.py [--messages 20000] [--clients 7]
       .venv/bin/python benchmarks/bench_room_memory.py --late 5 [--phases 12]
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

from crisisgame.engine.commands import FACILITATOR, OBSERVER, Advance, Release, Resume, SendMessage, Start
from crisisgame.engine.events import ClockPaused, Event, GameCreated, PhaseStarted
from crisisgame.scenario.catalogue import find, shipped
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import scenario_dict
from crisisgame.server.room import Room
from crisisgame.simulate import play
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


def paused_baltic(turn: int) -> tuple[list[Event], list[str]]:
    """The Baltic played by bots (seed 3) up to the diplomacy of `turn`, paused, every playable actor a team."""
    scenario = load_scenario(find("baltic"))
    log = play(scenario, seed=3).log
    cut = next(i for i, e in enumerate(log) if isinstance(e, PhaseStarted) and (e.turn, e.phase) == (turn, "diplomacy"))
    teams = [a.id for a in scenario.actors if a.playable]
    created = log[0]
    assert isinstance(created, GameCreated)
    events: list[Event] = [created.model_copy(update={"teams": teams}), *log[1 : cut + 1]]
    events.append(ClockPaused(at=events[-1].at, remaining=600.0))
    return events, teams


def outbox_bytes(room: Room) -> tuple[list[int], list[int]]:
    """Per seat: the bytes its outbox holds, and the bytes of the views among them."""
    held, views = [], []
    for seat in room.seats:
        box = room.outboxes[seat]
        held.append(sum(len(m) for _, _, m in box.messages if m is not None))
        views.append(sum(len(m) for _, is_view, m in box.messages if is_view and m is not None))
    return held, views


async def late(args: argparse.Namespace) -> list[str]:
    """A late game's phase changes: what each seat's outbox holds after each (see the module's doc)."""
    events, teams = paused_baltic(args.late)
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-room-memory-") as tmp:
        store = SqliteStore(Path(tmp) / "games.db")
        store.create_game("g", "baltic", "Baltic (benchmark)", 0.0)
        store.append("g", 0, events, "diplomacy")
        tracemalloc.start()
        try:
            gc.collect()
            base = tracemalloc.get_traced_memory()[0]
            room = Room("g", store, list(events), time.time, bot_pause=3600.0)
            counters = [Counter(seat) for seat in [*teams, OBSERVER, FACILITATOR]]
            for counter in counters:
                room.subscribers.add(counter)
            await room.execute(Resume(by=FACILITATOR))
            head = (
                f"Baltic (seed 3) from the diplomacy of turn {args.late} ({len(events)} events), "
                f"{len(room.seats)} seats, a subscriber on each"
            )
            lines.append(head)
            print(head, flush=True)
            cpu = time.process_time()
            for change in range(1, args.phases + 1):
                state = room.state
                if state.phase == "ended":
                    break
                released = state.phase == "results" and not state.released
                await room.execute(Release(by=FACILITATOR) if released else Advance(by=FACILITATOR))
                gc.collect()
                traced = tracemalloc.get_traced_memory()[0] - base
                held, views = outbox_bytes(room)
                newest = [len(room.view_message(seat)) for seat in room.seats]
                line = (
                    f"change {change:2d} -> turn {room.state.turn} {room.state.phase:9s}: outbox per seat "
                    f"{sum(held) / len(held) / 1024:7.0f} KiB mean, {max(held) / 1024:7.0f} KiB largest "
                    f"(views {sum(views) / len(views) / 1024:7.0f} KiB mean); newest view "
                    f"{sum(newest) / len(newest) / 1024:5.0f} KiB mean, {max(newest) / 1024:5.0f} KiB largest; "
                    f"the room holds {traced / 1024 / 1024:6.1f} MiB"
                )
                lines.append(line)
                print(line, flush=True)
            cpu = time.process_time() - cpu
        finally:
            tracemalloc.stop()
        room.close()
        store.close()
    lines.append(f"CPU {cpu:.2f} s for the phase changes (traced)")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--messages", type=int, default=20_000, help="public messages (default 20000)")
    p.add_argument("--clients", type=int, default=7, help="subscribers (default 7)")
    p.add_argument("--scenario", default="taiwan-strait", help="shipped scenario id (default taiwan-strait)")
    p.add_argument("--late", type=int, help="measure a late Baltic game's views from this turn's diplomacy instead")
    p.add_argument("--phases", type=int, default=12, help="with --late: phase changes (default 12)")
    args = p.parse_args(argv)
    if args.late is not None:
        if not (1 <= args.late <= 8 and 1 <= args.phases <= 60):
            p.error("--late 1..8, --phases 1..60")
        print(asyncio.run(late(args))[-1])
        return 0
    if not (20 <= args.messages <= 200_000 and 3 <= args.clients <= 200):
        p.error("--messages 20..200000, --clients 3..200")
    print(asyncio.run(run(args))[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
