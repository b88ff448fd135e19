"""Proposition 8, burden sharing (olson_zeckhauser1966; sandler_murdoch2000)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(200)
"""Test seeds 0-199, apart from the calibration seeds (1000-1999)."""
PUBLIC, MOSTLY_PRIVATE = 0.0, 0.8


def build(seed: int, private_share: float, ablate: bool = False) -> tuple[Scenario, list[str]]:
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
    if ablate:
        w.rules(doc, "bots", allied_effort_weight=0.0)
    return w.scenario(doc), members


@cache
def correlation(seed: int, private_share: float, ablate: bool = False) -> float:
    """Spearman's rank correlation of GDP and the defence burden (% of GDP) each member's bot orders. One
    round of bot orders on a primed state, not a whole game: the burden each member chooses is the
    outcome (the first best response to the others' starting spending)."""
    sc, members = build(seed, private_share, ablate)
    s = w.primed(sc, seed)
    orders = w.bot_orders(s, seed, members)
    return stats.spearman(
        [s.actors[m].gdp or 0.0 for m in members], [orders[m].defence_spending or 0.0 for m in members]
    )


def test_large_allies_carry_the_public_good_less_so_as_benefits_become_private() -> None:
    """Proposition 8 (olson_zeckhauser1966; sandler_murdoch2000): with a purely public deterrent, larger
    members carry a larger defence burden (positive rank correlation of size and burden); the
    correlation falls as the private share grows.

    Mechanism: no bot rule mentions size. Each allied bot chooses its burden as a best response in the
    alliance's voluntary provision of deterrence (`Bot.spending`): it values security (the log-odds of
    holding out against its top threat) in proportion to what it has to protect, counts its allies'
    current outlays (weighted by the credibility of their commitments to it and by how much of their
    strength reaches it) as security it already enjoys, and a share `burden.private_share` of the
    benefit of its own effort is private. Its demand
    for security alone (its autarky burden: its starting burden, scaled by Richardson's response to its
    own threat reading) is drawn here independently of its size; but in absolute terms a large economy
    wants more security than its partners already provide, while for a small one their outlay, measured
    against its own GDP, already exceeds what it would buy alone, so it rides free. When benefits are
    mostly private, its own effort is what buys them, and burdens move back towards autarky.

    Experiment: seeds 0-199, each an alliance of six (GDP lognormal over a factor of 20, starting burden
    1-3% of GDP independent of size) facing a common threat; their bots set defence spending for the
    next turn. Treatments of the same world: private share of benefits 0 (pure public good) or 0.8.
    Margin: the mean per-world Spearman correlation under a public deterrent more than 3 standard
    errors above 0, and the paired fall (public - mostly private) more than 3 standard errors above 0.
    """
    public = [correlation(seed, PUBLIC) for seed in SEEDS]
    private = [correlation(seed, MOSTLY_PRIVATE) for seed in SEEDS]
    fall = stats.paired(public, private)
    stats.report("P8", spearman_public=stats.mean(public), spearman_private_0_8=stats.mean(private), fall=fall)
    stats.assert_positive(stats.mean(public), "Spearman(size, burden) with a purely public deterrent")
    stats.assert_positive(fall, "Spearman(size, burden): private share 0 - private share 0.8")


def test_if_allies_efforts_did_not_count_large_allies_would_not_carry_more() -> None:
    """Ablation of proposition 8: bots.allied_effort_weight = 0, so a bot counts none of its allies' outlay
    as security it already enjoys (deterrence is no public good among them) and each member's best
    response is its autarky burden. Seeds 0-199, the same worlds, public deterrent. Margin: the Spearman
    correlation of size and burden is no longer significantly positive, and more than 3 SE below its
    value when allies' efforts count."""
    on = [correlation(seed, PUBLIC) for seed in SEEDS]
    off = [correlation(seed, PUBLIC, True) for seed in SEEDS]
    stats.report("P8 ablation", spearman_counting_allies=stats.mean(on), spearman_not_counting=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "Spearman(size, burden) when allies' efforts do not count")
    stats.assert_positive(stats.paired(on, off), "Spearman(size, burden): allies' efforts counted - not")
