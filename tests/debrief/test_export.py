"""Research exports load as tidy tables, and a game travels between machines unchanged."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crisisgame.debrief.export import export, import_log
from crisisgame.debrief.history import history, read_log
from crisisgame.debrief.tables import DICTIONARY
from crisisgame.engine.events import Event, event_to_json
from crisisgame.store.sqlite import SqliteStore


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_writes_every_table_with_its_dictionary(small_log: list[Event], tmp_path: Path, fmt: str) -> None:
    written = {p.name for p in export(history(small_log), tmp_path, fmt)}
    assert written == {f"{t}.{fmt}" for t in DICTIONARY} | {"log.jsonl", "data_dictionary.csv"}
    with (tmp_path / "data_dictionary.csv").open() as f:
        described = {(r["table"], r["column"]) for r in csv.DictReader(f)}
    for table, columns in DICTIONARY.items():
        path = tmp_path / f"{table}.{fmt}"
        if fmt == "csv":
            with path.open() as f:
                header = next(csv.reader(f))
        else:
            lines = path.read_text().splitlines()
            if not lines:  # an empty table (no messages, say) is an empty JSON-lines file
                assert table == "messages"
                continue
            header = list(json.loads(lines[0]))
        assert header == list(columns), table
        assert {(table, c) for c in header} <= described


def test_actor_turns_has_one_row_per_actor_and_turn(small_log: list[Event], tmp_path: Path) -> None:
    export(history(small_log), tmp_path, "csv")
    with (tmp_path / "actor_turns.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 * 4
    assert {(r["turn"], r["actor"]) for r in rows} == {(str(t), f"S{n:02d}") for t in range(1, 5) for n in range(6)}
    assert all(0.0 <= float(r["approval"]) <= 1.0 for r in rows)


def test_export_then_import_gives_an_equal_game(baltic_log: list[Event], tmp_path: Path) -> None:
    export(history(baltic_log), tmp_path / "out", "jsonl")
    store = SqliteStore(tmp_path / "other-machine.db")
    game_id = import_log(store, read_log(tmp_path / "out" / "log.jsonl"), now=0.0)
    imported = [e for _, e in store.events(game_id)]
    assert [event_to_json(e) for e in imported] == [event_to_json(e) for e in baltic_log]
    assert [g.id for g in store.games()] == [game_id]
    assert store.games()[0].phase == "ended"


def test_import_refuses_a_log_that_does_not_fold(small_log: list[Event], tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    with pytest.raises(Exception, match="must start with game_created"):
        import_log(store, small_log[1:], now=0.0)
    assert store.games() == []
