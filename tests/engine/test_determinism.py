"""Determinism: the same scenario, commands and seed give the same event log, byte for byte, and the
log folded from scratch is the live state (replay, recovery and forks are that fold)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import Advance, Command, Orders, SendMessage, Start, SubmitOrders
from crisisgame.engine.events import event_to_json
from crisisgame.engine.state import State
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import Run, play
from tests.engine.support import FAC, Table, check_invariants, check_log, plain, shipped, trio


def log_text(game: Run) -> list[str]:
    return [event_to_json(e) for e in game.log]


@pytest.mark.parametrize("sc", shipped(), ids=lambda s: s.id)
def test_a_bot_game_on_a_shipped_scenario_replays_byte_for_byte(sc: Scenario) -> None:
    first, second = play(sc, seed=11, turns=3), play(sc, seed=11, turns=3)
    assert log_text(first) == log_text(second)
    check_log(first.log, first.state)


def test_a_different_seed_gives_a_different_game() -> None:
    sc = shipped()[0]
    assert log_text(play(sc, seed=1, turns=2)) != log_text(play(sc, seed=2, turns=2))


def replay_commands(sc: Scenario, seed: int, script: list[tuple[float, Command]]) -> Table:
    table = Table(sc, seed=seed)
    for now, command in script:
        table.do(command, now=now)
    return table


def test_the_same_commands_at_the_same_times_give_the_same_log() -> None:
    table = Table(trio(), seed=3)
    script: list[tuple[float, Command]] = []

    def do(now: float, command: Command) -> None:
        table.do(command, now=now)
        script.append((now, command))

    do(0.0, Start(by=FAC))
    do(10.0, Advance(by=FAC))
    do(20.0, SendMessage(by="ALPHA", channel="private", to=["BETA"], text="a word"))
    do(30.0, Advance(by=FAC))
    do(40.0, SubmitOrders(by="BETA", orders=Orders(defence_spending=8.0, mobilisation=0.6)))
    do(50.0, Advance(by=FAC))
    again = replay_commands(trio(), 3, script)
    assert [event_to_json(e) for e in again.log] == [event_to_json(e) for e in table.log]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actors=st.integers(2, 9), seed=st.integers(0, 10_000), turns=st.integers(1, 4))
def test_generated_worlds_replay_and_fold_to_the_live_state(actors: int, seed: int, turns: int) -> None:
    sc = world(actors, seed=seed, turns=turns)
    game = play(sc, seed)
    assert log_text(game) == log_text(play(sc, seed))
    check_log(game.log, game.state)
    check_invariants(game.state)


def test_folding_a_prefix_of_the_log_gives_the_state_at_that_point() -> None:
    seen: list[tuple[int, State]] = []
    game = play(trio(), 5, on_turn=lambda g: seen.append((len(g.log), g.state)))
    assert len(seen) == trio().turns.count
    for mark, state in seen:
        assert plain(fold(game.log[:mark])) == plain(state)
