"""`adjudicate`: the twelve steps in order, each outcome with its reason, the same events for the same state."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from pydantic import BaseModel

from crisisgame.engine.adjudicate import adjudicate
from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.engine.commands import (
    Accept,
    Advance,
    ArmsDelivery,
    CallAnswer,
    DemandAnswer,
    DemandOrder,
    Deployment,
    Exercise,
    ForceOrder,
    Orders,
    Proposal,
    Propose,
    Start,
    Statement,
    SubmitOrders,
)
from crisisgame.engine.events import AgreementConcluded, CallOpened, Change, Event, Outcome, PhaseStarted, Reason
from crisisgame.engine.rules import credibility, threat
from crisisgame.engine.rules.common import Turn
from crisisgame.engine.state import evolve
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import play
from tests.engine.support import FAC, Table, made_id, shipped, trio

KNOWN_UNCITED = {"system.score"}
"""Rules whose outcomes carry no citation: scoring objectives is the game's own bookkeeping, not theory."""


def scripted_crisis() -> Table:
    """A three-turn game with every kind of order, so every rule has something to say."""
    table = Table(seed=21)
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    deal = Proposal(type="arms_deal", parties=["GAMMA", "ALPHA"], value_usd_m=900, duration=1)
    made = made_id(table.do(Propose(by="ALPHA", proposal=deal)))
    table.do(Accept(by="GAMMA", proposal_id=made))
    table.advance_to("orders")
    table.do(
        SubmitOrders(
            by="BETA",
            orders=Orders(
                defence_spending=9.0,
                mobilisation=0.8,
                demands=[DemandOrder(target="ALPHA", issue="border", position=0.2)],
                force=[ForceOrder(target="ALPHA", level="limited_strike")],
                alignment="UNION",
            ),
        )
    )
    table.do(
        SubmitOrders(
            by="GAMMA",
            orders=Orders(
                deployments=[Deployment(host="ALPHA", troops=4000)],
                exercises=[Exercise(partners=["ALPHA"], host="ALPHA")],
                arms_deliveries=[ArmsDelivery(to="ALPHA", value_usd_m=300)],
                statements=[Statement(text="We stand by Alpha.", pledge_to="ALPHA")],
            ),
        )
    )
    table.advance_to("orders", turn=2)
    calls = [c.id for c in table.state.calls.values() if c.status == "open" and "GAMMA" in c.obligated]
    demands = [d.id for d in table.state.demands.values() if d.target == "ALPHA" and d.status == "open"]
    table.do(SubmitOrders(by="GAMMA", orders=Orders(call_answers=[CallAnswer(call_id=c, honour=True) for c in calls])))
    table.do(
        SubmitOrders(
            by="ALPHA", orders=Orders(demand_answers=[DemandAnswer(demand_id=d, accept=True) for d in demands])
        )
    )
    table.do(SubmitOrders(by="BETA", orders=Orders(force=[ForceOrder(target="ALPHA", level="war")])))
    table.advance_to("results", turn=3)
    return table


@cache
def logs() -> tuple[list[Event], ...]:
    games = [play(sc, seed).log for sc in (*shipped(), trio(), world(12, seed=3)) for seed in (0, 1)]
    return (*games, scripted_crisis().log)


def reasons() -> Iterator[tuple[Event, Reason]]:
    for log in logs():
        for e in log:
            if isinstance(e, Outcome | AgreementConcluded | CallOpened):
                yield e, e.reason


def test_the_scripted_crisis_exercises_every_rule() -> None:
    rules = {r.rule for e, r in reasons()}
    assert {
        "capabilities.arms",
        "capabilities.alignment",
        "capabilities.deployment",
        "capabilities.spending",
        "crisis.strike",
        "crisis.war",
        "crisis.demand",
        "alliance.call",
        "alliance.answer",
        "agreement.duration",
        "ratification.concluded",
    } <= rules


def test_every_outcome_carries_a_reason_with_rule_step_and_explanation() -> None:
    for event, reason in reasons():
        assert reason.rule
        assert reason.explanation.strip()
        if reason.rule == "inject":
            assert reason.step == 0
        else:
            assert 1 <= reason.step <= 12, reason
        if isinstance(event, Outcome):
            assert event.turn >= 1


