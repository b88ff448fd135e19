"""Proposition 5, the alliance security dilemma (snyder1984)."""

from __future__ import annotations

from crisisgame.engine.state import State
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200
BASE = (0.4, 0.5)
"""(strength, ambiguity) of the reference commitment."""
STRONGER = (0.9, 0.5)
CLEARER = (0.4, 0.1)


def primed(seed: int, strength: float, ambiguity: float) -> tuple[State, str, str]:
    """A junior state protected by a senior one (a defence pact) next to a threat; only the pact's
    strength and ambiguity vary between treatments of the same seed."""
    r = w.rng(seed, "p05")
    doc = w.blank(3, seed)
    junior, senior, threat = w.ids(doc)
    w.size(doc, junior, r.uniform(0.3, 1.0))
    w.size(doc, senior, r.uniform(2.0, 5.0))
    w.size(doc, threat, r.uniform(1.0, 3.0))
    w.place(doc, junior, 0, 0)
    w.place(doc, threat, r.uniform(200, 1500), r.uniform(-500, 500))
    w.place(doc, senior, -r.uniform(1000, 6000), r.uniform(-2000, 2000))
    w.configure(doc, senior, reputation=round(r.uniform(0.5, 0.9), 3))
    w.intent(doc, junior, threat, r.uniform(0.3, 0.9))
    w.intent(doc, senior, threat, r.uniform(0.1, 0.6))
    w.agreement(
        doc,
        "pact",
        "defence_pact",
        [junior, senior],
        strength=strength,
        ambiguity=ambiguity,
        conditionality=r.uniform(0.0, 0.5),
    )
    return w.primed(w.scenario(doc), seed), junior, senior


def fears(strength: float, ambiguity: float) -> tuple[list[float], list[float]]:
    """The junior's abandonment fear and the senior's entrapment risk (step 7), seed by seed."""
    abandonment, entrapment = [], []
    for seed in range(SEEDS):
        s, junior, senior = primed(seed, strength, ambiguity)
        abandonment.append(s.actors[junior].abandonment_fear)
        entrapment.append(s.actors[senior].entrapment_risk)
    return abandonment, entrapment


def test_firmer_clearer_commitments_calm_the_junior_and_entrap_the_senior() -> None:
    """Proposition 5 (snyder1984): stronger, less ambiguous commitments lower the junior's abandonment
    fear and raise the senior's entrapment risk.

    Experiment: 200 seeds, each a junior, its senior protector and a threat (random sizes, places,
    perceptions, the senior's reputation, the pact's conditionality), primed by one quiet turn of the
    pipeline. Treatments of the same world: the reference pact (strength 0.4, ambiguity 0.5), a
    stronger one (strength 0.9) and a clearer one (ambiguity 0.1). Margin: each paired difference in
    the predicted direction more than 3 standard errors above 0.
    """
    base_fear, base_trap = fears(*BASE)
    strong_fear, strong_trap = fears(*STRONGER)
    clear_fear, clear_trap = fears(*CLEARER)
    stats.report(
        "P5",
        fear_reference=stats.mean(base_fear),
        fear_stronger=stats.mean(strong_fear),
        fear_clearer=stats.mean(clear_fear),
        entrapment_reference=stats.mean(base_trap),
        entrapment_stronger=stats.mean(strong_trap),
        entrapment_clearer=stats.mean(clear_trap),
    )
    stats.assert_positive(stats.paired(base_fear, strong_fear), "abandonment fear: reference - stronger")
    stats.assert_positive(stats.paired(base_fear, clear_fear), "abandonment fear: reference - clearer")
    stats.assert_positive(stats.paired(strong_trap, base_trap), "entrapment risk: stronger - reference")
    stats.assert_positive(stats.paired(clear_trap, base_trap), "entrapment risk: clearer - reference")
