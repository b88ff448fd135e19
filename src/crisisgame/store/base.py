"""The event store: the durable truth of every game, behind an interface.

A game is its event log. The server appends a command's events atomically and acknowledges the
command only after `append` returns, so an acknowledged event survives a crash. SQLite is the
embedded default; a networked store (PostgreSQL) can implement the same protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from crisisgame.engine.events import Event, MessageSent


class StoreError(Exception):
    """The store cannot do what was asked (a clear message for the operator)."""


class Conflict(StoreError):
    """The log moved on since the caller read it (optimistic concurrency)."""


@dataclass(frozen=True)
class GameRecord:
    id: str
    scenario: str
    title: str
    created: float
    seq: int
    phase: str


@dataclass(frozen=True)
class Member:
    """A student (or the facilitator) holding a session token for a seat."""

    token_hash: str
    game_id: str
    seat: str
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class Receipt:
    """A command's idempotency key: the member (token hash, or the facilitator) and the `id` it gave.
    Stored with the command's events in one transaction, so a retry is known after a crash too."""

    member: str
    command_id: str


@dataclass(frozen=True)
class Append:
    """One game's events to append after `expected_seq`, with the phase they leave it in and the
    command's receipt: what `append` takes, as a value, so that several can go in one transaction."""

    game_id: str
    expected_seq: int
    events: Sequence[Event]
    phase: str
    receipt: Receipt | None = None


class EventReader(Protocol):
    """The reads of the log: what a worker thread may do, through its own `EventStore.reader()`."""

    def receipt(self, game_id: str, receipt: Receipt) -> int | None:
        """The seq a command with this receipt was applied at, or None if it never was (or its key
        was retired, `prune_receipts`). May read the game's whole log (the SQLite store keeps a receipt
        on its event's row, with no index by key): a room asks only for a receipt its sketch may have
        seen (`room.Receipts`)."""
        ...

    def receipt_seqs(self, game_id: str) -> dict[Receipt, int]:
        """Every receipt of a game and its seq."""
        ...

    def receipts_in_order(self, game_id: str) -> Iterator[tuple[Receipt, int]]:
        """Every receipt of a game and its seq, oldest first, read as they are taken: what a room reads
        when the game opens (`room.Receipts`), so that checking a command for a retry costs no query."""
        ...

    def events(self, game_id: str, after: int = 0) -> list[tuple[int, Event]]: ...

    def messages(self, game_id: str, before: int, limit: int) -> list[tuple[int, MessageSent]]:
        """Up to `limit` of a game's logged messages (`message_sent` events) with a seq under `before`,
        newest first, with their seqs."""
        ...

    def message(self, game_id: str, message_id: str) -> list[tuple[int, MessageSent]]:
        """Every logged message of a game with this id, with its seq, in log order (a message a rollback
        undid and one sent after the rollback may share an id)."""
        ...

    def receipts(self, game_id: str) -> list[tuple[int, str]]:
        """Every command's (seq of its last event, member), by seq: who sent what, for exports (kept
        when the command's idempotency key is retired)."""
        ...

    def games(self) -> list[GameRecord]: ...

    def codes(self, game_id: str) -> dict[str, str]: ...

    def seat_for_code(self, code: str) -> tuple[str, str] | None:
        """(game id, seat) for a join code."""
        ...

    def member(self, token_hash: str) -> Member | None: ...

    def members(self, game_id: str) -> list[Member]: ...

    def setting(self, key: str) -> str | None: ...


class EventStore(EventReader, Protocol):
    """The store, written by one thread (the server's event loop). Other threads read through a
    `reader()` of their own."""

    def create_game(self, game_id: str, scenario: str, title: str, created: float) -> None: ...

    def append(
        self, game_id: str, expected_seq: int, events: Sequence[Event], phase: str, receipt: Receipt | None = None
    ) -> int:
        """Append events after `expected_seq` in one transaction; return the new last seq. A `receipt`
        is recorded in the same transaction, with the new last seq."""
        ...

    def append_all(self, appends: Sequence[Append]) -> list[int | StoreError]:
        """Several appends, of any games, in one transaction: one commit (and one disk flush) for all.
        Each is checked on its own, in order: one refused (`Conflict`, an unknown game) writes nothing
        and its error stands in its place in the result; the others' new last seqs are returned. If
        the transaction itself fails (the disk is full), nothing is written and the error is raised."""
        ...

    def reader(self) -> AbstractContextManager[EventReader]:
        """A reader for another thread: `with store.reader() as r: ...` reads what is committed (one
        snapshot), never a write under way in the store's own thread."""
        ...

    def prune_receipts(self, ended_before: float) -> int:
        """Retire the idempotency keys of the games that ended (their last event) before `ended_before`,
        keeping who sent each command; the number retired. Keys of a running game are never retired."""
        ...

    def set_codes(self, game_id: str, codes: dict[str, str]) -> None:
        """Join codes by seat (actor ids and 'observer')."""
        ...

    def replace_codes(self, game_id: str, codes: dict[str, str]) -> None:
        """New join codes for these seats; their old codes stop working."""
        ...

    def add_member(self, member: Member) -> None: ...

    def set_member(self, token_hash: str, seat: str, active: bool) -> None: ...

    def set_setting(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


class LoggedMessages:
    """The messages of one game's log in a store, newest first a page at a time: where
    `engine.view.message_page` reads the older messages a state no longer keeps (`view.MessageLog`)."""

    PAGE = 200
    """Messages read per query."""

    def __init__(self, reader: EventReader, game_id: str) -> None:
        self.reader = reader
        self.game_id = game_id

    def find(self, message_id: str) -> list[tuple[int, MessageSent]]:
        return self.reader.message(self.game_id, message_id)

    def before(self, seq: int, channel: str) -> Iterator[tuple[int, MessageSent]]:
        """Every logged message before `seq`, newest first (of every channel: the page keeps its own)."""
        while True:
            rows = self.reader.messages(self.game_id, seq, self.PAGE)
            yield from rows
            if len(rows) < self.PAGE:
                return
            seq = rows[-1][0]
