"""Bandwagoning for profit (Schweller 1994): states join a strong revisionist attacker to share the spoils of its
victory, revisionist (dissatisfied) states more than status-quo states, and more when gains are likely.

Mechanism: step 6 gives the attacker's side, when it prevails, `war.spoils_share` of the target's GDP, shared
by the strength each co-belligerent brought (`Orders.join`), and a bot joins an attack when, on its own view,
its chance of the spoils plus the issue's move times its lean on it beats its expected cost of the battle
(`Bargainer.join_value`). Nothing in either names revisionism or the stronger side: a state's dissatisfaction
is only its ideal point on the issue the battle carries, and the odds come from the battle model the engine
uses. Ablation: `war.spoils_share` = 0, victory takes nothing private, and the issue's outcome alone, a public
good the joiner gets whether it fights or not, is never worth a small state's cost: both effects vanish.

Worlds (seeds from `SEEDS`, one world per seed): a revisionist riser A (size e^0.5 to e^2) demands that B, a
wealthy status-quo power 300-900 km away (forces of size 1, or 0.5 and 2 to vary the odds; GDP two to four
times what its forces suggest: the prize; the population of size 1 whatever its forces, so the land a victor
must occupy to take its part of the prize is the same), concede an issue (A holds 0.9, B 0.1); a small state C (size 0.2
to 1, any temperament) 200-1200 km from B holds 0.8 on it (revisionist: it wants what A demands) or 0.2
(status quo). The turn after the demand, C's computer player decides, on its own view, whether to join A's
attack on B (`Orders.join`). World parameters were set on calibration seeds 1000-1199 (docs/rules.md,
*Propositions beyond the suite*), before the test seeds were run.
"""

from __future__ import annotations

import math
from functools import cache

from crisisgame.engine.commands import DemandOrder, Orders
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(1000)
"""Test seeds 0-999, apart from the calibration seeds (1000-1999)."""

TEMPERAMENTS = ("realist", "liberal", "constructivist")


@cache
def joins(seed: int, lean: str, target_forces: float = 1.0, spoils: float | None = None) -> float:
    """1.0 if C's bot joins A's attack on B in the world of `seed`, C holding the revisionist (`rev`) or the
    status-quo (`sq`) position, B's forces of size `target_forces`, `spoils` overriding `war.spoils_share`."""
    r = w.rng(seed, "bandwagoning-for-profit")
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(0.5, 2.0)))
    w.size(doc, b, target_forces)
    w.size(doc, c, r.uniform(0.2, 1.0))
    w.actor(doc, b)["capabilities"]["gdp"]["value"] = round(600 * r.uniform(2.0, 4.0), 4)
    w.actor(doc, b)["capabilities"]["tpop"]["value"] = (
        40.0  # as at size 1: the same land to occupy, whatever its forces
    )
    x_b = r.uniform(300, 900)
    w.place(doc, a, 0, 0)
    w.place(doc, b, x_b, 0)
    angle, distance = r.uniform(0, 2 * math.pi), r.uniform(200, 1200)
    w.place(doc, c, x_b + distance * math.cos(angle), distance * math.sin(angle))
    for x in (a, b, c):
        w.configure(doc, x, temperament="realist", power_projection=round(r.uniform(0.3, 0.8), 3))
    w.configure(doc, c, temperament=r.choice(TEMPERAMENTS))
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.8 if lean == "rev" else 0.2})
    if spoils is not None:
        w.rules(doc, "war", spoils_share=spoils)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    orders = w.bot(s, c, seed).orders()
    return float(any(j.attacker == a and j.target == b for j in orders.join))


def _dispositions(spoils: float | None = None) -> stats.Estimate:
    return stats.paired([joins(s, "rev", spoils=spoils) for s in SEEDS], [joins(s, "sq", spoils=spoils) for s in SEEDS])


def _odds(spoils: float | None = None) -> stats.Estimate:
    weak = [joins(s, "rev", target_forces=0.5, spoils=spoils) for s in SEEDS]
    strong = [joins(s, "rev", target_forces=2.0, spoils=spoils) for s in SEEDS]
    return stats.paired(weak, strong)


def test_revisionists_join_a_revisionist_attacker_more_than_status_quo_states_do() -> None:
    """Schweller (1994): a dissatisfied state bandwagons with a revisionist power to share its gains; a
    satisfied one, which would pay for the change on the issue, joins less."""
    effect = _dispositions()
    stats.report(
        "bandwagoning for profit: dispositions",
        revisionist=sum(joins(s, "rev") for s in SEEDS) / len(SEEDS),
        status_quo=sum(joins(s, "sq") for s in SEEDS) / len(SEEDS),
        difference=effect,
    )
    stats.assert_positive(effect, "revisionist - status quo joins")


def test_states_join_the_attacker_more_when_its_victory_is_likely() -> None:
    """Schweller (1994): jackals join when the gains are likely and cheap: against a weaker target (the same
    prize) a revisionist joins the attacker more often than against a stronger one."""
    effect = _odds()
    stats.report("bandwagoning for profit: odds", weak_minus_strong_target=effect)
    stats.assert_positive(effect, "joins against a weak target - against a strong one")


def test_ablation_without_spoils_nobody_bandwagons_for_profit() -> None:
    """Ablation: `war.spoils_share` = 0. Both effects vanish (no longer significant at 99%) and are
    significantly smaller than with spoils."""
    dispositions, odds = _dispositions(spoils=0.0), _odds(spoils=0.0)
    stats.report("bandwagoning for profit: ablation", dispositions=dispositions, odds=odds)
    stats.assert_vanishes(dispositions, "revisionist - status quo joins without spoils")
    stats.assert_vanishes(odds, "weak - strong target joins without spoils")
    with_spoils = [joins(s, "rev") - joins(s, "sq") for s in SEEDS]
    without = [joins(s, "rev", spoils=0.0) - joins(s, "sq", spoils=0.0) for s in SEEDS]
    stats.assert_positive(stats.paired(with_spoils, without), "drop in the disposition effect")
