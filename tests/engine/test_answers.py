"""Answers due: a team cannot mark itself ready in the orders phase while a call for help or a demand
it must answer this turn is missing from its orders."""

from __future__ import annotations

from crisisgame.engine.answers import answers_due, ready_refusal
from crisisgame.engine.commands import (
    CallAnswer,
    DemandAnswer,
    DemandOrder,
    ForceOrder,
    Orders,
    SetReady,
    Start,
    SubmitOrders,
)
from tests.engine.support import FAC, Table


def crisis() -> Table:
    """Turn 1: BETA makes a demand of ALPHA and strikes it, so GAMMA (ALPHA's guarantor) is called on."""
    table = Table(seed=21)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    strike = Orders(
        demands=[DemandOrder(target="ALPHA", issue="border", position=0.2)],
        force=[ForceOrder(target="ALPHA", level="limited_strike")],
    )
    table.do(SubmitOrders(by="BETA", orders=strike))
    table.advance_to("diplomacy", turn=2)
    return table


def test_answers_due_are_the_open_calls_and_demands_of_earlier_turns() -> None:
    table = crisis()
    assert [(d.kind, d.text.split("'")[0]) for d in answers_due(table.state, "ALPHA")] == [("demand", "Beta")]
    assert [d.kind for d in answers_due(table.state, "GAMMA")] == ["call"]
    assert answers_due(table.state, "BETA") == []


def test_marking_ready_waits_for_the_answers_in_the_orders_phase_only() -> None:
    table = crisis()
    table.do(SetReady(by="ALPHA"))  # diplomacy: answers are given with the orders, later
    table.do(SetReady(by="ALPHA", ready=False))
    table.advance_to("orders")
    reason = table.refuse(SetReady(by="ALPHA"))
    assert "demand on border" in reason
    assert "counts as abandoning a call or resisting a demand" in reason
    assert "call" in table.refuse(SetReady(by="GAMMA"))
    table.do(SetReady(by="BETA"))  # nothing owed
    [demand] = answers_due(table.state, "ALPHA")
    table.do(SubmitOrders(by="ALPHA", orders=Orders(demand_answers=[DemandAnswer(demand_id=demand.id, accept=False)])))
    assert ready_refusal(table.state, "ALPHA") is None
    table.do(SetReady(by="ALPHA"))
    [call] = answers_due(table.state, "GAMMA")
    table.do(SubmitOrders(by="GAMMA", orders=Orders(call_answers=[CallAnswer(call_id=call.id, honour=True)])))
    table.do(SetReady(by="GAMMA"))
    assert table.state.phase == "results"  # every team ready: the turn was adjudicated


def test_withdrawing_readiness_is_always_allowed() -> None:
    table = crisis()
    table.advance_to("orders")
    table.do(SetReady(by="ALPHA", ready=False))
