"""Proposition 4, chain-ganging and buck-passing (christensen_snyder1990)."""

from __future__ import annotations

from crisisgame.engine.commands import ForceOrder, Orders
from crisisgame.scenario.model import Scenario
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200
DEFENCE, OFFENCE = 0.05, 0.95


def build(seed: int, polarity: str, delta: float) -> tuple[Scenario, str, str, tuple[str, str]]:
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
    return w.scenario(doc), a, b, (c, d)


def shares(seed: int, polarity: str, delta: float) -> tuple[float, float]:
    """Shares of the two guarantors the engine names chain-ganging and buck-passing after the attack."""
    sc, a, b, guarantors = build(seed, polarity, delta)
    _, events = w.advance(w.primed(sc, seed), {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])})
    labels = [w.behaviour(events)[g][0] for g in guarantors]
    return labels.count("chain_ganging") / 2, labels.count("buck_passing") / 2


def test_offence_dominance_breeds_chain_gangs_defence_dominance_passed_bucks_and_bipolarity_neither() -> None:
    """Proposition 4 (christensen_snyder1990): multipolar with defence dominant, buck-passing outnumbers
    chain-ganging; offence dominant, the reverse; both rarer when bipolar.

    Experiment: 200 seeds x {multipolar, bipolar} x {defence dominant (delta 0.05), offence dominant
    (delta 0.95)}. A great power strikes B; B invokes its defence pact with C and D, whose bots answer
    (step 7) and whom the engine names chain-ganging (honoured) or buck-passing (abandoned) (step 11).
    Unit: a world, the share of its two guarantors with each label. "Both rarer when bipolar" is
    tested where each pathology arises: chain-ganging under offence dominance and buck-passing under
    defence dominance are less frequent with two poles (whose small allies do not decide the
    balance) than with four great powers. Margin: every paired difference more than 3 SE above 0.
    """
    results = {
        (polarity, delta): [shares(seed, polarity, delta) for seed in range(SEEDS)]
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
