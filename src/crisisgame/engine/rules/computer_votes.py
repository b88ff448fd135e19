"""How a computer player with a Security Council seat votes on a draft, from its beliefs and temperament.

It votes no on a draft against itself or against a state it is bound to (an alliance partner: the
veto as protection of clients, the pattern of Russian and US vetoes since 1946), yes on a draft against
a state it sees as hostile or that authorises its own partners, and otherwise as its school of thought
suggests: a liberal backs collective action against a state others see as aggressive (Keohane 1984),
a constructivist backs drafts that authorise states sharing its identities, a realist abstains where
it has no stake (Mearsheimer 2001).

Step 9 tallies these votes for every member no team plays, so the rule lives in the engine, which
imports nothing from the bots.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from crisisgame.engine.state import State

Vote = Literal["yes", "no", "abstain"]


def _bound(s: State, a: str, b: str) -> bool:
    return any(a in ag.parties and b in ag.parties and ag.protects(b) for ag in s.active_agreements())


def vote(s: State, member: str, kind: str, target: str, authorised: Sequence[str]) -> tuple[Vote, str]:
    """The member's vote and the belief behind it, in words."""
    name, other = s.actors[member].name, s.actors[target].name
    coef = s.rules.bots
    if member == target or _bound(s, member, target):
        return "no", f"{name} shields {'itself' if member == target else other}"
    if s.intent_of(member, target) >= coef.council_hostile_intent:
        return "yes", f"{name} sees {other} as hostile"
    if any(_bound(s, member, a) or a == member for a in authorised):
        return "yes", f"{name} backs its partners"
    temperament = s.actors[member].temperament
    if temperament == "liberal":
        seen = max((s.intent_of(k, target) for k in s.actors if k != target), default=0.0)
        if seen > coef.council_aggressive_intent or kind == "peacekeeping":
            return "yes", f"{name} backs collective action"
    if temperament == "constructivist":
        mine = set(s.actors[member].identities)
        if any(mine & set(s.actors[a].identities) for a in authorised):
            return "yes", f"{name} backs states that share its identities"
    return "abstain", f"{name} has no stake it will vote for"
