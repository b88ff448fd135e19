"""Intervention without an obligation: `Orders.defend` in the engine, `Bot.defend` and the attacker's
reckoning of it (`Bargainer.volunteer_chance`) in the bots.

Worlds: a challenger A (size 4), a weaker neighbour B (size 1) 400 km away, and a third state C (size 4)
900 km from A, with an issue on which A holds 0.9 and B 0.1; C holds a position near B's (a stake in B
holding out) or none. Seeds 0-7 (test seeds).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from crisisgame.bots.bargaining import Bargainer
from crisisgame.engine.commands import DemandOrder, ForceOrder, Orders, Start, SubmitOrders
from crisisgame.engine.events import Outcome
from crisisgame.engine.state import State
from crisisgame.experiments import rows_of
from tests.engine.support import FAC, Table
from tests.theory import worlds as w
from tests.theory.test_wargames import after_first_turn

SEEDS = range(8)


def world(
    seed: int, *, stake: bool = True, pact: list[str] | None = None, **rules: dict[str, float]
) -> tuple[State, str, str, str]:
    """The three-state world; `pact` gives the obligations of a security guarantee from C to B, if any."""
    doc = w.blank(3, seed, turns=6)
    a, b, c = w.ids(doc)
    for x, size in ((a, 4.0), (b, 1.0), (c, 4.0)):
        w.size(doc, x, size)
        w.configure(doc, x, temperament="realist")
    w.place(doc, a, 0, 0)
    w.place(doc, b, 400, 0)
    w.place(doc, c, 900, 0)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.15} if stake else {a: 0.9, b: 0.1})
    if pact is not None:
        w.agreement(doc, "tra", "security_guarantee", [c, b], strength=0.9, ambiguity=0.1, guarantors=[c])
        doc["agreements"][-1]["obligations"] = pact
    for group, values in rules.items():
        w.rules(doc, group, **values)
    return w.primed(w.scenario(doc), seed), a, b, c


def bargainer(state: State, aid: str, seed: int) -> Bargainer:
    return w.bot(state, aid, seed).bargainer


def battle(events: Any) -> Outcome:
    (fight,) = w.outcomes(events, "crisis.war")
    return fight


def chance_of(events: Any) -> float:
    """The attacker's chance p in the turn's one battle."""
    p = battle(events).reason.inputs["p"]
    assert isinstance(p, float)
    return p


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_state_that_orders_defend_fights_in_the_battle_on_the_defenders_side(seed: int) -> None:
    """Engine: C's `defend: [B]` adds its strength in B's theatre to B's side of A's attack, and C bears a
    belligerent's costs. Without the order (or with B not attacked) C stays out."""
    s, a, b, c = world(seed)
    attack = {a: Orders(force=[ForceOrder(target=b, level="war")])}
    _, alone = w.advance(s, attack)
    after, joined = w.advance(s, attack | {c: Orders(defend=[b])})
    assert chance_of(joined) < chance_of(alone) - 0.05
    assert battle(joined).reason.inputs["volunteers"] == c
    assert f"ally:{c}" in battle(joined).reason.terms
    assert f"ally:{c}" not in battle(alone).reason.terms
    assert (after.actors[c].milper or 0.0) < (s.actors[c].milper or 0.0)
    quiet, events = w.advance(s, {c: Orders(defend=[b])})
    assert not w.outcomes(events, "crisis.war")
    assert quiet.actors[c].milper == s.actors[c].milper


