"""Allied targets resist: a target with a defence pact gives in to a challenger's demand less often (Fang,
Johnson & Leeds 2014; leeds2003)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.engine.commands import DemandOrder, Orders
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(300)
"""Test seeds 0-299, apart from the calibration seeds (1000-1999)."""


@cache
def resists(seed: int, pact: bool, ablate: bool = False) -> float:
    """1 if the target B's bot refuses a public demand that the challenger A makes of it (scripted: the same
    position with or without the pact, drawn per world between the status quo and A's ideal).

    A region of three realists: A, much stronger than B (by e^1.5 to e^3, so that a lone target often has
    reason to give in), B 200-1000 km away, and a third state C (one to three times B's size, 500-2500 km
    from A) that has no stake in the issue. Only whether B and C share a defence pact (with an
    extended-deterrence clause, so it covers coercion as well as an armed attack) varies."""
    r = w.rng(seed, "allied-targets")
    doc = w.blank(3, seed, turns=4)
    a, b, c = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(1.5, 3.0)))
    w.size(doc, b, 1.0)
    w.size(doc, c, r.uniform(1.0, 3.0))
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(200, 1000), 0)
    w.place(doc, c, r.uniform(500, 2500), r.uniform(-1000, 1000))
    for x in (a, b, c):
        w.configure(doc, x, temperament="realist", power_projection=round(r.uniform(0.3, 0.8), 3))
    w.configure(doc, c, reputation=round(r.uniform(0.6, 0.9), 3))
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    strength, ambiguity = r.uniform(0.5, 0.9), r.uniform(0.0, 0.3)
    if pact:
        w.agreement(doc, "pact", "defence_pact", [b, c], strength=strength, ambiguity=ambiguity)
        doc["agreements"][-1]["obligations"] = ["defence", "extended_deterrence"]
    if ablate:
        w.rules(doc, "credibility", b0=0.0, b1=0.0, b2=0.0, b3=0.0)
    s = w.primed(w.scenario(doc), seed)
    position = round(w.rng(seed, "allied-targets-demand").uniform(0.4, 0.9), 3)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=position)])})
    answers = w.bot_orders(s, seed, [b])[b].demand_answers
    return float(bool(answers) and not answers[0].accept)


def test_a_target_with_a_defence_pact_resists_demands_more_often() -> None:
    """Fang, Johnson & Leeds (2014): targets with a defence pact resist challengers' demands more often,
    since the pact shifts the outcome they expect if the dispute escalates.

    Mechanism: a target gives in only when the demand leaves it at least what it expects from war and the
    threat is credible (`Bargainer.concedes`); its estimate of the challenger's chance counts each
    protector's strength in its theatre times the credibility the world gives the commitment (step 5;
    `Bargainer.protectors`). A pact lowers that chance, so war is worth more to the target and the
    challenger's threat less believable. No rule mentions pacts when answering a demand.

    Experiment: seeds 0-299, a much stronger challenger demands a position of the target (scripted, the
    same with or without the pact); outcome: the target's bot refuses. Margin: the paired difference
    (pact - none) more than 3 standard errors above 0.
    """
    alone = [resists(seed, False) for seed in SEEDS]
    allied = [resists(seed, True) for seed in SEEDS]
    difference = stats.paired(allied, alone)
    stats.report(
        "allied targets", resist_alone=stats.mean(alone), resist_allied=stats.mean(allied), difference=difference
    )
    stats.assert_positive(difference, "target refuses the demand: defence pact - none")


def test_if_no_one_believed_the_ally_the_pact_would_not_stiffen_the_target() -> None:
    """Ablation: `credibility.b0` = `b1` = `b2` = `b3` = 0, so the world gives the ally's commitment no
    credibility (q = 0) and the target counts none of its strength. Seeds 0-299, the same worlds. Margin:
    the rise in refusals (pact - none) is no longer significant, and more than 3 SE smaller than with q."""
    on = [resists(s, True) - resists(s, False) for s in SEEDS]
    off = [resists(s, True, True) - resists(s, False, True) for s in SEEDS]
    stats.report("allied targets ablation", stiffening_with_q=stats.mean(on), stiffening_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "target refuses: pact - none, with q = 0")
    stats.assert_positive(stats.paired(on, off), "stiffening by the pact: credibility computed - zero")
