"""Computer players: pure policies `policy(view, seed) -> commands`, one per school of thought.

A bot sees only its seat's view (the same fog of war as a team) and issues ordinary commands, so
it plays through the same path as a team and its moves are legal by construction.
"""

from crisisgame.bots.policy import policy

__all__ = ["policy"]
