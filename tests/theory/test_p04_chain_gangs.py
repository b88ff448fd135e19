"""Proposition 4, chain-ganging and buck-passing (christensen_snyder1990)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.commands import ForceOrder, Orders
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(120)
"""Test seeds 0-119, apart from the calibration seeds (1000-1999)."""
DEFENCE, OFFENCE = 0.05, 0.95


def build(seed: int, polarity: str, delta: float, ablate: bool = False) -> tuple[Scenario, str, str, tuple[str, str]]:
    """A attacks B, whom C and D are bound to defend (one defence pact of B, C and D).

    Multipolar: four great powers of similar size. Bipolar: A and C are the two poles, B and D small.
    Everything else (positions, reputations, the pact's strength and clarity) is drawn the same way.
    """
    r = w.rng(seed, "p04")
    doc = w.blank(4, seed)
    a, b, c, d = w.ids(doc)
    for x in (a, b, c, d):
        w.place(doc, x, r.uniform(0, 2000), r.uniform(0, 2000))
        w.configure(doc, x, reputation=round(r.uniform(0.55, 0.9), 3))
    great = [r.uniform(1.5, 2.5) for _ in range(4)]
    poles = [r.uniform(5.0, 7.0) for _ in range(2)]
    small = [r.uniform(0.3, 0.8) for _ in range(2)]
    if polarity == "multipolar":
        sizes = dict(zip((a, b, c, d), great, strict=True))
    else:
        sizes = {a: poles[0], c: poles[1], b: small[0], d: small[1]}
    for x, value in sizes.items():
        w.size(doc, x, value)
    w.agreement(doc, "pact", "defence_pact", [b, c, d], strength=r.uniform(0.4, 0.9), ambiguity=r.uniform(0.0, 0.5))
    w.rules(doc, "security_dilemma", offence_dominance=delta)
    if ablate:
        w.rules(doc, "alliance", honour_offence=0.0)
    return w.scenario(doc), a, b, (c, d)


@cache
def shares(seed: int, polarity: str, delta: float, ablate: bool = False) -> tuple[float, float]:
    """Shares of the two guarantors the engine names chain-ganging and buck-passing after the attack.

    One scripted adjudication, not a bot-played game: the strike is ordered by hand so every world has
    exactly one call to answer; the answers are the guarantors' bots' own (step 7, as in any game)."""
    sc, a, b, guarantors = build(seed, polarity, delta, ablate)
    _, events = w.advance(w.primed(sc, seed), {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])})
    labels = [w.behaviour(events)[g][0] for g in guarantors]
    return labels.count("chain_ganging") / 2, labels.count("buck_passing") / 2


def test_offence_dominance_breeds_chain_gangs_defence_dominance_passed_bucks_and_bipolarity_neither() -> None:
    """Proposition 4 (christensen_snyder1990): multipolar with defence dominant, buck-passing outnumbers
    chain-ganging; offence dominant, the reverse; both rarer when bipolar.

    Mechanism: step 7's honour decision has a term alliance.honour_offence x (2 delta - 1) x the
    partner's weight in the balance (its CINC relative to the largest): offence dominance raises the
    chance of honouring, defence dominance lowers it, less so for a small partner. This term is itself
    the proposition written into the engine (the war model has no offence-defence balance from which it
    could emerge); the ablation shows the effect comes from it and from nothing else. Step 11 names an
    answer chain-ganging or buck-passing only when the partner is fighting (here, struck).

    Experiment: seeds 0-119 x {multipolar, bipolar} x {defence dominant (delta 0.05), offence dominant
    (delta 0.95)}. A great power strikes B; B invokes its defence pact with C and D, whose bots answer
    (step 7) and whom the engine names chain-ganging (honoured) or buck-passing (abandoned) (step 11).
    Unit: a world, the share of its two guarantors with each label. "Both rarer when bipolar" is
    tested where each pathology arises: chain-ganging under offence dominance and buck-passing under
    defence dominance are less frequent with two poles (whose small allies do not decide the
    balance) than with four great powers. Margin: every paired difference more than 3 SE above 0.
    """
    results = {
        (polarity, delta): [shares(seed, polarity, delta) for seed in SEEDS]
        for polarity in ("multipolar", "bipolar")
        for delta in (DEFENCE, OFFENCE)
    }

    def chain(polarity: str, delta: float) -> list[float]:
        return [c for c, _ in results[(polarity, delta)]]

    def buck(polarity: str, delta: float) -> list[float]:
        return [b for _, b in results[(polarity, delta)]]

    defence_multi = stats.paired(buck("multipolar", DEFENCE), chain("multipolar", DEFENCE))
    offence_multi = stats.paired(chain("multipolar", OFFENCE), buck("multipolar", OFFENCE))
    chain_bipolar = stats.paired(chain("multipolar", OFFENCE), chain("bipolar", OFFENCE))
    buck_bipolar = stats.paired(buck("multipolar", DEFENCE), buck("bipolar", DEFENCE))
    stats.report(
        "P4",
        **{
            f"{kind}_{polarity}_delta{delta}": stats.mean(series(polarity, delta))
            for kind, series in (("chain", chain), ("buck", buck))
            for polarity in ("multipolar", "bipolar")
            for delta in (DEFENCE, OFFENCE)
        },
    )
    stats.assert_positive(defence_multi, "multipolar, defence dominant: buck-passing - chain-ganging")
    stats.assert_positive(offence_multi, "multipolar, offence dominant: chain-ganging - buck-passing")
    stats.assert_positive(chain_bipolar, "offence dominant: chain-ganging multipolar - bipolar")
    stats.assert_positive(buck_bipolar, "defence dominant: buck-passing multipolar - bipolar")


def test_without_the_offence_defence_term_the_balance_changes_no_answer() -> None:
    """Ablation of proposition 4: alliance.honour_offence = 0. Seeds 0-119, multipolar worlds. Margin: the
    rise in chain-ganging from defence to offence dominance is no longer significant, and more than 3 SE
    smaller than with the term."""

    def rise(ablate: bool) -> list[float]:
        return [
            shares(s, "multipolar", OFFENCE, ablate)[0] - shares(s, "multipolar", DEFENCE, ablate)[0] for s in SEEDS
        ]

    on, off = rise(False), rise(True)
    stats.report("P4 ablation", chain_rise_with_term=stats.mean(on), chain_rise_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "chain-ganging: offence - defence dominant, without the term")
    stats.assert_positive(stats.paired(on, off), "rise in chain-ganging: with the term - without")
