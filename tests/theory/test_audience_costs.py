"""Audience costs: democracies' threats are more credible (fearon1994; Schultz 2001)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.commands import DemandOrder, Orders
from tests.theory import stats
from tests.theory import worlds as w

SCRIPTED = range(300)
"""Test seeds 0-299 for the scripted demand, apart from the calibration seeds (1000-1999)."""
CHOSEN = range(600)
"""Test seeds 0-599 for the challenger's own demand (a smaller effect: the demand moves with the regime too)."""


def world(seed: int, regime: str, ablate: bool) -> tuple[w.Doc, str, str]:
    """A challenger A and its neighbour B over one issue (`worlds.dyad`); only A's regime varies."""
    doc, a, b = w.dyad(seed, "audience")
    w.configure(doc, a, regime=regime)
    if ablate:
        w.rules(doc, "domestic", regime_democracy=1.0, regime_hybrid=1.0, regime_autocracy=1.0)
    return doc, a, b


@cache
def concedes(seed: int, regime: str, ablate: bool = False) -> float:
    """1 if B's bot gives in to a public demand that A makes (scripted: the same position under either
    regime, drawn per world between the status quo and A's ideal)."""
    doc, a, b = world(seed, regime, ablate)
    s = w.primed(w.scenario(doc), seed)
    position = round(w.rng(seed, "audience-demand").uniform(0.4, 0.9), 3)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=position)])})
    answers = w.bot_orders(s, seed, [b])[b].demand_answers
    return float(bool(answers) and answers[0].accept)


@cache
def succeeds(seed: int, regime: str, ablate: bool = False) -> float:
    """1 if A's bot makes a demand of its own choosing and B's bot gives in to it."""
    doc, a, b = world(seed, regime, ablate)
    s = w.primed(w.scenario(doc), seed)
    orders = w.bot_orders(s, seed, [a])
    if not orders[a].demands:
        return 0.0
    s, _ = w.advance(s, orders)
    answers = w.bot_orders(s, seed, [b])[b].demand_answers
    return float(bool(answers) and answers[0].accept)


def test_targets_give_in_more_often_to_a_democracy_than_to_an_autocracy() -> None:
    """Audience costs (fearon1994): a leader who backs down from a public threat pays at home, more where
    the public can punish it (Weeks 2008), so a democracy's threat is believed more often and resisted
    less (Schultz 2001: democracies' threats are less often reciprocated).

    Mechanism: the price of backing down. Step 10 charges a state that drops a public demand
    `domestic.audience_cost` times its regime's factor (`domestic.regime_*`); a computer player reckons
    every state's price of backing down by the same public factor (`Bargainer.audience_cost`). A target
    gives in only to a threat it believes, one the demander prefers to carry out rather than back down
    from, so a higher price of backing down makes the same threat believable more often; the challenger
    weighs the same price in choosing its demand (a refusal leaves it the better of fighting and backing
    down). No rule names democracy when answering a demand: the regime enters only through the price.

    Experiments, paired by seed (the same dyad, A a democracy or an autocracy):
    - scripted demand, seeds 0-299: A demands a position drawn per world; outcome: B's bot gives in.
    - A's own demand, seeds 0-599: A's bot chooses whether and what to demand, B's bot answers; outcome:
      a demand made and conceded (the demand's success, Schultz's reciprocation measure).
    Margin: each paired difference (democracy - autocracy) more than 3 standard errors above 0.
    """
    democracy = [concedes(s, "democracy") for s in SCRIPTED]
    autocracy = [concedes(s, "autocracy") for s in SCRIPTED]
    won_democracy = [succeeds(s, "democracy") for s in CHOSEN]
    won_autocracy = [succeeds(s, "autocracy") for s in CHOSEN]
    scripted, chosen = stats.paired(democracy, autocracy), stats.paired(won_democracy, won_autocracy)
    stats.report(
        "audience costs",
        concede_to_democracy=stats.mean(democracy),
        concede_to_autocracy=stats.mean(autocracy),
        difference=scripted,
        own_demand_won_democracy=stats.mean(won_democracy),
        own_demand_won_autocracy=stats.mean(won_autocracy),
        difference_own=chosen,
    )
    stats.assert_positive(scripted, "target gives in to a scripted demand: democracy - autocracy")
    stats.assert_positive(chosen, "challenger's own demand conceded: democracy - autocracy")


def test_without_a_regime_gap_in_audience_costs_regime_makes_no_difference() -> None:
    """Ablation: `domestic.regime_democracy` = `regime_hybrid` = `regime_autocracy` = 1, so every regime pays
    the same price for backing down (at home, step 10, and in every bot's reckoning). Seeds 0-299, the same
    scripted demands. Margin: the gap (democracy - autocracy) in concessions is no longer significant, and
    more than 3 SE smaller than with the regime factors."""
    on = [concedes(s, "democracy") - concedes(s, "autocracy") for s in SCRIPTED]
    off = [concedes(s, "democracy", True) - concedes(s, "autocracy", True) for s in SCRIPTED]
    stats.report("audience costs ablation", gap_with_regimes=stats.mean(on), gap_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "target gives in: democracy - autocracy, one price for all")
    stats.assert_positive(stats.paired(on, off), "regime gap in concessions: regime factors - none")
