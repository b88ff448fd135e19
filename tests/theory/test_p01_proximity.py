"""Proposition 1, proximity (walt1987)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.state import State
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(60)
"""Test seeds 0-59, apart from the calibration seeds (1000-1999)."""
ABLATION_SEEDS = SEEDS


def build(seed: int, near: bool, ablate: bool = False) -> tuple[Scenario, str, str]:
    """i and j, two candidate partners west of i; only the distance from i to j depends on `near`."""
    r = w.rng(seed, "p01")
    doc = w.blank(4, seed)
    i, j, k1, k2 = w.ids(doc)
    for a in (i, j, k1, k2):
        w.configure(doc, a, temperament="realist", reputation=round(r.uniform(0.6, 0.9), 3))
    w.size(doc, i, r.uniform(0.5, 1.5))
    w.size(doc, j, r.uniform(1.0, 3.0))
    for k in (k1, k2):
        w.size(doc, k, r.uniform(0.5, 2.0))
        w.place(doc, k, -r.uniform(500, 2500), r.uniform(-1500, 1500))
    w.place(doc, i, 0, 0)
    near_km, far_km = r.uniform(300, 900), r.uniform(3000, 4500)
    w.place(doc, j, near_km if near else far_km, 0)
    w.intent(doc, i, j, r.uniform(0.4, 0.8))
    for a in (i, j, k1, k2):
        for b in (i, j, k1, k2):
            if a != b and (a, b) != (i, j):
                w.intent(doc, a, b, r.uniform(0.05, 0.25))
    if ablate:
        w.rules(doc, "threat", w_distance=0.0)
    return w.scenario(doc), i, j


def in_coalition_against(s: State, i: str, j: str) -> bool:
    """Whether i is in a defence pact with someone other than j (and not with j)."""
    return any(ag.type == "defence_pact" and i in ag.parties and j not in ag.parties for ag in s.active_agreements())


@cache
def outcome(seed: int, near: bool, ablate: bool = False) -> tuple[float, float]:
    """T[i][j] and whether i is in a coalition against j after three bot-played turns (cached, so the
    ablation test reuses the games played with the mechanism on)."""
    sc, i, j = build(seed, near, ablate)
    s = play(sc, seed, turns=3).state
    return s.threat_of(i, j), float(in_coalition_against(s, i, j))


def test_proximity_raises_threat_and_coalitions_against_the_nearer_state() -> None:
    """Proposition 1 (walt1987): holding power and intent fixed, moving j closer raises T[i][j] and i's
    chance of joining a coalition against j.

    Mechanism: step 4's proximity term w_D * exp(-d/tau) (threat.w_distance) makes a nearer j more
    threatening; realist bots seek allies against their top threat (bots.act_threat), so a larger T[i][j]
    makes i's bot propose and accept a defence pact against j. No bot rule reads distance.

    Experiment: seeds 0-59, each a world of four realist bots (random sizes, reputations, intent of i
    towards j in [0.4, 0.8], partners placed at random west of i); only j's distance from i varies,
    300-900 km (near) or 3000-4500 km (far). Three bot-played turns. Margin: paired differences
    (near - far) of T[i][j] and of the coalition indicator, each more than 3 standard errors above 0.
    """
    threat = {near: [outcome(seed, near)[0] for seed in SEEDS] for near in (True, False)}
    coalition = {near: [outcome(seed, near)[1] for seed in SEEDS] for near in (True, False)}
    d_threat = stats.paired(threat[True], threat[False])
    d_coalition = stats.paired(coalition[True], coalition[False])
    stats.report(
        "P1",
        threat_near=stats.mean(threat[True]),
        threat_far=stats.mean(threat[False]),
        coalition_near=stats.mean(coalition[True]),
        coalition_far=stats.mean(coalition[False]),
        threat_difference=d_threat,
        coalition_difference=d_coalition,
    )
    stats.assert_positive(d_threat, "T[i][j] near - far")
    stats.assert_positive(d_coalition, "P(i in a coalition against j) near - far")


def test_without_the_proximity_term_distance_changes_neither_threat_nor_coalitions() -> None:
    """Ablation of proposition 1: threat.w_distance = 0 removes proximity from T[i][j] (power and offensive
    capacity stay). Seeds 0-59, the same worlds as above. Margin: the near - far differences are no longer
    significant (z <= 2.576), and the coalition effect is more than 3 SE smaller than with the term."""
    threat = {near: [outcome(seed, near, True)[0] for seed in ABLATION_SEEDS] for near in (True, False)}
    coalition = {near: [outcome(seed, near, True)[1] for seed in ABLATION_SEEDS] for near in (True, False)}
    d_threat = stats.paired(threat[True], threat[False])
    d_coalition = stats.paired(coalition[True], coalition[False])
    with_term = [outcome(seed, True)[1] - outcome(seed, False)[1] for seed in ABLATION_SEEDS]
    without = [a - b for a, b in zip(coalition[True], coalition[False], strict=True)]
    stats.report("P1 ablation", threat_difference=d_threat, coalition_difference=d_coalition)
    stats.assert_vanishes(d_threat, "T[i][j] near - far without the proximity term")
    stats.assert_vanishes(d_coalition, "P(coalition against j) near - far without the proximity term")
    stats.assert_positive(stats.paired(with_term, without), "coalition effect: with the proximity term - without")
