"""A game's history, turn by turn: the fold of its log, cut at the end of every turn.

Everything the debrief shows (replay, report, exports, comparisons) is read from these records,
which come from the same fold as live play, so the debrief can never disagree with the game.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crisisgame.engine.apply import apply
from crisisgame.engine.events import (
    AgreementConcluded,
    CallOpened,
    Event,
    GameEnded,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    PhaseStarted,
    RolledBack,
    event_from_json,
    event_to_json,
)
from crisisgame.engine.state import State
from crisisgame.store.base import EventStore


@dataclass
class TurnRecord:
    """One turn: its events in order and the state once it was adjudicated (or as far as it got)."""

    turn: int
    events: list[tuple[int, Event]] = field(default_factory=list)
    state: State | None = None

    def of_type(self, *types: type) -> list[Event]:
        return [e for _, e in self.events if isinstance(e, types)]

    @property
    def outcomes(self) -> list[Outcome | AgreementConcluded | CallOpened]:
        return [e for _, e in self.events if isinstance(e, Outcome | AgreementConcluded | CallOpened)]

    @property
    def orders(self) -> list[OrdersSubmitted]:
        latest: dict[str, OrdersSubmitted] = {}
        for _, e in self.events:
            if isinstance(e, OrdersSubmitted):
                latest[e.actor] = e
        return [latest[a] for a in sorted(latest)]

    @property
    def messages(self) -> list[MessageSent]:
        return [e for _, e in self.events if isinstance(e, MessageSent)]

    @property
    def injects(self) -> list[InjectReleased]:
        return [e for _, e in self.events if isinstance(e, InjectReleased)]


@dataclass
class History:
    """A whole game: the initial state, every turn, and the final state."""

    log: list[Event]
    initial: State
    turns: list[TurnRecord]
    final: State

    @property
    def scenario_title(self) -> str:
        return self.final.scenario.meta.title

    @property
    def ended(self) -> GameEnded | None:
        return next((e for e in reversed(self.log) if isinstance(e, GameEnded)), None)

    def turn(self, n: int) -> TurnRecord:
        for record in self.turns:
            if record.turn == n:
                return record
        raise KeyError(f"the game has no turn {n} (turns 1 to {len(self.turns)})")


def history(log: Sequence[Event]) -> History:
    """Fold a log, keeping the state at the end of each turn (a rollback restarts that turn's record)."""
    state = apply(None, log[0])
    initial = state
    records: dict[int, TurnRecord] = {}
    for seq, event in enumerate(log[1:], start=2):
        state = apply(state, event)
        if isinstance(event, RolledBack):
            records[event.turn] = TurnRecord(event.turn)
        if state.turn == 0:
            continue
        record = records.setdefault(state.turn, TurnRecord(state.turn))
        record.events.append((seq, event))
        if (isinstance(event, PhaseStarted) and event.phase == "results") or isinstance(event, GameEnded):
            record.state = state
    for record in records.values():
        if record.state is None:
            record.state = state
    return History(list(log), initial, [records[t] for t in sorted(records)], state)


def read_log(path: str | Path) -> list[Event]:
    """A JSON-lines event log (from `crisisgame simulate --out` or `crisisgame export --format jsonl`)."""
    events: list[Event] = []
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if line.strip():
                try:
                    events.append(event_from_json(line))
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not a crisisgame event: {exc}") from None
    if not events:
        raise ValueError(f"{path}: the log is empty")
    return events


def write_log(events: Iterable[Event], path: str | Path) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for event in events:
            f.write(event_to_json(event) + "\n")


def load_game(name: str, store: EventStore | None) -> list[Event]:
    """A game's log by store id, or from a JSON-lines file."""
    path = Path(name)
    if path.is_file():
        return read_log(path)
    if store is None:
        raise FileNotFoundError(f"'{name}' is not a log file, and no database was given")
    known = [g.id for g in store.games()]
    if name not in known:
        raise FileNotFoundError(f"no game '{name}' in the database (games: {', '.join(known) or 'none'})")
    return [e for _, e in store.events(name)]
