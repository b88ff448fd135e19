"""`apply` and `fold`: the state is a pure fold over the event log, and a damaged log fails loudly."""

from __future__ import annotations

import pytest

from crisisgame.engine.apply import CorruptLog, apply, fold
from crisisgame.engine.commands import Advance, Orders, Start, SubmitOrders
from crisisgame.engine.events import (
    Change,
    Outcome,
    PhaseStarted,
    ProposalAnswered,
    ProposalClosed,
    Reason,
    RolledBack,
)
from crisisgame.simulate import play
from tests.engine.support import FAC, Table, check_log, plain, shipped, trio

REASON = Reason(rule="test", step=0, explanation="for the test")


def outcome(*changes: Change) -> Outcome:
    return Outcome(turn=1, changes=list(changes), reason=REASON)


def test_a_log_must_start_with_game_created_and_hold_it_once() -> None:
    table = Table()
    with pytest.raises(CorruptLog, match="an empty log holds no game"):
        fold([])
    with pytest.raises(CorruptLog, match="a game log must start with game_created, not phase_started"):
        fold([PhaseStarted(turn=1, phase="briefing", deadline=None)])
    with pytest.raises(CorruptLog, match="game_created can only be the first event"):
        fold([table.log[0], table.log[0]])


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (outcome(Change(target="actor", key="ZED", field="approval", value=0.5)), "no actor 'ZED'"),
        (outcome(Change(target="actor", key="ALPHA", field="height", value=0.5)), "unknown actor field 'height'"),
        (outcome(Change(target="actor", key="ALPHA", field="approval", value="high")), "needs a number"),
        (outcome(Change(target="pair", key="ALPHA>BETA", field="love", value=0.5)), "unknown pair field 'love'"),
        (outcome(Change(target="agreement", key="nope", field="strength", value=0.5)), "no agreement 'nope'"),
        (outcome(Change(target="agreement", key="guarantee", field="parties", value=1)), "unknown agreement field"),
        (outcome(Change(target="demand", key="d1", field="status", value="x")), "no demand 'd1'"),
        (outcome(Change(target="call", key="c1", field="status", value="x")), "no call 'c1'"),
        (outcome(Change(target="proposal", key="p1", field="status", value="x")), "no proposal 'p1'"),
        (ProposalAnswered(id="p9", actor="ALPHA", accept=True), "answer to unknown proposal 'p9'"),
        (ProposalClosed(id="p9", status="withdrawn", reason="gone"), "closing unknown proposal 'p9'"),
        (RolledBack(turn=1, reason="undo"), "rollback before any turn started"),
    ],
)
def test_an_event_naming_what_the_state_lacks_is_a_corrupt_log(event: object, message: str) -> None:
    with pytest.raises(CorruptLog, match=message):
        apply(Table().state, event)  # type: ignore[arg-type]


def test_apply_never_changes_the_state_it_is_given() -> None:
    table = Table()
    table.do(Start(by=FAC))
    table.advance_to("orders")
    table.do(SubmitOrders(by="BETA", orders=Orders(defence_spending=10.0)))
    before = table.state
    snapshot = plain(before)
    table.do(Advance(by=FAC))  # a whole adjudication folded on top
    assert plain(before) == snapshot
    assert table.state.seq > before.seq


def test_every_event_moves_seq_up_by_one() -> None:
    game = play(trio(), seed=2)
    state = None
    for n, e in enumerate(game.log, start=1):
        state = apply(state, e)
        assert state.seq == n


@pytest.mark.parametrize("sc", shipped(), ids=lambda s: s.id)
def test_the_log_of_a_whole_game_folds_to_the_live_state(sc: object) -> None:
    game = play(sc, seed=9)  # type: ignore[arg-type]
    check_log(game.log, game.state)


def test_folding_onto_a_state_continues_from_it() -> None:
    game = play(trio(), seed=2)
    half = len(game.log) // 2
    assert plain(fold(game.log[half:], fold(game.log[:half]))) == plain(game.state)


def _ordered(state: object) -> str:
    """A state as text, mappings in their order: views serialise them in that order."""
    return repr(plain(state))  # type: ignore[arg-type]


@pytest.mark.parametrize("sc", shipped()[:2], ids=lambda s: s.id)
def test_fold_batches_outcomes_to_exactly_what_apply_gives_one_by_one(sc: object) -> None:
    game = play(sc, seed=4)  # type: ignore[arg-type]
    state = None
    for e in game.log:
        state = apply(state, e)
    assert state is not None
    folded = fold(game.log)
    assert _ordered(folded) == _ordered(state)
    assert folded.sealed is None or _ordered(folded.sealed) == _ordered(state.sealed)
    for cut in range(1, len(game.log), max(1, len(game.log) // 40)):  # runs cut anywhere, sealing included
        assert _ordered(fold(game.log[cut:], fold(game.log[:cut]))) == _ordered(state)


def test_a_run_of_outcomes_keeps_only_positive_deployments_and_never_mutates_its_start() -> None:
    table = Table()
    before = table.state
    snapshot = plain(before)
    run = [
        outcome(Change(target="pair", key="ALPHA>BETA", field="troops", value=500)),
        outcome(Change(target="pair", key="ALPHA>BETA", field="troops", value=0)),
        outcome(Change(target="pair", key="BETA>ALPHA", field="troops", value=30)),
        outcome(Change(target="pair", key="ALPHA>BETA", field="war", value=True)),
        outcome(Change(target="pair", key="ALPHA>BETA", field="intent", value=-0.5)),
    ]
    one_by_one = before
    for e in run:
        one_by_one = apply(one_by_one, e)
    folded = fold(run, before)
    assert _ordered(folded) == _ordered(one_by_one)
    assert "ALPHA>BETA" not in folded.troops
    assert folded.troops["BETA>ALPHA"] == 30
    assert folded.seq == before.seq + len(run)
    assert len(folded.outcomes) == len(before.outcomes) + len(run)
    assert plain(before) == snapshot


def test_a_corrupt_outcome_inside_a_run_still_fails_loudly() -> None:
    run = [
        outcome(Change(target="pair", key="ALPHA>BETA", field="intent", value=0.1)),
        outcome(Change(target="actor", key="ZED", field="approval", value=0.5)),
    ]
    with pytest.raises(CorruptLog, match="no actor 'ZED'"):
        fold(run, Table().state)


def test_a_stored_game_replays_although_a_later_check_would_refuse_its_scenario() -> None:
    """The validator grows stricter between releases; a game created before must still fold (its log is
    the record of a class), while a new scenario with the same flaw is refused."""
    from pydantic import ValidationError

    from crisisgame.engine.events import GameCreated
    from crisisgame.scenario.model import Scenario

    table = Table()
    created = table.log[0]
    assert isinstance(created, GameCreated)
    scenario = dict(created.scenario)
    first = scenario["actors"][0]["id"]
    scenario["seating"] = {"priority": [first, first]}  # refused since the same actor twice is a check
    with pytest.raises(ValidationError, match="priority"):
        Scenario.model_validate(scenario)
    old = created.model_copy(update={"scenario": scenario})
    state = fold([old, *table.log[1:]])
    assert state.scenario.seating is not None
    assert state.scenario.seating.priority == [first, first]
