"""The store's file layout (`sqlite.SCHEMA_VERSION`): a command's receipt is written on the row of its
last event, so a group commit writes the games' last pages of events and nothing else; a file of the
previous layout (receipts and retired authors in tables of their own) is moved forward when opened,
in one transaction and with nothing lost; a file of a later layout is refused, never written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crisisgame.engine.events import event_to_json
from crisisgame.store.base import Append, Receipt, StoreError
from crisisgame.store.sqlite import SCHEMA_VERSION, SqliteStore
from tests.store.test_sqlite import played_log

VERSION_2 = """
CREATE TABLE games (id TEXT PRIMARY KEY, scenario TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0, phase TEXT NOT NULL DEFAULT 'lobby');
CREATE TABLE events (game_id TEXT NOT NULL REFERENCES games(id), seq INTEGER NOT NULL, type TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (game_id, seq)) WITHOUT ROWID;
CREATE TABLE codes (code TEXT PRIMARY KEY, game_id TEXT NOT NULL REFERENCES games(id), seat TEXT NOT NULL,
    UNIQUE (game_id, seat));
CREATE TABLE members (token_hash TEXT PRIMARY KEY, game_id TEXT NOT NULL REFERENCES games(id),
    seat TEXT NOT NULL, name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE receipts (game_id TEXT NOT NULL REFERENCES games(id), member TEXT NOT NULL,
    command_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (game_id, member, command_id)) WITHOUT ROWID;
CREATE TABLE authors (game_id TEXT NOT NULL REFERENCES games(id), seq INTEGER NOT NULL, member TEXT NOT NULL,
    PRIMARY KEY (game_id, seq)) WITHOUT ROWID;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
PRAGMA user_version = 2;
"""
"""The layout of the first release's files, as its store created them."""


def version_2_file(path: Path) -> None:
    """A file as the first release left it: a running game with keys, an ended one whose keys were retired
    (its authors kept), codes, a member and a setting."""
    log = played_log()
    db = sqlite3.connect(path)
    db.executescript(VERSION_2)
    with db:
        for game, phase in (("running", "diplomacy"), ("ended", "ended")):
            db.execute("INSERT INTO games VALUES (?, 'trio', 't', 1.0, ?, ?)", (game, len(log), phase))
            db.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?)",
                [(game, seq, e.type, event_to_json(e)) for seq, e in enumerate(log, 1)],
            )
        db.executemany(
            "INSERT INTO receipts VALUES ('running', ?, ?, ?)", [("h-ada", "c1", 2), ("h-bo", "c1", 3), ("fac", "x", 5)]
        )
        db.executemany("INSERT INTO authors VALUES ('ended', ?, ?)", [(2, "h-ada"), (4, "fac")])
        db.execute("INSERT INTO codes VALUES ('AAAA-1111', 'running', 'ALPHA')")
        db.execute("INSERT INTO members VALUES ('h-ada', 'running', 'ALPHA', 'Ada', 1)")
        db.execute("INSERT INTO settings VALUES ('alive', '12.5')")
    db.close()


def test_a_file_of_the_previous_layout_is_moved_forward_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "games.db"
    version_2_file(path)
    log = played_log()
    store = SqliteStore(path)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {n for (n,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"receipts", "authors"}.isdisjoint(tables)
        assert [e for _, e in store.events("running")] == log
        assert [e for _, e in store.events("ended")] == log
        assert list(store.receipts_in_order("running")) == [
            (Receipt("h-ada", "c1"), 2),
            (Receipt("h-bo", "c1"), 3),
            (Receipt("fac", "x"), 5),
        ]
        assert store.receipt("running", Receipt("h-bo", "c1")) == 3
        assert store.receipt("running", Receipt("h-bo", "c2")) is None
        assert store.receipts("running") == [(2, "h-ada"), (3, "h-bo"), (5, "fac")]
        assert store.receipt_seqs("ended") == {}  # (retired keys stay retired)
        assert store.receipts("ended") == [(2, "h-ada"), (4, "fac")]  # (and who sent what stays)
        assert store.codes("running") == {"ALPHA": "AAAA-1111"}
        assert store.member("h-ada") is not None
        assert store.setting("alive") == "12.5"
        assert [(g.id, g.seq, g.phase) for g in store.games()] == [
            ("running", len(log), "diplomacy"),
            ("ended", len(log), "ended"),
        ]
        # The game goes on, in the new layout: its next command's receipt is known, and the old ones too.
        more = played_log()[:1]
        assert store.append_all([Append("running", len(log), more, "diplomacy", Receipt("h-ada", "c2"))]) == [
            len(log) + 1
        ]
        assert store.receipt("running", Receipt("h-ada", "c2")) == len(log) + 1
        assert store.prune_receipts(ended_before=1e12) == 0  # (the ended game has no key left; the other runs)
    finally:
        store.close()
    again = SqliteStore(path)  # (opening a moved file again changes nothing)
    assert len(again.receipt_seqs("running")) == 4
    again.close()


def test_a_move_that_fails_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "games.db"
    version_2_file(path)
    db = sqlite3.connect(path)
    # The copy of the receipts onto their events fails halfway through the move (as a full disk would).
    db.execute("CREATE TRIGGER stop_move BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="disk full"):
        SqliteStore(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM receipts").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM authors").fetchone()[0] == 2
    assert [r[1] for r in db.execute("PRAGMA table_info(events)")] == ["game_id", "seq", "type", "body"]
    db.execute("DROP TRIGGER stop_move")
    db.commit()
    db.close()
    store = SqliteStore(path)  # (and once the disk is fine again, it moves)
    assert len(store.receipt_seqs("running")) == 3
    store.close()


def test_a_file_of_a_later_layout_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "games.db"
    store = SqliteStore(path)
    store.close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=f"newer crisisgame .*version {SCHEMA_VERSION + 1}.*upgrade crisisgame"):
        SqliteStore(path)
    assert path.read_bytes() == before


def test_a_group_commit_writes_the_events_pages_only(tmp_path: Path) -> None:
    """Receipts ride on their events' rows: the batch touches no table but the games' and the events'."""
    store = SqliteStore(tmp_path / "games.db")
    log = played_log()
    for game in ("g0", "g1"):
        store.create_game(game, "trio", "t", 1.0)
    written: set[str] = set()

    def authorize(action: int, table: str | None, *_: object) -> int:
        if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE):
            written.add(str(table))
        return sqlite3.SQLITE_OK

    store.db.set_authorizer(authorize)
    store.append_all([Append(g, 0, log[:2], "lobby", Receipt("h-ada", f"c-{g}")) for g in ("g0", "g1")])
    store.db.set_authorizer(None)
    assert written == {"games", "events"}
    assert store.receipt_seqs("g1") == {Receipt("h-ada", "c-g1"): 2}
    store.close()
