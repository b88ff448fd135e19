"""What one seat's fresh view costs at a phase change late in a long game: CPU milliseconds to build it
and encode it as the `view` message the server sends, seat by seat.

The game is the Baltic scenario played by bots (seed 3, every playable actor a team), the one
`bench_phase_change.py` serves. The state at every phase change (and results release) is folded in
order from the start, and every seat's view message is made at each, as a server with every seat
connected does, so what each view may reuse from the one before (the views of agreements and
proposals, the JSON of results and messages) is what a server would have. Printed: the CPU
milliseconds per view message at the phase changes of `--turn` (default 8) for the teams (mean of
the 8), the plenary screen and Control, and the views' sizes. Each message is checked against
`ViewMsg(...).model_dump_json()` once timed.

`--rooms K` measures what the views are for instead: K server rooms (`crisisgame.server.room.Room`, in
this process, a fresh SQLite file) each holding the benchmark game at the diplomacy of `--turn`,
paused, with a listener on every seat (a team's, the plenary's and Control's; each only counts what
it is handed), change phase at the same instant twice (diplomacy -> orders, then orders -> results:
the adjudication), as `bench_phase_change.py --under-load --synchronised K` does through real
sockets. Printed: the CPU seconds of each synchronised change (every room's command, adjudication,
store write and every seat's view), the part of them spent making view messages, and its wall-clock
time, without websockets. The bots' pause is an hour, so their moves of each phase are still due when
it ends: the room plays them first, and decides the adjudication again on the state they lead to (as
for a facilitator who ends a phase before the bots have moved), which the totals include.

`--plain` makes each message the plain way instead (`ViewMsg(game, seq, view(state, seat))` encoded by
pydantic), which is what the server did before `view_json`; it runs on older sources too, to compare.
CPU time, not wall clock, so other load on a shared machine disturbs the figures little.

Usage: .venv/bin/python benchmarks/bench_view_cost.py [--turn 8] [--plain] [--profile FILE]
       .venv/bin/python benchmarks/bench_view_cost.py --rooms 20 [--turn 8]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER, Advance, Resume
from crisisgame.engine.events import ClockPaused, Event, GameCreated, PhaseStarted, ResultsReleased
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.server.protocol import ViewMsg
from crisisgame.server.room import Room
from crisisgame.simulate import play
from crisisgame.store.sqlite import SqliteStore

GAME = "bench0001"


def plain(state: State, seat: str) -> bytes:
    """The view message encoded through the message model (the `View` union)."""
    return ViewMsg(game=GAME, seq=state.seq, view=view(state, seat)).model_dump_json().encode()


def spliced(state: State, seat: str) -> bytes:
    """The view message as the server makes it."""
    from crisisgame.engine.view import view_json
    from crisisgame.server.protocol import view_message

    return view_message(GAME, state.seq, view_json(state, seat))


def phase_states(turn: int) -> tuple[list[State], list[str]]:
    """The state at each phase change and results release up to the end of `turn`, in order, and the teams."""
    scenario = load_scenario(find("baltic"))
    log = play(scenario, seed=3).log
    teams = [a.id for a in scenario.actors if a.playable]
    created = log[0]
    assert isinstance(created, GameCreated)
    events: list[Event] = [created.model_copy(update={"teams": teams}), *log[1:]]
    marks = [
        i
        for i, e in enumerate(events)
        if isinstance(e, PhaseStarted | ResultsReleased) and getattr(e, "turn", 0) <= turn
    ]
    states: list[State] = []
    state: State | None = None
    done = 0
    for mark in marks:
        state = fold(events[done : mark + 1], state)
        done = mark + 1
        states.append(state)
    return states, teams


class Listener:
    """A subscriber that counts the messages it is handed (a connection that costs nothing)."""

    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.received = 0

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.received += len(messages)


def paused_game(turn: int) -> tuple[list[Event], list[str]]:
    """The Baltic played by bots up to the diplomacy of `turn`, paused, with every playable actor a team."""
    scenario = load_scenario(find("baltic"))
    log = play(scenario, seed=3).log
    cut = next(i for i, e in enumerate(log) if isinstance(e, PhaseStarted) and (e.turn, e.phase) == (turn, "diplomacy"))
    teams = [a.id for a in scenario.actors if a.playable]
    created = log[0]
    assert isinstance(created, GameCreated)
    events: list[Event] = [created.model_copy(update={"teams": teams}), *log[1 : cut + 1]]
    events.append(ClockPaused(at=events[-1].at, remaining=600.0))
    return events, teams


async def synchronised(count: int, turn: int) -> None:
    """`count` rooms at the diplomacy of `turn` change phase at the same instant, twice."""
    events, teams = paused_game(turn)
    with tempfile.TemporaryDirectory(prefix="bench-view-") as tmp:
        store = SqliteStore(Path(tmp) / "games.db")
        rooms: list[Room] = []
        for g in range(count):
            game = f"g{g:04d}"
            store.create_game(game, "baltic", "Baltic (benchmark)", 0.0)
            store.append(game, 0, events, "diplomacy")
            room = Room(game, store, list(events), time.time, bot_pause=3600.0)
            for seat in [*teams, OBSERVER, FACILITATOR]:
                room.subscribers.add(Listener(seat))
            rooms.append(room)
        await asyncio.gather(*(room.execute(Resume(by=FACILITATOR)) for room in rooms))
        print(f"{count} rooms, Baltic at the diplomacy of turn {turn} ({len(events)} events), a listener on each seat")
        spent = [0.0, 0]
        plain_view_message = Room.view_message

        def timed_view_message(room: Room, seat: str) -> bytes:
            start = time.process_time()
            try:
                return plain_view_message(room, seat)
            finally:
                spent[0] += time.process_time() - start
                spent[1] += 1

        Room.view_message = timed_view_message  # type: ignore[method-assign,assignment]
        try:
            for label in ("diplomacy -> orders", "orders -> results (adjudication)"):
                spent[:] = [0.0, 0]
                cpu, wall = time.process_time(), time.perf_counter()
                await asyncio.gather(*(room.execute(Advance(by=FACILITATOR)) for room in rooms))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                phases = ", ".join(sorted({room.state.phase for room in rooms}))
                print(
                    f"  {label:34s} CPU {cpu:6.3f} s, of which {spent[1]} view messages {spent[0]:6.3f} s; "
                    f"wall {wall:6.3f} s (now: {phases})"
                )
        finally:
            Room.view_message = plain_view_message  # type: ignore[method-assign]
        for room in rooms:
            room.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turn", type=int, default=8, help="the turn whose phase changes are timed")
    parser.add_argument("--plain", action="store_true", help="encode through ViewMsg (the way before view_json)")
    parser.add_argument("--profile", help="write a cProfile of the timed views to this file")
    parser.add_argument("--rooms", type=int, help="time K rooms changing phase at once instead (see above)")
    args = parser.parse_args()
    if args.rooms is not None:
        if not 1 <= args.rooms <= 100:
            parser.error("--rooms 1..100")
        asyncio.run(synchronised(args.rooms, args.turn))
        return
    make: Callable[[State, str], bytes] = plain if args.plain else spliced
    states, teams = phase_states(args.turn)
    seats = [*teams, OBSERVER, FACILITATOR]
    cpu: dict[str, list[float]] = {"teams": [], "observer": [], "facilitator": []}
    sizes: dict[str, list[int]] = {k: [] for k in cpu}
    profile = cProfile.Profile() if args.profile else None
    checked: list[tuple[State, str, bytes]] = []
    for state in states:
        timed = state.turn == args.turn
        for seat in seats:
            kind = "facilitator" if seat == FACILITATOR else "observer" if seat == OBSERVER else "teams"
            if timed and profile:
                profile.enable()
            start = time.process_time()
            message = make(state, seat)
            spent = time.process_time() - start
            if timed and profile:
                profile.disable()
            if timed:
                cpu[kind].append(spent * 1000)
                sizes[kind].append(len(message))
                checked.append((state, seat, message))
    for state, seat, message in checked:
        assert message == plain(state, seat), f"the view message of {seat} at seq {state.seq} differs"
    if profile and args.profile:
        profile.dump_stats(args.profile)
    timed_phases = [f"{s.phase}{'' if s.released else ' (sealed)'}" for s in states if s.turn == args.turn]
    print(f"Baltic, seed 3, turn {args.turn}: {len(timed_phases)} phase changes ({', '.join(timed_phases)})")
    print(f"way: {'plain ViewMsg' if args.plain else 'view_json, spliced'}; CPU ms per view message (build + encode)")
    every = [x for xs in cpu.values() for x in xs]
    for kind, xs in [*cpu.items(), ("every seat", every)]:
        size = sizes.get(kind) or [n for ns in sizes.values() for n in ns]
        print(
            f"  {kind:12s} mean {statistics.fmean(xs):6.3f}  median {statistics.median(xs):6.3f}  "
            f"max {max(xs):6.3f}  ({len(xs)} views, {statistics.fmean(size) / 1024:.0f} KiB each)"
        )


if __name__ == "__main__":
    main()
