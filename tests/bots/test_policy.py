"""Bots: whatever a bot issues is legal by construction (accepted by `decide`), and the same view and
seed always give the same commands."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisgame.bots import UNREAD, policy
from crisisgame.bots.seat import SCHEDULE
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import Advance, Command, End, Release, SendMessage, Start
from crisisgame.engine.decide import Rejected, decide
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.scenario.generate import world
from crisisgame.scenario.model import Scenario
from crisisgame.simulate import Run, new_game
from tests.engine.support import FAC, check_invariants, shipped, trio
from tests.scenario.strategies import scenarios

TEMPERAMENTS = ("realist", "liberal", "constructivist")


def legal(state: State, command: Command) -> None:
    try:
        decide(state, command, 0.0)
    except Rejected as exc:
        pytest.fail(f"a bot issued an illegal command in the {state.phase} of turn {state.turn}: {command!r}: {exc}")


def play_checked(sc: Scenario, seed: int, teams: list[str] | None = None, turns: int | None = None) -> Run:
    """A bot game in which every bot command is checked before it is run, and every seat (teams too)
    is asked what a bot would do in its place, with each answer checked against `decide`."""
    game = new_game(sc, seed, teams)
    game.run(Start(by=FAC))
    last = min(turns or sc.turns.count, sc.turns.count)
    while game.state.phase != "ended":
        phase = game.state.phase
        for _ in range(SCHEDULE.rounds_per_phase if phase in ("diplomacy", "orders") else 0):
            for actor in game.state.actors:
                temperaments = (None,) if actor in game.state.bots() else TEMPERAMENTS
                for temperament in temperaments:
                    commands = policy(view(game.state, actor, history=False), seed, temperament)
                    for command in commands:
                        assert command.by == actor
                        legal(game.state, command)
                        if temperament is None:
                            game.run(command)
        check_invariants(game.state)
        game.now = game.state.deadline or game.now
        if phase == "results":
            if not game.state.released:
                game.run(Release(by=FAC))
            if game.state.turn >= last:
                game.run(End(by=FAC))
                break
        game.run(Advance(by=FAC))
    return game


@pytest.mark.parametrize("sc", shipped(), ids=lambda s: s.id)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bots_only_issue_legal_commands_on_the_shipped_scenarios(sc: Scenario, seed: int) -> None:
    play_checked(sc, seed, turns=4)


def test_bots_only_issue_legal_commands_in_a_small_world_with_teams() -> None:
    for seed in range(6):
        play_checked(trio(), seed, teams=["ALPHA"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actors=st.integers(2, 12), seed=st.integers(0, 10_000), turns=st.integers(1, 5))
def test_bots_only_issue_legal_commands_in_generated_worlds(actors: int, seed: int, turns: int) -> None:
    play_checked(world(actors, seed=seed, turns=turns), seed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sc=scenarios, seed=st.integers(0, 2**32))
def test_bots_only_issue_legal_commands_in_random_valid_scenarios(sc: Scenario, seed: int) -> None:
    play_checked(sc, seed, turns=3)


def views_of_a_game(sc: Scenario, seed: int) -> list[TeamView]:
    out: list[TeamView] = []
    game = new_game(sc, seed)
    game.run(Start(by=FAC))
    while game.state.phase != "ended" and game.state.turn <= 2:
        for actor in game.state.actors:
            v = view(game.state, actor, history=False)
            assert isinstance(v, TeamView)
            out.append(v)
        if game.state.phase in ("diplomacy", "orders"):
            for actor in game.state.bots():
                for command in policy(view(game.state, actor, history=False), seed):
                    game.run(command)
        game.run(Advance(by=FAC))
    return out


@pytest.mark.parametrize("sc", [trio(), *shipped()], ids=lambda s: s.id)
def test_the_same_view_and_seed_give_the_same_commands(sc: Scenario) -> None:
    for v in views_of_a_game(sc, seed=3):
        first = policy(v, 3)
        assert policy(v, 3) == first
        # What a bot receives over the wire is JSON: the same view read back gives the same commands.
        assert policy(TeamView.model_validate_json(v.model_dump_json()), 3) == first
        for temperament in TEMPERAMENTS:
            assert policy(v, 3, temperament) == policy(v, 3, temperament)


def test_bots_act_only_in_diplomacy_and_orders() -> None:
    for v in views_of_a_game(trio(), seed=1):
        if v.game.phase not in ("diplomacy", "orders"):
            assert policy(v, 1) == []


def test_a_bot_submits_its_orders_once_per_turn() -> None:
    game = new_game(trio(), 4)
    game.run(Start(by=FAC))
    while game.state.phase != "orders":
        game.run(Advance(by=FAC))
    for actor in game.state.bots():
        for command in policy(view(game.state, actor, history=False), 4):
            game.run(command)
        assert actor in game.state.orders
        assert policy(view(game.state, actor, history=False), 4) == []


@pytest.mark.parametrize("sc", [trio(), *shipped()], ids=lambda s: s.id)
def test_messages_are_unread_by_bots_so_a_message_need_not_wake_them(sc: Scenario) -> None:
    """The server does not wake the bots for event types in `UNREAD`: a message changes nothing in a
    bot's view but the messages and the seq, and neither changes what any temperament does."""
    assert {"message_sent", "freeform_proposed", "freeform_countered", "freeform_settings"} == UNREAD
    game = new_game(sc, 5)
    game.run(Start(by=FAC))
    game.run(Advance(by=FAC))
    assert game.state.phase == "diplomacy"
    sender, *others = sorted(game.state.actors)
    talked = game.state
    for command in (
        SendMessage(by=sender, channel="public", text="We propose talks."),
        SendMessage(by=sender, channel="private", to=others[:1], text="Join us."),
    ):
        for event in decide(talked, command, 0.0):
            talked = apply(talked, event)
    heard: list[object] = []
    for actor in game.state.actors:
        before = view(game.state, actor, history=False).model_dump()
        after = view(talked, actor, history=False).model_dump()
        assert {k for k in before if before[k] != after[k]} == {"game", "messages"}
        assert {k for k in before["game"] if before["game"][k] != after["game"][k]} == {"seq"}
        heard += view(talked, actor, history=False).messages
    assert heard
    for v in views_of_a_game(sc, seed=5):
        talk = v.model_copy(update={"messages": heard, "game": v.game.model_copy(update={"seq": v.game.seq + 1000})})
        for temperament in (None, *TEMPERAMENTS):
            assert policy(talk, 5, temperament) == policy(v, 5, temperament)
