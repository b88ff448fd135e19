"""Proposition 7, alliances deter (leeds2003)."""

from __future__ import annotations

import math

from crisisgame.engine.events import DemandOpened
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 300


def build(seed: int, pact: bool) -> tuple[Scenario, str, str]:
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
    return w.scenario(doc), challenger, target


def initiates(seed: int, pact: bool) -> float:
    """1 if the challenger's bot opens a militarised dispute with the target (a demand or force)."""
    sc, challenger, target = build(seed, pact)
    s = w.primed(sc, seed)
    orders = w.bot_orders(s, seed, [challenger])
    _, events = w.advance(s, orders)
    demanded = any(isinstance(e, DemandOpened) and e.actor == challenger and e.target == target for e in events)
    forced = any(f.target == target for f in orders[challenger].force)
    return float(demanded or forced)


def test_a_defence_pact_with_the_target_lowers_initiation() -> None:
    """Proposition 7 (leeds2003): a defence pact with the target lowers a challenger's initiation.

    Experiment: 300 seeds, each a region of five states with random sizes (the challenger usually the
    stronger of the dyad), places, reputations and pact terms (strength, ambiguity, conditionality);
    the target has a defence pact with a third state or not. Outcome: the challenger's bot opens a
    dispute (a coercive demand or use of force) with the target in the turn after priming. Margin: the
    paired difference (no pact - pact) more than 3 standard errors above 0.
    """
    without = [initiates(seed, False) for seed in range(SEEDS)]
    with_pact = [initiates(seed, True) for seed in range(SEEDS)]
    difference = stats.paired(without, with_pact)
    stats.report(
        "P7", initiation_no_pact=stats.mean(without), initiation_pact=stats.mean(with_pact), difference=difference
    )
    stats.assert_positive(difference, "challenger's initiation: no pact - defence pact with the target")
