"""The embedded default store: one SQLite file (standard library), WAL journal.

Each `append` is one transaction that checks the expected sequence number, so two writers can
never interleave a game's log, and a process killed mid-write leaves the log as it was before or
after the transaction, never in between. `append_all` puts several games' appends in one
transaction (the server's group commit), each under a savepoint of its own.

The store's connection belongs to the thread that opened it (the server's event loop): a worker
thread reads through a `reader()` of its own, a second connection that sees committed transactions
only (WAL lets readers and the writer go on side by side), never a group commit half written.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from crisisgame.engine.events import Event, MessageSent, event_from_json, event_to_json
from crisisgame.store.base import Append, Conflict, GameRecord, Member, Receipt, StoreError

log = logging.getLogger("crisisgame.store")

CHECKPOINT_EVERY = 1.0
"""Seconds between two passes of a store's checkpointer thread (`_Checkpointer`) at most."""
CHECKPOINT_COMMITS = 1000
"""Transactions after which the writer asks for a pass sooner (a busy server's WAL stays short)."""

SCHEMA_VERSION = 3
"""The layout this code writes (`PRAGMA user_version`). Version 3 keeps each command's receipt on the
row of its last event; version 2 (and the first release, which never set a version past 2) kept
receipts in a table of their own, keyed by member and command id: a write to a page of its own for
every command, about half of what a group commit wrote. `_migrate` moves a version 2 file forward."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS games (
    id TEXT PRIMARY KEY,
    scenario TEXT NOT NULL,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    phase TEXT NOT NULL DEFAULT 'lobby',
    keys_retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
    game_id TEXT NOT NULL REFERENCES games(id),
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    member TEXT,
    command_id TEXT,
    PRIMARY KEY (game_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS codes (
    code TEXT PRIMARY KEY,
    game_id TEXT NOT NULL REFERENCES games(id),
    seat TEXT NOT NULL,
    UNIQUE (game_id, seat)
);
CREATE TABLE IF NOT EXISTS members (
    token_hash TEXT PRIMARY KEY,
    game_id TEXT NOT NULL REFERENCES games(id),
    seat TEXT NOT NULL,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
"""The tables. A command's receipt is on the row of the last event it wrote: `member` (who sent it:
a token hash, or the facilitator; kept for exports) and `command_id` (the id it gave; set back to
NULL when the key is retired, `prune_receipts`, which marks the game `keys_retired` until its next
append). Every other event has both NULL. So a command's write touches its game's last page of
events and nothing else, and finding a receipt by its key reads the game's events (`receipt`): the
room holds its receipts and asks the store only rarely."""


class _Reads:
    """The reads of the log, on `self.db`: the store's own connection, or a reader's (`SqliteReader`)."""

    db: sqlite3.Connection

    def receipt(self, game_id: str, receipt: Receipt) -> int | None:
        # (a scan of the game's events: no index by key, which every command would write a page of)
        row = self.db.execute(
            "SELECT seq FROM events WHERE game_id = ? AND command_id = ? AND member = ?",
            (game_id, receipt.command_id, receipt.member),
        ).fetchone()
        return None if row is None else int(row[0])

    def receipt_seqs(self, game_id: str) -> dict[Receipt, int]:
        return dict(self.receipts_in_order(game_id))

    def receipts_in_order(self, game_id: str) -> Iterator[tuple[Receipt, int]]:
        rows = self.db.execute(
            "SELECT member, command_id, seq FROM events WHERE game_id = ? AND command_id IS NOT NULL ORDER BY seq",
            (game_id,),
        )
        for member, command_id, seq in rows:
            yield Receipt(member, command_id), int(seq)

    def receipts(self, game_id: str) -> list[tuple[int, str]]:
        rows = self.db.execute(
            "SELECT seq, member FROM events WHERE game_id = ? AND member IS NOT NULL ORDER BY seq", (game_id,)
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def events(self, game_id: str, after: int = 0) -> list[tuple[int, Event]]:
        rows = self.db.execute(
            "SELECT seq, body FROM events WHERE game_id = ? AND seq > ? ORDER BY seq", (game_id, after)
        ).fetchall()
        return [(seq, event_from_json(body)) for seq, body in rows]

    def messages(self, game_id: str, before: int, limit: int) -> list[tuple[int, MessageSent]]:
        rows = self.db.execute(
            "SELECT seq, body FROM events WHERE game_id = ? AND seq < ? AND type = 'message_sent' "
            "ORDER BY seq DESC LIMIT ?",
            (game_id, before, limit),
        ).fetchall()
        return [(seq, MessageSent.model_validate_json(body)) for seq, body in rows]

    def message(self, game_id: str, message_id: str) -> list[tuple[int, MessageSent]]:
        # The id as it is written in an event's JSON (`"id":"m-..."`, no space: `event_to_json`): inside
        # a JSON string a quote is escaped, so only an `id` field itself matches; each match is checked.
        needle = '"id":' + json.dumps(message_id, ensure_ascii=False)
        rows = self.db.execute(
            "SELECT seq, body FROM events WHERE game_id = ? AND type = 'message_sent' AND instr(body, ?) > 0 "
            "ORDER BY seq",
            (game_id, needle),
        ).fetchall()
        found = [(seq, MessageSent.model_validate_json(body)) for seq, body in rows]
        return [(seq, m) for seq, m in found if m.id == message_id]

    def games(self) -> list[GameRecord]:
        rows = self.db.execute("SELECT id, scenario, title, created, seq, phase FROM games ORDER BY created").fetchall()
        return [GameRecord(*row) for row in rows]

    def codes(self, game_id: str) -> dict[str, str]:
        rows = self.db.execute("SELECT seat, code FROM codes WHERE game_id = ? ORDER BY seat", (game_id,)).fetchall()
        return dict(rows)

    def seat_for_code(self, code: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT game_id, seat FROM codes WHERE code = ?", (code,)).fetchone()
        return (row[0], row[1]) if row else None

    def member(self, token_hash: str) -> Member | None:
        row = self.db.execute(
            "SELECT token_hash, game_id, seat, name, active FROM members WHERE token_hash = ?", (token_hash,)
        ).fetchone()
        return Member(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def members(self, game_id: str) -> list[Member]:
        rows = self.db.execute(
            "SELECT token_hash, game_id, seat, name, active FROM members WHERE game_id = ? ORDER BY seat, name",
            (game_id,),
        ).fetchall()
        return [Member(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None


class _Checkpointer:
    """Copies a store's write-ahead log back into its database file (SQLite's checkpoint) in a thread
    and connection of its own, so that the thread that commits, the server's event loop, only ever
    appends to the log. A checkpoint writes back every page changed since the last and then flushes
    the disk, at any sync level: run by SQLite's automatic checkpoint at the end of a commit, it held
    up every game on the server for milliseconds at a time. A pass is SQLite's PASSIVE checkpoint
    (the kind the automatic one runs: it never waits for, nor blocks, a reader or a writer), every
    `CHECKPOINT_EVERY` seconds and whenever the writer asks (`nudge`). What a commit made durable does
    not depend on it: a committed transaction is in the log, which SQLite reads on open after a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.passes = 0
        self._wake = threading.Event()
        self._stopping = False
        self.thread = threading.Thread(target=self._run, name=f"checkpoint {path.name}", daemon=True)
        self.thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error:
            log.exception("cannot open %s to checkpoint it", self.path)
            return
        try:
            while not self._stopping:
                self._wake.wait(CHECKPOINT_EVERY)
                self._wake.clear()
                if self._stopping:
                    break
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    log.warning("checkpoint of %s failed; trying again", self.path, exc_info=True)
                self.passes += 1
        finally:
            db.close()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self.thread.join(10)


