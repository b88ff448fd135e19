"""Proposition 9, rationalist explanations for war (fearon1995)."""

from __future__ import annotations

import math
from functools import cache

from crisisgame.engine.commands import ArmsDelivery, DemandAnswer, DemandOrder, Orders
from crisisgame.engine.events import Event
from crisisgame.engine.rules.crisis import win_probability
from tests.theory import stats
from tests.theory import worlds as w

SEEDS = range(200)
"""Test seeds 0-199 (misperception, the weakest effect), apart from the calibration seeds (1000-1999)."""
FEW = range(80)
"""Test seeds 0-79, for the costs, the ally and the power shift (each effect above 10 SE at 200 seeds)."""


def fought(events: list[Event]) -> float:
    return float(bool(w.outcomes(events, "crisis.war") or w.outcomes(events, "crisis.strike")))


@cache
def crisis(seed: int, cost: float = 0.2, misperception: float = 0.1, ablate: bool = False) -> float:
    """1 if a crisis ends in a strike or a war: the challenger makes a demand (turn 2), the target's bot
    accepts or resists it (turn 3), and the challenger's bot escalates or not (turn 4)."""
    doc, a, b = w.dyad(seed, "p09-crisis")
    w.rules(doc, "war", cost_of_war=cost, misperception=misperception)
    if ablate:
        w.rules(doc, "bargaining", cost_weight_realist=0.0)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    s, _ = w.advance(s, w.bot_orders(s, seed, [b]))
    _, events = w.advance(s, w.bot_orders(s, seed, [a]))
    return fought(events)


@cache
def settlement_share(seed: int, ally: bool, ablate: bool = False) -> float:
    """The target's expected share of a settlement, 1 - p, once the challenger has coerced it (Fearon's
    bargaining range is centred on p); its defence-pact ally, if any, answers the call in step 7."""
    r = w.rng(seed, "p09-ally")
    doc = w.blank(3, seed)
    a, b, c = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(0.0, 1.0)))
    w.size(doc, b, 1.0)
    w.size(doc, c, r.uniform(1.0, 3.0))
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(200, 1000), 0)
    w.place(doc, c, r.uniform(500, 3000), r.uniform(-1500, 1500))
    w.configure(doc, c, reputation=round(r.uniform(0.8, 0.95), 3))
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    if ally:
        w.agreement(doc, "pact", "defence_pact", [b, c], strength=r.uniform(0.7, 0.9), ambiguity=r.uniform(0.0, 0.2))
        # The ally answers coercion, not only an armed attack: an extended-deterrence clause (issue 12).
        doc["agreements"][-1]["obligations"] = ["defence", "extended_deterrence"]
    if ablate:
        w.rules(doc, "alliance", honour_intercept=-20.0)  # a bot ally then honours with chance below 1e-8
    s = w.primed(w.scenario(doc), seed)
    after, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    return 1 - win_probability(after, a, b)


def preventive_war(seed: int) -> tuple[float, float]:
    """Whether the challenger escalates a resisted demand (without, with) a large arms delivery on its
    way to the target, due after the fighting (a power shift still to come)."""
    r = w.rng(seed, "p09-shift")
    doc = w.blank(3, seed, turns=6)
    a, b, supplier = w.ids(doc)
    w.size(doc, a, math.exp(r.uniform(0.3, 1.8)))
    w.size(doc, b, 1.0)
    w.size(doc, supplier, 3.0)
    w.place(doc, a, 0, 0)
    w.place(doc, b, r.uniform(200, 1000), 0)
    w.place(doc, supplier, -8000, 3000)
    for x in (a, b, supplier):
        w.configure(doc, x, temperament="realist", power_projection=round(r.uniform(0.3, 0.8), 3))
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    w.rules(doc, "capabilities", arms_delivery_lag=2)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    resist = Orders(demand_answers=[DemandAnswer(demand_id=next(iter(s.demands)), accept=False)])
    value = round((s.actors[b].milex or 0.0) / 1e3, 1)  # doubles b's military expenditure, in US$ millions
    shipment = Orders(arms_deliveries=[ArmsDelivery(to=b, value_usd_m=value)])
    out = []
    for orders in ({b: resist}, {b: resist, supplier: shipment}):
        now, _ = w.advance(s, orders)
        _, events = w.advance(now, w.bot_orders(now, seed, [a]))
        out.append(fought(events))
    return out[0], out[1]


