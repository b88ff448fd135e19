"""`crisisgame.engine.snapshot`: a state saved as JSON restores to an equal state that continues identically."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.engine.apply import apply
from crisisgame.engine.commands import Advance, Orders, Pause, Release, SendMessage, Start, SubmitOrders
from crisisgame.engine.events import event_to_json
from crisisgame.engine.snapshot import SNAPSHOT_VERSION, from_snapshot, to_snapshot
from crisisgame.engine.state import State
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import Game, play, play_on
from tests.engine.support import FAC, Table, plain, shipped, trio


def through_json(state: State) -> State:
    """The state saved as JSON text and restored from it."""
    return from_snapshot(json.loads(json.dumps(to_snapshot(state))))


def continue_with_bots(state: State, seed: int, last: int) -> list[str]:
    game = Game(state=state, log=[])
    play_on(game, seed, last)
    return [event_to_json(e) for e in game.log]


def states_of_a_game(sc: Scenario, seed: int, turns: int) -> list[State]:
    """A state at every phase of a bot game (and the state after the first events of each)."""
    states: list[State] = []
    game = play(sc, seed, turns=turns, on_turn=lambda g: states.append(g.state))
    s = None
    for e in game.log:
        s = apply(s, e)
        if e.type in ("phase_started", "outcome") and len(states) < 40:
            states.append(s)
    return states


def test_a_snapshot_is_json_and_restores_to_an_equal_state() -> None:
    table = Table(auto_release=False)
    table.do(Start(by=FAC))
    table.advance_to("diplomacy")
    table.do(SendMessage(by="ALPHA", channel="group", to=["BETA", "GAMMA"], text="together"))
    table.advance_to("orders")
    table.do(SubmitOrders(by="GAMMA", orders=Orders(defence_spending=4.0)))
    for state in (table.state, Table().state):
        restored = through_json(state)
        assert plain(restored) == plain(state)
        assert restored.scenario == state.scenario
        assert restored.rules == state.rules
        assert restored.distance == state.distance
    table.advance_to("results")
    assert table.state.sealed is not None
    assert plain(through_json(table.state)) == plain(table.state)
    table.do(Pause(by=FAC))
    assert plain(through_json(table.state)) == plain(table.state)


def test_a_restored_state_gives_the_same_events_for_the_same_commands() -> None:
    table = Table(auto_release=False)
    table.do(Start(by=FAC))
    table.advance_to("orders")
    restored = Table()
    restored.state = through_json(table.state)
    produced: dict[str, list[str]] = {}
    for name, t in (("original", table), ("restored", restored)):
        events = t.do(SubmitOrders(by="BETA", orders=Orders(mobilisation=0.9)), now=50.0)
        events += t.do(Advance(by=FAC), now=60.0)
        events += t.do(Release(by=FAC), now=70.0)
        events += t.do(Advance(by=FAC), now=80.0)
        produced[name] = [event_to_json(e) for e in events]
    assert produced["restored"] == produced["original"]
    assert plain(restored.state) == plain(table.state)


@pytest.mark.parametrize("sc", [trio(), *shipped()], ids=lambda s: s.id)
def test_a_bot_game_continues_identically_from_a_snapshot(sc: Scenario) -> None:
    for state in states_of_a_game(sc, seed=4, turns=2)[::7]:
        original, restored = continue_with_bots(state, 4, 3), continue_with_bots(through_json(state), 4, 3)
        assert restored == original


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actors=st.integers(2, 8), seed=st.integers(0, 1000), at=st.integers(0, 10_000))
def test_any_point_of_a_generated_game_restores_and_continues_identically(actors: int, seed: int, at: int) -> None:
    sc = world(actors, seed=seed, turns=3)
    states = states_of_a_game(sc, seed, 3)
    state = states[at % len(states)]
    restored = through_json(state)
    assert plain(restored) == plain(state)
    assert continue_with_bots(restored, seed, 3) == continue_with_bots(state, seed, 3)


def test_a_snapshot_of_another_version_is_refused() -> None:
    data = to_snapshot(Table().state)
    data["snapshot_version"] = SNAPSHOT_VERSION + 1
    with pytest.raises(ValueError, match="unsupported snapshot version"):
        from_snapshot(data)


def test_every_state_field_is_in_the_snapshot() -> None:
    import dataclasses

    data = to_snapshot(Table().state)["state"]
    assert set(data) == {f.name for f in dataclasses.fields(State)}
