"""Proposition 13, the spiral model (jervis1978)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.scenario.model import Scenario
from crisisgame.simulate import Run, play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(140)
"""Test seeds 0-139, apart from the calibration seeds (1000-1999)."""
ABLATION_SEEDS = range(40)
"""Seeds 0-39 of the same pairs, for the ablation (the effect is above 6 SE there)."""
TURNS = 8
SPIRAL, STABLE = 0.9, 0.1
"""offence_dominance and indistinguishability of the two worlds."""


def rivals(seed: int, regime: float, ablate: bool = False) -> tuple[Scenario, str, str]:
    """Two realist neighbours of similar size who see each other as somewhat aggressive; only the
    security-dilemma parameters (delta = nu = `regime`) differ between treatments of the same seed."""
    r = w.rng(seed, "p13")
    doc = w.blank(2, seed, turns=TURNS)
    a, b = w.ids(doc)
    for x in (a, b):
        w.size(doc, x, r.uniform(0.8, 1.25))
        w.configure(
            doc,
            x,
            temperament="realist",
            defence_spending=round(r.uniform(1.5, 3.0), 2),
            mobilisation=round(r.uniform(0.05, 0.2), 3),
        )
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(300, 900), 0)
    w.intent(doc, a, b, r.uniform(0.5, 0.8))
    w.intent(doc, b, a, r.uniform(0.5, 0.8))
    w.rules(doc, "security_dilemma", offence_dominance=regime, indistinguishability=regime)
    # Rivals without a dispute or incident: the bots' crisis rule (never cut, race faster above
    # bots.crisis_tension) is a separate accelerant of arms that structural tension alone would trip
    # in either world; switched off in both so the test sees the security dilemma alone.
    w.rules(doc, "bots", crisis_tension=1.0, crisis_arms=0.0)
    if ablate:
        w.rules(doc, "security_dilemma", buildup_sensitivity=0.0, exercise_sensitivity=0.0)
    return w.scenario(doc), a, b


@cache
def arms(seed: int, regime: float, ablate: bool = False) -> tuple[list[float], float]:
    """Mean log defence spending of the pair at the start and after each turn, and the rise in their
    perceived intent of each other over the game."""
    sc, a, b = rivals(seed, regime, ablate)
    levels = [sum(math.log(sc.actor(x).defence_spending) for x in (a, b)) / 2]
    intents: list[float] = []

    def record(game: Run) -> None:
        levels.append(sum(math.log(game.state.actors[x].defence_spending) for x in (a, b)) / 2)
        intents.append(game.state.intent_of(a, b) + game.state.intent_of(b, a))

    play(sc, seed, on_turn=record)
    return levels, intents[-1] - intents[0]


def test_arms_spiral_when_offence_dominates_and_settle_when_defence_does() -> None:
    """Proposition 13 (jervis1978): offence dominant and postures indistinguishable, arms spiral up;
    defence dominant and distinguishable, they settle lower.

    Mechanism: step 3 raises i's perceived intent of j by j's build-up times
    security_dilemma.buildup_sensitivity, amplified by (floor + delta) x (floor + nu); intent gates
    threat (step 4), and bots arm in response to threat (Richardson). Under offence dominance and
    indistinguishable postures each build-up reads as more aggression and feeds the next. No bot rule
    reads delta or nu. The bots' crisis rule (bots.crisis_tension, crisis_arms: in a crisis no bot cuts
    spending and tension speeds the race) is switched off in both worlds: these rivals have no dispute,
    demand or incident, yet their structural tension (the mean top threat) can pass the crisis level,
    and the crisis race would then accelerate arms whatever delta and nu, hiding the stable world's
    settling (measured with it on: deceleration z 1.4).

    Experiment: seeds 0-139, each two realist neighbours (random sizes, spending 1.5-3% of GDP, distance
    300-900 km, mutual perceived intent 0.5-0.8) playing 8 bot turns, with delta = nu = 0.9 (spiral
    world) or 0.1 (stable world). Measures on the pair's mean log spending: the total rise; the
    acceleration (growth in the last two turns minus growth in turns 2-3; turn 1 only reveals the
    threats); the rise in mutual perceived intent. Margin: the paired differences (spiral - stable)
    of the total rise, of the acceleration and of the intent rise each more than 3 SE above 0; in the
    spiral world the acceleration is more than 3 SE above 0 (spiralling), in the stable world it is
    more than 3 SE below 0 (settling).
    """
    rise: dict[float, list[float]] = {SPIRAL: [], STABLE: []}
    acceleration: dict[float, list[float]] = {SPIRAL: [], STABLE: []}
    intent: dict[float, list[float]] = {SPIRAL: [], STABLE: []}
    for seed in SEEDS:
        for regime in (SPIRAL, STABLE):
            levels, intent_rise = arms(seed, regime)
            rise[regime].append(levels[-1] - levels[0])
            acceleration[regime].append((levels[-1] - levels[-3]) - (levels[3] - levels[1]))
            intent[regime].append(intent_rise)
    stats.report(
        "P13",
        log_rise_spiral=stats.mean(rise[SPIRAL]),
        log_rise_stable=stats.mean(rise[STABLE]),
        acceleration_spiral=stats.mean(acceleration[SPIRAL]),
        acceleration_stable=stats.mean(acceleration[STABLE]),
        intent_rise_spiral=stats.mean(intent[SPIRAL]),
        intent_rise_stable=stats.mean(intent[STABLE]),
    )
    stats.assert_positive(stats.paired(rise[SPIRAL], rise[STABLE]), "rise in arms: spiral - stable world")
    stats.assert_positive(
        stats.paired(acceleration[SPIRAL], acceleration[STABLE]), "acceleration of arms: spiral - stable world"
    )
    stats.assert_positive(stats.paired(intent[SPIRAL], intent[STABLE]), "rise in perceived intent: spiral - stable")
    stats.assert_positive(stats.mean(acceleration[SPIRAL]), "acceleration of arms in the spiral world")
    stats.assert_positive(stats.mean([-x for x in acceleration[STABLE]]), "deceleration of arms in the stable world")


def test_if_build_ups_did_not_read_as_aggression_the_regime_would_not_matter() -> None:
    """Ablation of proposition 13: security_dilemma.buildup_sensitivity = exercise_sensitivity = 0, so no
    build-up or exercise changes perceived intent, whatever delta and nu. Seeds 0-39, the same pairs.
    Margin: the differences (spiral - stable world) in the rise of arms and of perceived intent are no
    longer significant, and the arms difference is more than 3 SE smaller than with the security dilemma."""

    def rise(regime: float, ablate: bool) -> list[float]:
        return [arms(seed, regime, ablate)[0][-1] - arms(seed, regime, ablate)[0][0] for seed in ABLATION_SEEDS]

    def intent(regime: float, ablate: bool) -> list[float]:
        return [arms(seed, regime, ablate)[1] for seed in ABLATION_SEEDS]

    on = stats.paired(rise(SPIRAL, False), rise(STABLE, False))
    off = stats.paired(rise(SPIRAL, True), rise(STABLE, True))
    intent_off = stats.paired(intent(SPIRAL, True), intent(STABLE, True))
    stats.report("P13 ablation", arms_difference_with=on, arms_difference_without=off, intent_difference=intent_off)
    stats.assert_vanishes(off, "rise in arms: spiral - stable world, build-ups not read as aggression")
    stats.assert_vanishes(intent_off, "rise in intent: spiral - stable world, build-ups not read as aggression")
    drop = [
        (a - b) - (c - d)
        for a, b, c, d in zip(
            rise(SPIRAL, False), rise(STABLE, False), rise(SPIRAL, True), rise(STABLE, True), strict=True
        )
    ]
    stats.assert_positive(stats.mean(drop), "spiral - stable rise in arms: with the security dilemma - without")