def test_costs_allies_misperception_and_power_shifts_move_war_and_settlement_as_fearon_predicts() -> None:
    """Proposition 9 (fearon1995): higher costs of war mean fewer wars; adding a reliable ally raises a
    side's settlement share; more misperception or a larger coming power shift means more war.

    Mechanism: each bot fights when, on its own beliefs, the expected value of fighting (its estimated
    odds, with a private error of spread war.misperception, minus its cost of war weighted by its
    temperament, bargaining.cost_weight_*) beats the best settlement it expects; arms on their way
    to the adversary lower the odds it expects later (the commitment problem: peace, and any ground won
    by coercion short of a battle, will be eroded by the shift; only fighting meets it); an ally answering the
    call fights in the battle and so enters p. The experiments script the demand (and the target's
    resistance, for the power shift) so that every world reaches the decision measured; each decision
    is the bot's own, one adjudication at a time. Ablations: (costs) bots that give the cost of war no
    weight; (ally) an ally that never answers the call. Misperception and the coming shift have no
    separate ablation: the treatments themselves set the mechanism's parameter to zero (no error; no
    shipment on its way).

    Experiments, seeds 0-79 each (misperception: seeds 0-199), one thing varied at a time (paired by seed):
    - costs: a crisis between a challenger (usually the stronger) and its neighbour: a demand, the
      target's bot accepts or resists, the challenger's bot escalates or not; cost_of_war 0.1 or 0.4.
      Outcome: a strike or war.
    - ally: the challenger coerces the target, which has no ally or a reliable one (reputation
      0.8-0.95, strong clear defence pact) answering the call. Outcome: the target's share 1 - p.
    - misperception: the same crisis with war.misperception 0 or 0.3 (each bot's private error in its
      estimate of the odds: with none, the sides agree on p and settle). Outcome: a strike or war.
    - power shift: a resisted demand, with or without an arms delivery that will double the target's
      military expenditure due after this turn's fighting. Outcome: the challenger escalates to an armed
      attack (a limited strike or war: Fearon's war; coercion below it, which the challenger may also
      choose, is not counted).
    Margin: each paired difference in the predicted direction more than 3 standard errors above 0.
    """
    cheap = [crisis(seed, cost=0.1) for seed in FEW]
    dear = [crisis(seed, cost=0.4) for seed in FEW]
    alone = [settlement_share(seed, False) for seed in FEW]
    allied = [settlement_share(seed, True) for seed in FEW]
    clear = [crisis(seed, misperception=0.0) for seed in SEEDS]
    foggy = [crisis(seed, misperception=0.3) for seed in SEEDS]
    steady, shifting = zip(*(preventive_war(seed) for seed in FEW), strict=True)
    stats.report(
        "P9",
        war_cost_0_1=stats.mean(cheap),
        war_cost_0_4=stats.mean(dear),
        share_alone=stats.mean(alone),
        share_with_ally=stats.mean(allied),
        war_misperception_0=stats.mean(clear),
        war_misperception_0_3=stats.mean(foggy),
        escalation_no_shift=stats.mean(steady),
        escalation_shift_coming=stats.mean(shifting),
    )
    stats.assert_positive(stats.paired(cheap, dear), "war: cost of war 0.1 - 0.4")
    stats.assert_positive(stats.paired(allied, alone), "target's settlement share: reliable ally - none")
    stats.assert_positive(stats.paired(foggy, clear), "war: misperception 0.3 - 0")
    stats.assert_positive(stats.paired(shifting, steady), "escalation: power shift coming - none")


def test_bots_that_weigh_no_cost_of_war_fight_as_often_when_war_is_dear() -> None:
    """Ablation of proposition 9 (costs): bargaining.cost_weight_realist = 0, so the realist bots give the
    cost of war no weight when they choose between fighting and settling. Seeds 0-79, the same crises.
    Margin: the fall in wars from cost 0.1 to 0.4 is no longer significant, and more than 3 SE smaller
    than when bots weigh the cost."""
    on = [crisis(seed, cost=0.1) - crisis(seed, cost=0.4) for seed in FEW]
    off = [crisis(seed, cost=0.1, ablate=True) - crisis(seed, cost=0.4, ablate=True) for seed in FEW]
    stats.report("P9 ablation", fall_with_cost_weight=stats.mean(on), fall_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "war: cost 0.1 - 0.4, costs not weighed")
    stats.assert_positive(stats.paired(on, off), "effect of the cost of war: weighed - not")


def test_an_ally_that_never_answers_adds_nothing_to_the_settlement() -> None:
    """Ablation of proposition 9 (ally): alliance.honour_intercept = -20, so the ally's bot (step 7) never
    honours the call and never fights in the battle that sets p. Seeds 0-79, the same worlds. Margin: the
    target's gain in settlement share from the pact is no longer significant, and more than 3 SE smaller
    than with an ally that answers."""
    on = [settlement_share(seed, True) - settlement_share(seed, False) for seed in FEW]
    off = [settlement_share(seed, True, True) - settlement_share(seed, False, True) for seed in FEW]
    stats.report("P9 ablation (ally)", gain_with_answers=stats.mean(on), gain_without=stats.mean(off))
    stats.assert_vanishes(stats.mean(off), "target's share: ally - none, the ally never answering")
    stats.assert_positive(stats.paired(on, off), "target's gain from the pact: ally answers - never")
