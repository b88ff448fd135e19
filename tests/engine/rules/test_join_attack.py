"""Joining an attack and sharing its spoils: `Orders.join` and `war.spoils_share` in step 6.

World: an attacker A (size 4), its target B (size 1) 400 km away, and a third state C (size 2) 700 km from
A, with an issue on which A holds 0.9, B 0.1 and C 0.85. Seeds 0-15 (test seeds).
"""

from __future__ import annotations

from typing import Any

import pytest

from crisisgame.engine.commands import ForceOrder, JoinOrder, Orders, Start, SubmitOrders
from crisisgame.engine.events import AgreementEnded, Outcome
from crisisgame.engine.state import State
from crisisgame.experiments import rows_of
from tests.engine.support import FAC, Table
from tests.theory import worlds as w

SEEDS = range(16)


def row(seed: int, sizes: tuple[float, float, float] = (4.0, 1.0, 2.0)) -> tuple[w.Doc, str, str, str]:
    """The world's document before its issue: realists A, B and C in a row, B 400 km from A, C 700 km."""
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    for x, size in zip((a, b, c), sizes, strict=True):
        w.size(doc, x, size)
        w.configure(doc, x, temperament="realist")
    w.place(doc, a, 0, 0)
    w.place(doc, b, 400, 0)
    w.place(doc, c, 700, 0)
    return doc, a, b, c


def world(
    seed: int, sizes: tuple[float, float, float] = (4.0, 1.0, 2.0), **rules: dict[str, float]
) -> tuple[State, str, str, str]:
    doc, a, b, c = row(seed, sizes)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.85})
    for group, values in rules.items():
        w.rules(doc, group, **values)
    return w.primed(w.scenario(doc), seed), a, b, c


def battle(events: Any) -> Outcome:
    (fight,) = w.outcomes(events, "crisis.war")
    return fight


def attack_with(a: str, b: str, c: str) -> dict[str, Orders]:
    return {
        a: Orders(force=[ForceOrder(target=b, level="war")]),
        c: Orders(join=[JoinOrder(attacker=a, target=b)]),
    }


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_joiner_fights_on_the_attackers_side_and_bears_its_costs(seed: int) -> None:
    """C's `join` adds its strength in B's theatre to A's side: A's chance rises, C is named in the battle
    and its terms, it loses personnel as a belligerent, and B's perceived intent of C rises. Without the
    attack the order does nothing."""
    s, a, b, c = world(seed)
    _, alone = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="war")])})
    after, joined = w.advance(s, attack_with(a, b, c))
    p_alone, p_joined = battle(alone).reason.inputs["p"], battle(joined).reason.inputs["p"]
    assert isinstance(p_alone, float)
    assert isinstance(p_joined, float)
    assert p_joined > p_alone + 0.02
    assert battle(joined).reason.inputs["joined"] == c
    # A state joining is no shift in power: the cause the battle names is the same as without it.
    shift = "commitment problem"
    assert (shift in str(battle(joined).reason.inputs["causes"])) == (
        shift in str(battle(alone).reason.inputs["causes"])
    )
    assert f"join:{c}" in battle(joined).reason.terms
    assert (after.actors[c].milper or 0.0) < (s.actors[c].milper or 0.0)
    assert after.intent_of(b, c) > s.intent_of(b, c)
    quiet, events = w.advance(s, {c: Orders(join=[JoinOrder(attacker=a, target=b)])})
    assert not w.outcomes(events, "crisis.war")
    assert quiet.actors[c].milper == s.actors[c].milper


def test_the_winning_side_shares_the_spoils_in_proportion_to_the_strength_it_brought() -> None:
    """When A's side prevails, B gives up `war.spoils_share` of its GDP, and A and C receive it in the
    ratio of their strength in the battle; when B holds, nobody takes anything. With `war.spoils_share` 0
    a victory takes no GDP."""
    won = lost = 0
    for seed in SEEDS:
        s, a, b, c = world(seed)
        after, events = w.advance(s, attack_with(a, b, c))
        fight = battle(events)
        spoils = w.outcomes(events, "crisis.spoils")
        gdp_b = s.actors[b].gdp or 0.0
        if fight.reason.inputs["winner"] != a:
            lost += 1
            assert not spoils
            continue
        won += 1
        (taken,) = spoils
        share = s.rules.war.spoils_share
        assert taken.reason.inputs["prize"] == pytest.approx(gdp_b * share)
        got = taken.reason.terms
        assert set(got) == {a, c}
        assert sum(got.values()) == pytest.approx(gdp_b * share)
        terms = fight.reason.terms
        assert got[c] / got[a] == pytest.approx(
            terms[f"join:{c}"] / terms[a], rel=5e-3
        )  # terms are rounded to 4 places
        # What changed hands shows in the state (later steps move GDP a little, e.g. growth)
        assert after.actors[b].gdp == pytest.approx(gdp_b * (1 - share), rel=1e-3)
        for x in (a, c):
            assert (after.actors[x].gdp or 0.0) == pytest.approx((s.actors[x].gdp or 0.0) + got[x], rel=1e-3)
        off, plain = w.advance(world(seed, war={"spoils_share": 0.0})[0], attack_with(a, b, c))
        assert not w.outcomes(plain, "crisis.spoils")
        assert off.actors[b].gdp == s.actors[b].gdp
    assert won, (won, lost)
    assert lost, (won, lost)


