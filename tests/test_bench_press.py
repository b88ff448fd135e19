"""The load benchmark's press sweep: after the first step that misses, bisection steps close in on the
knee, which is the highest rate that passed below the lowest that missed (benchmarks/bench_server_load.py)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from tests.benchmarks import load


def bench() -> ModuleType:
    return load("bench_server_load")


def step(rate: float, ok: bool) -> dict[str, Any]:
    return {"rate_per_game": rate, "ok": ok}


def test_bisection_halves_the_gap_in_whole_rates_until_they_are_three_percent_apart() -> None:
    b = bench()
    assert b.bisect_rate(200.0, 250.0) == 225.0
    assert b.bisect_rate(225.0, 250.0) == 238.0  # (237.5, in whole messages per second)
    assert b.bisect_rate(238.0, 250.0) == 244.0
    assert b.bisect_rate(244.0, 250.0) is None  # 6 apart: within 3% of 244
    assert b.bisect_rate(10.0, 11.5) == 11.0
    assert b.bisect_rate(10.0, 10.9) is None  # within one message per second


def test_the_knee_is_the_highest_rate_that_passed_below_the_lowest_that_missed() -> None:
    b = bench()
    swept = [step(10, True), step(20, True), step(30, False), step(25, True), step(28, False), step(26, False)]
    knee, missed = b.press_knee(swept)
    assert (knee["rate_per_game"], missed["rate_per_game"]) == (25, 26)
    knee, missed = b.press_knee([step(10, True), step(20, True)])  # nothing missed: a lower bound
    assert (knee["rate_per_game"], missed) == (20, None)
    knee, missed = b.press_knee([step(10, False)])
    assert (knee, missed["rate_per_game"]) == (None, 10)
    # A rate that passed above one that missed (noise) is not the knee.
    knee, _ = b.press_knee([step(10, True), step(20, False), step(15, False), step(18, True)])
    assert knee["rate_per_game"] == 10


def sweep(cg: float | None, base: float | None) -> dict[str, Any]:
    def of(delivered: float | None) -> dict[str, Any]:
        knee = None if delivered is None else {"delivered_per_s": delivered, "rate_per_game": delivered / 140}
        return {"knee": knee}

    out = {"crisisgame": of(cg), "baseline": of(base)}
    if cg is not None and base is not None:
        out["crisisgame"]["ratio_to_baseline"] = cg / base
    return out


def test_repeated_sweeps_compare_the_median_knees_and_a_sweep_without_a_knee_counts_as_zero() -> None:
    b = bench()
    medians = b.press_medians([sweep(24_000, 60_000), sweep(42_000, 66_000), sweep(30_000, 58_000)])
    assert medians["crisisgame"]["delivered_per_s"] == 30_000
    assert medians["baseline"]["delivered_per_s"] == 60_000
    assert medians["crisisgame"]["ratio_to_baseline"] == 0.5
    medians = b.press_medians([sweep(None, 60_000), sweep(42_000, 66_000), sweep(None, 58_000)])
    assert medians["crisisgame"]["each_delivered_per_s"] == [0.0, 42_000, 0.0]
    assert medians["crisisgame"]["ratio_to_baseline"] == 0.0


def test_only_names_distinct_known_servers_and_repeat_is_for_the_press_shape() -> None:
    b = bench()
    assert b.parse_args(["--only", "crisisgame,baseline"]).only == ["crisisgame", "baseline"]
    for bad in (["--only", "crisisgame,bare"], ["--only", "baseline,baseline"], ["--repeat", "3"]):
        with pytest.raises(SystemExit) as exc:
            b.parse_args(bad)
        assert exc.value.code == 2
    assert b.parse_args(["--shape", "press", "--repeat", "3"]).repeat == 3
