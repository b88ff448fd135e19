"""What every rule step shares: the turn's context and the helpers that write reasoned outcomes."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from crisisgame.engine.commands import Orders
from crisisgame.engine.constants import PAIR_TABLES_KEPT, PER_MILLE
from crisisgame.engine.events import Audience, Change, Outcome, Reason, Value
from crisisgame.engine.state import State, pair
from crisisgame.scenario.rulebook import War

if TYPE_CHECKING:
    from crisisgame.engine.rules.computer_answers import HonourDecision

LEVELS = War().ladder()
"""The rungs of the escalation ladder in order, with their default weights: for comparing rungs only.

Adjudication reads a rung's weight from the game's rulebook (`s.rules.war.ladder()`), which a scenario may change."""


def clip(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if x < low else high if x > high else x


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


NO_ORDERS = Orders()
"""The orders of an actor that gave none: one shared, frozen instance (an adjudication asks for them
hundreds of times, and building an empty `Orders` copies its every default)."""


@dataclass
class Turn:
    """One adjudication's working context: the orders in force and what earlier steps found.

    It lives only while `adjudicate` runs; everything that matters afterwards is in the events.
    """

    now: float
    turn: int
    orders: dict[str, Orders]
    previous: State
    """The state before this turn's adjudication (for 'what changed this turn')."""
    force: list[tuple[str, str, str]] = field(default_factory=list)
    """(attacker, target, level) of force used this turn, from orders and injects."""
    demands_made: list[tuple[str, str, str, float, bool]] = field(default_factory=list)
    backed_down: set[str] = field(default_factory=set)
    war_costs: dict[str, float] = field(default_factory=dict)
    attacked: set[str] = field(default_factory=set)
    """Targets of force at grey-zone level or above this turn."""
    coerced: set[str] = field(default_factory=set)
    """Targets of coercive demands made this turn."""
    honoured: dict[str, list[str]] = field(default_factory=dict)
    """Actor -> callers whose call it honoured this turn."""
    abandoned: dict[str, list[str]] = field(default_factory=dict)
    accepted_demands: list[tuple[str, str]] = field(default_factory=list)
    """(target, demander) for demands accepted this turn: concessions to a threat."""
    concluded: list[str] = field(default_factory=list)
    """Ids of agreements concluded this turn."""
    breaches: list[tuple[str, str]] = field(default_factory=list)
    """(agreement, party) for each party that withheld the sanctions or aid an agreement commits it to this turn."""
    nuclear_tests: list[str] = field(default_factory=list)
    """Actors who tested a nuclear weapon this turn."""
    nuclear_threats: list[tuple[str, str]] = field(default_factory=list)
    """(threatener, target) of nuclear threats made this turn."""
    first_answers: dict[tuple[str, str, str], HonourDecision] = field(default_factory=dict)
    """(caller, attacker, guarantor) -> a computer player's one answer in that crisis, decided in step 6
    when this turn's first battle forces the call (so an ally who honours fights in it), reused in step 7."""
    joined: list[tuple[str, str, str]] = field(default_factory=list)
    """(joiner, attacker, target) for each state that fought on an attacker's side this turn (`Orders.join`)."""
    gdp: dict[str, float] = field(default_factory=dict)
    """GDP as step 6 has left it so far this turn (blockades, nuclear use, spoils), for the actors it changed:
    each later change in the step starts from it, so two of them on one state this turn both count."""
    conquests: dict[str, float] = field(default_factory=dict)
    """`State.conquests` as step 6 has left them so far this turn (spoils), for the pairs it changed."""

    def of(self, actor: str) -> Orders:
        return self.orders.get(actor) or NO_ORDERS


def _number(v: float) -> float:
    """A number as a `float` field holds it once validated (an int becomes a float)."""
    return float(v) if type(v) is int else v


def _value(v: Value) -> Value:
    """A `Value` as validation leaves it: an int (not a bool) becomes a float; the rest is kept."""
    return float(v) if type(v) is int else v


M = TypeVar("M", bound=BaseModel)

_OUTCOME_GIVEN = frozenset({"at", "turn", "changes", "reason", "audience"})
_REASON_GIVEN = frozenset({"rule", "step", "explanation", "inputs", "terms", "citations"})
_CHANGE_GIVEN = frozenset({"target", "key", "field", "value"})


_new = object.__new__
_setattr = object.__setattr__


