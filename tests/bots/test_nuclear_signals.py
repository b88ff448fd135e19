"""Nuclear threats and tests as computer players' choices (`bots/bargaining.py`: `coercion`, `deterrence`).

A nuclear-armed bot weighs a signal the way it weighs force: on its own beliefs, by the expected value of
making it against not making it. A threat leaves something to chance on every rung of a fight between the
two states (`nuclear.threat_risk`, Schelling 1966): it raises the other side's expected cost of fighting,
and one's own if the other side can strike back. A test makes an arsenal that might not survive a first
strike deter in full while it is in mind (`nuclear.first_strike_share` no longer discounts it). Either
costs the alarm the engine spreads (`nuclear.signal_cost` per unit of perceived intent raised).

Worlds: a challenger A and a weaker neighbour B with an issue between them (A holds 0.9, B 0.1), and a
distant third state; seeds 0-7 (test seeds).
"""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.bots import bargaining
from crisisgame.engine.commands import DemandAnswer, DemandOrder, ForceOrder, Orders
from crisisgame.engine.state import State
from tests.theory import worlds as w

SEEDS = range(8)
SECURE = {"warheads": 200, "second_strike": True}
"""An arsenal with a secure second strike."""
UNPROVEN = {"warheads": 50, "second_strike": False}
"""A small arsenal that might not survive a first strike (discounted by `nuclear.first_strike_share`)."""
PRICE = 0.3
"""`nuclear.signal_cost` in these worlds (unless a test sets it): a three-state world has few states to
alarm, so the price is set here rather than left to the default calibrated on the shipped scenarios."""


def world(
    seed: int,
    *,
    size_a: float,
    nuclear_a: dict[str, Any] | None = None,
    nuclear_b: dict[str, Any] | None = None,
    **rules: dict[str, float],
) -> tuple[State, str, str]:
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    w.size(doc, a, size_a)
    w.size(doc, b, 1.0)
    w.size(doc, c, 4.0)
    w.place(doc, a, 0, 0)
    w.place(doc, b, 400, 0)
    w.place(doc, c, 3000, 300)
    for x in (a, b, c):
        # Democracies: every state's price of backing down from a public demand is then the full
        # `domestic.audience_cost` (regime factor 1), so the signals alone vary between these worlds.
        w.configure(doc, x, temperament="realist", regime="democracy")
    w.issue(doc, "land", {a: 0.9, b: 0.1})
    if nuclear_a:
        w.actor(doc, a)["nuclear"] = nuclear_a
    if nuclear_b:
        w.actor(doc, b)["nuclear"] = nuclear_b
    w.rules(doc, "nuclear", signal_cost=PRICE)
    for group, values in rules.items():
        w.rules(doc, group, **values)
    return w.primed(w.scenario(doc), seed), a, b


def coercive_threats(seed: int, **kw: Any) -> list[str]:
    """Whom A threatens with nuclear weapons along with its demand on B this turn."""
    s, a, _ = world(seed, size_a=1.5, **kw)
    demand, threats = bargaining.coercion(w.bot(s, a, seed).bargainer)
    assert demand is not None, "the world is built so that A has a demand worth making"
    return threats


def deterrent_signals(seed: int, size_a: float, **kw: Any) -> tuple[list[str], bool]:
    """B's nuclear threats and test after A demanded its ideal of it, if B refused (none if it gave in)."""
    s, a, b = world(seed, size_a=size_a, **kw)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    bot = w.bot(s, b, seed)
    refused = {x.demand_id for x in bot.answers() if not x.accept}
    demands = [d for d in bot.r.open_demands_on_me() if d.id in refused]
    return bargaining.deterrence(bot.bargainer, demands)


def test_a_nuclear_state_backs_coercion_of_a_non_nuclear_target_with_a_threat() -> None:
    """Against a target without an arsenal or a nuclear ally, the threat raises the target's expected cost
    of refusing (its acceptance rises) at no nuclear risk to the threatener: it pays in most worlds. Against
    a target with a secure arsenal the risk is shared and the threat never pays. Ablation: with no risk
    left to chance (`nuclear.threat_risk` = 0) a threat changes nothing and costs its alarm: never made."""
    plain = [bool(coercive_threats(seed, nuclear_a=SECURE)) for seed in SEEDS]
    mutual = [bool(coercive_threats(seed, nuclear_a=SECURE, nuclear_b=SECURE)) for seed in SEEDS]
    ablated = [bool(coercive_threats(seed, nuclear_a=SECURE, nuclear={"threat_risk": 0.0})) for seed in SEEDS]
    assert sum(plain) >= 6, plain
    assert not any(mutual), mutual
    assert not any(ablated), ablated


