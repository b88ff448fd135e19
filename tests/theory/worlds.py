"""Controlled worlds for the theory spec suite: small scenarios built in Python, and ways to run them.

A world starts from `crisisgame.scenario.generate.world_document` (a valid random scenario) with its
random agreements, perceptions and injects removed; an experiment then places the actors, sets their
size, perceptions, agreements, issues and rule coefficients, and validates the document as a
`Scenario`. Geography is on a plane near the equator: `at(x_km, y_km)` turns kilometres east and
north of (0, 0) into a position, so distances are what the experiment says they are.

Two ways to run a world:
- `primed` + `advance`: the engine alone. `primed` adjudicates one turn without orders (so threat
  and credibility exist), `advance` adjudicates the next turn with the orders given, and bots'
  orders come from `bot` on the seat's own view, exactly as in a game;
- `crisisgame.simulate.play`: whole turns with bots in every seat, diplomacy included.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from typing import Any

from crisisgame.bots.policy import TEMPERAMENTS, Bot
from crisisgame.engine.adjudicate import adjudicate_state
from crisisgame.engine.commands import Orders
from crisisgame.engine.events import Event, Outcome
from crisisgame.engine.seatview import TeamView
from crisisgame.engine.state import State, evolve, initial_state
from crisisgame.engine.view import view
from crisisgame.scenario.generate import world_document
from crisisgame.scenario.model import Scenario

KM_PER_DEGREE = 111.195
"""Kilometres per degree of latitude (and of longitude on the equator)."""

Doc = dict[str, Any]


def rng(seed: int, salt: str) -> random.Random:
    """A generator for the world of one seed, so each seed is a different world."""
    return random.Random(f"{salt}:{seed}")


def blank(n: int, seed: int = 0, turns: int = 3) -> Doc:
    """A valid world of `n` states (ids S00, S01, ...) with no agreements, perceptions or injects."""
    doc = world_document(n, seed, turns)
    doc["intent"] = []
    doc["agreements"] = []
    doc["injects"] = []
    doc["issues"] = []
    for a in doc["actors"]:
        a["domestic"]["win_sets"] = {}
        a["objectives"] = [o for o in a["objectives"] if o["kind"] == "keep_approval"]
    return doc


def actor(doc: Doc, aid: str) -> Doc:
    return next(a for a in doc["actors"] if a["id"] == aid)


def ids(doc: Doc) -> list[str]:
    return [a["id"] for a in doc["actors"]]


def at(x_km: float, y_km: float) -> dict[str, float]:
    """A position `x_km` east and `y_km` north of (0, 0) on the equator."""
    return {"lat": round(y_km / KM_PER_DEGREE, 4), "lon": round(x_km / KM_PER_DEGREE, 4)}


def place(doc: Doc, aid: str, x_km: float, y_km: float = 0.0) -> None:
    actor(doc, aid)["position"] = at(x_km, y_km)


def size(doc: Doc, aid: str, value: float) -> None:
    """Give an actor capabilities proportional to `value` (all six COW components and GDP)."""
    scale = {"milex": 20, "milper": 150, "irst": 8, "pec": 200, "tpop": 40, "upop": 28, "gdp": 600}
    for name, factor in scale.items():
        actor(doc, aid)["capabilities"][name]["value"] = round(value * factor, 4)


def configure(doc: Doc, aid: str, **fields: Any) -> None:
    """Set top-level actor fields (reputation, defence_spending, mobilisation, temperament, ...)."""
    a = actor(doc, aid)
    for name, value in fields.items():
        if name in ("approval", "audience_cost_sensitivity"):
            a["domestic"][name] = value
        else:
            a[name] = value


def intent(doc: Doc, of: str, toward: str, value: float) -> None:
    doc["intent"] = [e for e in doc["intent"] if not (e["of"] == of and e["toward"] == toward)]
    doc["intent"].append({"of": of, "toward": toward, "value": round(value, 4)})


def agreement(
    doc: Doc,
    aid: str,
    kind: str,
    parties: list[str],
    *,
    strength: float = 0.6,
    ambiguity: float = 0.2,
    conditionality: float = 0.0,
    guarantors: list[str] | None = None,
) -> None:
    doc["agreements"].append(
        {
            "id": aid,
            "name": f"Agreement {aid}",
            "type": kind,
            "parties": parties,
            "guarantors": guarantors or [],
            "strength": round(strength, 4),
            "ambiguity": round(ambiguity, 4),
            "conditionality": round(conditionality, 4),
        }
    )


def issue(doc: Doc, iid: str, positions: Mapping[str, float], divisible: bool = True) -> None:
    """An issue, and for each actor with a position an `issue_outcome` objective near it: what it has
    at stake there, and so what its computer player would coerce or fight over."""
    doc["issues"].append({"id": iid, "name": f"Issue {iid}", "divisible": divisible, "positions": dict(positions)})
    for aid, position in positions.items():
        low, high = max(0.0, position - 0.1), min(1.0, position + 0.1)
        actor(doc, aid)["objectives"].append(
            {
                "id": f"{aid}-{iid}",
                "kind": "issue_outcome",
                "issue": iid,
                "low": low,
                "high": high,
                "points": 10,
                "text": f"Hold {iid}.",
            }
        )


def win_set(doc: Doc, aid: str, iid: str, low: float, high: float) -> None:
    actor(doc, aid)["domestic"]["win_sets"][iid] = {"low": round(low, 4), "high": round(high, 4)}


def dyad(seed: int, salt: str) -> tuple[Doc, str, str]:
    """A challenger A and a target B, realists both, over one issue (A holds 0.9, B 0.1): A stronger by
    a random factor of e^0.5 to e^2, 200-1000 km apart, each with a random reach (drawn from `salt`)."""
    r = rng(seed, salt)
    doc = blank(2, seed, turns=4)
    a, b = ids(doc)
    size(doc, a, math.exp(r.uniform(0.5, 2.0)))
    size(doc, b, 1.0)
    place(doc, a, 0, 0)
    place(doc, b, r.uniform(200, 1000), 0)
    for x in (a, b):
        configure(doc, x, temperament="realist", power_projection=round(r.uniform(0.3, 0.8), 3))
    issue(doc, "land", {a: 0.9, b: 0.1})
    return doc, a, b


def rules(doc: Doc, group: str, **values: float) -> None:
    doc.setdefault("rules", {}).setdefault(group, {}).update(values)


def scenario(doc: Doc) -> Scenario:
    return Scenario.model_validate(doc)


# --------------------------------------------------------------------------- running a world


def advance(state: State, orders: Mapping[str, Orders] | None = None) -> tuple[State, list[Event]]:
    """Adjudicate the next turn with `orders` (the twelve-step pipeline), as the results phase leaves it."""
    turn = state.turn + 1
    events, s = adjudicate_state(evolve(state, turn=turn, phase="orders", orders=dict(orders or {})), float(turn))
    revealed = dict(s.revealed)
    revealed[turn] = s.orders
    return evolve(s, phase="results", revealed=revealed, orders={}), events


def primed(sc: Scenario, seed: int) -> State:
    """The state after one quiet turn: perceived threat, credibility and the two fears are computed."""
    state, _ = advance(initial_state(sc, seed, teams=frozenset()))
    return state


def bot(state: State, aid: str, seed: int) -> Bot:
    """The computer player of `aid`, reading its own view of `state` (its fog of war) for the coming turn."""
    upcoming = evolve(state, turn=state.turn + 1, phase="orders")
    seen = view(upcoming, aid, history=False)
    assert isinstance(seen, TeamView)
    return TEMPERAMENTS[state.actors[aid].temperament](seen, seed)


def bot_orders(state: State, seed: int, actors: Iterable[str] | None = None) -> dict[str, Orders]:
    """Every listed actor's bot orders for the coming turn (all actors by default)."""
    return {a: bot(state, a, seed).orders() for a in (state.actors if actors is None else actors)}


def outcomes(events: Iterable[Event], rule: str) -> list[Outcome]:
    """Outcomes whose reason's rule starts with `rule`."""
    return [e for e in events if isinstance(e, Outcome) and e.reason.rule.startswith(rule)]


def behaviour(events: Iterable[Event]) -> dict[str, tuple[str, str | None]]:
    """Step 11's label for each state, and the top threat it was named towards."""
    out: dict[str, tuple[str, str | None]] = {}
    for e in outcomes(events, "behaviour."):
        actor_id = e.changes[0].key
        threat = e.reason.inputs.get("top_threat")
        out[actor_id] = (e.reason.rule.removeprefix("behaviour."), threat if isinstance(threat, str) else None)
    return out
