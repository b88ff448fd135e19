"""Extended deterrence rests on the local balance more than the overall balance (Huth 1988; Huth & Russett
1984)."""

from __future__ import annotations

import math
from functools import cache

from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(300)
"""Test seeds 0-299, apart from the calibration seeds (1000-1999)."""


@cache
def challenge(seed: int, protector: str, ablate: bool = False) -> tuple[float, float]:
    """The challenger's estimate of its chance against the protected target, and 1 if its bot opens a
    militarised dispute with the target (a demand or force) in the turn after priming.

    A challenger A (stronger than the target B by e^0.3 to e^1.5) and B, 200-1000 km apart, over one issue;
    B's protector C holds a defence pact with it (strength 0.7, ambiguity 0.2, reputation 0.8). The
    protector is either `near` (1500 km east of A, of size s) or `far` (7000 km east, of size 2s): the far
    protector adds more to the overall balance and less to the balance in B's theatre."""
    r = w.rng(seed, "local-balance")
    doc = w.blank(3, seed, turns=4)
    a, b, c = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(0.3, 1.5)))
    w.size(doc, b, 1.0)
    base = r.uniform(1.0, 2.0)
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(200, 1000), 0)
    north = r.uniform(-0.3, 0.3)
    if protector == "near":
        w.size(doc, c, base)
        w.place(doc, c, 1500, 1500 * north)
    else:
        w.size(doc, c, 2 * base)
        w.place(doc, c, 7000, 7000 * north)
    for x in (a, b, c):
        w.configure(doc, x, temperament="realist", power_projection=round(r.uniform(0.3, 0.8), 3))
    w.configure(doc, c, reputation=0.8)
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    w.agreement(doc, "pact", "defence_pact", [b, c], strength=0.7, ambiguity=0.2)
    if ablate:
        w.rules(doc, "war", distance_decay_km=1e9)
    s = w.primed(w.scenario(doc), seed)
    player = w.bot(s, a, seed)
    orders = player.orders()
    return player.bargainer.odds(a, b, "land"), float(bool(orders.demands) or bool(orders.force))


def test_a_near_protector_deters_more_than_a_distant_one_twice_its_size() -> None:
    """Huth (1988): extended deterrence succeeds when the defender's forces in the theatre, the local balance,
    match the challenger's, whatever the overall balance of the two sides.

    Mechanism: Boulding's loss-of-strength gradient. Military strength reaches a theatre decayed by
    distance from home (`war.distance_decay_km`, step 6); a challenger reckons its chance against the
    target with the same decay for itself and for each protector weighted by credibility
    (`Bargainer.odds`), and opens a dispute only when it expects more from it than from peace. No rule
    names the local balance.

    Experiment: seeds 0-299, the protector near the target (size s) or far (size 2s), paired by seed.
    Outcomes: the challenger's estimate of its chance against the target, and whether it opens a dispute
    with it. Margin: each paired difference (far - near) more than 3 standard errors above 0.
    """
    near = [challenge(seed, "near") for seed in SEEDS]
    far = [challenge(seed, "far") for seed in SEEDS]
    odds = stats.paired([x[0] for x in far], [x[0] for x in near])
    initiation = stats.paired([x[1] for x in far], [x[1] for x in near])
    stats.report(
        "local balance",
        odds_near=stats.mean([x[0] for x in near]),
        odds_far_twice_as_large=stats.mean([x[0] for x in far]),
        initiation_near=stats.mean([x[1] for x in near]),
        initiation_far=stats.mean([x[1] for x in far]),
        odds_difference=odds,
        initiation_difference=initiation,
    )
    stats.assert_positive(odds, "challenger's chance: distant protector twice as large - near protector")
    stats.assert_positive(initiation, "challenger initiates: distant protector twice as large - near protector")


def test_if_strength_did_not_fade_with_distance_the_larger_protector_would_deter_more() -> None:
    """Ablation: `war.distance_decay_km` = 10^9, so all strength reaches every theatre and only the overall
    balance counts. Seeds 0-299, the same worlds. Margin: the challenger's advantage against a distant
    protector (far - near, in its estimated chance) is no longer significant, and more than 3 SE smaller
    than with the gradient."""
    on = [challenge(s, "far")[0] - challenge(s, "near")[0] for s in SEEDS]
    off = [challenge(s, "far", True)[0] - challenge(s, "near", True)[0] for s in SEEDS]
    stats.report("local balance ablation", advantage_with_gradient=stats.mean(on), advantage_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "challenger's chance: far - near, no loss of strength")
    stats.assert_positive(stats.paired(on, off), "advantage against a distant protector: gradient - none")
