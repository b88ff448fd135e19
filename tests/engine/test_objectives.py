"""`objectives`: each scenario objective is a test of the state, and scores add up the points met."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from crisisgame.engine.objectives import agreement_points, kept_points, met, scores, war_points
from crisisgame.engine.state import State, evolve, initial_state
from crisisgame.scenario.model import KeepApproval, KeepReputation, Objective
from tests.engine.support import trio


def objective(**fields: Any) -> Objective:
    return TypeAdapter(Objective).validate_python({"id": "o", "text": "an objective", **fields})


@pytest.fixture
def state() -> State:
    return initial_state(trio(), seed=0)


def with_actor(s: State, actor: str, **fields: Any) -> State:
    return evolve(s, actors={**s.actors, actor: evolve(s.actors[actor], **fields)})


def test_have_and_avoid_agreement(state: State) -> None:
    have = objective(kind="have_agreement", type="security_guarantee", **{"with": "GAMMA"})
    avoid = objective(kind="avoid_agreement", type="security_guarantee", **{"with": "GAMMA"})
    assert met(state, "ALPHA", have)
    assert not met(state, "ALPHA", avoid)
    lapsed = evolve(state, agreements={"guarantee": evolve(state.agreements["guarantee"], active=False)})
    assert not met(lapsed, "ALPHA", have)
    assert met(lapsed, "ALPHA", avoid)
    assert not met(state, "ALPHA", objective(kind="have_agreement", type="defence_pact", **{"with": "GAMMA"}))


def test_avoid_war_with_one_actor_or_with_anyone(state: State) -> None:
    at_war = evolve(state, wars=frozenset({"BETA|GAMMA"}))
    assert met(at_war, "ALPHA", objective(kind="avoid_war"))
    assert not met(at_war, "GAMMA", objective(kind="avoid_war"))
    assert not met(at_war, "GAMMA", objective(kind="avoid_war", **{"with": "BETA"}))
    assert met(at_war, "GAMMA", objective(kind="avoid_war", **{"with": "ALPHA"}))


def test_thresholds_are_inclusive(state: State) -> None:
    s = with_actor(state, "ALPHA", approval=0.5, reputation=0.6, defence_spending=2.0)
    assert met(s, "ALPHA", objective(kind="keep_approval", at_least=0.5))
    assert not met(s, "ALPHA", objective(kind="keep_approval", at_least=0.51))
    assert met(s, "ALPHA", objective(kind="keep_reputation", at_least=0.6))
    assert met(s, "ALPHA", objective(kind="spend_at_most", percent_gdp=2.0))
    assert not met(s, "ALPHA", objective(kind="spend_at_most", percent_gdp=1.9))
    threatened = evolve(s, threat={"ALPHA>BETA": 0.4})
    assert met(threatened, "ALPHA", objective(kind="limit_threat", at_most=0.4, **{"from": "BETA"}))
    assert not met(threatened, "ALPHA", objective(kind="limit_threat", at_most=0.39, **{"from": "BETA"}))


def test_an_issue_outcome_needs_the_issue_settled_inside_the_range(state: State) -> None:
    goal = objective(kind="issue_outcome", issue="border", low=0.0, high=0.3)
    assert not met(state, "BETA", goal)
    assert met(evolve(state, settled={"border": 0.3}), "BETA", goal)
    assert not met(evolve(state, settled={"border": 0.31}), "BETA", goal)


def test_scores_add_the_points_of_the_objectives_met(state: State) -> None:
    # Alpha: guarantee held (10) and approval 0.55 >= 0.5 (10); Beta: border unsettled (0), approval 0.7 >= 0.6
    # (10); Gamma: at peace (10); the Union has no objectives.
    assert scores(state) == {"ALPHA": 20.0, "BETA": 10.0, "GAMMA": 10.0, "UNION": 0.0}
    assert scores(with_actor(state, "ALPHA", approval=0.2))["ALPHA"] == 10.0


def test_war_points_count_the_avoid_war_objectives_a_war_would_break() -> None:
    """A war with BETA breaks 'no war with BETA' and 'no war at all', not 'no war with GAMMA'."""
    objectives = [
        objective(kind="avoid_war", points=10, **{"with": "BETA"}),
        objective(kind="avoid_war", points=5),
        objective(kind="avoid_war", points=20, **{"with": "GAMMA"}),
        objective(kind="have_agreement", type="defence_pact", points=40, **{"with": "BETA"}),
    ]
    assert war_points(objectives, "BETA") == 15
    assert war_points(objectives, "GAMMA") == 25
    assert war_points(objectives, "DELTA") == 5
    assert war_points([], "BETA") == 0


def test_agreement_points_count_what_the_agreement_alone_decides() -> None:
    """An agreement wins the points of a have_agreement objective it meets and loses those of an avoid_agreement
    objective it breaks, unless another agreement of mine already decides the objective; a type or partner the
    objective does not name, or an agreement I am not party to, puts nothing at stake."""
    have = objective(kind="have_agreement", type="consultation", points=10, **{"with": "BETA"})
    avoid = objective(kind="avoid_agreement", type="defence_pact", points=15, **{"with": "GAMMA"})
    both = [have, avoid]
    assert agreement_points(both, "ALPHA", "consultation", ["ALPHA", "BETA"]) == 10
    assert agreement_points(both, "ALPHA", "consultation", ["ALPHA", "BETA", "GAMMA"]) == 10
    assert agreement_points(both, "ALPHA", "defence_pact", ["ALPHA", "GAMMA"]) == -15
    assert agreement_points(both, "ALPHA", "defence_pact", ["ALPHA", "BETA"]) == 0
    assert agreement_points(both, "ALPHA", "consultation", ["BETA", "GAMMA"]) == 0
    already = [("consultation", ("ALPHA", "BETA", "GAMMA"))]
    assert agreement_points(both, "ALPHA", "consultation", ["ALPHA", "BETA"], already) == 0
    pact = [("defence_pact", ("GAMMA", "ALPHA"))]
    assert agreement_points(both, "ALPHA", "defence_pact", ["ALPHA", "GAMMA"], pact) == 0


def test_kept_points_count_the_thresholds_a_move_crosses() -> None:
    """A fall from 0.7 to 0.5 breaks 'at least 0.6' (its points count) and leaves 'at least 0.4' and 'at least
    0.8' as they were; a rise from 0.5 to 0.7 meets 'at least 0.6' (its points count negative); approval
    objectives count only for approval."""
    objectives = [
        objective(kind="keep_reputation", at_least=0.6, points=10),
        objective(kind="keep_reputation", at_least=0.4, points=5),
        objective(kind="keep_reputation", at_least=0.8, points=7),
        objective(kind="keep_approval", at_least=0.6, points=20),
    ]
    assert kept_points(objectives, KeepReputation, 0.7, 0.5) == 10
    assert kept_points(objectives, KeepReputation, 0.5, 0.7) == -10
    assert kept_points(objectives, KeepApproval, 0.7, 0.5) == 20
    assert kept_points(objectives, KeepReputation, 0.7, 0.7) == 0
    assert kept_points(objectives, KeepReputation, 0.6, 0.5999) == 10
