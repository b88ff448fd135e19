"""The rules engine: pure, synchronous and deterministic. `Game` is the one object its owners drive.

`Game`, `Step` and `BotSchedule` are imported on first use (PEP 562), not with the package: a module
that needs one engine module (`engine.chance`, `engine.state`) does not load the whole engine with it,
so nothing the engine builds on can find itself in an import cycle through this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crisisgame.engine.game import BotSchedule, Game, Step

__all__ = ["BotSchedule", "Game", "Step"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from crisisgame.engine import game

        return getattr(game, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