def test_a_limited_strike_takes_spoils_by_its_rung() -> None:
    """A limited strike that prevails takes `war.spoils_share` times the rung's weight of the target's GDP."""
    for seed in SEEDS:
        s, a, b, _c = world(seed)
        orders = {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])}
        after, events = w.advance(s, orders)
        (fight,) = w.outcomes(events, "crisis.strike")
        if fight.reason.inputs["winner"] == a:
            weight = s.rules.war.ladder_limited_strike * s.rules.war.spoils_share
            assert after.actors[b].gdp == pytest.approx((s.actors[b].gdp or 0.0) * (1 - weight))
            return
    pytest.fail("no limited strike prevailed on the test seeds")


def test_joining_an_attack_on_a_partner_breaks_the_agreement() -> None:
    """C and B share a non-aggression pact; C joining A's attack on B breaks it (with
    `alliance.violation_ends` 1), as C attacking B itself would."""
    doc = w.blank(3, 0, turns=6)
    a, b, c = w.ids(doc)
    for x, size in ((a, 4.0), (b, 1.0), (c, 2.0)):
        w.size(doc, x, size)
    w.place(doc, a, 0, 0)
    w.place(doc, b, 400, 0)
    w.place(doc, c, 700, 0)
    w.agreement(doc, "nap", "non_aggression", [b, c])
    w.rules(doc, "alliance", violation_ends=1.0)
    s = w.primed(w.scenario(doc), 0)
    _, events = w.advance(s, attack_with(a, b, c))
    ended = [e for e in events if isinstance(e, AgreementEnded)]
    assert [(e.agreement, e.cause) for e in ended] == [("nap", "broken")]
    assert "joined" in ended[0].reason.explanation


def test_the_runs_table_records_joins_and_spoils() -> None:
    """`crisisgame simulate` tables: a `join` row per joiner (actor: joiner, target: the state attacked,
    detail: the attacker) and a `spoils` row per state of the winning side (value: GDP taken)."""
    for seed in SEEDS:
        s, a, b, c = world(seed)
        _, events = w.advance(s, attack_with(a, b, c))
        rows = rows_of(events, 0, seed)
        assert [(r["actor"], r["target"], r["detail"]) for r in rows if r["kind"] == "join"] == [(c, b, a)]
        spoils = {r["actor"]: r["value"] for r in rows if r["kind"] == "spoils"}
        if battle(events).reason.inputs["winner"] == a:
            assert set(spoils) == {a, c}
            assert all(v > 0 for v in spoils.values())
            return
        assert not spoils
    pytest.fail("no attack prevailed on the test seeds")


def test_a_join_order_names_another_states_attack_on_a_third() -> None:
    """The engine refuses a `join` naming oneself, an unknown state, one state twice, the same attack twice,
    or an attack on a state the same orders defend, each with a clear reason."""
    table = Table(seed=2)
    table.do(Start(by=FAC))
    table.advance_to("orders")

    def refuse(*joins: JoinOrder, defend: list[str] | None = None) -> str:
        return table.refuse(SubmitOrders(by="BETA", orders=Orders(join=list(joins), defend=defend or [])))

    assert "not an attack of yours, nor one on you" in refuse(JoinOrder(attacker="BETA", target="ALPHA"))
    assert "not an attack of yours, nor one on you" in refuse(JoinOrder(attacker="ALPHA", target="BETA"))
    assert "unknown attacker to join 'NOPE'" in refuse(JoinOrder(attacker="NOPE", target="ALPHA"))
    assert "unknown target of the attack to join" in refuse(JoinOrder(attacker="ALPHA", target="NOPE"))
    assert "two different states" in refuse(JoinOrder(attacker="ALPHA", target="ALPHA"))
    assert "named twice" in refuse(
        JoinOrder(attacker="ALPHA", target="GAMMA"), JoinOrder(attacker="ALPHA", target="GAMMA")
    )
    assert "fight for GAMMA (defend)" in refuse(JoinOrder(attacker="ALPHA", target="GAMMA"), defend=["GAMMA"])
    table.do(SubmitOrders(by="BETA", orders=Orders(join=[JoinOrder(attacker="ALPHA", target="GAMMA")])))


def test_joining_the_top_threats_attack_is_named_bandwagoning() -> None:
    """Step 11: a state that fights on its top threat's side in an attack is named bandwagoning, with that
    move as the evidence."""
    for seed in SEEDS:
        s, a, b, c = world(seed)
        if max(s.actors, key=lambda j: s.threat_of(c, j) if j != c else -1.0) != a:
            continue
        _, events = w.advance(s, attack_with(a, b, c))
        (label,) = [e for e in w.outcomes(events, "behaviour.") if e.changes[0].key == c]
        assert label.reason.rule == "behaviour.bandwagoning"
        assert "fought on its top threat's side in its attack on" in label.reason.explanation
        return
    pytest.fail("A is nobody's top threat for C on the test seeds")


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_state_joining_is_no_shift_in_power(seed: int) -> None:
    """A joiner that raises the attacker's chance by far more than `war.power_shift_threshold` does not make
    the battle's reason name a commitment problem: the balance the turn began with counts it too."""
    s, a, b, c = world(seed, sizes=(2.0, 3.0, 3.0))
    _, alone = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="war")])})
    _, joined = w.advance(s, attack_with(a, b, c))
    p_alone, p_joined = battle(alone).reason.inputs["p"], battle(joined).reason.inputs["p"]
    assert isinstance(p_alone, float)
    assert isinstance(p_joined, float)
    assert p_joined - p_alone > 1.5 * s.rules.war.power_shift_threshold
    assert "commitment problem" not in str(battle(alone).reason.inputs["causes"])
    assert "commitment problem" not in str(battle(joined).reason.inputs["causes"])
