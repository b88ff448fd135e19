"""The escalation ladder through `engine.Game`: each rung's consequences, and which rungs let a call open.

Every test plays the trio world (ALPHA guaranteed by GAMMA under a security guarantee, whose default
clause is defence on an armed attack) with teams in every seat, so only the orders given here act.
"""

from __future__ import annotations

import pytest

from crisisgame.engine.commands import Advance, DemandOrder, ForceOrder, Orders, Start, SubmitOrders
from crisisgame.engine.events import CallOpened, Event, Outcome
from crisisgame.engine.rules.common import base_consent, combined_reach
from crisisgame.scenario.model import Clause, Nuclear, Scenario
from tests.engine.support import FAC, Table, trio

COERCIVE = ("grey_zone", "show_of_force", "blockade")
ARMED = ("limited_strike", "war")


def armed_beta() -> Scenario:
    """Trio with Beta given a small arsenal (nuclear tests, threats and use need one)."""
    sc = trio()
    actors = [
        a.model_copy(update={"nuclear": Nuclear(warheads=50, second_strike=False)}) if a.id == "BETA" else a
        for a in sc.actors
    ]
    return sc.model_copy(update={"actors": actors})


def play(orders: Orders, sc: Scenario | None = None, seed: int = 2) -> tuple[Table, list[Event]]:
    """Beta's `orders` in turn 1, adjudicated: the table and the turn's events."""
    table = Table(sc, seed=seed)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    table.do(SubmitOrders(by="BETA", orders=orders))
    return table, table.do(Advance(by=FAC))


def force(level: str) -> Orders:
    return Orders(force=[ForceOrder.model_validate({"target": "ALPHA", "level": level})])


def rules_of(events: list[Event]) -> list[str]:
    return [e.reason.rule for e in events if isinstance(e, Outcome)]


def tension(table: Table) -> float:
    return table.state.system["tension"]


@pytest.mark.parametrize("level", COERCIVE)
def test_coercion_below_an_armed_attack_cannot_invoke_a_defence_clause(level: str) -> None:
    table, events = play(force(level))
    assert not any(isinstance(e, CallOpened) for e in events)
    [refused] = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "alliance.call_refused"]
    text = refused.reason.explanation
    assert "defence (help if attacked)" in text, text
    assert "answers an armed attack" in text, text
    assert f"a {level.replace('_', ' ')} is not an armed attack" in text
    assert not {"crisis.strike", "crisis.war"} & set(rules_of(events))
    assert not table.state.at_war("ALPHA", "BETA")


@pytest.mark.parametrize("level", ARMED)
def test_an_armed_attack_opens_the_call_and_is_fought(level: str) -> None:
    table, events = play(force(level))
    [call] = [e for e in events if isinstance(e, CallOpened)]
    assert (call.caller, call.adversary, call.obligated) == ("ALPHA", "BETA", ["GAMMA"])
    assert ("crisis.war" if level == "war" else "crisis.strike") in rules_of(events)
    assert table.state.at_war("ALPHA", "BETA") == (level == "war")


def test_a_blockade_costs_the_target_trade_and_a_grey_zone_incident_does_not() -> None:
    quiet, _ = play(Orders())
    blockaded, events = play(force("blockade"))
    grey, _ = play(force("grey_zone"))
    before = quiet.state.actors["ALPHA"].gdp
    assert before is not None
    assert "crisis.blockade" in rules_of(events)
    loss = blockaded.state.rules.war.blockade_gdp_loss
    assert blockaded.state.actors["ALPHA"].gdp == pytest.approx(before * (1 - loss), rel=1e-6)
    assert grey.state.actors["ALPHA"].gdp == pytest.approx(before)


def test_tension_rises_with_the_rung_and_decays_in_calm() -> None:
    by_rung = {level: tension(play(force(level))[0]) for level in ("protest", "grey_zone", "blockade", "war")}
    calm = tension(play(Orders())[0])
    assert calm < by_rung["grey_zone"] < by_rung["blockade"] < by_rung["war"], (calm, by_rung)
    table, _ = play(force("limited_strike"))
    peak = tension(table)
    table.advance_to("orders", turn=2)
    table.do(Advance(by=FAC))  # a calm turn: nobody orders anything
    assert tension(table) < peak


def test_unanswered_coercion_is_a_fait_accompli_on_the_disputed_issue() -> None:
    """Beta demands the border at 0.2 in turn 1; in turn 2 its show of force moves the issue."""
    table = Table(seed=2)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    demand = DemandOrder(target="ALPHA", issue="border", position=0.2)
    table.do(SubmitOrders(by="BETA", orders=Orders(demands=[demand])))
    table.advance_to("orders", turn=2)
    table.do(SubmitOrders(by="BETA", orders=force("show_of_force")))
    events = table.do(Advance(by=FAC))
    [moved] = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "crisis.coercion"]
    settled = table.state.settled["border"]
    w = table.state.rules.war.ladder()["show_of_force"]
    assert settled == pytest.approx(0.4 + table.state.rules.war.fait_accompli * w * (0.2 - 0.4), abs=1e-6)
    assert moved.reason.inputs["armed_attack"] is False


