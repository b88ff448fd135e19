"""`crisisgame.engine.Game`: commands and time in, steps out; events folded once; the bots' timetable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from crisisgame.engine import BotSchedule, Game
from crisisgame.engine import adjudicate as adjudicate_module
from crisisgame.engine import decide as decide_module
from crisisgame.engine.apply import apply, fold
from crisisgame.engine.commands import Advance, Command, Orders, SendMessage, Start, SubmitOrders
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import Event, GameCreated
from crisisgame.engine.game import CLOCK
from crisisgame.engine.state import State
from crisisgame.scenario.model import scenario_dict
from tests.engine.support import FAC, check_log, trio


def new(teams: list[str], bots: Any = None, schedule: BotSchedule | None = None) -> Game:
    created = GameCreated(scenario=scenario_dict(trio()), seed=3, teams=teams)
    return Game([created], bots=bots, schedule=schedule, keep_log=True)


def talker(state: State, actor: str) -> Sequence[Command]:
    """A bot that always has something to say: it acts in every round it is given."""
    return [SendMessage(by=actor, channel="public", text=f"{actor} speaks at seq {state.seq}")]


def test_every_event_is_folded_exactly_once(monkeypatch: pytest.MonkeyPatch) -> None:
    game = new(["ALPHA", "BETA", "GAMMA"])
    for _ in range(3):
        game.handle(Advance(by=FAC), 0.0)
    assert game.state.phase == "orders"
    folds = 0
    real, real_fold = apply, fold

    def counted(state: State | None, event: Any) -> State:
        nonlocal folds
        folds += 1
        return real(state, event)

    def counted_fold(events: Sequence[Event], state: State | None = None) -> State:
        nonlocal folds
        folds += len(events)  # (the adjudication folds each step's events at once)
        return real_fold(events, state)

    monkeypatch.setattr(decide_module, "apply", counted)
    monkeypatch.setattr(adjudicate_module, "fold", counted_fold)
    step = game.handle(Advance(by=FAC), 10.0)  # the adjudication: dozens of events
    assert step.state.phase == "results"
    assert len(step.events) > 10
    assert folds == len(step.events)
    assert game.log is not None
    check_log(game.log, game.state)


def test_propose_changes_nothing_until_commit_and_a_stale_step_is_refused() -> None:
    game = new(["ALPHA"])
    step = game.propose(Start(by=FAC), 0.0)
    assert game.state.phase == "lobby"
    assert step.state.phase == "briefing"
    assert step.first_seq == game.state.seq + 1
    game.commit(step)
    assert game.state is step.state
    with pytest.raises(ValueError, match="stale"):
        game.commit(step)
    with pytest.raises(Rejected) as refused:
        game.handle(Start(by=FAC), 1.0)
    assert refused.value.code == "already_started"


def test_the_clock_advances_a_phase_at_its_deadline_and_not_before() -> None:
    game = new(["ALPHA", "BETA", "GAMMA"])
    game.handle(Start(by=FAC), 100.0)
    deadline = game.state.deadline
    assert deadline is not None
    assert game.next_wakeup() == deadline
    assert game.tick(deadline - 0.5) is None
    step = game.tick(deadline)
    assert step is not None
    assert step.source == CLOCK
    assert game.state.phase == "diplomacy"


def test_private_events_are_delivered_only_to_their_seats() -> None:
    game = new(["ALPHA", "BETA", "GAMMA"])
    game.handle(Start(by=FAC), 0.0)
    step = game.handle(SendMessage(by="ALPHA", channel="private", to=["BETA"], text="between us"), 1.0)
    assert [seq for seq, _ in step.visible("BETA")] == [step.first_seq]
    assert step.visible("GAMMA") == []
    assert not step.refresh


def bot_rounds(game: Game, upto: float) -> list[float]:
    """The game times at which bot rounds began (a round is one step per bot), up to `upto`."""
    times: list[float] = []
    now = 0.0
    while (wake := game.next_wakeup()) is not None and wake <= upto:
        now = max(now, wake)
        step = game.tick(now)
        if step is not None and step.bot and step.source == "BETA":
            times.append(now)
    return times


def test_bots_open_a_phase_at_once_then_play_at_most_their_rounds_a_pause_apart() -> None:
    schedule = BotSchedule(pause=2.0, rounds_per_phase=3)
    game = new(["ALPHA"], bots=talker, schedule=schedule)
    game.handle(Start(by=FAC), 0.0)
    game.handle(Advance(by=FAC), 0.0)  # diplomacy opens at t=0
    assert game.state.phase == "diplomacy"
    assert game.bots_due() == (0.0, game.state.bots())
    assert "ALPHA" not in game.state.bots()
    assert bot_rounds(game, upto=20.0) == [0.0, 2.0, 4.0]  # the opening at once, then the budget of three
    assert game.bots_idle()
    # Past the budget, a team's move still gets one round, a pause later.
    game.handle(SendMessage(by="ALPHA", channel="public", text="anyone?"), 30.0)
    assert game.next_wakeup() == 32.0
    assert bot_rounds(game, upto=40.0) == [32.0]


def test_talk_wakes_no_bot_and_a_refused_bot_command_is_a_step_without_events() -> None:
    schedule = BotSchedule(pause=1.0, rounds_per_phase=1, unread=frozenset({"message_sent"}))

    def confused(state: State, actor: str) -> Sequence[Command]:
        return [SubmitOrders(by=actor, orders=Orders())]  # orders in diplomacy: refused

    game = new(["ALPHA"], bots=confused, schedule=schedule)
    game.handle(Start(by=FAC), 0.0)
    game.handle(Advance(by=FAC), 0.0)
    step = game.tick(0.0)
    assert step is not None
    assert step.bot
    assert step.events == ()
    assert step.refused is not None
    assert "orders" in step.refused
    game.run_until(0.0)
    assert game.bots_idle()  # nobody acted: no second round
    game.handle(SendMessage(by="ALPHA", channel="public", text="just talk"), 5.0)
    assert game.bots_idle()


def test_the_same_inputs_replay_the_same_game() -> None:
    def played() -> list[str]:
        game = new(["ALPHA"], bots=talker, schedule=BotSchedule(pause=1.0, rounds_per_phase=2))
        game.handle(Start(by=FAC), 0.0)
        while game.state.turn < 2 and (wake := game.next_wakeup()) is not None:
            game.run_until(wake)
        assert game.log is not None
        return [e.model_dump_json() for e in game.log]

    assert played() == played()
