"""The longest synchronous steps of a game: each `Game.propose` and `Game.propose_tick` timed in CPU.

A server runs one game step at a time on its event loop (a command's decision, a bot's move, the
clock ending a phase and the adjudication that comes with it): while one runs, no other game on the
server is answered. Issue 14 asks that no step hold the loop for more than 20 ms. This plays the
shipped scenarios (and the generated 40-actor world of `bench_engine.py`) with bots in every seat to
the end of turn 8, timing every step in CPU time (the thread's, which other work on a shared machine
does not inflate), and prints for the steps of turns 6-8 the count, p50, p99 and max per kind of step
(`clock`: the phase clock, an adjudication at the end of the orders; `bot`: a bot's move, the first
of a round including its choice; a bot that passes is a step of its own), and the five longest steps.
Each game is played `--repeat` times and each step counts with its least CPU time over the runs (the
same game each time: it is deterministic), as a shared machine adds to some steps at random.

`--profile KIND` (clock, bot, command or all) profiles the steps of that kind (turns 6-8, those over
1 ms) with cProfile and prints the top functions (`--sort`, cumulative time by default).

Usage: .venv/bin/python benchmarks/bench_steps.py [--seed 3] [--turns 8] [--repeat 3] [--only baltic] [--profile clock]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from crisisgame.engine.commands import Command
from crisisgame.engine.game import CLOCK, Game, Step
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.generate import world
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play

STEP_TARGET_MS = 20.0
"""The longest a synchronous step may hold a server's event loop (issue 14; `bench_phase_change.py`)."""


@dataclass(frozen=True)
class Timed:
    turn: int
    phase: str
    kind: str
    cpu_ms: float
    events: int


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def timing(out: list[Timed], profile: str | None, from_turn: int) -> Iterator[list[cProfile.Profile]]:
    """Time every `propose` (a team's or the facilitator's command) and `propose_tick` (a bot or the
    clock); profile the steps of kind `profile` from turn `from_turn` on (each in a profile of its own)."""
    profiles: list[cProfile.Profile] = []
    propose, propose_tick = Game.propose, Game.propose_tick

    def run(kind_of: str, call: object, game: Game, *args: object, **kwargs: object) -> Step | None:
        before = game.state
        profiler = cProfile.Profile() if profile is not None and before.turn >= from_turn else None
        if profiler is not None:
            profiler.enable()
        cpu = time.thread_time()
        step: Step | None = call(game, *args, **kwargs)  # type: ignore[operator]
        cpu_ms = (time.thread_time() - cpu) * 1000
        if profiler is not None:
            profiler.disable()
        if step is not None:
            kind = kind_of if kind_of == "command" else ("clock" if step.source == CLOCK else "bot")
            out.append(Timed(before.turn, before.phase, kind, cpu_ms, len(step.events)))
            if profiler is not None and profile in (kind, "all") and cpu_ms >= 1.0:
                profiles.append(profiler)
        return step

    def timed_propose(game: Game, command: Command, now: float, *, bot: bool = False) -> Step:
        if getattr(game, "_in_tick", False):
            return propose(game, command, now, bot=bot)
        step = run("command", propose, game, command, now, bot=bot)
        assert step is not None
        return step

    def timed_tick(game: Game, now: float) -> Step | None:
        game._in_tick = True  # type: ignore[attr-defined]
        try:
            return run("tick", propose_tick, game, now)
        finally:
            game._in_tick = False  # type: ignore[attr-defined]

    Game.propose = timed_propose  # type: ignore[method-assign,assignment]
    Game.propose_tick = timed_tick  # type: ignore[method-assign,assignment]
    try:
        yield profiles
    finally:
        Game.propose, Game.propose_tick = propose, propose_tick  # type: ignore[method-assign]


def scenarios(only: list[str] | None) -> Iterator[tuple[str, Scenario]]:
    for name in ("baltic", "taiwan_strait", "horn_of_africa"):
        if only is None or name in only:
            yield name, load_scenario(find(name))
    if only is None or "world40" in only:
        yield "world40", world(40, seed=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="baltic, taiwan_strait, horn_of_africa, world40")
    parser.add_argument("--profile", help="profile the steps of turns 6-8 (every kind: all)")
    parser.add_argument("--repeat", type=int, default=3, help="play each game N times; each step's least CPU time")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    args = parser.parse_args()
    from_turn = max(1, args.turns - 2)
    for name, scenario in scenarios(args.only):
        runs: list[list[Timed]] = []
        started = time.process_time()
        for _ in range(args.repeat):
            runs.append([])
            with timing(runs[-1], args.profile if len(runs) == 1 else None, from_turn) as profiles:
                run = play(scenario, seed=args.seed, turns=min(args.turns, scenario.turns.count))
        total = (time.process_time() - started) / args.repeat
        # The same game each time (it is deterministic): each step's least CPU time over the runs.
        steps = [min(same, key=lambda t: t.cpu_ms) for same in zip(*runs, strict=True)]
        late = [t for t in steps if t.turn >= from_turn]
        print(
            f"{name}: {len(run.log)} events, {len(steps)} steps, {total:.1f} s CPU; "
            f"steps of turns {from_turn}-{args.turns}:"
        )
        for kind in ("clock", "bot", "command", "all"):
            chosen = [t.cpu_ms for t in late if kind == "all" or t.kind == kind]
            if chosen:
                print(
                    f"  {kind:8} n={len(chosen):5}  p50 {percentile(chosen, 50):6.2f} ms  "
                    f"p99 {percentile(chosen, 99):6.2f} ms  max {max(chosen):6.2f} ms"
                )
        for t in sorted(late, key=lambda t: -t.cpu_ms)[:5]:
            print(f"    {t.cpu_ms:6.2f} ms  turn {t.turn} {t.phase:10} {t.kind:7} {t.events} events")
        worst = max(t.cpu_ms for t in late)
        verdict = "met" if worst <= STEP_TARGET_MS else "MISSED"
        print(f"  target longest step <= {STEP_TARGET_MS:.0f} ms CPU: {worst:.1f} ms: {verdict}")
        if profiles:
            stats = pstats.Stats(profiles[0])
            for more in profiles[1:]:
                stats.add(more)
            stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
