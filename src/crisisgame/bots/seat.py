"""A bot in a seat: its commands on its own view, and the timetable every door plays bots to.

The server's rooms, headless runs (`crisisgame.simulate`), forks and the test helpers all hand
`seat_commands` and `SCHEDULE` to `crisisgame.engine.Game`, so a class with bots in some seats and
a headless run with bots in the same seats see the same bots make the same moves at the same
game times.
"""

from __future__ import annotations

from crisisgame.bots import UNREAD
from crisisgame.bots.policy import policy
from crisisgame.engine.commands import Command
from crisisgame.engine.game import BotSchedule
from crisisgame.engine.state import State
from crisisgame.engine.view import view

SCHEDULE = BotSchedule(pause=1.0, rounds_per_phase=2, unread=UNREAD)
"""Bots open each phase at once; mid-phase they answer after a pause of one game-second (every
command in that second is answered by the same round, at a human pace). They start two rounds per
phase by themselves (proposals, then answers to one another); past that, one round after every
command from a team or the facilitator. Messages (`UNREAD`) wake nobody.

Two, not the twelve the server used to allow: today's bots propose again as soon as their last
proposal is accepted, so each extra round is a new set of duplicate pacts (the 8-turn Baltic with
bots in every seat concluded 315 agreements at twelve rounds, 26 at two). Two rounds is what the
theory suite was calibrated on, and now what a class plays too."""


def seat_commands(state: State, actor: str) -> list[Command]:
    """What the bot in `actor`'s seat does now, reading only that seat's view (its fog of war)."""
    return policy(view(state, actor, history=False), state.seed)


__all__ = ["SCHEDULE", "seat_commands"]
