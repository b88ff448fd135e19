"""Objective status is computed once, by the engine (`objectives.statuses`): a team's view carries it
(`me.objectives_met`), the score adds up its points, and the debrief reports the same verdicts. The
browser's Now panel shows the view's verdict (tests/client/test_now.py)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from crisisgame.debrief.history import history
from crisisgame.debrief.summary import objectives
from crisisgame.engine.commands import FACILITATOR, Advance, FireInject, SendMessage, Start
from crisisgame.engine.objectives import met, statuses
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.view import view
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import Effect
from crisisgame.simulate import Run, play
from tests.conftest import ROOT
from tests.engine.support import Table, trio

BALTIC = ROOT / "scenarios" / "baltic.yaml"


@pytest.mark.parametrize(("scenario", "seed", "turns"), [("trio", 2, 3), ("trio", 5, 3), ("baltic", 11, 2)])
def test_the_view_the_score_and_the_debrief_agree_on_every_objective(scenario: str, seed: int, turns: int) -> None:
    sc = trio() if scenario == "trio" else load_scenario(BALTIC)
    seen: list[bool] = []

    def each_turn(run: Run) -> None:
        s = run.state
        for actor in s.scenario.actors:
            v = view(s, actor.id)
            assert isinstance(v, TeamView)
            verdicts = v.me.objectives_met
            assert len(verdicts) == len(v.me.objectives) == len(actor.objectives)
            assert verdicts == [met(s, actor.id, o) for o in actor.objectives]  # (results released: one state)
            assert v.me.score == pytest.approx(
                sum(o.points for o, ok in zip(actor.objectives, verdicts, strict=True) if ok)
            )
            seen.extend(verdicts)

    run = play(sc, seed=seed, turns=turns, on_turn=each_turn)
    final = run.state
    debrief = objectives(history(run.log), "facilitator")
    names = {a.name: a.id for a in final.scenario.actors}
    for actor in final.scenario.actors:
        told = [r.met for r in debrief if names[r.team] == actor.id]
        if told:
            assert told == statuses(final, actor.id)
            v = view(final, actor.id)
            assert isinstance(v, TeamView)
            assert v.me.objectives_met == told
    assert True in seen, "no objective ever met: the comparison shows little"
    assert False in seen, "every objective always met: the comparison shows little"


def test_a_team_sees_the_status_of_the_state_it_may_see_before_results_are_released() -> None:
    """Held-back results are left out of a team's view, and of its objectives' status with them."""
    run = play(trio(), seed=2, turns=1)
    s = run.state
    for actor in s.scenario.actors:
        v = view(s, actor.id)
        assert isinstance(v, TeamView)
        assert v.me.objectives_met == statuses(s, actor.id)


def test_a_step_that_moves_a_teams_objective_sends_fresh_views() -> None:
    """No event carries the verdict: a step that changes it outside a phase change (an inject's effects
    mid-phase) gets every seat a fresh view, and one that changes nothing a team scores does not."""
    table = Table(teams=["ALPHA"])
    table.do(Start(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    game = table.game
    assert game.state.phase == "diplomacy"
    approval = game.state.actors["ALPHA"].approval
    assert approval >= 0.5  # Alpha's secret objective: approval 0.5 or more (met, and stays met a little higher)
    word = game.propose(SendMessage(by="ALPHA", channel="public", text="a word"), table.now)
    assert word.events
    assert not word.refresh
    small = FireInject(by=FACILITATOR, title="A small boost", text="A good week at home.", effects=[_approval(0.05)])
    assert not game.propose(small, table.now).refresh
    slump = FireInject(
        by=FACILITATOR, title="A scandal at home", text="Approval collapses.", effects=[_approval(-(approval - 0.2))]
    )
    step = game.propose(slump, table.now)
    assert statuses(step.state, "ALPHA") != statuses(step.before, "ALPHA")
    assert step.refresh
    game.commit(step, table.now)
    v = view(game.state, "ALPHA")
    assert isinstance(v, TeamView)
    assert v.me.objectives_met == statuses(game.state, "ALPHA")


def _approval(delta: float) -> Effect:
    return TypeAdapter(Effect).validate_python({"kind": "approval", "actor": "ALPHA", "delta": delta})
