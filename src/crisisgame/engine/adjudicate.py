"""`adjudicate(state, now)`: resolve a turn into events, by the twelve steps of docs/rules.md in order.

Each step reads the state as the previous steps left it (the pipeline folds as it goes) and
returns events that carry their reasons. The function is pure: the same state gives the same
events, whatever the order in which orders were submitted.
"""

from __future__ import annotations

from collections.abc import Callable

from crisisgame.engine.apply import fold
from crisisgame.engine.events import Event
from crisisgame.engine.objectives import scores
from crisisgame.engine.rules import (
    alliance,
    behaviour,
    burden,
    capabilities,
    commitments,
    council,
    credibility,
    crisis,
    domestic,
    economy,
    legitimacy,
    ratification,
    security_dilemma,
    system,
    threat,
)
from crisisgame.engine.rules.common import Turn
from crisisgame.engine.state import State

Step = Callable[[State, Turn], list[Event]]


PIPELINE: tuple[tuple[str, Step], ...] = (
    ("1 ratification", ratification.step),
    ("2 capabilities", capabilities.step),
    ("2 cinc", capabilities.cinc_step),
    ("3 security dilemma", security_dilemma.step),
    ("4 threat", threat.step),
    ("5 credibility", credibility.step),
    ("6 crises and war", crisis.step),
    ("7 alliance calls", alliance.step),
    ("7 answers", alliance.answers),
    ("7 closing calls", alliance.close_calls),
    ("7 abandonment and entrapment", alliance.fears),
    ("8 burden sharing", burden.step),
    ("9 security council", council.step),
    ("9 legitimacy", legitimacy.step),
    ("10 sanctions ordered", economy.orders_step),
    ("10 economic statecraft", economy.step),
    ("10 domestic politics", domestic.step),
    ("11 behaviour", behaviour.step),
    ("12 system", system.step),
    ("12 agreements broken", commitments.violations),
    ("12 agreements ordered", commitments.orders_step),
    ("12 agreements over time", commitments.lifecycle),
    ("12 terms that end with their agreement", economy.terms_ended),
)


def adjudicate_state(state: State, now: float) -> tuple[list[Event], State]:
    """Every event of this turn's adjudication, in pipeline order, and the state they lead to."""
    t = Turn(now=now, turn=state.turn, orders=dict(state.orders), previous=state)
    s = state
    events: list[Event] = []
    for _, step in PIPELINE:
        produced = step(s, t)
        if produced:
            s = fold(produced, s)  # (as `apply` each event in turn, copying each mapping once per step)
        events.extend(produced)
    return events, s


def adjudicate(state: State, now: float) -> list[Event]:
    """Every event of this turn's adjudication, in pipeline order."""
    return adjudicate_state(state, now)[0]


def final_scores(state: State) -> dict[str, float]:
    """Points at the end: as last adjudicated (and amended by the facilitator), or from the
    objectives directly if the game ends before any turn was adjudicated."""
    if not state.system:
        return scores(state)
    return {a: st.score for a, st in state.actors.items()}
