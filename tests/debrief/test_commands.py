"""The debrief commands as a facilitator or researcher runs them, on a real database file."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from crisisgame.cli import main
from crisisgame.debrief.export import import_log
from crisisgame.debrief.history import write_log
from crisisgame.debrief.tables import DICTIONARY
from crisisgame.engine.events import Event
from crisisgame.store.base import Member
from crisisgame.store.sqlite import SqliteStore


@pytest.fixture
def db(small_log: list[Event], tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "crisisgame.db"
    store = SqliteStore(path)
    game = import_log(store, small_log, now=1_700_000_000.0)
    store.close()
    return path, game


def test_games_lists_stored_games(db: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, game = db
    assert main(["games", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{game}  2023-11-14 22:13  ended")
    assert "Generated world of 6 states" in out


def test_replay_verbose_prints_turns_decisions_and_reasons(
    db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    assert main(["replay", game, "--db", str(path), "--turn", "2", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "=== Turn 2 ===" in out
    assert "=== Turn 1 ===" not in out
    assert "[ 4 threat.walt]" in out
    assert "orders S00:" in out


def test_replay_is_concise_by_default(db: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, game = db
    assert main(["replay", game, "--db", str(path), "--verbose"]) == 0
    verbose = capsys.readouterr().out.splitlines()
    assert main(["replay", game, "--db", str(path)]) == 0
    concise = capsys.readouterr().out.splitlines()
    assert len(concise) * 5 < len(verbose)
    assert not any("threat.walt" in line or "sees a threat of" in line for line in concise)
    assert sum(line.startswith("=== Turn") for line in concise) == 4
    assert all(line.startswith("  tension") for line in concise if "tension" in line)


def test_replay_of_a_turn_the_game_does_not_have_fails(
    db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    assert main(["replay", game, "--db", str(path), "--turn", "9"]) == 1
    assert "the game has no turn 9 (it has turns 1 to 4)" in capsys.readouterr().err


def test_debrief_writes_the_summary_and_the_full_record_beside_it(
    db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    out = tmp_path / "report.html"
    assert main(["debrief", game, "--db", str(path), "--out", str(out)]) == 0
    summary, full = out.read_text(), (tmp_path / "report.full.html").read_text()
    assert "<title>Debrief summary" in summary
    assert "href='report.full.html'" in summary
    assert "<title>After-action report" in full
    assert f"wrote {out}" in capsys.readouterr().out


def test_debrief_full_and_student_editions(db: tuple[Path, str], tmp_path: Path) -> None:
    path, game = db
    full, student = tmp_path / "full.html", tmp_path / "student.html"
    assert main(["debrief", game, "--db", str(path), "--out", str(full), "--full"]) == 0
    assert "<title>After-action report" in full.read_text()
    assert main(["debrief", game, "--db", str(path), "--out", str(student), "--student"]) == 0
    assert "Student edition" in student.read_text()
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["full.html", "student.html"]
    assert main(["debrief", game, "--db", str(path), "--out", str(student), "--student", "--full"]) == 1


def test_fork_and_compare(
    db: tuple[Path, str], small_log: list[Event], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    orders = tmp_path / "orders.yaml"
    orders.write_text("defence_spending: 20.0\nmobilisation: 1.0\n")
    assert main(["fork", game, "--db", str(path), "--at-turn", "2", "--replace", f"S01={orders}"]) == 0
    out = capsys.readouterr().out
    forked = next(line.split()[-1] for line in out.splitlines() if line.startswith("forked game stored as"))
    assert "They diverge at event" in out
    assert main(["debrief", "--db", str(path), "--compare", game, forked]) == 0
    assert "S01: " in capsys.readouterr().out
    log = tmp_path / "original.jsonl"
    write_log(small_log, log)
    assert main(["debrief", "--compare", str(log), str(log)]) == 0
    assert "made the same decisions" in capsys.readouterr().out


def test_unknown_game_is_a_clear_error(db: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    path, game = db
    assert main(["replay", "nope", "--db", str(path)]) == 1
    assert f"no game 'nope' in the database (games: {game})" in capsys.readouterr().err


def test_export_all_pools_three_games_with_game_id_in_every_table(
    small_log: list[Event], baltic_log: list[Event], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "three.db"
    store = SqliteStore(path)
    ids = [import_log(store, log, now=1_700_000_000.0 + n) for n, log in enumerate([small_log, baltic_log])]
    ids.append(import_log(store, small_log[:-1], now=1_700_000_009.0))
    store.add_member(Member("a" * 64, ids[0], "S01", "Ada Lovelace", True))
    store.close()
    out = tmp_path / "pooled"
    assert main(["export", "--all", "--format", "csv", "--db", str(path), "--out", str(out)]) == 0
    assert "of 3 game(s)" in capsys.readouterr().out
    for table in DICTIONARY:
        with (out / f"{table}.csv").open(newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames is not None
            assert reader.fieldnames[:4] == ["game_id", "scenario", "seed", "human"], table
            rows = list(reader)
        assert all(r["game_id"] in ids for r in rows), table
        if table in ("events", "actor_turns", "pair_turns", "outcomes", "agreements"):
            assert {r["game_id"] for r in rows} == set(ids), table
    with (out / "members.csv").open(newline="") as f:
        members = list(csv.DictReader(f))
    assert [(m["game_id"], m["seat"], m["human"]) for m in members] == [(ids[0], "S01", "0")]
    assert members[0]["member"].startswith("m-")
    assert "Ada" not in (out / "members.csv").read_text()
    assert sorted(p.name for p in (out / "logs").iterdir()) == sorted(f"{i}.jsonl" for i in ids)


def test_export_needs_games_or_all_but_not_both(db: tuple[Path, str], tmp_path: Path) -> None:
    path, game = db
    assert main(["export", "--db", str(path), "--out", str(tmp_path / "x")]) == 1
    assert main(["export", game, "--all", "--db", str(path), "--out", str(tmp_path / "x")]) == 1
    assert main(["export", game, "--db", str(path), "--out", str(tmp_path / "x")]) == 0


def test_import_twice_is_refused_with_a_clear_message(
    db: tuple[Path, str], small_log: list[Event], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    log = tmp_path / "again.jsonl"
    write_log(small_log, log)
    assert main(["import", str(log), "--db", str(path)]) == 1
    assert f"already stored as game {game}" in capsys.readouterr().err


def test_export_rejects_an_unknown_format(db: tuple[Path, str]) -> None:
    path, game = db
    with pytest.raises(SystemExit):
        main(["export", game, "--db", str(path), "--format", "xlsx", "--out", "x"])


def test_debrief_runs_puts_the_class_against_bot_games(
    db: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, game = db
    out = tmp_path / "report.html"
    assert main(["debrief", game, "--db", str(path), "--out", str(out), "--runs", "3", "--jobs", "1"]) == 0
    summary = out.read_text()
    assert 'data-section="distribution"' in summary
    assert "3 bot games of the same scenario from the same start" in summary
    assert "3/3 runs" in capsys.readouterr().err
    assert main(["debrief", game, "--db", str(path), "--out", str(out), "--runs", "0"]) == 1
    assert "--runs must be between 1 and 1000, not 0" in capsys.readouterr().err
    assert main(["debrief", game, "--db", str(path), "--out", str(out), "--runs", "3", "--full"]) == 1
    assert "the full record (--full) has none" in capsys.readouterr().err


def test_fork_reopen_with_the_server_stopped_stores_a_paused_fork(
    db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from crisisgame.engine.apply import fold

    path, game = db
    assert main(["fork", game, "--db", str(path), "--at-turn", "2", "--reopen"]) == 1
    assert "--reopen needs --reason TEXT" in capsys.readouterr().err
    assert main(["fork", game, "--db", str(path), "--at-turn", "2", "--reopen", "--reason", "Again, slower"]) == 0
    out = capsys.readouterr().out
    assert f"(fork of {game} at turn 2: Again, slower)" in out
    assert "join codes: observer " in out
    store = SqliteStore(path)
    fork = next(g for g in store.games() if g.id != game)
    assert fork.title.endswith(f"(fork of {game} at turn 2: Again, slower)")
    state = fold(e for _, e in store.events(fork.id))
    assert (state.turn, state.phase, state.paused) == (2, "orders", True)
    assert state.remaining == state.scenario.turns.phases.orders
    assert set(store.codes(fork.id)) == {"observer"}
    store.set_setting("alive_at", repr(time.time()))  # a server is running on this database
    store.close()
    assert main(["fork", game, "--db", str(path), "--at-turn", "1", "--reopen", "--reason", "x"]) == 1
    assert "a server is running on" in capsys.readouterr().err
