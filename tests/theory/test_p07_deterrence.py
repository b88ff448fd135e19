"""Proposition 7, alliances deter (leeds2003)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.engine.events import DemandOpened
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(120)
"""Test seeds 0-119, apart from the calibration seeds (1000-1999)."""


def build(seed: int, pact: bool, ablate: bool = False) -> tuple[Scenario, str, str]:
    """A region of five states: a challenger, its target across a disputed issue, the target's would-be
    ally and two bystanders. Only whether the target and the ally share a defence pact varies."""
    r = w.rng(seed, "p07")
    doc = w.blank(5, seed)
    challenger, target, ally, *bystanders = w.ids(doc)
    w.size(doc, challenger, math.exp(r.uniform(0.0, 1.0)))
    w.size(doc, target, math.exp(r.uniform(-1.0, 0.0)))
    w.size(doc, ally, r.uniform(1.0, 4.0))
    for b in bystanders:
        w.size(doc, b, r.uniform(0.3, 1.5))
    for x in w.ids(doc):
        w.place(doc, x, r.uniform(0, 2500), r.uniform(0, 2500))
        w.configure(doc, x, reputation=round(r.uniform(0.55, 0.9), 3), power_projection=round(r.uniform(0.2, 0.8), 3))
    w.configure(doc, challenger, temperament="realist")
    strength, ambiguity, conditionality = r.uniform(0.4, 0.9), r.uniform(0.0, 0.5), r.uniform(0.0, 0.6)
    if pact:
        w.agreement(
            doc,
            "pact",
            "defence_pact",
            [target, ally],
            strength=strength,
            ambiguity=ambiguity,
            conditionality=conditionality,
        )
    w.issue(doc, "claim", {challenger: round(r.uniform(0.7, 1.0), 3), target: round(r.uniform(0.0, 0.3), 3)})
    if ablate:
        w.rules(doc, "credibility", b0=0.0, b1=0.0, b2=0.0, b3=0.0)
    return w.scenario(doc), challenger, target


@cache
def initiates(seed: int, pact: bool, ablate: bool = False) -> float:
    """1 if the challenger's bot opens a militarised dispute with the target (a demand or force). One bot
    decision on a primed state, not a whole game: the first initiation is what deterrence prevents."""
    sc, challenger, target = build(seed, pact, ablate)
    s = w.primed(sc, seed)
    orders = w.bot_orders(s, seed, [challenger])
    _, events = w.advance(s, orders)
    demanded = any(isinstance(e, DemandOpened) and e.actor == challenger and e.target == target for e in events)
    forced = any(f.target == target for f in orders[challenger].force)
    return float(demanded or forced)


def test_a_defence_pact_with_the_target_lowers_initiation() -> None:
    """Proposition 7 (leeds2003): a defence pact with the target lowers a challenger's initiation.

    Mechanism: a bot reckons its odds in a crisis counting each of the target's protectors' military
    power (decayed by reach) times q, the credibility the world assigns its commitment (step 5,
    `Bargainer.protectors`), and demands only what it expects to be worth more than peace; the pact
    gives the ally a q above 0, so the challenger's expected odds fall. No bot rule mentions pacts when
    deciding to coerce.

    Experiment: seeds 0-119, each a region of five states with random sizes (the challenger usually the
    stronger of the dyad), places, reputations and pact terms (strength, ambiguity, conditionality);
    the target has a defence pact with a third state or not. Outcome: the challenger's bot opens a
    dispute (a coercive demand or use of force) with the target in the turn after priming. Margin: the
    paired difference (no pact - pact) more than 3 standard errors above 0.
    """
    without = [initiates(seed, False) for seed in SEEDS]
    with_pact = [initiates(seed, True) for seed in SEEDS]
    difference = stats.paired(without, with_pact)
    stats.report(
        "P7", initiation_no_pact=stats.mean(without), initiation_pact=stats.mean(with_pact), difference=difference
    )
    stats.assert_positive(difference, "challenger's initiation: no pact - defence pact with the target")


def test_if_no_one_believed_allies_would_intervene_a_pact_would_not_deter() -> None:
    """Ablation of proposition 7: credibility.b0 = b1 = b2 = b3 = 0, so q = 0 for every commitment (step 5)
    and no challenger expects a protector's help. Seeds 0-119, the same worlds. Margin: the fall in
    initiation (no pact - pact) is no longer significant, and more than 3 SE smaller than with q."""
    on = [initiates(s, False) - initiates(s, True) for s in SEEDS]
    off = [initiates(s, False, True) - initiates(s, True, True) for s in SEEDS]
    stats.report("P7 ablation", deterrence_with_q=stats.mean(on), deterrence_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "initiation: no pact - pact, with q = 0")
    stats.assert_positive(stats.paired(on, off), "deterrence: credibility computed - zero")
