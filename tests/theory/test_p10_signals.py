"""Proposition 10, costly signals (fearon1997)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.commands import Deployment, Orders, Statement
from crisisgame.engine.state import State
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(100)
"""Test seeds 0-99, apart from the calibration seeds (1000-1999)."""


def primed(seed: int, ablate: bool = False) -> tuple[State, str, str, str]:
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
    if ablate:
        w.rules(doc, "credibility", b2=0.0, b3=0.0)
    return w.primed(w.scenario(doc), seed), g, p, a


@cache
def estimates(seed: int, ablate: bool = False) -> dict[str, tuple[float, float]]:
    """After one turn with each signal (or none): q, the belief that G intervenes for P (step 5), and
    the adversary bot's estimate of its own chance against P. The signals are scripted orders for one
    adjudication: the outcome is a belief, which no later bot move is needed to form."""
    s, g, p, a = primed(seed, ablate)
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

    Mechanism: step 5's q = rho x (b0 s (1 - alpha) + b1 interest + b2 sunk costs + b3 audience costs):
    tripwire troops are sunk costs (credibility.b2), a public pledge an audience cost (credibility.b3);
    the adversary's bot counts the guarantor's help weighted by q when it reckons its odds.

    Experiment: seeds 0-99, each a guarantor, its partner and the partner's adversary (random sizes,
    places, the guarantor's reputation and audience-cost sensitivity, the guarantee's strength and
    ambiguity). Treatments of the same world for one turn: no signal; a sinking-costs signal (1,000
    to 5,000 tripwire troops deployed in the partner); a hands-tying signal (a public pledge).
    Outcomes: q, what others believe about the guarantor's intervention (step 5), and, in consequence,
    the adversary bot's estimate of its chance against the partner. Margin: each paired difference
    in the predicted direction more than 3 standard errors above 0.
    """
    runs = [estimates(seed) for seed in SEEDS]

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


def test_without_sunk_and_audience_cost_terms_signals_change_no_belief() -> None:
    """Ablation of proposition 10: credibility.b2 = b3 = 0, so neither tripwires nor pledges enter q.
    Seeds 0-99, the same worlds. Margin: each signal's rise in q and fall in the adversary's odds is no
    longer significant, and more than 3 SE smaller than with the terms."""
    on = [estimates(seed) for seed in SEEDS]
    off = [estimates(seed, True) for seed in SEEDS]
    for signal in ("sunk", "tied"):
        rise_on = [run[signal][0] - run["none"][0] for run in on]
        rise_off = [run[signal][0] - run["none"][0] for run in off]
        fall_on = [run["none"][1] - run[signal][1] for run in on]
        fall_off = [run["none"][1] - run[signal][1] for run in off]
        stats.report(f"P10 ablation ({signal})", q_rise=stats.mean(rise_off), odds_fall=stats.mean(fall_off))
        stats.assert_vanishes(stats.mean(rise_off), f"q: {signal} - none, without b2 and b3")
        stats.assert_vanishes(stats.mean(fall_off), f"adversary's odds: none - {signal}, without b2 and b3")
        stats.assert_positive(stats.paired(rise_on, rise_off), f"rise in q ({signal}): with the terms - without")
        stats.assert_positive(stats.paired(fall_on, fall_off), f"fall in odds ({signal}): with the terms - without")
