"""Counterfactual forks: the same game to turn N, orders replaced, played on."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisgame.debrief.compare import compare, first_divergence
from crisisgame.debrief.fork import ForkError, fork, fork_point, read_orders
from crisisgame.debrief.history import history
from crisisgame.engine.commands import ForceOrder, Orders
from crisisgame.engine.events import Event, OrdersSubmitted, Outcome, PhaseStarted, event_to_json


def test_fork_without_replacement_reproduces_the_original_exactly(baltic_log: list[Event]) -> None:
    for turn in (1, 3):
        forked = fork(baltic_log, turn, {})
        assert [event_to_json(e) for e in forked] == [event_to_json(e) for e in baltic_log]


def test_fork_with_replaced_orders_diverges_there_and_plays_on(baltic_log: list[Event]) -> None:
    replacement = Orders(defence_spending=12.0, mobilisation=1.0, force=[ForceOrder(target="EST", level="war")])
    forked = fork(baltic_log, 2, {"RUS": replacement})
    cut = fork_point(baltic_log, 2)
    assert [event_to_json(e) for e in forked[:cut]] == [event_to_json(e) for e in baltic_log[:cut]]
    swapped = forked[cut]
    assert isinstance(swapped, OrdersSubmitted)
    assert swapped.actor == "RUS"
    assert swapped.orders == replacement
    assert first_divergence(baltic_log, forked) == cut + 1
    rules = [e.reason.rule for e in forked[cut:] if isinstance(e, Outcome) and e.turn == 2]
    assert "crisis.war" in rules
    last = max(e.turn for e in forked if isinstance(e, PhaseStarted))
    assert last == 4
    assert forked[-1].type == "game_ended"
    lines = compare(history(baltic_log), history(forked), "original", "fork")
    assert lines[1].startswith(f"They diverge at event {cut + 1} (turn 2)")


def test_fork_beyond_the_game_is_a_clear_error(baltic_log: list[Event]) -> None:
    with pytest.raises(ForkError, match="never reached turn 9's orders"):
        fork(baltic_log, 9, {})


def test_fork_with_an_unknown_actor_is_refused(baltic_log: list[Event]) -> None:
    with pytest.raises(ForkError, match="unknown actor 'XXX'"):
        fork(baltic_log, 1, {"XXX": Orders()})


def test_reopened_fork_stops_at_the_orders_of_turn_n(baltic_log: list[Event]) -> None:
    forked = fork(baltic_log, 2, {}, play=False)
    assert forked == baltic_log[: fork_point(baltic_log, 2)]


def test_orders_file_errors_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "orders.yaml"
    path.write_text("defence_spending: lots\n")
    with pytest.raises(ForkError, match="defence_spending"):
        read_orders(path)
    path.write_text("force:\n  - {target: EST, level: war}\n")
    assert read_orders(path).force == [ForceOrder(target="EST", level="war")]


def test_a_reopened_fork_starts_turn_n_orders_again_on_a_fresh_clock(baltic_log: list[Event]) -> None:
    from crisisgame.debrief.fork import reopen
    from crisisgame.engine.apply import fold
    from crisisgame.engine.events import ClockPaused

    now = baltic_log[-1].at + 86_400.0  # a day after the original ended
    live = reopen(baltic_log, 2, {}, now)
    cut = fork_point(baltic_log, 2)
    assert live[:cut] == baltic_log[:cut]
    length = fold(baltic_log[:1]).scenario.turns.phases.orders
    assert live[cut:] == [PhaseStarted(at=now, turn=2, phase="orders", deadline=now + length)]
    state = fold(live)
    assert (state.turn, state.phase, state.deadline, state.paused) == (2, "orders", now + length, False)
    waiting = reopen(baltic_log, 2, {}, now, paused=True)
    assert isinstance(waiting[-1], ClockPaused)
    assert waiting[-1].remaining == length
    state = fold(waiting)
    assert (state.phase, state.deadline, state.paused, state.remaining) == ("orders", None, True, length)


def test_a_fork_needs_a_reason_of_sensible_length() -> None:
    from crisisgame.debrief.fork import REASON_MAX, fork_title

    assert fork_title("Baltic", "ab12", 2, "  What if\n  Russia waited? ") == (
        "Baltic (fork of ab12 at turn 2: What if Russia waited?)"
    )
    with pytest.raises(ForkError, match="say why the game is forked"):
        fork_title("Baltic", "ab12", 2, " \t")
    with pytest.raises(ForkError, match=f"keep it to {REASON_MAX}"):
        fork_title("Baltic", "ab12", 2, "x" * (REASON_MAX + 1))
