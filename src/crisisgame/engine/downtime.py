"""Time lost while the server was down is given back: the pure rule behind the start-up hook.

The phase clock is a wall-clock deadline stored in the log, so a crash or a restart would otherwise
eat into the teams' time (or end the phase before anyone could play it). At start-up the server
knows when it was last running (its heartbeat in the store) and asks this module for the events
that move every live game's deadline on by the time it was down.
"""

from __future__ import annotations

from crisisgame.engine.events import ServerDowntime
from crisisgame.engine.state import State

TIMED_PHASES = frozenset({"briefing", "diplomacy", "orders", "results"})


def downtime_events(state: State, down_since: float, now: float, at_least: float = 0.0) -> list[ServerDowntime]:
    """The events that give a game back the time from `down_since` to `now` (none if nothing ran).

    Nothing is owed when the game is not on a running clock (lobby, ended, paused, or a phase with
    no deadline), when the clock ran out before the server went down (the phase was waiting for
    the facilitator, e.g. to release results), or when no more than `at_least` seconds passed (a
    quick restart: less than the error of knowing when the server stopped).
    """
    seconds = now - down_since
    if seconds <= max(at_least, 0.0) or state.phase not in TIMED_PHASES or state.paused or state.deadline is None:
        return []
    if state.deadline <= down_since:
        return []
    return [ServerDowntime(at=now, down_since=down_since, seconds=round(seconds, 3), deadline=state.deadline + seconds)]
