"""The turn machine: every phase of a game and every way out of one, as one table.

A game is in one phase at a time: `lobby` (teams joining), then for each turn `briefing`,
`diplomacy`, `orders` (adjudicated when it ends) and `results`, and finally `ended`. `TABLE` holds
one row per (phase, trigger): the phase it leads to and the guard that must hold. Triggers are what
can move the game: the facilitator's commands (start, advance, pause, resume, extend, release,
rollback, end), the phase clock running out (`advance`, as the facilitator's clock) and every team
being ready (`all_ready`). Clock rows (pause, resume, extend, release) lead back to the same phase.

`decide` asks `transition(state, trigger)` for the row, or gets `Rejected` with the guard's reason;
what a transition emits (a briefing's injects, the adjudication, the final scores) stays in decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from crisisgame.engine.errors import RejectCode, Rejected
from crisisgame.engine.state import State

Phase = Literal["lobby", "briefing", "diplomacy", "orders", "results", "ended"]
PHASES: tuple[Phase, ...] = ("lobby", "briefing", "diplomacy", "orders", "results", "ended")
PLAYING: tuple[Phase, ...] = ("briefing", "diplomacy", "orders", "results")
"""The phases of a turn: the clock runs, messages flow."""
BOT_PHASES: tuple[Phase, ...] = ("diplomacy", "orders")
"""The phases in which bots in empty seats play (they have nothing to do in a briefing or results)."""

Trigger = Literal["start", "advance", "all_ready", "pause", "resume", "extend", "release", "rollback", "end"]
Guard = Callable[[State], tuple[RejectCode, str] | None]
"""Why a row does not apply to this state (a code and a reason), or None if it does."""


def _released(s: State) -> tuple[RejectCode, str] | None:
    return None if s.released else ("phase", "release this turn's results before moving on")


def _unreleased(s: State) -> tuple[RejectCode, str] | None:
    return ("already", "this turn's results are already released") if s.released else None


def _turns_left(s: State) -> tuple[RejectCode, str] | None:
    return None if s.turn < s.scenario.turns.count else ("phase", "this was the last turn")


def _last_turn(s: State) -> tuple[RejectCode, str] | None:
    return None if s.turn >= s.scenario.turns.count else ("phase", "turns remain")


def _running(s: State) -> tuple[RejectCode, str] | None:
    return ("clock", "the clock is already paused") if s.paused else None


def _stopped(s: State) -> tuple[RejectCode, str] | None:
    return None if s.paused else ("clock", "the clock is not paused")


def _everyone_ready(s: State) -> tuple[RejectCode, str] | None:
    if s.paused:
        return ("clock", "the clock is paused")
    if not s.teams or not s.ready >= s.teams:
        return ("phase", "not every team is ready")
    return None


def _both(*guards: Guard) -> Guard:
    def guard(s: State) -> tuple[RejectCode, str] | None:
        for g in guards:
            if (refusal := g(s)) is not None:
                return refusal
        return None

    return guard


@dataclass(frozen=True)
class Row:
    """From `phase`, `trigger` leads to `to` if `guard` has no objection."""

    phase: Phase
    trigger: Trigger
    to: Phase
    guard: Guard | None = None
    note: str = ""


def _advance_rows(trigger: Trigger, extra: Guard | None = None) -> tuple[Row, ...]:
    """The way through a turn, the same whether the clock, the facilitator or the teams move it on."""

    def g(*guards: Guard) -> Guard | None:
        chosen = [x for x in (*guards, extra) if x is not None]
        return _both(*chosen) if chosen else None

    return (
        Row("briefing", trigger, "diplomacy", g()),
        Row("diplomacy", trigger, "orders", g()),
        Row("orders", trigger, "results", g(), "the turn is adjudicated"),
        Row("results", trigger, "briefing", g(_released, _turns_left), "the next turn begins"),
        Row("results", trigger, "ended", g(_released, _last_turn), "final scores"),
    )


TABLE: tuple[Row, ...] = (
    Row("lobby", "start", "briefing", note="turn 1 begins"),
    Row("lobby", "advance", "briefing", note="turn 1 begins"),
    *_advance_rows("advance"),
    *_advance_rows("all_ready", _everyone_ready),
    *(Row(p, "pause", p, _running, "the clock stops") for p in PLAYING),
    *(Row(p, "resume", p, _stopped, "the clock runs again") for p in PLAYING),
    *(Row(p, "extend", p, note="the deadline moves") for p in PLAYING),
    Row("results", "release", "results", _unreleased, "teams see the results"),
    *(Row(p, "rollback", "briefing", note="back to this turn's briefing") for p in PLAYING),
    *(Row(p, "end", "ended", note="final scores") for p in ("lobby", *PLAYING)),
)

_NO_ROW: dict[tuple[str, Trigger], tuple[RejectCode, str]] = {
    ("ended", "end"): ("game_ended", "the game has ended"),
    ("lobby", "pause"): ("not_started", "the game has not started"),
    ("lobby", "resume"): ("clock", "the clock is not paused"),
    ("lobby", "extend"): ("not_started", "the game has not started"),
    ("lobby", "rollback"): ("not_started", "no turn has started yet"),
    ("lobby", "all_ready"): ("not_started", "the game has not started"),
}


def _no_row(state: State, trigger: Trigger) -> Rejected:
    if (state.phase, trigger) in _NO_ROW:
        code, reason = _NO_ROW[(state.phase, trigger)]
        return Rejected(reason, code)
    if state.phase == "ended":
        return Rejected("the game has ended", "game_ended")
    if trigger == "start":
        return Rejected("the game has already started", "already_started")
    if trigger == "release":
        return Rejected(f"cannot release results during the {state.phase} phase (only during results)", "phase")
    return Rejected(f"cannot {trigger.replace('_', ' ')} during the {state.phase} phase", "phase")


def transition(state: State, trigger: Trigger) -> Row:
    """The row `trigger` takes from the state's phase, or `Rejected` with the first guard's reason."""
    refusal: tuple[RejectCode, str] | None = None
    for row in TABLE:
        if row.phase != state.phase or row.trigger != trigger:
            continue
        found = None if row.guard is None else row.guard(state)
        if found is None:
            return row
        refusal = refusal or found
    if refusal is not None:
        raise Rejected(refusal[1], refusal[0])
    raise _no_row(state, trigger)


def allows(state: State, trigger: Trigger) -> bool:
    """Whether `trigger` would move the game now."""
    try:
        transition(state, trigger)
    except Rejected:
        return False
    return True


__all__ = ["BOT_PHASES", "PHASES", "PLAYING", "TABLE", "Phase", "Row", "Trigger", "allows", "transition"]
