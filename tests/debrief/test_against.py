"""The class against the distribution, played: bot runs from the class's start, through the runner."""

from __future__ import annotations

import pytest

from crisisgame.debrief.against import MAX_RUNS, bot_runs, distribution_section, placements, start_of
from crisisgame.debrief.distribution import MEASURES, class_row
from crisisgame.debrief.history import history
from crisisgame.engine.events import Event
from crisisgame.scenario.generate import world
from crisisgame.simulate import new_game, play


def test_runs_start_where_the_class_started_and_play_as_many_turns(small_log: list[Event]) -> None:
    h = history(small_log)
    start = start_of(h)
    assert (start.seed, start.turns) == (3, 4)
    short = history(play(world(6, seed=3, turns=4), seed=3, turns=2).log)
    rows = bot_runs(short, 2)
    assert [(r["run"], r["seed"]) for r in rows] == [(0, 4), (1, 5)]
    # Run 0 is the game bots would have played with seed 4 for the class's two turns: same measures.
    again = class_row(history(play(world(6, seed=3, turns=4), seed=4, turns=2).log))
    assert {m.column: rows[0][m.column] for m in MEASURES} == again


def test_rows_are_the_same_whatever_the_number_of_processes(small_log: list[Event]) -> None:
    h = history(small_log)
    steps: list[tuple[int, int]] = []
    one = bot_runs(h, 3, jobs=1, on_step=lambda done, total: steps.append((done, total)))
    assert one == bot_runs(h, 3, jobs=2)
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_the_section_places_the_class_on_every_measure(small_log: list[Event]) -> None:
    h = history(small_log)
    placed = placements(h, 3)
    assert [p.label for p in placed] == [m.label for m in MEASURES]
    assert all(p.runs == 3 for p in placed)
    assert "3 bot games of the same scenario from the same start" in distribution_section(h, 3)


def test_bad_requests_are_refused_clearly(small_log: list[Event]) -> None:
    h = history(small_log)
    for runs in (0, MAX_RUNS + 1):
        with pytest.raises(ValueError, match=f"--runs must be between 1 and {MAX_RUNS}, not {runs}"):
            bot_runs(h, runs)
    lobby = history(new_game(world(6, seed=3, turns=4), seed=3).log)
    with pytest.raises(ValueError, match="the game has not started"):
        bot_runs(lobby, 2)
