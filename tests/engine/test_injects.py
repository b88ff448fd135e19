"""`injects`: conditions, effects, and the events of a released inject."""

from __future__ import annotations

import pytest

from crisisgame.engine.events import InjectReleased, Outcome
from crisisgame.engine.injects import condition_holds, effect_changes, inject_events
from crisisgame.engine.state import State, evolve, initial_state
from crisisgame.scenario.model import (
    ChangeApproval,
    ChangeCapability,
    ChangeIntent,
    ChangeMobilisation,
    ChangeReputation,
    Condition,
    Effect,
    Escalate,
)
from tests.engine.support import trio


@pytest.fixture
def state() -> State:
    return evolve(initial_state(trio(), seed=0), turn=2, phase="briefing")


def test_conditions_on_tension_agreements_and_war(state: State) -> None:
    tense = evolve(state, system={"tension": 0.7}, wars=frozenset({"ALPHA|BETA"}))
    assert condition_holds(state, None)
    assert condition_holds(tense, Condition(tension_above=0.6))
    assert not condition_holds(tense, Condition(tension_above=0.7))
    assert condition_holds(tense, Condition(tension_below=0.8))
    assert not condition_holds(tense, Condition(tension_below=0.7))
    assert condition_holds(tense, Condition(agreement_exists="guarantee"))
    assert not condition_holds(tense, Condition(agreement_exists="nope"))
    lapsed = evolve(tense, agreements={"guarantee": evolve(tense.agreements["guarantee"], active=False)})
    assert not condition_holds(lapsed, Condition(agreement_exists="guarantee"))
    assert condition_holds(tense, Condition(at_war=["BETA", "ALPHA"]))
    assert not condition_holds(tense, Condition(at_war=["GAMMA", "ALPHA"]))


def test_effects_move_values_and_stay_inside_their_ranges(state: State) -> None:
    changes = effect_changes(
        state,
        [
            ChangeIntent(kind="intent", of=["ALPHA", "BETA"], toward="BETA", delta=0.9),  # BETA toward itself: skipped
            ChangeApproval(kind="approval", actor="BETA", delta=0.5),
            ChangeReputation(kind="reputation", actor="ALPHA", delta=-1.0),
            ChangeMobilisation(kind="mobilisation", actor="GAMMA", delta=0.2),
            ChangeCapability(kind="capability", actor="BETA", component="pec", factor=0.5),
            ChangeCapability(kind="capability", actor="ALPHA", component="pec", factor=0.5),  # not reported
            Escalate(kind="escalate", actor="BETA", target="ALPHA", level="blockade"),  # acts at adjudication
        ],
    )
    assert [(c.target, c.key, c.field, c.value) for c in changes] == [
        ("pair", "ALPHA>BETA", "intent", 1.0),
        ("actor", "BETA", "approval", 1.0),
        ("actor", "ALPHA", "reputation", 0.0),
        ("actor", "GAMMA", "mobilisation", pytest.approx(0.3)),
        ("actor", "BETA", "pec", 450_000.0),
    ]


def test_an_inject_whose_condition_fails_releases_nothing(state: State) -> None:
    assert inject_events(state, "x", "Title", "Text", "public", [], Condition(tension_above=0.9), 1.0) == []


def test_a_public_inject_tells_each_observer_its_own_new_perceptions_only(state: State) -> None:
    effects: list[Effect] = [
        ChangeIntent(kind="intent", of=["ALPHA", "GAMMA"], toward="BETA", delta=0.1),
        ChangeApproval(kind="approval", actor="BETA", delta=0.1),
    ]
    released, shared, alpha, gamma = inject_events(state, "x", "News", "Text", "public", effects, None, 5.0)
    assert isinstance(released, InjectReleased)
    assert (released.turn, released.audience, released.at) == (2, "public", 5.0)
    for o in (shared, alpha, gamma):
        assert isinstance(o, Outcome)
        assert (o.reason.rule, o.reason.step, o.reason.inputs) == ("inject", 0, {"inject": "x"})
    assert isinstance(shared, Outcome)
    assert isinstance(alpha, Outcome)
    assert isinstance(gamma, Outcome)
    assert (shared.audience, [c.key for c in shared.changes]) == ("public", ["BETA"])
    assert (alpha.audience, [c.key for c in alpha.changes]) == (["ALPHA"], ["ALPHA>BETA"])
    assert (gamma.audience, [c.key for c in gamma.changes]) == (["GAMMA"], ["GAMMA>BETA"])


def test_intelligence_moving_the_perception_of_an_actor_outside_its_audience_tells_nobody(state: State) -> None:
    effects = [ChangeIntent(kind="intent", of=["GAMMA"], toward="BETA", delta=0.1)]
    _, told = inject_events(state, "x", "Intel", "Text", ["ALPHA"], effects, None, 0.0)
    assert isinstance(told, Outcome)
    assert told.audience == []
