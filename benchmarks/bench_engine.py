"""Engine speed: adjudicating one turn, and folding an event log.

Targets (adjudication engine issue), on one core:
- adjudicating one turn: <= 10 ms for an 8-actor world, <= 250 ms for a generated 40-actor world;
- folding a log: >= 50,000 events/s.
The fold's rate is judged on the process's CPU time (the wall-clock rate is printed beside it): on a
machine shared with other work the wall clock measures the load more than the fold.
The worlds are generated (crisisgame.scenario.generate); bots submit orders for every actor, so
every step of the pipeline has work to do.
"""

from __future__ import annotations

import statistics
import time

from crisisgame.engine.adjudicate import adjudicate
from crisisgame.engine.apply import fold
from crisisgame.engine.commands import Advance, Start
from crisisgame.engine.state import State
from crisisgame.scenario.generate import world
from crisisgame.simulate import Run, bot_round, new_game, play


def state_ready_to_adjudicate(actors: int, seed: int) -> State:
    """A world at the end of turn 2's orders phase, every bot's orders in."""
    game: Run = new_game(world(actors, seed=seed), seed)
    game.run(Start(by="facilitator"))
    while not (game.state.turn == 2 and game.state.phase == "orders"):
        if game.state.phase in ("diplomacy", "orders"):
            bot_round(game)
        game.run(Advance(by="facilitator"))
    bot_round(game)
    return game.state


def time_adjudication(actors: int, runs: int) -> tuple[float, float, int]:
    timings: list[float] = []
    events = 0
    for seed in range(runs):
        state = state_ready_to_adjudicate(actors, seed)
        started = time.perf_counter()
        produced = adjudicate(state, 0.0)
        timings.append((time.perf_counter() - started) * 1000)
        events += len(produced)
    return statistics.median(timings), max(timings), events // runs


def main() -> None:
    for actors, target, runs in ((8, 10.0, 15), (40, 250.0, 5)):
        median, worst, events = time_adjudication(actors, runs)
        verdict = "met" if median <= target else "MISSED"
        print(
            f"adjudicate one turn, {actors} actors ({events} events): median {median:.1f} ms, worst {worst:.1f} ms, "
            f"target <= {target:.0f} ms: {verdict}"
        )
    log = play(world(40, seed=1), seed=1).log
    cpu_rates, wall_rates = [], []
    for _ in range(21):
        started, cpu = time.perf_counter(), time.process_time()
        fold(log)
        cpu_rates.append(len(log) / max(time.process_time() - cpu, 1e-9))
        wall_rates.append(len(log) / (time.perf_counter() - started))
    rate = statistics.median(cpu_rates)
    print(
        f"fold {len(log)} events: median {rate:,.0f} events/s of CPU time "
        f"({statistics.median(wall_rates):,.0f} by the wall clock), "
        f"target >= 50,000: {'met' if rate >= 50_000 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