def same_strictly(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (3 == 3.0 in Python, not in a JSON log)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, BaseModel):
        assert isinstance(b, BaseModel)
        return (
            a.model_fields_set == b.model_fields_set
            and a.__pydantic_extra__ == b.__pydantic_extra__
            and a.__pydantic_private__ == b.__pydantic_private__
            and list(a.__dict__) == list(b.__dict__)
            and all(same_strictly(v, b.__dict__[k]) for k, v in a.__dict__.items())
        )
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same_strictly(v, b[k]) for k, v in a.items())
    if isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        return len(a) == len(b) and all(same_strictly(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_outcomes_built_without_validation_are_the_ones_validation_builds() -> None:
    # `rules.common.outcome` builds outcomes (and their changes) without validating them: each must be,
    # type for type, the event `Outcome(...)` makes from the same fields.
    checked = 0
    for log in logs():
        for e in log:
            if not isinstance(e, Outcome):
                continue
            given = {k: getattr(e, k) for k in e.model_fields_set}
            given["reason"] = Reason(**{k: getattr(e.reason, k) for k in e.reason.model_fields_set})
            given["changes"] = [Change(**{k: getattr(c, k) for k in c.model_fields_set}) for c in e.changes]
            assert same_strictly(e, Outcome(**given)), e
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("sc", [*shipped(), world(12, seed=3)], ids=lambda sc: sc.id)
def test_the_threat_step_reckons_every_pair_as_threat_terms_defines_it(sc: Scenario) -> None:
    # Step 4 works out its terms inline (it runs over every ordered pair); `threat_terms` is their definition.
    s = evolve(play(sc, 5, turns=3).state, threat={})  # (no threat reckoned yet: every pair has an outcome)
    events = threat.step(s, Turn(now=0.0, turn=s.turn, orders={}, previous=s))
    assert len(events) == len(s.actors) * (len(s.actors) - 1)
    max_cinc = max(a.cinc for a in s.actors.values())
    for e in events:
        assert isinstance(e, Outcome)
        [change] = e.changes
        i, _, j = change.key.partition(">")
        value, terms = threat.threat_terms(s, i, j, max_cinc)
        assert change.value == round(value, 6)
        assert e.reason.terms == {k: round(v, 4) for k, v in terms.items()}


@pytest.mark.parametrize("sc", shipped(), ids=lambda sc: sc.id)
def test_the_credibility_step_reckons_each_pair_as_credibility_defines_it(sc: Scenario) -> None:
    # Step 5 reckons what does not depend on the commitment once per pair; `credibility` is the definition:
    # each pair's q is the best over the public commitments that protect the partner.
    s = evolve(play(sc, 5, turns=3).state, credibility={})  # (none reckoned yet: every pair has an outcome)
    t = Turn(now=0.0, turn=s.turn, orders={}, previous=s)
    events = credibility.step(s, t)
    assert events
    for e in events:
        assert isinstance(e, Outcome)
        [change] = e.changes
        g, _, p = change.key.partition(">")
        reckoned = [
            (credibility.credibility(s, t, g, p, ag.strength, ag.ambiguity), ag.id)
            for ag in sorted(s.active_agreements(), key=lambda a: a.id)
            if ag.public and g in ag.protects(p)
        ]
        best = max(q for (q, _), _ in reckoned)
        (q, terms), ag_id = next(x for x in reckoned if x[0][0] == best)
        assert change.value == round(q, 6)
        assert e.reason.inputs == {"agreement": ag_id}
        assert e.reason.terms == {k: round(v, 4) for k, v in terms.items()}


def test_adjudication_reasons_cite_works_in_the_bibliography() -> None:
    uncited: set[str] = set()
    for _, reason in reasons():
        unknown = [c for c in reason.citations if c not in BIBLIOGRAPHY]
        assert not unknown, f"{reason.rule} cites {unknown}, which are not in the bibliography"
        if reason.step > 0 and not reason.citations:
            uncited.add(reason.rule)
    assert uncited == KNOWN_UNCITED


def batches(log: list[Event]) -> Iterator[list[Event]]:
    """The events of each adjudication: from the end of the orders phase to the start of results."""
    batch: list[Event] | None = None
    for e in log:
        if isinstance(e, PhaseStarted):
            if e.phase == "orders":
                batch = []
            elif e.phase == "results" and batch is not None:
                yield batch
                batch = None
        elif batch is not None:
            batch.append(e)


def test_the_pipeline_runs_its_twelve_steps_in_order() -> None:
    for log in logs():
        for batch in batches(log):
            steps = [
                e.reason.step
                for e in batch
                if isinstance(e, Outcome | AgreementConcluded | CallOpened) and e.reason.step
            ]
            assert steps == sorted(steps)
            assert steps
            assert steps[-1] == 12


def test_adjudication_is_pure_and_ignores_the_order_orders_came_in() -> None:
    orders = {
        "BETA": Orders(defence_spending=7.0, force=[ForceOrder(target="ALPHA", level="blockade")]),
        "GAMMA": Orders(deployments=[Deployment(host="ALPHA", troops=2000)], mobilisation=0.5),
        "ALPHA": Orders(alignment="GAMMA"),
    }
    states = []
    for order in (["BETA", "GAMMA", "ALPHA"], ["ALPHA", "GAMMA", "BETA"]):
        table = Table(seed=5)
        table.do(Start(by=FAC))
        table.advance_to("orders")
        for actor in order:
            table.do(SubmitOrders(by=actor, orders=orders[actor]))
        states.append(table.state)
    first, second = (adjudicate(s, 100.0) for s in states)
    assert [e.model_dump_json() for e in first] == [e.model_dump_json() for e in second]
    assert [e.model_dump_json() for e in adjudicate(states[0], 100.0)] == [e.model_dump_json() for e in first]


def test_an_agreement_with_a_duration_lapses_when_it_runs_out() -> None:
    table = Table(seed=1)
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    made = made_id(
        table.do(Propose(by="ALPHA", proposal=Proposal(type="consultation", parties=["ALPHA", "BETA"], duration=1)))
    )
    table.do(Accept(by="BETA", proposal_id=made))
    table.advance_to("results")
    agreement = f"ag-{made}"
    assert table.state.agreements[agreement].active
    table.advance_to("results", turn=2)
    assert not table.state.agreements[agreement].active
    assert table.state.agreements[agreement].duration == 0


@pytest.mark.parametrize("level", ["limited_strike", "war"])
def test_force_is_fought_out_with_reasons_and_war_is_recorded(level: str) -> None:
    table = Table(seed=2)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    table.do(
        SubmitOrders(by="BETA", orders=Orders(force=[ForceOrder.model_validate({"target": "ALPHA", "level": level})]))
    )
    events = table.do(Advance(by=FAC))
    [fight] = [
        e for e in events if isinstance(e, Outcome) and e.reason.rule.startswith("crisis.") and "p" in e.reason.inputs
    ]
    assert 0.0 <= float(fight.reason.inputs["p"]) <= 1.0  # type: ignore[arg-type]
    assert fight.reason.citations == ["fearon1995", "boulding1962"]
    assert table.state.at_war("ALPHA", "BETA") == (level == "war")
    assert any(isinstance(e, CallOpened) and e.caller == "ALPHA" and e.adversary == "BETA" for e in events)
