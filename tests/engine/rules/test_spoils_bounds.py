"""The spoils of war are bounded: by what is left to take from the target, and by what each victor can occupy.

Conquest can take `war.spoils_share` of a state's economy in a game, however many battles it loses (what one
decisive war, of many battles, took from France in 1871): each victory takes the rung's weight of what is
left. A victor's part is at most the output of the share of the target's population its forces in the
theatre can hold, at `war.occupation_troops_per_1000` troops per 1,000 inhabitants (Quinlivan 1995).
World: an attacker A (size 4), its target B (size 1) 400 km away, a third state C 700 km from A (size 2, or
a small state with a large army in the occupation tests). Seeds 0-39 (test seeds).
"""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.engine.commands import ForceOrder, JoinOrder, Orders
from crisisgame.engine.events import Outcome
from crisisgame.engine.rules.crisis import lost_to_conquest
from crisisgame.engine.state import State, pair
from tests.engine.rules.test_join_attack import attack_with, row, world
from tests.theory import worlds as w

SEEDS = range(40)


def strike(a: str, b: str, level: str = "war") -> dict[str, Orders]:
    return {a: Orders(force=[ForceOrder(target=b, level=level)])}


def won(events: Any, a: str) -> bool:
    (fight,) = [e for e in events if isinstance(e, Outcome) and e.reason.rule in ("crisis.war", "crisis.strike")]
    return fight.reason.inputs["winner"] == a


def spoils(events: Any) -> list[Outcome]:
    return w.outcomes(events, "crisis.spoils")


def test_a_second_victory_in_a_war_takes_nothing_more() -> None:
    """A wins a war on B, then wins again the next turn: the first victory took `war.spoils_share` of B's
    economy, all that conquest can take, so the second takes nothing and says why. Before, each victory took
    another quarter of what B had left."""
    share_ = None
    for seed in SEEDS:
        s, a, b, _c = world(seed)
        after, first = w.advance(s, strike(a, b))
        if not won(first, a):
            continue
        later, second = w.advance(after, strike(a, b))
        if not won(second, a):
            continue
        share_ = s.rules.war.spoils_share
        assert after.conquests[pair(a, b)] == pytest.approx(share_)
        assert lost_to_conquest(later, b) == pytest.approx(share_)
        (nothing,) = spoils(second)
        assert nothing.changes == []
        assert "took nothing" in nothing.reason.explanation
        assert (later.actors[b].gdp or 0.0) >= (after.actors[b].gdp or 0.0) * 0.99  # only growth moves it now
        return
    pytest.fail("A never won two wars in a row on the test seeds")


def test_a_strike_then_a_war_take_the_share_once_in_all() -> None:
    """A limited strike takes w of the share, a later war the rest of it: in all B gives up `war.spoils_share`
    of its economy (as it was before any conquest), not the sum of two shares."""
    for seed in SEEDS:
        s, a, b, _c = world(seed)
        after, first = w.advance(s, strike(a, b, "limited_strike"))
        if not won(first, a):
            continue
        later, second = w.advance(after, strike(a, b))
        if not won(second, a):
            continue
        r = s.rules.war
        assert after.conquests[pair(a, b)] == pytest.approx(r.spoils_share * r.ladder_limited_strike)
        assert later.conquests[pair(a, b)] == pytest.approx(r.spoils_share)
        (taken,) = spoils(second)
        whole = (after.actors[b].gdp or 0.0) / (1 - r.spoils_share * r.ladder_limited_strike)
        assert taken.reason.inputs["prize"] == pytest.approx(whole * r.spoils_share * (1 - r.ladder_limited_strike))
        return
    pytest.fail("A never won a strike and then a war on the test seeds")


def test_two_attackers_in_one_turn_share_what_is_left() -> None:
    """A and C both go to war on B in the same turn and both prevail: together they take no more than
    `war.spoils_share` of B's economy."""
    for seed in SEEDS:
        s, a, b, c = world(seed, sizes=(4.0, 1.0, 4.0))
        orders = {x: Orders(force=[ForceOrder(target=b, level="war")]) for x in (a, c)}
        after, events = w.advance(s, orders)
        fights = w.outcomes(events, "crisis.war")
        if not all(f.reason.inputs["winner"] != b for f in fights):
            continue
        assert lost_to_conquest(after, b) == pytest.approx(s.rules.war.spoils_share)
        taken = sum(sum(e.reason.terms.values()) for e in spoils(events))
        assert taken == pytest.approx((s.actors[b].gdp or 0.0) * s.rules.war.spoils_share)
        return
    pytest.fail("A and C never both prevailed on the test seeds")


def small_joiner(seed: int, per_1000: float | None = None) -> tuple[State, str, str, str]:
    """B (size 1) is poor and populous (ten times the population its size gives); C is a small state with
    little GDP and a modest army, next to B."""
    doc, a, b, c = row(seed, (4.0, 1.0, 1.0))
    w.actor(doc, b)["capabilities"]["tpop"]["value"] = 400.0
    w.actor(doc, c)["capabilities"]["gdp"]["value"] = 5.0
    w.actor(doc, c)["capabilities"]["milper"]["value"] = 30.0
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.85})
    if per_1000 is not None:
        w.rules(doc, "war", occupation_troops_per_1000=per_1000)
    return w.primed(w.scenario(doc), seed), a, b, c


def test_a_small_joiner_takes_only_what_its_forces_can_occupy() -> None:
    """C brings a third of its side's strength but few troops to a populous target: its part is the output of
    the land its personnel in the theatre can hold (`war.occupation_troops_per_1000`), far below its share by
    strength, and what it cannot hold stays with B. With the bound off (0) it takes its share by strength,
    many times its own GDP."""
    for seed in SEEDS:
        s, a, b, c = small_joiner(seed)
        after, events = w.advance(s, attack_with(a, b, c))
        if not won(events, a):
            continue
        (taken,) = spoils(events)
        assert c in str(taken.reason.inputs["capped"])
        fight = w.outcomes(events, "crisis.war")[0]
        power_share = fight.reason.terms[f"join:{c}"]
        gdp_b, r = s.actors[b].gdp or 0.0, s.rules.war
        by_strength = gdp_b * r.spoils_share * power_share / (power_share + fight.reason.terms[a])
        assert taken.reason.terms[c] < 0.5 * by_strength
        # At most the output of the population its whole army could hold.
        assert taken.reason.terms[c] <= gdp_b * 30.0 * 1000 / (r.occupation_troops_per_1000 * 400_000.0) + 1e-6
        assert (after.actors[b].gdp or 0.0) > gdp_b * (1 - r.spoils_share) * 1.01
        free, unbound = w.advance(small_joiner(seed, per_1000=0.0)[0], attack_with(a, b, c))
        (open_,) = spoils(unbound)
        assert open_.reason.terms[c] == pytest.approx(by_strength, rel=5e-3)
        assert open_.reason.terms[c] > 2 * (s.actors[c].gdp or 0.0)
        assert not free.conquests.get(pair(b, c))
        return
    pytest.fail("A's side never prevailed on the test seeds")


def test_the_join_order_still_reaches_the_battle() -> None:
    """The world of these tests is one where C's `join` counts (a guard on the fixtures above)."""
    s, a, b, c = small_joiner(0)
    _, events = w.advance(s, {**strike(a, b), c: Orders(join=[JoinOrder(attacker=a, target=b)])})
    assert w.outcomes(events, "crisis.war")[0].reason.inputs["joined"] == c