class SqliteStore(_Reads):
    """`EventStore` on one SQLite file. Its checkpoints run in a thread of their own (`_Checkpointer`)."""

    def __init__(self, path: str | Path, sync: str = "normal") -> None:
        """`sync` is SQLite's synchronous level: 'normal' (the default) keeps every committed event
        through a crash or kill of the server process, which is what acknowledgement promises; 'full'
        also survives the machine losing power, at the cost of a disk flush per transaction (the server
        groups the commands of a turn of its event loop into one, `append_all`)."""
        if sync not in ("normal", "full"):
            raise StoreError(f"sync must be 'normal' or 'full', not {sync!r}")
        self.path = Path(path)
        self._claim: IO[str] | None = None
        self._commits = 0
        self.checkpointer: _Checkpointer | None = None
        try:
            _create_private(self.path)
            # Of this thread only (sqlite3's own check): another thread must read through `reader()`.
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA synchronous={sync.upper()}")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            self._migrate()
        except (sqlite3.Error, StoreError) as exc:
            if hasattr(self, "db"):
                self.db.close()  # (a file refused is left as it was, and not held open)
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        if str(path) != ":memory:":
            self.db.execute("PRAGMA wal_autocheckpoint=0")  # (the checkpointer's thread does them)
            self.checkpointer = _Checkpointer(self.path)

    def _migrate(self) -> None:
        """Create the tables, or bring a file of an earlier layout to `SCHEMA_VERSION`, in one
        transaction: a file is either as it was or wholly moved forward, never in between. A file of a
        later layout (a newer crisisgame's) is refused, never written."""
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer crisisgame (its layout is version {version}; this one "
                f"reads up to {SCHEMA_VERSION}): upgrade crisisgame, or give another --db"
            )
        if version == SCHEMA_VERSION:
            return
        with self._tx():
            tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "games" in tables:
                columns = {row[1] for row in self.db.execute("PRAGMA table_info(games)")}
                if "keys_retired" not in columns:
                    self.db.execute("ALTER TABLE games ADD COLUMN keys_retired INTEGER NOT NULL DEFAULT 0")
            if "events" in tables:
                columns = {row[1] for row in self.db.execute("PRAGMA table_info(events)")}
                for column in ("member", "command_id"):
                    if column not in columns:
                        self.db.execute(f"ALTER TABLE events ADD COLUMN {column} TEXT")
                if "receipts" in tables:  # (version 2: each receipt's key, on the row of its seq)
                    self.db.execute(
                        "UPDATE events SET (member, command_id) = (SELECT r.member, r.command_id FROM receipts r "
                        "WHERE r.game_id = events.game_id AND r.seq = events.seq) WHERE EXISTS "
                        "(SELECT 1 FROM receipts r WHERE r.game_id = events.game_id AND r.seq = events.seq)"
                    )
                    self.db.execute("DROP TABLE receipts")
                if "authors" in tables:  # (retired keys: who sent the command, without its id)
                    self.db.execute(
                        "UPDATE events SET member = (SELECT a.member FROM authors a "
                        "WHERE a.game_id = events.game_id AND a.seq = events.seq) "
                        "WHERE EXISTS (SELECT 1 FROM authors a WHERE a.game_id = events.game_id AND a.seq = events.seq)"
                    )
                    self.db.execute("DROP TABLE authors")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def create_game(self, game_id: str, scenario: str, title: str, created: float) -> None:
        with self._tx():
            self.db.execute(
                "INSERT INTO games (id, scenario, title, created) VALUES (?, ?, ?, ?)",
                (game_id, scenario, title, created),
            )

    def append(
        self, game_id: str, expected_seq: int, events: Sequence[Event], phase: str, receipt: Receipt | None = None
    ) -> int:
        if not events:
            return expected_seq
        with self._tx():
            return self._append(game_id, expected_seq, events, phase, receipt)

    def append_all(self, appends: Sequence[Append]) -> list[int | StoreError]:
        """Every append in one transaction, each statement run once for the whole batch (`_append_batch`);
        if the store refuses one of them (a seq that moved, a write that failed), nothing of that
        attempt stays and the batch is written again one append at a time, each in a savepoint of its
        own, so that only the refused ones are left out (`_append_each`)."""
        live = [a for a in appends if a.events]
        if live:
            try:
                with self._tx():
                    self._append_batch(live)
            except (StoreError, sqlite3.IntegrityError):
                return self._append_each(appends)
        return [a.expected_seq + len(a.events) for a in appends]

    def _committed(self) -> None:
        """Count a write transaction: every `CHECKPOINT_COMMITS`, ask for a checkpoint now. If the
        checkpointer's thread has stopped (it could not open the file), SQLite checkpoints by itself again."""
        self._commits += 1
        if self._commits % CHECKPOINT_COMMITS == 0 and self.checkpointer is not None:
            if self.checkpointer.thread.is_alive():
                self.checkpointer.nudge()
            else:
                self.db.execute("PRAGMA wal_autocheckpoint=1000")
                self.checkpointer = None

    def _append_batch(self, appends: Sequence[Append]) -> None:
        """The writes of several appends, inside the caller's transaction: one UPDATE of the games'
        seqs (run once per append, in order, and each conditional on the seq the append expects) and
        one INSERT of every event, receipts with them. Raises `Conflict` if any seq check fails."""
        moved = self.db.executemany(
            "UPDATE games SET seq = ?, phase = ?, keys_retired = 0 WHERE id = ? AND seq = ?",
            [(a.expected_seq + len(a.events), a.phase, a.game_id, a.expected_seq) for a in appends],
        )
        if moved.rowcount != len(appends):
            raise Conflict("a game's seq moved")  # (`_append_each` finds which, and says so)
        self.db.executemany(
            "INSERT INTO events (game_id, seq, type, body, member, command_id) VALUES (?, ?, ?, ?, ?, ?)",
            [row for a in appends for row in _rows(a.game_id, a.expected_seq, a.events, a.receipt)],
        )

    def _append_each(self, appends: Sequence[Append]) -> list[int | StoreError]:
        if len(appends) == 1:  # (the transaction is its savepoint)
            a = appends[0]
            try:
                return [self.append(a.game_id, a.expected_seq, a.events, a.phase, a.receipt)]
            except (StoreError, sqlite3.IntegrityError) as exc:
                return [exc if isinstance(exc, StoreError) else StoreError(f"game {a.game_id}: {exc}")]
        results: list[int | StoreError] = []
        with self._tx():
            for a in appends:
                if not a.events:
                    results.append(a.expected_seq)
                    continue
                # A savepoint per append: a refused one is undone alone, the batch goes on.
                self.db.execute("SAVEPOINT one")
                try:
                    results.append(self._append(a.game_id, a.expected_seq, a.events, a.phase, a.receipt))
                except (StoreError, sqlite3.IntegrityError) as exc:
                    self.db.execute("ROLLBACK TO one")
                    results.append(exc if isinstance(exc, StoreError) else StoreError(f"game {a.game_id}: {exc}"))
                self.db.execute("RELEASE one")
        return results

    def _append(
        self, game_id: str, expected_seq: int, events: Sequence[Event], phase: str, receipt: Receipt | None
    ) -> int:
        """The writes of one append, inside the caller's transaction. The sequence check is the
        conditional UPDATE itself (one statement, not a SELECT before it)."""
        last = expected_seq + len(events)
        moved = self.db.execute(
            "UPDATE games SET seq = ?, phase = ?, keys_retired = 0 WHERE id = ? AND seq = ?",
            (last, phase, game_id, expected_seq),
        )
        if moved.rowcount != 1:
            row = self.db.execute("SELECT seq FROM games WHERE id = ?", (game_id,)).fetchone()
            if row is None:
                raise StoreError(f"no game {game_id!r}")
            raise Conflict(f"game {game_id} is at seq {row[0]}, not {expected_seq}")
        self.db.executemany(
            "INSERT INTO events (game_id, seq, type, body, member, command_id) VALUES (?, ?, ?, ?, ?, ?)",
            _rows(game_id, expected_seq, events, receipt),
        )
        return last

    def set_codes(self, game_id: str, codes: dict[str, str]) -> None:
        with self._tx():
            self.db.executemany(
                "INSERT INTO codes (code, game_id, seat) VALUES (?, ?, ?)",
                [(code, game_id, seat) for seat, code in codes.items()],
            )

    def replace_codes(self, game_id: str, codes: dict[str, str]) -> None:
        with self._tx():
            self.db.executemany("DELETE FROM codes WHERE game_id = ? AND seat = ?", [(game_id, s) for s in codes])
            self.db.executemany(
                "INSERT INTO codes (code, game_id, seat) VALUES (?, ?, ?)",
                [(code, game_id, seat) for seat, code in codes.items()],
            )

    def add_member(self, member: Member) -> None:
        with self._tx():
            self.db.execute(
                "INSERT INTO members (token_hash, game_id, seat, name, active) VALUES (?, ?, ?, ?, ?)",
                (member.token_hash, member.game_id, member.seat, member.name, int(member.active)),
            )

    def set_member(self, token_hash: str, seat: str, active: bool) -> None:
        with self._tx():
            self.db.execute(
                "UPDATE members SET seat = ?, active = ? WHERE token_hash = ?", (seat, int(active), token_hash)
            )

    def set_setting(self, key: str, value: str) -> None:
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def reader(self) -> SqliteReader:
        """A read-only connection of its own, for a worker thread (a report, an ended game's replay):
        `with store.reader() as r: r.events(game)`. It reads one snapshot of what was committed when
        its first read ran: never a write of the store's connection still under way (a group commit's
        batch, not yet acknowledged), and never at the same time as that connection is used."""
        return SqliteReader(self.path)

    def prune_receipts(self, ended_before: float) -> int:
        """Retire the idempotency keys of every game that ended, and wrote its last event, before
        `ended_before` (wall-clock seconds, as events' `at`); the number retired. Who sent each command
        is kept (`receipts`, for exports): only the command ids are cleared, and the game is marked so
        that the next pass does not read its events again. A game still running keeps every key, so a
        command is never applied twice while it can be sent."""
        ended = [
            g for (g,) in self.db.execute("SELECT id FROM games WHERE phase = 'ended' AND NOT keys_retired").fetchall()
        ]
        old = []
        for game_id in ended:
            last = self.db.execute(
                "SELECT body FROM events WHERE game_id = ? ORDER BY seq DESC LIMIT 1", (game_id,)
            ).fetchone()
            if last is not None and float(json.loads(last[0]).get("at", 0.0)) < ended_before:
                old.append(game_id)
        retired = 0
        if not old:
            return 0
        with self._tx():
            for game_id in old:
                retired += self.db.execute(
                    "UPDATE events SET command_id = NULL WHERE game_id = ? AND command_id IS NOT NULL", (game_id,)
                ).rowcount
                self.db.execute("UPDATE games SET keys_retired = 1 WHERE id = ?", (game_id,))
        return retired

    def claim(self) -> None:
        """Make this process the only server of the database, or raise `StoreError` naming the one that is.

        Two servers on one file would each run the same games from memory and write over each other's
        turns. The claim is an advisory lock on a file beside the database (`NAME.server`), which the
        operating system releases when the process ends, however it ends; tools that only read the
        log (`games`, `debrief`, `export`) never take it.
        """
        lock = self.path.with_name(self.path.name + ".server")
        try:
            handle = lock.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {lock}: {exc.strerror}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise StoreError(
                f"another crisisgame server (process {holder}) is running the games of {self.path}; "
                "stop it first, or give this one another --db"
            ) from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._claim = handle

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.db.close()
        if self._claim is not None:
            self._claim.close()  # releases the lock (the file stays, for the next server to lock)
            self._claim = None

    def _tx(self) -> _Transaction:
        self._committed()
        return _Transaction(self.db)


