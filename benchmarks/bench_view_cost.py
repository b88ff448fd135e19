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

`--plain` makes each message the plain way instead (`ViewMsg(game, seq, view(state, seat))` encoded by
pydantic), which is what the server did before `view_json`; it runs on older sources too, to compare.
CPU time, not wall clock, so other load on a shared machine disturbs the figures little.

Usage: .venv/bin/python benchmarks/bench_view_cost.py [--turn 8] [--plain] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from collections.abc import Callable

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.events import Event, GameCreated, PhaseStarted, ResultsReleased
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.server.protocol import ViewMsg
from crisisgame.simulate import play

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turn", type=int, default=8, help="the turn whose phase changes are timed")
    parser.add_argument("--plain", action="store_true", help="encode through ViewMsg (the way before view_json)")
    parser.add_argument("--profile", help="write a cProfile of the timed views to this file")
    args = parser.parse_args()
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
