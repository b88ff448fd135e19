"""Computer players: pure policies `policy(view, seed) -> commands`, one per school of thought.

A bot sees only its seat's view (the same fog of war as a team) and issues ordinary commands, so
it plays through the same path as a team and its moves are legal by construction.
"""

from crisisgame.bots.policy import policy

UNREAD = frozenset({"message_sent", "freeform_proposed", "freeform_countered", "freeform_settings"})
"""Event types no policy reads: talk between teams, and free-form actions argued (Control adjudicates
them). Bots act on proposals, demands, agreements, orders and the clock, never on messages, so a
message gives them nothing new to answer."""

__all__ = ["UNREAD", "policy"]
