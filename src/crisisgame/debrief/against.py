"""The class against the distribution, played: N bot games from the class's start, through the runner.

The runs start where the class started (the same scenario with the same settings, as the game's
`game_created` holds it), play as many turns as the class played, with bots in every seat, and use
seeds `seed + 1` to `seed + N` of the class's game seed (so a game bots played in full is never
compared with its own replay). Each run becomes one row of the measures (`distribution.run_row`),
from the same definitions as the class's own row, so the two are comparable by construction.

The work is `experiments.run_many` (worker processes, progress); the server calls this in a thread
so its event loop stays free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from crisisgame.debrief.distribution import Placement, class_row, distribution, distribution_html, run_row
from crisisgame.debrief.history import History
from crisisgame.experiments import Row, run_many
from crisisgame.scenario.model import Scenario

MAX_RUNS = 1000
"""More runs than this would hold a seminar's machine for many minutes; the section needs far fewer."""


@dataclass(frozen=True)
class Start:
    """Where the bot runs begin and how far they go."""

    scenario: Scenario
    seed: int
    turns: int


def start_of(h: History) -> Start:
    """The class's start: its scenario and seed, and the number of turns it played."""
    if h.final.turn < 1:
        raise ValueError("the game has not started: there is nothing to compare with bot games yet")
    return Start(h.initial.scenario, h.initial.seed, h.final.turn)


def check_runs(runs: int) -> None:
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"--runs must be between 1 and {MAX_RUNS}, not {runs}")


def bot_runs(
    h: History,
    runs: int,
    jobs: int = 1,
    progress: IO[str] | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> list[Row]:
    """One row per bot run (run, seed and the measures), in run order, whatever `jobs` is."""
    check_runs(runs)
    start = start_of(h)
    return run_many(
        start.scenario,
        runs,
        seed=start.seed + 1,
        jobs=jobs,
        turns=start.turns,
        progress=progress,
        per_game=run_row,
        on_step=on_step,
    )


def placements(
    h: History,
    runs: int,
    jobs: int = 1,
    progress: IO[str] | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> list[Placement]:
    """Where the class falls among `runs` bot games, measure by measure."""
    return distribution(class_row(h), bot_runs(h, runs, jobs, progress, on_step))


def distribution_section(
    h: History,
    runs: int,
    jobs: int = 1,
    progress: IO[str] | None = None,
    on_step: Callable[[int, int], None] | None = None,
) -> str:
    """The summary's centrepiece, rendered (pass it to `summary_html(..., distribution=...)`)."""
    return distribution_html(placements(h, runs, jobs, progress, on_step))
