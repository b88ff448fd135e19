"""The event store: the durable truth of every game, behind an interface.

A game is its event log. The server appends a command's events atomically and acknowledges the
command only after `append` returns, so an acknowledged event survives a crash. SQLite is the
embedded default; a networked store (PostgreSQL) can implement the same protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from crisisgame.engine.events import Event


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


@dataclass(frozen=True)
class Receipt:
    """A command's idempotency key: the member (token hash, or the facilitator) and the `id` it gave.
    Stored with the command's events in one transaction, so a retry is known after a crash too."""

    member: str
    command_id: str


class EventStore(Protocol):
    def create_game(self, game_id: str, scenario: str, title: str, created: float) -> None: ...

    def append(
        self, game_id: str, expected_seq: int, events: Sequence[Event], phase: str, receipt: Receipt | None = None
    ) -> int:
        """Append events after `expected_seq` in one transaction; return the new last seq. A `receipt`
        is recorded in the same transaction, with the new last seq."""
        ...

    def receipt(self, game_id: str, receipt: Receipt) -> int | None:
        """The seq a command with this receipt was applied at, or None if it never was."""
        ...

    def events(self, game_id: str, after: int = 0) -> list[tuple[int, Event]]: ...

    def receipts(self, game_id: str) -> list[tuple[int, str]]:
        """Every command's receipt as (seq of its last event, member), by seq: who sent what, for exports."""
        ...

    def games(self) -> list[GameRecord]: ...

    def set_codes(self, game_id: str, codes: dict[str, str]) -> None:
        """Join codes by seat (actor ids and 'observer')."""
        ...

    def codes(self, game_id: str) -> dict[str, str]: ...

    def replace_codes(self, game_id: str, codes: dict[str, str]) -> None:
        """New join codes for these seats; their old codes stop working."""
        ...

    def seat_for_code(self, code: str) -> tuple[str, str] | None:
        """(game id, seat) for a join code."""
        ...

    def add_member(self, member: Member) -> None: ...

    def member(self, token_hash: str) -> Member | None: ...

    def members(self, game_id: str) -> list[Member]: ...

    def set_member(self, token_hash: str, seat: str, active: bool) -> None: ...

    def setting(self, key: str) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
