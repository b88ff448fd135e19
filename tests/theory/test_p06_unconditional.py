"""Proposition 6, conditional and unconditional commitments (benson2011)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.engine.events import DemandOpened
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(300)
"""Test seeds 0-299, apart from the calibration seeds (1000-1999)."""


def build(
    seed: int, salt: str, tilt: tuple[float, float], pact: bool, kappa: float, ablate: bool = False
) -> tuple[Scenario, str, str]:
    """A protege P, its strong distant patron G and a rival C across a disputed issue.

    log(size P / size C) is drawn from `tilt`; only the pact (absent, or its conditionality kappa)
    differs between treatments of the same seed.
    """
    r = w.rng(seed, salt)
    doc = w.blank(3, seed)
    p, g, c = w.ids(doc)
    ratio = math.exp(r.uniform(*tilt))
    w.size(doc, p, ratio)
    w.size(doc, c, 1 / ratio)
    w.size(doc, g, r.uniform(3.0, 6.0))
    w.place(doc, p, 0, 0)
    w.place(doc, c, r.uniform(200, 800), r.uniform(-300, 300))
    w.place(doc, g, -r.uniform(1000, 3000), r.uniform(-1000, 1000))
    for x in (p, g, c):
        w.configure(
            doc,
            x,
            temperament="realist",
            reputation=round(r.uniform(0.6, 0.9), 3),
            power_projection=round(r.uniform(0.3, 0.8), 3),
        )
    strength, ambiguity = r.uniform(0.5, 0.9), r.uniform(0.0, 0.4)
    if pact:
        w.agreement(doc, "pact", "defence_pact", [p, g], strength=strength, ambiguity=ambiguity, conditionality=kappa)
    w.issue(doc, "border", {p: round(r.uniform(0.0, 0.3), 3), c: round(r.uniform(0.7, 1.0), 3)})
    if ablate:
        w.rules(doc, "alliance", honour_provocation=0.0)
    return w.scenario(doc), p, c


@cache
def demands(
    seed: int, salt: str, tilt: tuple[float, float], pact: bool, kappa: float, by: str, ablate: bool = False
) -> float:
    """1 if the bot of `by` ("P" or "C") makes a coercive demand in the turn after priming."""
    sc, p, c = build(seed, salt, tilt, pact, kappa, ablate)
    actor = p if by == "P" else c
    s = w.primed(sc, seed)
    _, events = w.advance(s, w.bot_orders(s, seed, [actor]))
    return float(any(isinstance(e, DemandOpened) and e.actor == actor for e in events))


def test_unconditional_commitments_embolden_proteges_and_conditional_ones_still_deter() -> None:
    """Proposition 6 (benson2011): unconditional commitments raise the protege's risk-taking;
    conditional defensive ones deter third parties.

    Mechanism: step 7 lowers a bot guarantor's log-odds of honouring by alliance.honour_provocation x
    kappa when the partner provoked; a protege's bot, reading the public rulebook, counts on its
    protector's help in a crisis it starts only as that rule leaves it (`Reading.backing`), so an
    unconditional pact adds to its odds and a conditional one much less. For third parties the pact
    counts with its full credibility q (they would not be the provoked). The outcome is one bot decision
    on a primed state, not a whole game: the first demand is the risk-taking measured, and later turns
    would mix in the rival's answers.

    Experiment A (moral hazard): seeds 0-299 with P usually the stronger of P and C; P's defence pact
    with G is unconditional (kappa 0) or conditional (kappa 1). P's bot counts only the backing that
    survives conditionality when it would start the crisis. Outcome: P makes a coercive demand on C.
    Experiment B (deterrence): seeds 0-299 with C usually the stronger; P has no pact, or the conditional
    (kappa 1) one. Outcome: C makes a coercive demand on P.
    Margin: each paired difference more than 3 standard errors above 0.
    """
    bold = (-0.5, 1.2)
    unconditional = [demands(seed, "p06a", bold, True, 0.0, "P") for seed in SEEDS]
    conditional = [demands(seed, "p06a", bold, True, 1.0, "P") for seed in SEEDS]
    exposed = (-1.2, 0.5)
    unprotected = [demands(seed, "p06b", exposed, False, 1.0, "C") for seed in SEEDS]
    protected = [demands(seed, "p06b", exposed, True, 1.0, "C") for seed in SEEDS]
    hazard = stats.paired(unconditional, conditional)
    deterrence = stats.paired(unprotected, protected)
    stats.report(
        "P6",
        protege_demands_unconditional=stats.mean(unconditional),
        protege_demands_conditional=stats.mean(conditional),
        rival_demands_no_pact=stats.mean(unprotected),
        rival_demands_conditional_pact=stats.mean(protected),
    )
    stats.assert_positive(hazard, "protege's demands: unconditional - conditional commitment")
    stats.assert_positive(deterrence, "third party's demands: no pact - conditional defence pact")


def test_if_provocation_did_not_cost_help_conditionality_would_not_restrain_proteges() -> None:
    """Ablation of proposition 6 (moral hazard): alliance.honour_provocation = 0, so step 7 honours a
    partner that provoked as readily as one that did not, and the protege's bot, reading that rule, counts
    a conditional pact in full. Seeds 0-299, the same worlds. Margin: the protege's extra demands under an
    unconditional pact are no longer significant, and more than 3 SE fewer than with the rule."""
    bold = (-0.5, 1.2)
    on = [demands(s, "p06a", bold, True, 0.0, "P") - demands(s, "p06a", bold, True, 1.0, "P") for s in SEEDS]
    off = [
        demands(s, "p06a", bold, True, 0.0, "P", True) - demands(s, "p06a", bold, True, 1.0, "P", True) for s in SEEDS
    ]
    stats.report("P6 ablation", hazard_with_rule=stats.mean(on), hazard_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "protege's demands: unconditional - conditional, provocation free")
    stats.assert_positive(stats.paired(on, off), "moral hazard: with the provocation rule - without")
