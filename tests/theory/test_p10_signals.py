"""Proposition 10, costly signals (fearon1997)."""

from __future__ import annotations

from crisisgame.engine.commands import Deployment, Orders, Statement
from crisisgame.engine.state import State
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = 200


def primed(seed: int) -> tuple[State, str, str, str]:
    """A guarantor G bound to a partner P by a security guarantee, and P's adversary A."""
    r = w.rng(seed, "p10")
    doc = w.blank(3, seed)
    g, p, a = w.ids(doc)
    w.size(doc, g, r.uniform(2.0, 5.0))
    w.size(doc, p, r.uniform(0.3, 1.0))
    w.size(doc, a, r.uniform(1.0, 3.0))
    w.place(doc, p, 0, 0)
    w.place(doc, a, r.uniform(200, 1500), r.uniform(-500, 500))
    w.place(doc, g, -r.uniform(1000, 7000), r.uniform(-2000, 2000))
    w.configure(doc, g, reputation=round(r.uniform(0.5, 0.9), 3), audience_cost_sensitivity=round(r.random(), 3))
    w.intent(doc, p, a, r.uniform(0.3, 0.9))
    w.agreement(
        doc,
        "guarantee",
        "security_guarantee",
        [g, p],
        guarantors=[g],
        strength=r.uniform(0.3, 0.8),
        ambiguity=r.uniform(0.1, 0.6),
    )
    w.issue(doc, "claim", {a: 0.9, p: 0.1})
    return w.primed(w.scenario(doc), seed), g, p, a


def estimates(seed: int) -> dict[str, tuple[float, float]]:
    """After one turn with each signal (or none): q, the belief that G intervenes for P (step 5), and
    the adversary bot's estimate of its own chance against P."""
    s, g, p, a = primed(seed)
    r = w.rng(seed, "p10-signal")
    signals = {
        "none": Orders(),
        "sunk": Orders(deployments=[Deployment(host=p, troops=r.randrange(1000, 5000), kind="tripwire")]),
        "tied": Orders(statements=[Statement(text=f"We stand with {p}.", pledge_to=p)]),
    }
    out = {}
    for name, orders in signals.items():
        after, _ = w.advance(s, {g: orders})
        out[name] = (after.credibility_of(g, p), w.bot(after, a, seed).r.odds(a, p))
    return out


def test_sunk_costs_and_tied_hands_raise_the_adversarys_estimate_of_intervention() -> None:
    """Proposition 10 (fearon1997): sunk-cost and tied-hands signals raise the adversary's estimate of
    intervention.

    Experiment: 200 seeds, each a guarantor, its partner and the partner's adversary (random sizes,
    places, the guarantor's reputation and audience-cost sensitivity, the guarantee's strength and
    ambiguity). Treatments of the same world for one turn: no signal; a sinking-costs signal (1,000
    to 5,000 tripwire troops deployed in the partner); a hands-tying signal (a public pledge).
    Outcomes: q, what others believe about the guarantor's intervention (step 5), and, in consequence,
    the adversary bot's estimate of its chance against the partner. Margin: each paired difference
    in the predicted direction more than 3 standard errors above 0.
    """
    runs = [estimates(seed) for seed in range(SEEDS)]

    def q(name: str) -> list[float]:
        return [run[name][0] for run in runs]

    def odds(name: str) -> list[float]:
        return [run[name][1] for run in runs]

    stats.report(
        "P10",
        q_none=stats.mean(q("none")),
        q_sunk=stats.mean(q("sunk")),
        q_tied=stats.mean(q("tied")),
        adversary_odds_none=stats.mean(odds("none")),
        adversary_odds_sunk=stats.mean(odds("sunk")),
        adversary_odds_tied=stats.mean(odds("tied")),
    )
    stats.assert_positive(stats.paired(q("sunk"), q("none")), "q: tripwire troops - no signal")
    stats.assert_positive(stats.paired(q("tied"), q("none")), "q: public pledge - no signal")
    stats.assert_positive(stats.paired(odds("none"), odds("sunk")), "adversary's odds: no signal - tripwire")
    stats.assert_positive(stats.paired(odds("none"), odds("tied")), "adversary's odds: no signal - pledge")