def test_a_threat_is_not_made_when_its_alarm_costs_more_than_it_gains() -> None:
    """The same coercion with the alarm priced at 2 stakes per unit of intent: no threat pays."""
    assert not any(coercive_threats(seed, nuclear_a=SECURE, nuclear={"signal_cost": 2.0}) for seed in SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_threat_raises_the_chance_that_the_target_gives_in(seed: int) -> None:
    s, a, _ = world(seed, size_a=1.5, nuclear_a=SECURE)
    b = w.bot(s, a, seed).bargainer
    (d,) = b.disputes()
    threatened = b.signalling(threat=(a, d.other))
    assert threatened.acceptance(d, d.mine) >= b.acceptance(d, d.mine)
    assert threatened.exposure(d.other, a) > 0 == b.exposure(d.other, a)


def test_a_weaker_nuclear_state_threatens_a_demander_it_expects_to_lose_to() -> None:
    """B refuses a demand; a nuclear threat raises A's cost of every rung of escalation. B makes it when
    what it expects to lose to A's escalation falls by more than the alarm costs: against a much stronger
    demander (size 16), not against a near-equal one (size 2), whose escalation costs B little. Ablation:
    `nuclear.threat_risk` = 0, and no threat is made."""
    strong = [bool(deterrent_signals(seed, 16.0, nuclear_b=UNPROVEN, war={"cost_of_war": 0.1})[0]) for seed in SEEDS]
    weak = [bool(deterrent_signals(seed, 2.0, nuclear_b=UNPROVEN, war={"cost_of_war": 0.1})[0]) for seed in SEEDS]
    ablated = [
        bool(
            deterrent_signals(seed, 16.0, nuclear_b=UNPROVEN, war={"cost_of_war": 0.1}, nuclear={"threat_risk": 0.0})[0]
        )
        for seed in SEEDS
    ]
    assert sum(strong) >= 4, strong
    assert not any(weak), weak
    assert not any(ablated), ablated


def test_an_unproven_arsenal_is_tested_when_a_strong_demander_may_strike() -> None:
    """With cheap war (`war.cost_of_war` 0.05) a much stronger A may strike B after a refusal; a test
    makes B's small arsenal deter in full and so lowers what B expects to lose. It is made where that
    saving beats the alarm (here priced at `nuclear.signal_cost` 0.15). A state with a secure second
    strike has nothing to prove and never tests. Ablation: `nuclear.first_strike_share` = 1 (a small
    arsenal deters in full already): no test."""
    rules = {"war": {"cost_of_war": 0.05}, "nuclear": {"signal_cost": 0.15}}
    unproven = [deterrent_signals(seed, 16.0, nuclear_b=UNPROVEN, **rules)[1] for seed in SEEDS]
    secure = [deterrent_signals(seed, 16.0, nuclear_b=SECURE, **rules)[1] for seed in SEEDS]
    ablation = {"war": {"cost_of_war": 0.05}, "nuclear": {"signal_cost": 0.15, "first_strike_share": 1.0}}
    ablated = [deterrent_signals(seed, 16.0, nuclear_b=UNPROVEN, **ablation)[1] for seed in SEEDS]
    assert sum(unproven) >= 2, unproven
    assert not any(secure), secure
    assert not any(ablated), ablated


def test_an_equal_demander_draws_no_test() -> None:
    """Against a near-equal demander, whose escalation stays below an armed attack, a test saves nothing."""
    rules = {"war": {"cost_of_war": 0.05}, "nuclear": {"signal_cost": 0.15}}
    assert not any(deterrent_signals(seed, 2.0, nuclear_b=UNPROVEN, **rules)[1] for seed in SEEDS)


def test_the_orders_carry_the_signals() -> None:
    """The bot's orders include what `coercion` decides (the engine accepts them: the bot has an arsenal)."""
    found = 0
    for seed in SEEDS:
        s, a, b = world(seed, size_a=1.5, nuclear_a=SECURE)
        orders = w.bot(s, a, seed).orders()
        if orders.nuclear_threats:
            assert orders.nuclear_threats == [b]
            assert [d.target for d in orders.demands] == [b]
            found += 1
    assert found >= 6


def attacked_bot(seed: int, **kw: Any) -> Any:
    """B's computer player after A demanded its ideal and blockaded B in the turn B refused (the demand
    escalated: a team or an inject may press a demand at once)."""
    s, a, b = world(seed, size_a=16.0, nuclear_b=UNPROVEN, war={"cost_of_war": 0.1}, **kw)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    (did,) = s.demands
    refuse = Orders(demand_answers=[DemandAnswer(demand_id=did, accept=False)])
    s, _ = w.advance(s, {b: refuse, a: Orders(force=[ForceOrder(target=b, level="blockade")])})
    assert s.demands[did].status == "escalated"
    return w.bot(s, b, seed), a


def test_a_nuclear_state_under_attack_weighs_a_threat_against_its_attacker() -> None:
    """The demand A escalated to force is one B still resists (`Bot.resisting`): B weighs a threat against A
    as for a refused demand, and threatens in some worlds. Ablation: `nuclear.threat_risk` = 0, none."""
    threatened, ablated = [], []
    for seed in SEEDS:
        bot, a = attacked_bot(seed)
        assert [d.actor for d in bot.resisting([])] == [a]
        threatened.append(a in bot.orders().nuclear_threats)
        off, _ = attacked_bot(seed, nuclear={"threat_risk": 0.0})
        ablated.append(a in off.orders().nuclear_threats)
    assert any(threatened), threatened
    assert not any(ablated), ablated
