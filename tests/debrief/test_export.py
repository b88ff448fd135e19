"""Research exports load as tidy tables, and a game travels between machines unchanged."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from crisisgame.debrief.export import AlreadyStored, dictionary_markdown, export, import_log
from crisisgame.debrief.history import history, read_log
from crisisgame.debrief.tables import DICTIONARY
from crisisgame.engine.events import CallOpened, Event, ProposalMade, event_to_json
from crisisgame.store.sqlite import SqliteStore
from tests.conftest import ROOT


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
            if not lines:  # an empty table (no messages, no members from a log file) is an empty file
                assert table in ("messages", "members", "calls", "proposals", "freeform")
                continue
            header = list(json.loads(lines[0]))
        assert header == list(columns), table
        assert {(table, c) for c in header} <= described


def test_actor_turns_has_one_row_per_actor_and_turn(small_log: list[Event], tmp_path: Path) -> None:
    export(history(small_log), tmp_path, "csv")
    with (tmp_path / "actor_turns.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 * 5  # turn 0 is the opening position, the baseline
    assert {(r["turn"], r["actor"]) for r in rows} == {(str(t), f"S{n:02d}") for t in range(0, 5) for n in range(6)}
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


def test_calls_and_proposals_tables_hold_every_call_answer_and_proposal(
    baltic_log: list[Event], tmp_path: Path
) -> None:
    export(history(baltic_log), tmp_path, "csv")
    with (tmp_path / "calls.csv").open() as f:
        calls = list(csv.DictReader(f))
    with (tmp_path / "proposals.csv").open() as f:
        proposals = list(csv.DictReader(f))
    opened = [e for e in baltic_log if isinstance(e, CallOpened)]
    assert len(calls) == sum(len(e.obligated) for e in opened)
    assert {r["answer"] for r in calls} <= {"honoured", "abandoned", "no_answer", "pending"}
    assert all(r["probability"] for r in calls if r["answer"] in ("honoured", "abandoned"))  # bots answered
    made = [e for e in baltic_log if isinstance(e, ProposalMade)]
    assert [r["proposal_id"] for r in proposals] == [e.id for e in made]
    for row, e in zip(proposals, made, strict=True):
        assert row["sender"] in row["accepted_by"].split(";")
        assert json.loads(row["terms"])["strength"] == e.proposal.strength
    assert {r["status"] for r in proposals} <= {
        "open",
        "withdrawn",
        "rejected",
        "expired",
        "countered",
        "ratified",
        "failed",
    }


def test_import_refuses_a_log_already_stored(small_log: list[Event], tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "x.db")
    first = import_log(store, small_log, now=0.0)
    with pytest.raises(AlreadyStored, match=f"already stored as game {first}; nothing was imported"):
        import_log(store, small_log, now=1.0)
    assert [g.id for g in store.games()] == [first]
    shorter = import_log(store, small_log[:-3], now=2.0)  # a different game (a prefix, as a reopened fork is)
    assert shorter != first


def test_the_data_dictionary_page_is_in_step_with_the_tables() -> None:
    assert (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8") == dictionary_markdown()
    for name, columns in DICTIONARY.items():
        assert list(columns)[:4] == ["game_id", "scenario", "seed", "human"], name
        assert all(text.endswith((".", ")")) for text in columns.values()), name