def test_nuclear_orders_need_an_arsenal() -> None:
    table = Table(seed=2)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    assert "no nuclear weapons" in table.refuse(SubmitOrders(by="BETA", orders=force("nuclear_use")))
    assert "no nuclear weapons" in table.refuse(SubmitOrders(by="BETA", orders=Orders(nuclear_test=True)))
    assert "no nuclear weapons" in table.refuse(SubmitOrders(by="BETA", orders=Orders(nuclear_threats=["ALPHA"])))


def test_a_nuclear_test_alarms_everyone_and_raises_tension() -> None:
    quiet, _ = play(Orders(), armed_beta())
    tested, events = play(Orders(nuclear_test=True), armed_beta())
    assert "nuclear.test" in rules_of(events)
    for other in ("ALPHA", "GAMMA"):
        assert tested.state.intent[f"{other}>BETA"] > quiet.state.intent[f"{other}>BETA"]
    assert tension(tested) > tension(quiet)


def test_a_nuclear_threat_coerces_but_is_no_armed_attack() -> None:
    _, events = play(Orders(nuclear_threats=["ALPHA"]), armed_beta())
    assert "nuclear.threat" in rules_of(events)
    assert not any(isinstance(e, CallOpened) for e in events)  # a defence clause answers only an armed attack
    refused = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "alliance.call_refused"]
    assert refused
    assert "nuclear threat is not an armed attack" in refused[0].reason.explanation


def test_nuclear_use_ruins_the_target_and_starts_a_war() -> None:
    quiet, _ = play(Orders(), armed_beta())
    table, events = play(force("nuclear_use"), armed_beta())
    assert "crisis.war" in rules_of(events)
    assert table.state.at_war("ALPHA", "BETA")
    n = table.state.rules.nuclear
    gdp_before, gdp_after = quiet.state.actors["ALPHA"].gdp, table.state.actors["ALPHA"].gdp
    assert gdp_before is not None
    assert gdp_after is not None
    # The nuclear loss first; if BETA's side prevailed, the spoils of victory come out of what is left.
    (battle,) = [e for e in events if isinstance(e, Outcome) and e.reason.rule == "crisis.war"]
    spoils = table.state.rules.war.spoils_share if battle.reason.inputs["winner"] == "BETA" else 0.0
    assert gdp_after == pytest.approx(gdp_before * (1 - n.use_gdp_loss) * (1 - spoils), rel=1e-6)


def test_a_host_consents_by_agreement_may_deny_and_a_neutral_host_denies() -> None:
    table, _ = play(Orders())
    s = table.state
    assert base_consent(s, "GAMMA", "ALPHA", "BETA") == "standing"  # the guarantee carries a defence clause
    assert base_consent(s, "GAMMA", "ALPHA", "BETA", {"ALPHA": Orders(deny_bases=["GAMMA"])}) is None
    assert base_consent(s, "GAMMA", "ALPHA", "ALPHA", {"ALPHA": Orders(deny_bases=["GAMMA"])}) == "in theatre"
    assert base_consent(s, "BETA", "ALPHA", "GAMMA") is None  # no agreement: a neutral host denies


def test_every_usable_base_adds_reach_without_double_counting() -> None:
    assert combined_reach(0.2, []) == pytest.approx(0.2)
    assert combined_reach(0.2, [0.5]) == pytest.approx(0.6)
    assert combined_reach(0.2, [0.5, 0.5]) == pytest.approx(0.8)
    assert combined_reach(1.0, [0.5]) == pytest.approx(1.0)


def with_guarantee_rung(min_rung: str) -> Scenario:
    """Trio whose guarantee answers force from `min_rung` up (a clause's own rung threshold)."""
    sc = trio()
    clause = Clause.model_validate({"kind": "defence", "min_rung": min_rung})
    ags = [a.model_copy(update={"obligations": [clause]}) if a.id == "guarantee" else a for a in sc.agreements]
    return sc.model_copy(update={"agreements": ags})


def test_a_clause_with_its_own_rung_threshold_widens_or_narrows_the_casus_foederis() -> None:
    _, blockade = play(force("blockade"), with_guarantee_rung("blockade"))
    assert [e.caller for e in blockade if isinstance(e, CallOpened)] == ["ALPHA"]
    _, grey = play(force("grey_zone"), with_guarantee_rung("blockade"))
    [refused] = [e for e in grey if isinstance(e, Outcome) and e.reason.rule == "alliance.call_refused"]
    assert "answers force from a blockade up, and ALPHA faced a grey zone" in refused.reason.explanation
    _, strike = play(force("limited_strike"), with_guarantee_rung("war"))
    assert not any(isinstance(e, CallOpened) for e in strike)
    _, war = play(force("war"), with_guarantee_rung("war"))
    assert any(isinstance(e, CallOpened) for e in war)
