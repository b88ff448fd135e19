"""`SqliteStore`: the durable truth of every game, on a real SQLite file in `tmp_path`.

An append is one transaction that checks the expected seq: it writes all of its events or none,
a stale writer gets `Conflict`, and a failure (even at COMMIT) leaves the store usable. Events,
join codes, members and settings read back as written, also after the file is reopened.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisgame.engine.apply import fold
from crisisgame.engine.commands import FACILITATOR, Advance, SendMessage, Start
from crisisgame.engine.events import Event, MessageSent
from crisisgame.store import sqlite as sqlite_module
from crisisgame.store.base import Append, Conflict, LoggedMessages, Member, Receipt, StoreError
from crisisgame.store.sqlite import SqliteStore
from tests.engine.support import Table


def played_log() -> list[Event]:
    """A real game's log: created, started, a message, diplomacy, orders, adjudicated."""
    table = Table()
    table.do(Start(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    table.do(SendMessage(by="ALPHA", channel="private", to=["BETA"], text="a word in private"))
    table.do(Advance(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    return table.log


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "games.db")
    yield s
    s.close()


def test_events_round_trip_in_order_and_fold_to_the_same_state(store: SqliteStore) -> None:
    log = played_log()
    store.create_game("g1", "trio", "Three states", 1.0)
    assert store.append("g1", 0, log[:1], "lobby") == 1
    assert store.append("g1", 1, log[1:], "results") == len(log)
    stored = store.events("g1")
    assert [seq for seq, _ in stored] == list(range(1, len(log) + 1))
    assert [e for _, e in stored] == log
    assert [e for _, e in store.events("g1", after=3)] == log[3:]
    assert fold(e for _, e in stored) == fold(log)
    [record] = store.games()
    assert (record.id, record.scenario, record.title, record.seq, record.phase) == (
        "g1",
        "trio",
        "Three states",
        len(log),
        "results",
    )


def test_append_checks_the_expected_seq_and_a_stale_writer_gets_conflict(store: SqliteStore) -> None:
    log = played_log()
    store.create_game("g1", "trio", "t", 1.0)
    store.append("g1", 0, log[:2], "briefing")
    with pytest.raises(Conflict, match="at seq 2, not 1"):
        store.append("g1", 1, log[2:3], "briefing")
    with pytest.raises(Conflict):
        store.append("g1", 5, log[2:3], "briefing")
    assert [e for _, e in store.events("g1")] == log[:2]
    assert store.games()[0].seq == 2


def test_two_stores_on_one_file_cannot_interleave_a_log(tmp_path: Path) -> None:
    log = played_log()
    first, second = SqliteStore(tmp_path / "g.db"), SqliteStore(tmp_path / "g.db")
    try:
        first.create_game("g1", "trio", "t", 1.0)
        first.append("g1", 0, log[:1], "lobby")
        assert second.append("g1", 1, log[1:2], "briefing") == 2
        with pytest.raises(Conflict):
            first.append("g1", 1, log[1:2], "briefing")
        assert [e for _, e in first.events("g1")] == log[:2]
    finally:
        first.close()
        second.close()


def test_an_append_that_fails_midway_writes_nothing_and_the_store_stays_usable(store: SqliteStore) -> None:
    log = played_log()
    store.create_game("g1", "trio", "t", 1.0)
    store.append("g1", 0, log[:1], "lobby")
    store.db.execute(
        "CREATE TRIGGER refuse_third BEFORE INSERT ON events WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk"):
        store.append("g1", 1, log[1:4], "briefing")
    assert not store.db.in_transaction
    assert [e for _, e in store.events("g1")] == log[:1]
    assert store.games()[0].seq == 1
    store.db.execute("DROP TRIGGER refuse_third")
    assert store.append("g1", 1, log[1:4], "briefing") == 4


def test_a_failed_commit_is_rolled_back_and_does_not_wedge_the_connection(store: SqliteStore) -> None:
    """A deferred constraint fails at COMMIT: the transaction must not stay open for the next write."""
    log = played_log()
    store.create_game("g1", "trio", "t", 1.0)
    store.db.executescript(
        """
        CREATE TABLE audit (game TEXT REFERENCES games(id) DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER audit_events AFTER INSERT ON events WHEN NEW.seq = 2
            BEGIN INSERT INTO audit VALUES ('no such game'); END;
        """
    )
    store.append("g1", 0, log[:1], "lobby")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.append("g1", 1, log[1:3], "briefing")
    assert not store.db.in_transaction
    assert store.games()[0].seq == 1
    store.db.execute("DROP TRIGGER audit_events")
    assert store.append("g1", 1, log[1:3], "briefing") == 3
    store.set_setting("still", "writable")
    assert store.setting("still") == "writable"


def test_appending_to_an_unknown_game_is_a_store_error_and_nothing_is_an_empty_append(store: SqliteStore) -> None:
    log = played_log()
    with pytest.raises(StoreError, match="no game 'ghost'"):
        store.append("ghost", 0, log[:1], "lobby")
    store.create_game("g1", "trio", "t", 1.0)
    assert store.append("g1", 0, [], "lobby") == 0
    assert store.events("g1") == []


def test_codes_members_and_settings(store: SqliteStore) -> None:
    store.create_game("g1", "trio", "t", 1.0)
    store.create_game("g2", "trio", "t", 2.0)
    store.set_codes("g1", {"ALPHA": "AAAA-1111", "observer": "OOOO-1111"})
    store.set_codes("g2", {"ALPHA": "AAAA-2222"})
    assert store.codes("g1") == {"ALPHA": "AAAA-1111", "observer": "OOOO-1111"}
    assert store.seat_for_code("AAAA-2222") == ("g2", "ALPHA")
    assert store.seat_for_code("ZZZZ-9999") is None
    with pytest.raises(sqlite3.IntegrityError):
        store.set_codes("g2", {"BETA": "AAAA-1111"})  # a code names one seat of one game
    assert store.codes("g2") == {"ALPHA": "AAAA-2222"}

    ada = Member("h-ada", "g1", "ALPHA", "Ada", True)
    bob = Member("h-bob", "g1", "observer", "Bob", True)
    store.add_member(ada)
    store.add_member(bob)
    assert store.member("h-ada") == ada
    assert store.member("h-nobody") is None
    store.set_member("h-ada", "BETA", False)
    assert store.member("h-ada") == Member("h-ada", "g1", "BETA", "Ada", False)
    assert [m.name for m in store.members("g1")] == ["Ada", "Bob"]
    assert store.members("g2") == []

    assert store.setting("facilitator_token") is None
    store.set_setting("facilitator_token", "first")
    store.set_setting("facilitator_token", "second")
    assert store.setting("facilitator_token") == "second"


def test_reopening_the_file_keeps_everything(tmp_path: Path) -> None:
    log = played_log()
    path = tmp_path / "games.db"
    store = SqliteStore(path)
    store.create_game("g1", "trio", "Three states", 1.5)
    store.append("g1", 0, log, "results")
    store.set_codes("g1", {"ALPHA": "AAAA-1111"})
    store.add_member(Member("h-ada", "g1", "ALPHA", "Ada", True))
    store.set_setting("facilitator_token", "secret-token")
    store.close()

    again = SqliteStore(path)
    try:
        assert [e for _, e in again.events("g1")] == log
        [record] = again.games()
        assert (record.seq, record.phase, record.created) == (len(log), "results", 1.5)
        assert again.seat_for_code("AAAA-1111") == ("g1", "ALPHA")
        assert again.member("h-ada") == Member("h-ada", "g1", "ALPHA", "Ada", True)
        assert again.setting("facilitator_token") == "secret-token"
        with pytest.raises(Conflict):
            again.append("g1", len(log) - 1, log[-1:], "results")
    finally:
        again.close()


def test_a_database_that_cannot_be_opened_is_a_clear_store_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(StoreError, match=r"cannot open the database .*file/games\.db"):
        SqliteStore(not_a_dir / "games.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database, just bytes " * 100)
    with pytest.raises(StoreError, match="not a database"):
        SqliteStore(garbage)


def test_receipt_seqs_are_written_with_their_events_and_read_back_for_a_game(tmp_path: Path) -> None:
    log = played_log()
    path = tmp_path / "games.db"
    store = SqliteStore(path)
    store.create_game("g1", "trio", "t", 1.0)
    store.create_game("g2", "trio", "t", 1.0)
    store.append("g1", 0, log[:1], "lobby")
    store.append("g1", 1, log[1:3], "briefing", Receipt("m1", "c1"))
    store.append("g2", 0, log[:1], "lobby", Receipt("m1", "c1"))
    with pytest.raises(Conflict):  # a refused append records no receipt
        store.append("g1", 1, log[3:4], "briefing", Receipt("m1", "c2"))
    store.close()
    again = SqliteStore(path)
    assert again.receipt_seqs("g1") == {Receipt("m1", "c1"): 3}
    assert again.receipt_seqs("g2") == {Receipt("m1", "c1"): 1}
    assert again.receipt("g1", Receipt("m1", "c2")) is None
    again.close()


@pytest.mark.parametrize("batch", [1, 3])
def test_a_refused_append_of_a_group_commit_writes_nothing_of_its_own(store: SqliteStore, batch: int) -> None:
    """`append_all`, alone (a quiet server's usual group commit) or beside others: an append whose
    events fail midway (after its seq moved) leaves its game as it was, and the others are written."""
    log = played_log()
    games = [f"g{i}" for i in range(batch)]
    for game in games:
        store.create_game(game, "trio", "t", 1.0)
        store.append(game, 0, log[:1], "lobby")
    store.db.execute(
        "CREATE TRIGGER refuse_g0 BEFORE INSERT ON events WHEN NEW.game_id = 'g0' AND NEW.seq = 3 "
        "BEGIN SELECT RAISE(ABORT, 'disk'); END"
    )
    appends = [Append(game, 1, tuple(log[1:4]), "briefing", Receipt("m1", f"c-{game}")) for game in games]
    results = store.append_all(appends)
    assert isinstance(results[0], StoreError)
    assert "disk" in str(results[0])
    assert results[1:] == [4] * (batch - 1)
    assert not store.db.in_transaction
    assert [e for _, e in store.events("g0")] == log[:1]
    assert store.receipt_seqs("g0") == {}
    assert [(g.id, g.seq) for g in store.games()] == [("g0", 1), *((game, 4) for game in games[1:])]
    store.db.execute("DROP TRIGGER refuse_g0")
    assert store.append_all(appends[:1]) == [4]


def test_a_group_commit_writes_consecutive_appends_of_one_game_and_refuses_only_a_stale_one(store: SqliteStore) -> None:
    """`append_all` writes a batch with one statement per kind of row: two appends of one game, the second
    after the first, both land; a stale one beside them (its game moved on) is refused alone, with the
    error a single append gets, and nothing of it is written."""
    log = played_log()
    for game in ("g0", "g1"):
        store.create_game(game, "trio", "t", 1.0)
        store.append(game, 0, log[:2], "lobby")
    results = store.append_all(
        [
            Append("g0", 2, tuple(log[2:3]), "briefing", Receipt("m1", "a")),
            Append("g1", 1, tuple(log[1:3]), "briefing", Receipt("m2", "b")),
            Append("g0", 3, tuple(log[3:5]), "briefing", Receipt("m1", "c")),
        ]
    )
    assert results[0] == 3
    assert results[2] == 5
    assert isinstance(results[1], Conflict)
    assert "g1 is at seq 2, not 1" in str(results[1])
    assert [e for _, e in store.events("g0")] == log[:5]
    assert [e for _, e in store.events("g1")] == log[:2]
    assert store.receipt_seqs("g0") == {Receipt("m1", "a"): 3, Receipt("m1", "c"): 5}
    assert store.receipt_seqs("g1") == {}
    assert not store.db.in_transaction


def test_checkpoints_run_in_a_thread_of_their_own_never_in_a_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer's commits only append to the write-ahead log, however long it grows (SQLite's own
    checkpoint would copy it back into the file at the end of a commit past 1000 pages); the store's
    checkpointer thread copies it back when asked, and what was committed reads the same either way."""
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_EVERY", 3600.0)
    monkeypatch.setattr(sqlite_module, "CHECKPOINT_COMMITS", 10**9)
    store = SqliteStore(tmp_path / "games.db")
    try:
        assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
        store.create_game("g", "trio", "t", 1.0)
        log = played_log()
        store.append("g", 0, log[:2], "lobby")
        size = (tmp_path / "games.db").stat().st_size
        long = SendMessage(by="ALPHA", channel="public", text="x" * 4000)
        table = Table()
        table.do(Start(by=FACILITATOR))
        table.do(Advance(by=FACILITATOR))
        [sent] = table.do(long)
        seq = 2
        for _ in range(1200):  # (over 1000 pages of log: one page of text each, and the rest)
            seq = store.append("g", seq, [sent], "diplomacy")
        assert (tmp_path / "games.db-wal").stat().st_size > 1000 * 4096
        assert (tmp_path / "games.db").stat().st_size == size  # nothing copied back by a commit
        checkpointer = store.checkpointer
        assert checkpointer is not None
        passes = checkpointer.passes
        checkpointer.nudge()
        for _ in range(1000):
            if checkpointer.passes > passes:
                break
            time.sleep(0.01)
        assert (tmp_path / "games.db").stat().st_size > size + 1000 * 4096
        assert len(store.events("g")) == 1202
    finally:
        store.close()
    assert not checkpointer.thread.is_alive()


def test_a_games_messages_are_read_back_newest_first_a_page_at_a_time_and_found_by_id(store: SqliteStore) -> None:
    """What a page of older messages reads (`LoggedMessages`): the `message_sent` events before a seq,
    newest first, of one game only; a message by its id, whatever its text says."""
    table = Table()
    table.do(Start(by=FACILITATOR))
    table.do(Advance(by=FACILITATOR))
    for i in range(7):
        table.do(SendMessage(by="ALPHA", channel="public", text=f'{i}: "id":"m-fake" said no one'))
        table.do(SendMessage(by="BETA", channel="private", to=["GAMMA"], text=f"{i} in private"))
    log = table.log
    for game in ("g", "other"):
        store.create_game(game, "trio", "t", 1.0)
    store.append("g", 0, log, "diplomacy")
    store.append("other", 0, log[:4], "diplomacy")
    sent = [(seq, e) for seq, e in enumerate(log, 1) if isinstance(e, MessageSent)]
    assert store.messages("g", len(log) + 1, 100) == sent[::-1]
    assert store.messages("g", sent[5][0], 3) == sent[2:5][::-1]
    assert store.messages("other", len(log) + 1, 100) == []
    paged = LoggedMessages(store, "g")
    paged.PAGE = 4
    assert list(paged.before(sent[-1][0], "public")) == sent[:-1][::-1]
    seq, message = sent[9]
    assert store.message("g", message.id) == [(seq, message)]
    assert paged.find(message.id) == [(seq, message)]
    assert store.message("g", "m-fake") == []
    assert store.message("other", message.id) == []


def test_a_games_receipts_are_read_oldest_first(store: SqliteStore) -> None:
    log = played_log()
    store.create_game("g", "trio", "t", 1.0)
    for seq, e in enumerate(log, 1):
        store.append("g", seq - 1, [e], "diplomacy", Receipt("m", f"c{len(log) - seq}"))
    in_order = list(store.receipts_in_order("g"))
    assert [seq for _, seq in in_order] == list(range(1, len(log) + 1))
    assert dict(in_order) == store.receipt_seqs("g")
