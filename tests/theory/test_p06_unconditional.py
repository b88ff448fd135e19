"""Proposition 6, conditional and unconditional commitments (benson2011)."""

from __future__ import annotations

import math

from crisisgame.engine.events import DemandOpened
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 400


def build(seed: int, salt: str, tilt: tuple[float, float], pact: bool, kappa: float) -> tuple[Scenario, str, str]:
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
    return w.scenario(doc), p, c


def demands(seed: int, salt: str, tilt: tuple[float, float], pact: bool, kappa: float, by: str) -> float:
    """1 if the bot of `by` ("P" or "C") makes a coercive demand in the turn after priming."""
    sc, p, c = build(seed, salt, tilt, pact, kappa)
    actor = p if by == "P" else c
    s = w.primed(sc, seed)
    _, events = w.advance(s, w.bot_orders(s, seed, [actor]))
    return float(any(isinstance(e, DemandOpened) and e.actor == actor for e in events))


def test_unconditional_commitments_embolden_proteges_and_conditional_ones_still_deter() -> None:
    """Proposition 6 (benson2011): unconditional commitments raise the protege's risk-taking;
    conditional defensive ones deter third parties.

    Experiment A (moral hazard): 400 seeds with P usually the stronger of P and C; P's defence pact
    with G is unconditional (kappa 0) or conditional (kappa 1). P's bot counts only the backing that
    survives conditionality when it would start the crisis. Outcome: P makes a coercive demand on C.
    Experiment B (deterrence): 400 seeds with C usually the stronger; P has no pact, or the conditional
    (kappa 1) one. Outcome: C makes a coercive demand on P.
    Margin: each paired difference more than 3 standard errors above 0.
    """
    bold = (-0.5, 1.2)
    unconditional = [demands(seed, "p06a", bold, True, 0.0, "P") for seed in range(SEEDS)]
    conditional = [demands(seed, "p06a", bold, True, 1.0, "P") for seed in range(SEEDS)]
    exposed = (-1.2, 0.5)
    unprotected = [demands(seed, "p06b", exposed, False, 1.0, "C") for seed in range(SEEDS)]
    protected = [demands(seed, "p06b", exposed, True, 1.0, "C") for seed in range(SEEDS)]
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