@pytest.mark.parametrize("seed", SEEDS)
def test_the_attacker_counts_a_state_with_a_stake_by_the_chance_it_joins(seed: int) -> None:
    """A's reckoning of its odds against B falls when C has a stake in B's holding out: C joins by its own
    decision with the chance that the battle is worth its cost. Ablation: with a cost of war C could never
    bear (`war.cost_of_war` 1 against a stake below 1), the chance is 0 and the odds are those without a
    stake."""
    with_stake, a, b, c = world(seed)
    without, *_ = world(seed, stake=False)
    costly, *_ = world(seed, war={"cost_of_war": 1.0})
    costly_plain, *_ = world(seed, stake=False, war={"cost_of_war": 1.0})
    chance = bargainer(with_stake, a, seed).volunteer_chance(c, a, b, "land")
    assert 0 < chance <= 1
    assert bargainer(with_stake, a, seed).odds(a, b, "land") < bargainer(without, a, seed).odds(a, b, "land") - 0.02
    assert bargainer(costly, a, seed).volunteer_chance(c, a, b, "land") == 0
    assert bargainer(costly, a, seed).odds(a, b, "land") == pytest.approx(
        bargainer(costly_plain, a, seed).odds(a, b, "land")
    )


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_a_consultation_only_guarantee_is_no_commitment_an_attacker_counts(seed: int) -> None:
    """A security guarantee whose obligations are consultation only binds no one (no call can be made):
    the attacker does not count it as a bound ally, only C's own chance of joining. With a defence clause
    C counts as bound, by its credibility."""
    consult, a, b, c = world(seed, pact=["consultation", "arms_supply"])
    defence, *_ = world(seed, pact=["defence", "consultation"])
    assert bargainer(consult, a, seed).bound(b, a) == {}
    assert c in bargainer(defence, a, seed).bound(b, a)
    assert c in bargainer(consult, a, seed).protectors(b, a, "land")


def test_a_third_state_defends_a_threatened_state_only_when_the_battle_is_worth_its_cost() -> None:
    """A demands B's concession; C's computer player orders `defend: [B]` when its stake times the fall
    in A's chance that its forces cause beats its own cost of war, which happens in some worlds and never
    when C has no stake in the issue."""
    decided: list[bool] = []
    no_stake: list[bool] = []
    for seed in SEEDS:
        for stake, out in ((True, decided), (False, no_stake)):
            s, a, b, c = world(seed, stake=stake)
            s, _ = w.advance(s, {a: Orders(demands=[DemandOrder(target=b, issue="land", position=0.9)])})
            bot = w.bot(s, c, seed)
            orders = bot.orders()
            expected = bot.bargainer.volunteers(a, b, "land", 0.9)
            assert (orders.defend == [b]) == expected
            out.append(expected)
    assert any(decided), decided
    assert not any(no_stake), no_stake


def test_the_runs_table_records_interventions_and_nuclear_threats() -> None:
    """`crisisgame simulate` tables: an `intervention` row for each state fighting unbound (actor: the
    volunteer, target: the attacker, detail: the state defended) and a `nuclear_threat` row per threat."""
    s, a, b, c = world(0)
    s = replace(s, actors={**s.actors, a: replace(s.actors[a], warheads=100)})
    _, events = w.advance(
        s, {a: Orders(force=[ForceOrder(target=b, level="war")], nuclear_threats=[b]), c: Orders(defend=[b])}
    )
    rows = rows_of(events, 0, 0)
    assert [(r["actor"], r["target"], r["detail"]) for r in rows if r["kind"] == "intervention"] == [(c, a, b)]
    assert [(r["actor"], r["target"]) for r in rows if r["kind"] == "nuclear_threat"] == [(a, b)]


def test_taiwan_the_united_states_can_fight_for_taiwan_only_by_its_own_decision() -> None:
    """Shipped Taiwan scenario: the Taiwan Relations Act obliges consultation and arms, so it binds no one
    (`binding` false in the view, no bound ally in China's reckoning), yet a US `defend` order puts US forces
    into China's invasion battle, which then fails as the CSIS wargames found (China's p from above 0.8 to
    below 0.5). China's reckoning counts the United States by the chance of that decision."""
    s = after_first_turn("taiwan_strait")
    china = bargainer(s, "CHN", 1000)
    assert not next(ag for ag in china.r.active() if ag.id == "us-twn-tra").binding
    assert "USA" not in china.bound("TWN", "CHN")
    assert 0 < china.volunteer_chance("USA", "CHN", "TWN", "taiwan_status") < 1
    invasion = {"CHN": Orders(force=[ForceOrder(target="TWN", level="war")])}
    _, alone = w.advance(s, invasion)
    _, defended = w.advance(s, invasion | {"USA": Orders(defend=["TWN"])})
    assert chance_of(alone) > 0.8
    assert chance_of(defended) < 0.5


def test_a_defend_order_names_another_known_state() -> None:
    """The engine refuses `defend` naming oneself or an unknown actor, with a clear reason."""
    table = Table(seed=2)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    assert "not yourself" in table.refuse(SubmitOrders(by="BETA", orders=Orders(defend=["BETA"])))
    assert "unknown state to defend" in table.refuse(SubmitOrders(by="BETA", orders=Orders(defend=["NOPE"])))
