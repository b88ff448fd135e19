"""Joining an attack by expected value: `Bot.join` and `Bargainer.join_value`.

Worlds: a revisionist A (size 3) demands that B (forces of size 1, GDP three times what they suggest) concede
an issue (A 0.9, B 0.1); a small state C (size 0.5, a realist) 500 km from B holds 0.8 on it. Seeds 0-15.
"""

from __future__ import annotations

import pytest

from crisisgame.engine.commands import DemandOrder, Orders
from crisisgame.engine.state import State
from tests.theory import worlds as w

SEEDS = range(16)


def world(
    seed: int, *, partners: bool = False, c_position: float = 0.8, **rules: dict[str, float]
) -> tuple[State, str, str, str]:
    """The world after A's demand on B, ready for the bots' orders of the turn after."""
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    for x, size in ((a, 3.0), (b, 1.0), (c, 0.5)):
        w.size(doc, x, size)
        w.configure(doc, x, temperament="realist")
    w.actor(doc, b)["capabilities"]["gdp"]["value"] = 1800.0
    w.place(doc, a, 0, 0)
    w.place(doc, b, 500, 0)
    w.place(doc, c, 500, 500)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: c_position})
    if partners:
        w.agreement(doc, "nap", "non_aggression", [b, c])
    for group, values in rules.items():
        w.rules(doc, group, **values)
    s = w.primed(w.scenario(doc), seed)
    s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
    return s, a, b, c


def test_a_bot_joins_exactly_when_joining_is_worth_more_than_staying_out_and_than_defending() -> None:
    """C's orders carry `join` for A's attack on B exactly when `Bargainer.joins` says so; that happens in
    some worlds, never with spoils switched off, and a bot never both joins and defends the same state."""
    decided: list[bool] = []
    ablated: list[bool] = []
    for seed in SEEDS:
        for spoils, out in ((None, decided), (0.0, ablated)):
            s, a, b, c = world(seed) if spoils is None else world(seed, war={"spoils_share": spoils})
            bot = w.bot(s, c, seed)
            orders = bot.orders()
            joined = [(j.attacker, j.target) for j in orders.join]
            expected = bot.bargainer.joins(a, b, "land", 0.9)
            assert joined == ([(a, b)] if expected else [])
            assert not (joined and b in orders.defend)
            value = bot.bargainer.join_value(a, b, "land", 0.9)
            assert expected == (value > 0 and value > bot.bargainer.defend_value(a, b, "land", 0.9))
            out.append(expected)
    assert any(decided), decided
    assert not any(ablated), ablated


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_joining_is_worth_less_to_a_state_that_wants_the_status_quo_kept(seed: int) -> None:
    """The same small state values joining less when it holds the target's position (its lean on the issue
    is negative: the attacker's victory costs it) than when it holds the attacker's."""
    rev, a, b, c = world(seed, c_position=0.8)
    sq, *_ = world(seed, c_position=0.2)
    lean_rev = w.bot(rev, c, seed).bargainer.lean(c, a, b, "land", 0.9)
    lean_sq = w.bot(sq, c, seed).bargainer.lean(c, a, b, "land", 0.9)
    assert lean_rev > 0 > lean_sq
    assert w.bot(rev, c, seed).bargainer.join_value(a, b, "land", 0.9) > w.bot(sq, c, seed).bargainer.join_value(
        a, b, "land", 0.9
    )


def test_a_bot_does_not_join_an_attack_on_a_partner() -> None:
    """Joining an attack on a partner would break the agreement: a bot that shares one with the target never
    orders it, even in worlds where joining would otherwise pay."""
    would_pay = 0
    for seed in SEEDS:
        s, a, b, c = world(seed, partners=True)
        bot = w.bot(s, c, seed)
        assert not bot.orders().join
        would_pay += bot.bargainer.joins(a, b, "land", 0.9)
    assert would_pay > 0


def test_the_attacker_counts_a_state_that_may_join_it_by_the_chance_it_does() -> None:
    """A's reckoning of its odds against B counts C by the chance that joining is worth C's cost (its resolve
    unknown to A), as it counts a state that may fight for B: the odds are higher where C may join than with
    spoils off (where joining is worth nothing to C) in the worlds where the chance is positive, and no state
    is counted under the ablation `bargaining.expected_help` = false."""
    counted = 0
    for seed in SEEDS:
        s, a, b, c = world(seed)
        off, *_ = world(seed, war={"spoils_share": 0.0})
        blind, *_ = world(seed, bargaining={"expected_help": False})
        attacker = w.bot(s, a, seed).bargainer
        chance = attacker.joiner_chance(c, a, b, "land")
        assert 0 <= chance <= 1
        assert w.bot(off, a, seed).bargainer.joiner_chance(c, a, b, "land") == 0
        assert w.bot(blind, a, seed).bargainer.joiner_chances(a, b, "land") == {}
        if chance > 0:
            counted += 1
            assert attacker.odds(a, b, "land") > w.bot(off, a, seed).bargainer.odds(a, b, "land")
    assert counted > 0
