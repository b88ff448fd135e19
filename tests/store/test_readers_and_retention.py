"""`SqliteStore.reader()`: a connection of a worker thread's own, which sees one snapshot of what is
committed; and `prune_receipts`: the retention of command receipts (idempotency keys)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisgame.engine.events import Event
from crisisgame.store.base import Append, Receipt
from crisisgame.store.sqlite import SqliteStore
from tests.store.test_sqlite import played_log


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "games.db")
    yield s
    s.close()


def at(events: list[Event], when: float) -> list[Event]:
    """The events as if they happened at `when` (wall-clock seconds, as a live server stamps them)."""
    return [e.model_copy(update={"at": when}) for e in events]


def test_a_reader_sees_committed_writes_only_and_keeps_one_snapshot(store: SqliteStore) -> None:
    log = played_log()
    store.create_game("g", "trio", "t", 1.0)
    store.append("g", 0, log[:2], "briefing")
    with store.reader() as r:
        assert [s for s, _ in r.events("g")] == [1, 2]
        store.append("g", 2, log[2:3], "briefing")
        assert [s for s, _ in r.events("g")] == [1, 2], "a reader's snapshot moved under it"
        assert r.games()[0].seq == 2
    # A write under way (its transaction open) is not seen by a reader; once committed, it is.
    store.db.execute("BEGIN IMMEDIATE")
    store._append("g", 3, log[3:4], "diplomacy", Receipt("m", "c1"))
    with store.reader() as r:
        assert [s for s, _ in r.events("g")] == [1, 2, 3]
        assert r.receipt_seqs("g") == {}
        assert r.games()[0].phase == "briefing"
    store.db.execute("COMMIT")
    with store.reader() as r:
        assert [s for s, _ in r.events("g")] == [1, 2, 3, 4]
        assert r.receipt_seqs("g") == {Receipt("m", "c1"): 4}


def test_readers_in_threads_beside_a_busy_writer_raise_nothing_and_see_whole_batches(store: SqliteStore) -> None:
    """Three threads read while the store's thread writes 150 group commits of two games: no error,
    and every read is one committed state (each game's seq is the last event read, both games moved
    together)."""
    log = played_log()
    one = log[1:2]
    for g in ("a", "b"):
        store.create_game(g, "trio", "t", 1.0)
        store.append(g, 0, log[:1], "lobby")
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0, 0, 0]

    def read(n: int) -> None:
        try:
            while not stop.is_set() or reads[n] == 0:
                with store.reader() as r:
                    seqs = {g.id: g.seq for g in r.games()}
                    for g in ("a", "b"):
                        events = [s for s, _ in r.events(g)]
                        assert events == list(range(1, seqs[g] + 1)), (g, seqs, events[-3:])
                    assert seqs["a"] == seqs["b"], seqs
                reads[n] += 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        for seq in range(1, 151):
            results = store.append_all([Append("a", seq, one, "lobby"), Append("b", seq, one, "lobby")])
            assert results == [seq + 1, seq + 1]
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert not errors, errors[0]
    assert all(reads), reads


def test_pruning_retires_the_keys_of_games_ended_long_ago_and_keeps_who_sent_what(store: SqliteStore) -> None:
    log = played_log()
    day = 86400.0
    # 'old' ended on day 1, 'recent' on day 9; 'running' has not ended, though its last event is of day 1.
    for game, ended_at, phase in (("old", 1 * day, "ended"), ("recent", 9 * day, "ended"), ("running", day, "orders")):
        store.create_game(game, "trio", "t", 0.0)
        store.append(game, 0, at(log[:1], ended_at - 10), "lobby")
        store.append(game, 1, at(log[1:3], ended_at - 5), "briefing", Receipt("m1", "c1"))
        store.append(game, 3, at(log[3:4], ended_at), phase, Receipt("m2", "c1"))
    before = {g: store.receipts(g) for g in ("old", "recent", "running")}
    assert before["old"] == [(3, "m1"), (4, "m2")]

    assert store.prune_receipts(ended_before=8 * day) == 2
    assert store.receipt_seqs("old") == {}
    assert store.receipt("old", Receipt("m1", "c1")) is None
    assert store.receipt_seqs("recent") == {Receipt("m1", "c1"): 3, Receipt("m2", "c1"): 4}
    assert store.receipt_seqs("running") == {Receipt("m1", "c1"): 3, Receipt("m2", "c1"): 4}
    assert {g: store.receipts(g) for g in before} == before, "who sent each command was lost"
    assert store.prune_receipts(ended_before=8 * day) == 0  # (again: nothing left to retire)

    # Far later, every ended game's keys are retired, a running game's never.
    assert store.prune_receipts(ended_before=1000 * day) == 2
    assert store.receipt_seqs("recent") == {}
    assert len(store.receipt_seqs("running")) == 2
    assert {g: store.receipts(g) for g in before} == before
