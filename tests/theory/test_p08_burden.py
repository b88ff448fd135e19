"""Proposition 8, burden sharing (olson_zeckhauser1966; sandler_murdoch2000)."""

from __future__ import annotations

import math

from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200
PUBLIC, MOSTLY_PRIVATE = 0.0, 0.8


def build(seed: int, private_share: float) -> tuple[Scenario, list[str]]:
    """Six allies in one defence pact facing a common threat; sizes are lognormal, starting defence
    spending (% of GDP) is drawn independently of size, temperaments at random."""
    r = w.rng(seed, "p08")
    doc = w.blank(7, seed)
    threat, *members = w.ids(doc)
    w.size(doc, threat, r.uniform(3.0, 5.0))
    w.place(doc, threat, 0, 0)
    for m in members:
        w.size(doc, m, math.exp(r.uniform(-1.5, 1.5)))
        w.place(doc, m, r.uniform(500, 1500), r.uniform(-800, 800))
        w.configure(
            doc,
            m,
            defence_spending=round(r.uniform(1.0, 3.0), 2),
            temperament=r.choice(["realist", "liberal", "constructivist"]),
        )
        w.intent(doc, m, threat, r.uniform(0.5, 0.8))
    w.agreement(doc, "alliance", "defence_pact", members, strength=0.7, ambiguity=0.2)
    w.rules(doc, "burden", private_share=private_share)
    return w.scenario(doc), members


def correlation(seed: int, private_share: float) -> float:
    """Spearman's rank correlation of GDP and the defence burden (% of GDP) each member's bot orders."""
    sc, members = build(seed, private_share)
    s = w.primed(sc, seed)
    orders = w.bot_orders(s, seed, members)
    return stats.spearman(
        [s.actors[m].gdp or 0.0 for m in members], [orders[m].defence_spending or 0.0 for m in members]
    )


def test_large_allies_carry_the_public_good_less_so_as_benefits_become_private() -> None:
    """Proposition 8 (olson_zeckhauser1966; sandler_murdoch2000): with a purely public deterrent, larger
    members carry a larger defence burden (positive rank correlation of size and burden); the
    correlation falls as the private share grows.

    Experiment: 200 seeds, each an alliance of six (GDP lognormal over a factor of 20, starting burden
    1-3% of GDP independent of size) facing a common threat; their bots set defence spending for the
    next turn. Treatments of the same world: private share of benefits 0 (pure public good) or 0.8.
    Margin: the mean per-world Spearman correlation under a public deterrent more than 3 standard
    errors above 0, and the paired fall (public - mostly private) more than 3 standard errors above 0.
    """
    public = [correlation(seed, PUBLIC) for seed in range(SEEDS)]
    private = [correlation(seed, MOSTLY_PRIVATE) for seed in range(SEEDS)]
    fall = stats.paired(public, private)
    stats.report("P8", spearman_public=stats.mean(public), spearman_private_0_8=stats.mean(private), fall=fall)
    stats.assert_positive(stats.mean(public), "Spearman(size, burden) with a purely public deterrent")
    stats.assert_positive(fall, "Spearman(size, burden): private share 0 - private share 0.8")
