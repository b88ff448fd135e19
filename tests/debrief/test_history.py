"""The history cuts the same fold as live play at the end of every turn."""

from __future__ import annotations

import pytest

from crisisgame.debrief.history import history, read_log, write_log
from crisisgame.engine.apply import fold
from crisisgame.engine.events import Event, event_to_json


def test_history_final_state_is_the_fold(small_log: list[Event]) -> None:
    h = history(small_log)
    assert h.final.seq == fold(small_log).seq
    assert [r.turn for r in h.turns] == [1, 2, 3, 4]
    assert all(r.state is not None and r.state.turn == r.turn for r in h.turns)


def test_each_turn_holds_its_own_events(small_log: list[Event]) -> None:
    h = history(small_log)
    for record in h.turns:
        assert record.events, record.turn
        assert all(getattr(e, "turn", record.turn) == record.turn for _, e in record.events)
    total = sum(len(r.events) for r in h.turns)
    assert total == len(small_log) - 1 - sum(1 for e in small_log if getattr(e, "turn", None) == 0)


def test_log_round_trips_through_jsonl(small_log: list[Event], tmp_path) -> None:
    path = tmp_path / "log.jsonl"
    write_log(small_log, path)
    again = read_log(path)
    assert [event_to_json(e) for e in again] == [event_to_json(e) for e in small_log]


def test_reading_a_damaged_log_names_the_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "game_created"}\nnot json\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1: not a crisisgame event"):
        read_log(path)
