"""Proposition 12, two-level games (putnam1988)."""

from __future__ import annotations

from functools import cache

from crisisgame.engine.commands import Proposal
from crisisgame.engine.events import ProposalClosed
from crisisgame.engine.state import ProposalState, evolve
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(200)
"""Test seeds 0-199, apart from the calibration seeds (1000-1999)."""
NARROWING = 0.25
"""How much lower the upper edge of A's win-set is in the narrow treatment."""


@cache
def negotiate(seed: int, narrow: bool, ablate: bool = False) -> tuple[bool, float]:
    """B offers A a deal on an issue where A wants 0 and B wants 1; both accept, then both ratify.

    A's win-set is [0, U] (U lowered by NARROWING in the narrow treatment), B's [L, 1]; B's negotiator,
    not knowing A's win-set, offers a position drawn uniformly from its own. Returns whether the deal
    was ratified (step 1) and A's share of the gains, 1 - position. The deal is scripted (accepted by
    both) for one adjudication: ratification at home is the decision measured, and it is the engine's.
    """
    r = w.rng(seed, "p12")
    doc = w.blank(2, seed)
    a, b = w.ids(doc)
    upper = r.uniform(0.55, 0.85) - (NARROWING if narrow else 0.0)
    lower = r.uniform(0.05, 0.35)
    w.win_set(doc, a, "deal", 0.0, upper)
    w.win_set(doc, b, "deal", lower, 1.0)
    for x in (a, b):
        w.configure(doc, x, approval=round(r.uniform(0.4, 0.8), 3))
    w.issue(doc, "deal", {a: 0.0, b: 1.0})
    position = round(lower + r.random() * (1.0 - lower), 4)
    if ablate:
        w.rules(doc, "ratification", win_sets=False)
    s = w.primed(w.scenario(doc), seed)
    offer = Proposal(type="consultation", parties=[b, a], issue="deal", position=position)
    deal = ProposalState("deal", b, offer, s.turn, "accepted", frozenset({a, b}))
    _, events = w.advance(evolve(s, proposals={"deal": deal}))
    closed = next(e for e in events if isinstance(e, ProposalClosed) and e.id == "deal")
    return closed.status == "ratified", 1.0 - position


def test_a_narrow_win_set_gains_more_but_agrees_less() -> None:
    """Proposition 12 (putnam1988): a smaller win-set wins a larger share of the gains but fails to agree
    more often.

    Mechanism: step 1 ratifies a deal only inside each party's win-set (and near its edge with a risk
    that grows towards it): a narrower win-set rejects more of the offers made in ignorance of it, and
    the deals that survive are those closer to A's ideal. No bot chooses here.

    Experiment: seeds 0-199 (random win-set edges, approvals, offers; the engine's ratification draws)
    with A's win-set wide or narrowed by 0.25, everything else equal. Outcomes: whether the deal was
    ratified by both (step 1), and A's share of the gains among ratified deals. Margin: the paired
    difference in failure (narrow - wide) more than 3 standard errors above 0, and the difference in
    A's mean share among ratified deals (narrow - wide, Welch's standard error) more than 3 standard
    errors above 0.
    """
    wide = [negotiate(seed, False) for seed in SEEDS]
    narrow = [negotiate(seed, True) for seed in SEEDS]
    failed_wide = [0.0 if ok else 1.0 for ok, _ in wide]
    failed_narrow = [0.0 if ok else 1.0 for ok, _ in narrow]
    share_wide = [share for ok, share in wide if ok]
    share_narrow = [share for ok, share in narrow if ok]
    stats.report(
        "P12",
        failure_wide=stats.mean(failed_wide),
        failure_narrow=stats.mean(failed_narrow),
        share_wide=stats.mean(share_wide),
        share_narrow=stats.mean(share_narrow),
    )
    stats.assert_positive(stats.paired(failed_narrow, failed_wide), "failure to ratify: narrow - wide win-set")
    stats.assert_positive(stats.difference(share_narrow, share_wide), "A's share of ratified deals: narrow - wide")


def test_if_win_sets_did_not_bind_a_narrow_one_would_neither_gain_nor_fail() -> None:
    """Ablation of proposition 12: ratification.win_sets = false, so each legislature ratifies at the risk
    its approval sets, wherever the deal lies. Seeds 0-199, the same deals. Margin: the rise in failure
    (narrow - wide) is no longer significant and more than 3 SE smaller than with win-sets; A's share
    among ratified deals no longer differs significantly."""
    failure_on = [float(not negotiate(s, True)[0]) - float(not negotiate(s, False)[0]) for s in SEEDS]
    failure_off = [float(not negotiate(s, True, True)[0]) - float(not negotiate(s, False, True)[0]) for s in SEEDS]
    share_narrow = [share for ok, share in (negotiate(s, True, True) for s in SEEDS) if ok]
    share_wide = [share for ok, share in (negotiate(s, False, True) for s in SEEDS) if ok]
    gain = stats.difference(share_narrow, share_wide)
    stats.report("P12 ablation", failure_rise=stats.mean(failure_off), share_gain=gain)
    stats.assert_vanishes(stats.mean(failure_off), "failure to ratify: narrow - wide, win-sets not binding")
    stats.assert_positive(stats.paired(failure_on, failure_off), "rise in failure: win-sets binding - not")
    stats.assert_vanishes(gain, "A's share of ratified deals: narrow - wide, win-sets not binding")
