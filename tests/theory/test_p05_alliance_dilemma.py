"""Proposition 5, the alliance security dilemma (snyder1984)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.state import State
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(100)
"""Test seeds 0-99, apart from the calibration seeds (1000-1999)."""
BASE = (0.4, 0.5)
"""(strength, ambiguity) of the reference commitment."""
STRONGER = (0.9, 0.5)
CLEARER = (0.4, 0.1)


def primed(seed: int, strength: float, ambiguity: float, ablate: bool = False) -> tuple[State, str, str]:
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
    if ablate:
        w.rules(doc, "credibility", b0=0.0)
    return w.primed(w.scenario(doc), seed), junior, senior


@cache
def fears(strength: float, ambiguity: float, ablate: bool = False) -> tuple[list[float], list[float]]:
    """The junior's abandonment fear and the senior's entrapment risk (step 7), seed by seed. One quiet
    turn of the pipeline, not a bot-played game: both are computed every turn from the state alone, and
    a bot's moves would only add noise."""
    abandonment, entrapment = [], []
    for seed in SEEDS:
        s, junior, senior = primed(seed, strength, ambiguity, ablate)
        abandonment.append(s.actors[junior].abandonment_fear)
        entrapment.append(s.actors[senior].entrapment_risk)
    return abandonment, entrapment


def test_firmer_clearer_commitments_calm_the_junior_and_entrap_the_senior() -> None:
    """Proposition 5 (snyder1984): stronger, less ambiguous commitments lower the junior's abandonment
    fear and raise the senior's entrapment risk.

    Mechanism: the junior's fear is (1 - q) scaled by its top threat, and q, what others believe about
    the senior's help (step 5), rises with the commitment's strength and clarity through
    credibility.b0 x s x (1 - alpha). The senior's entrapment risk is Snyder's index itself,
    s x (1 - alpha) x (1 - kappa) x the partner's risk, a definition rather than a behaviour, so only the
    fear has an ablation.

    Experiment: seeds 0-99, each a junior, its senior protector and a threat (random sizes, places,
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


def test_without_the_commitment_term_in_credibility_firmer_pacts_calm_no_one() -> None:
    """Ablation of proposition 5 (abandonment fear): credibility.b0 = 0, so the pact's strength and
    clarity no longer enter q. Seeds 0-99, the same worlds. Margin: the falls in fear (reference - stronger,
    reference - clearer) are no longer significant and each is more than 3 SE smaller than with the term."""
    base_on, strong_on, clear_on = fears(*BASE)[0], fears(*STRONGER)[0], fears(*CLEARER)[0]
    base_off, strong_off, clear_off = fears(*BASE, True)[0], fears(*STRONGER, True)[0], fears(*CLEARER, True)[0]
    for name, on, off in (("stronger", strong_on, strong_off), ("clearer", clear_on, clear_off)):
        fall_on = [a - b for a, b in zip(base_on, on, strict=True)]
        fall_off = [a - b for a, b in zip(base_off, off, strict=True)]
        stats.report(f"P5 ablation ({name})", fall_with_term=stats.mean(fall_on), fall_without=stats.mean(fall_off))
        stats.assert_vanishes(stats.mean(fall_off), f"abandonment fear: reference - {name}, without b0")
        stats.assert_positive(stats.paired(fall_on, fall_off), f"fall in fear ({name}): with b0 - without")
