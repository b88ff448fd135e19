"""Proposition 1, proximity (walt1987)."""

from __future__ import annotations

from crisisgame.engine.state import State
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200


def build(seed: int, near: bool) -> tuple[Scenario, str, str]:
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
    return w.scenario(doc), i, j


def in_coalition_against(s: State, i: str, j: str) -> bool:
    """Whether i is in a defence pact with someone other than j (and not with j)."""
    return any(ag.type == "defence_pact" and i in ag.parties and j not in ag.parties for ag in s.active_agreements())


def test_proximity_raises_threat_and_coalitions_against_the_nearer_state() -> None:
    """Proposition 1 (walt1987): holding power and intent fixed, moving j closer raises T[i][j] and i's
    chance of joining a coalition against j.

    Experiment: 200 seeds, each a world of four realist bots (random sizes, reputations, intent of i
    towards j in [0.4, 0.8], partners placed at random west of i); only j's distance from i varies,
    300-900 km (near) or 3000-4500 km (far). Three bot-played turns. Margin: paired differences
    (near - far) of T[i][j] and of the coalition indicator, each more than 3 standard errors above 0.
    """
    threat: dict[bool, list[float]] = {True: [], False: []}
    coalition: dict[bool, list[float]] = {True: [], False: []}
    for seed in range(SEEDS):
        for near in (True, False):
            sc, i, j = build(seed, near)
            s = play(sc, seed, turns=3).state
            threat[near].append(s.threat_of(i, j))
            coalition[near].append(float(in_coalition_against(s, i, j)))
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
