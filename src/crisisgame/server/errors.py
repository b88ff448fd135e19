"""The one table from the engine's refusal codes to the protocol's error codes.

The engine says why it refused a command (`Rejected.code`, see `crisisgame.engine.errors`); the
protocol has a smaller, stable set of codes a client acts on (docs/protocol.md). A seat that may
never send a command is `forbidden` whichever layer notices; every other refusal under the rules is
`rejected`, with the engine's reason as the message. Objects a seat may not see are refused exactly
as objects that do not exist, so the table cannot leak them either.
"""

from __future__ import annotations

from typing import get_args

from crisisgame.engine.errors import RejectCode
from crisisgame.server.protocol import ErrorCode

PROTOCOL_ERRORS: dict[RejectCode, ErrorCode] = {
    "game_ended": "rejected",
    "not_started": "rejected",
    "already_started": "rejected",
    "seat": "forbidden",
    "phase": "rejected",
    "clock": "rejected",
    "unknown": "rejected",
    "no_such_proposal": "rejected",
    "no_such_demand": "rejected",
    "no_such_call": "rejected",
    "no_such_inject": "rejected",
    "no_such_agreement": "rejected",
    "no_such_action": "rejected",
    "already": "rejected",
    "invalid": "rejected",
    "unavailable": "rejected",
}

assert set(PROTOCOL_ERRORS) == set(get_args(RejectCode)), "every refusal code needs a protocol error"

__all__ = ["PROTOCOL_ERRORS"]