class SqliteReader(_Reads):
    """A read-only connection to a store's file, for one job of a worker thread (`SqliteStore.reader`):
    a context manager that opens the connection and a read transaction, and closes both."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> SqliteReader:
        if str(self.path) == ":memory:":
            raise StoreError("an in-memory store has no second connection to read from")
        try:
            self.db = sqlite3.connect(
                self.path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None, check_same_thread=True
            )
            self.db.execute("PRAGMA busy_timeout=5000")
            self.db.execute("BEGIN")  # (deferred: the snapshot is taken by the first read, and kept)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the database {self.path}: {exc}") from None
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")
        self.db.close()


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (0600) if it does not exist: it holds the
    facilitator's token, the students' session tokens and every private message. SQLite gives its
    journal files (-wal, -shm) the database file's permissions."""
    if str(path) == ":memory:" or path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise sqlite3.OperationalError(f"cannot create the file: {exc.strerror}") from None


def _rows(
    game_id: str, expected_seq: int, events: Sequence[Event], receipt: Receipt | None
) -> list[tuple[str, int, str, str, str | None, str | None]]:
    """The rows of one append's events; the last carries the command's receipt."""
    rows: list[tuple[str, int, str, str, str | None, str | None]] = [
        (game_id, expected_seq + i, e.type, event_to_json(e), None, None) for i, e in enumerate(events, 1)
    ]
    if receipt is not None:
        rows[-1] = (*rows[-1][:4], receipt.member, receipt.command_id)
    return rows


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (so a failed append writes nothing).

    A COMMIT that fails (the disk is full, the file is locked past the busy timeout) is rolled back
    too, so the connection is never left inside a transaction that every later write would trip
    over; and a ROLLBACK that finds SQLite already rolled back never hides the original error.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is None:
            try:
                self.db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()

    def _rollback(self) -> None:
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
