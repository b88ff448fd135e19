"""The rules engine: pure, synchronous and deterministic. `Game` is the one object its owners drive."""

from crisisgame.engine.game import BotSchedule, Game, Step

__all__ = ["BotSchedule", "Game", "Step"]