def _trusted(cls: type[M], values: dict[str, Any], given: frozenset[str]) -> M:
    """The model `cls(**given values)` would validate, built without validating: `values` holds every field
    in the model's order, each already of its type (an adjudication makes hundreds of outcomes and
    validating them was a fifth of its time). What `BaseModel.model_construct` does, without its generic
    walk over the fields, which costs more than the validation it skips."""
    model = _new(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", set(given))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


def _rounded_inputs(inputs: dict[str, Value] | None) -> dict[str, Value]:
    out: dict[str, Value] = {}
    if inputs:
        for k, v in inputs.items():
            out[k] = round(v, 4) if isinstance(v, float) else float(v) if type(v) is int else v
    return out


def _rounded_terms(terms: dict[str, float] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    if terms:
        for k, v in terms.items():
            rounded = round(v, 4)
            out[k] = float(rounded) if type(rounded) is int else rounded
    return out


def outcome(
    t: Turn,
    changes: Iterable[Change],
    rule: str,
    step: int,
    explanation: str,
    *,
    inputs: dict[str, Value] | None = None,
    terms: dict[str, float] | None = None,
    citations: Iterable[str] = (),
    audience: Audience = "public",
) -> Outcome:
    """An adjudication outcome: the values set and the reason, rounded for readable logs.

    Every value is of its field's type, or made so here as validation would make it (an int in a float
    field becomes a float), so the event is built without validation and is the one `Outcome(...)` would
    build, field for field (tests/engine/test_adjudicate.py checks it on every outcome of a game)."""
    reason = _trusted(
        Reason,
        {
            "rule": rule,
            "step": step,
            "explanation": explanation,
            "inputs": _rounded_inputs(inputs),
            "terms": _rounded_terms(terms),
            "citations": list(citations),
        },
        _REASON_GIVEN,
    )
    return _trusted(
        Outcome,
        {
            "v": 1,
            "at": _number(t.now),
            "type": "outcome",
            "turn": t.turn,
            "changes": list(changes),
            "reason": reason,
            "audience": audience if audience == "public" else list(audience),
        },
        _OUTCOME_GIVEN,
    )


def _change(target: str, key: str, name: str, value: Value) -> Change:
    if isinstance(value, float):
        value = round(value, 6)
    return _trusted(Change, {"target": target, "key": key, "field": name, "value": _value(value)}, _CHANGE_GIVEN)


def actor_change(actor: str, name: str, value: Value) -> Change:
    return _change("actor", actor, name, value)


def pair_change(key: str, name: str, value: Value) -> Change:
    return _change("pair", key, name, value)


_last_power: tuple[Mapping[str, object] | None, object, dict[str, float]] = (None, None, {})


def military_power(s: State) -> dict[str, float]:
    """Military strength for fighting: shares of military expenditure and personnel, plus CINC.

    CINC alone over-weights steel, energy and population for a short war; this blend keeps the
    armed forces in front while still crediting the economy behind them.

    Kept for the last actors and rulebook asked about (a state's mappings are never changed, and a turn's
    battles and answers ask about the same ones many times): the mapping is shared, not to be changed.
    """
    global _last_power
    actors, rules, power = _last_power
    if actors is not s.actors or rules is not s.rules:
        power = _military_power(s)
        _last_power = (s.actors, s.rules, power)
    return power


def _military_power(s: State) -> dict[str, float]:
    def share(name: str) -> dict[str, float]:
        values = {a: getattr(st, name) or 0.0 for a, st in s.actors.items()}
        total = sum(values.values())
        return {a: (v / total if total > 0 else 0.0) for a, v in values.items()}

    milex, milper = share("milex"), share("milper")
    r = s.rules.war
    return {
        a: r.weight_milex * milex[a] + r.weight_milper * milper[a] + r.weight_cinc * st.cinc
        for a, st in s.actors.items()
    }


def battle_odds(s: State, attacker: float, defender: float) -> float:
    """The attacker's chance of prevailing with `attacker` strength against `defender` strength in the
    defender's theatre, tilted by the offence-defence balance (`War.attack_odds`)."""
    return s.rules.war.attack_odds(attacker, defender, s.rules.security_dilemma.offence_dominance)


BASING_CLAUSES = frozenset({"basing_transit", "defence", "extended_deterrence"})
"""Clauses that let a party station forces with another party (and so use the host's bases)."""


def base_consent(
    s: State, user: str, host: str, theatre: str, orders: Mapping[str, Orders] | None = None
) -> str | None:
    """Why `host` lets `user` fight from its bases towards `theatre`, or None if it does not.

    Forces already in the theatre fight there. Elsewhere the host must consent: through an agreement in
    force with the user that stations the forces or carries a basing or defence clause (a neutral host,
    with none, denies use); consent is standing unless that agreement leaves it to the host case by case,
    when the host must grant it this turn; and a host may deny use in any turn by its orders.
    """
    if host == theatre:
        return "in theatre"
    given = orders.get(host) if orders is not None else None
    if given is not None and user in given.deny_bases:
        return None
    modes = {
        ag.host_consent
        for ag in s.active_agreements()
        if user in ag.parties
        and host in ag.parties
        and (ag.host == host or any(c.kind in BASING_CLAUSES for c in ag.obligations()))
    }
    if "standing" in modes:
        return "standing"
    if modes and given is not None and user in given.grant_bases:
        return "granted"
    return None


def combined_reach(home: float, bases: Iterable[float]) -> float:
    """Share of strength that reaches a theatre through home and every usable base together: each route
    brings its own share, and a share already brought by another route is not counted twice."""
    missing = 1 - home
    for b in bases:
        missing *= 1 - b
    return 1 - missing


PairTable = dict[str, list[tuple[str, str, float]]]
_pair_tables: dict[int, tuple[Mapping[str, float], tuple[str, ...], float, PairTable]] = {}


def pair_table(s: State, tau: float) -> PairTable:
    """For each actor i, in the actors' order: (j, the key of the pair i>j, its proximity exp(-km / tau)) for
    every other actor j in order. Steps 3 and 4 read every ordered pair; distances never change in a game,
    so the table is the same for all its states: kept for the last games asked about."""
    ids = tuple(s.actors)
    distance = s.distance
    kept = _pair_tables.get(id(distance))
    if kept is not None:
        of, kept_ids, kept_tau, table = kept
        if of is distance and kept_ids == ids and kept_tau == tau:
            return table
    table = {i: [(j, pair(i, j), math.exp(-distance[pair(i, j)] / tau)) for j in ids if j != i] for i in ids}
    if len(_pair_tables) >= PAIR_TABLES_KEPT:
        # (the oldest; a debrief's fork adjudicating in another thread may have made room meanwhile)
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del _pair_tables[next(iter(_pair_tables))]
    _pair_tables[id(distance)] = (distance, ids, tau, table)
    return table


_last_stationed: tuple[Mapping[str, int] | None, dict[str, list[tuple[str, int]]]] = (None, {})


def _stationed(troops: Mapping[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Forces abroad by owner: (host, troops) in the order of their 'owner>host' keys. Kept for the last
    mapping asked about (a state's mappings are never changed, and an adjudication asks about the same
    one for every battle and every answer)."""
    global _last_stationed
    seen, found = _last_stationed
    if seen is not troops:
        found = {}
        for key, count in sorted(troops.items()):
            owner, _, host = key.partition(">")
            found.setdefault(owner, []).append((host, count))
        _last_stationed = (troops, found)
    return found


def occupation_share(personnel: float | None, population: float | None, per_1000: float) -> float:
    """Share of a population of `population` thousand that `personnel` thousand troops can occupy at `per_1000`
    troops per 1,000 inhabitants (Quinlivan 1995): what a victor can hold of a conquered state. 1 (no bound)
    without both figures or with `per_1000` = 0."""
    if personnel is None or population is None or population <= 0 or per_1000 <= 0:
        return 1.0
    return min(1.0, max(0.0, personnel) * PER_MILLE / (per_1000 * population))


def theatre_strength(
    s: State, actor: str, theatre: str, power: dict[str, float], orders: Mapping[str, Orders] | None = None
) -> tuple[float, float]:
    """Capability `actor` can bring to `theatre` (Boulding's loss-of-strength gradient), and the distance.

    Strength decays with the distance from home; forces stationed abroad bring a share of it from
    each host that consents (`base_consent`), in proportion to their size (a handful of advisers is
    not a forward base). Home and every usable base combine (`combined_reach`); the distance reported
    is the one the largest share came from.
    """
    st = s.actors[actor]
    reach = s.rules.war.distance_decay_km * (s.rules.war.projection_floor + st.power_projection)
    distance = 0.0 if actor == theatre else s.km(actor, theatre)
    home = math.exp(-distance / reach)
    forward: list[float] = []
    if actor != theatre:
        best = home
        for host, troops in _stationed(s.troops).get(actor, ()):
            if troops <= 0 or base_consent(s, actor, host, theatre, orders) is None:
                continue
            d = 0.0 if host == theatre else s.km(host, theatre)
            share = min(1.0, troops / s.rules.war.forward_base_troops) * math.exp(-d / reach)
            forward.append(share)
            if share > best:
                best, distance = share, d
    reach_factor = combined_reach(home, forward)
    strength = power[actor] * reach_factor * (s.rules.war.unmobilised_strength + st.mobilisation)
    return strength, distance
