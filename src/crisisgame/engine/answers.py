"""Answers due: the calls for help and the demands a team must answer in this turn's orders.

A call or demand opened in an earlier turn is adjudicated at the end of this turn's orders phase.
No answer then counts as abandoning the ally (a call) or resisting (a demand), which a team may not
mean: so a team cannot mark itself ready in the orders phase while an answer it owes is missing
from its submitted orders. (If the clock runs out first, no answer still counts as above; the form
says so next to each question.)
"""

from __future__ import annotations

from dataclasses import dataclass

from crisisgame.engine.state import State


@dataclass(frozen=True)
class Due:
    """One answer a team owes: a call (`honour`/abandon) or a demand (accept/resist)."""

    kind: str
    id: str
    text: str


def answers_due(state: State, actor: str) -> list[Due]:
    """The calls and demands `actor` must answer in this turn's orders, oldest first."""
    due: list[Due] = []
    for call in sorted(state.calls.values(), key=lambda c: c.id):
        if call.status == "open" and actor in call.obligated and call.turn < state.turn:
            caller = state.actors[call.caller].name if call.caller in state.actors else call.caller
            due.append(Due("call", call.id, f"{caller}'s call for help ({call.id})"))
    for d in sorted(state.demands.values(), key=lambda d: d.id):
        if d.status == "open" and d.target == actor and d.turn < state.turn:
            demander = state.actors[d.actor].name if d.actor in state.actors else d.actor
            due.append(Due("demand", d.id, f"{demander}'s demand on {d.issue} ({d.id})"))
    return due


def unanswered(state: State, actor: str) -> list[Due]:
    """The answers `actor` owes that its submitted orders do not give."""
    orders = state.orders.get(actor)
    calls = {a.call_id for a in orders.call_answers} if orders else set()
    demands = {a.demand_id for a in orders.demand_answers} if orders else set()
    return [d for d in answers_due(state, actor) if d.id not in (calls if d.kind == "call" else demands)]


def ready_refusal(state: State, actor: str) -> str | None:
    """Why `actor` may not mark itself ready yet (answers missing in the orders phase), or None."""
    if state.phase != "orders":
        return None
    missing = unanswered(state, actor)
    if not missing:
        return None
    what = "; ".join(d.text for d in missing)
    return (
        f"answer {what} in your orders before marking ready "
        "(no answer when the phase ends counts as abandoning a call or resisting a demand)"
    )
