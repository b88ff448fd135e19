"""The engine's errors: one base class, and for a refused command a machine-readable code.

`Rejected` is what a player or facilitator sees when the rules do not allow a command: a `code`
a program can act on (the server turns it into a protocol error through one table) and a `reason`
a student can act on ("proposal 'p3' is not open: it was withdrawn"). `CorruptLog` (in apply.py)
is the other engine error: an event log that does not replay.
"""

from __future__ import annotations

from typing import Literal, get_args

RejectCode = Literal[
    "game_ended",
    "not_started",
    "already_started",
    "seat",
    "phase",
    "clock",
    "unknown",
    "no_such_proposal",
    "no_such_demand",
    "no_such_call",
    "no_such_inject",
    "no_such_agreement",
    "no_such_action",
    "already",
    "invalid",
    "unavailable",
]
"""Why a command was refused:
- `game_ended`, `not_started`, `already_started`: the game is not in a state that takes it;
- `seat`: this seat may never send it (an observer, a bot's seat, a team's facilitator-only command);
- `phase`: not during this phase (or this turn's results are not released yet);
- `clock`: the clock is already paused / not paused;
- `unknown`: it names an actor, issue or field the game does not have;
- `no_such_proposal`, `no_such_demand`, `no_such_call`, `no_such_inject`, `no_such_agreement`,
  `no_such_action` (a free-form action): it
  names an object that does not exist *for this seat* (a seat that is not a party to a private
  object is told the same as if it did not exist);
- `already`: it was done already (accepted twice, released twice, an inject fired twice);
- `invalid`: the command's content breaks a rule (a proposal without a party, an order at oneself);
- `unavailable`: the game cannot take commands now (the server is shutting down)."""

REJECT_CODES: tuple[str, ...] = get_args(RejectCode)


class EngineError(Exception):
    """Every error the engine raises on purpose."""


class Rejected(EngineError):
    """A command the rules do not allow: a stable `code` and the reason in plain words."""

    def __init__(self, reason: str, code: RejectCode = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code: RejectCode = code


__all__ = ["REJECT_CODES", "EngineError", "RejectCode", "Rejected"]
