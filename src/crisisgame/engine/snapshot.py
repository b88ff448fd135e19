"""Snapshots: a `State` as plain JSON data and back, so a long game restores without a full replay.

`from_snapshot(to_snapshot(state))` is a state that continues exactly as `state` would: the same
commands give the same events. Order is part of the state (the adjudication iterates actors and
agreements in insertion order), so mappings are kept as JSON objects in their order, and sets
(teams, ready flags, wars, acceptances) as sorted lists.

Every field of `State` has a codec below; a field added to `State` without one makes
`to_snapshot` fail loudly rather than drop it silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from crisisgame.engine.commands import Orders, Proposal
from crisisgame.engine.events import EVENT_ADAPTER, Amended, InjectReleased, MessageSent
from crisisgame.engine.rulebook import Rulebook
from crisisgame.engine.state import (
    ActorState,
    AgreementState,
    CallState,
    DemandState,
    Log,
    ProposalState,
    ResolutionState,
    State,
)
from crisisgame.scenario.model import Clause, Scenario, scenario_dict

SNAPSHOT_VERSION = 1

STATIC = ("scenario", "rules", "seed", "teams", "auto_release", "distance", "intent_prior")
"""Fields that never change during a game: nested snapshots (turn_start, sealed) take them from the top."""


def _actor_out(a: ActorState) -> dict[str, Any]:
    data = dataclasses.asdict(a)
    data["identities"] = list(a.identities)
    data["win_sets"] = {k: [lo, hi] for k, (lo, hi) in a.win_sets.items()}
    return data


def _actor_in(d: dict[str, Any]) -> ActorState:
    d = dict(d)
    d["identities"] = tuple(d["identities"])
    d["win_sets"] = {k: (float(lo), float(hi)) for k, (lo, hi) in d["win_sets"].items()}
    return ActorState(**d)


def _agreement_out(ag: AgreementState) -> dict[str, Any]:
    data = dataclasses.asdict(ag)
    data["parties"], data["guarantors"] = list(ag.parties), list(ag.guarantors)
    data["clauses"] = [c.model_dump(mode="json") for c in ag.clauses]
    return data


def _agreement_in(d: dict[str, Any]) -> AgreementState:
    clauses = tuple(Clause.model_validate(c) for c in d.get("clauses", []))
    return AgreementState(
        **{**d, "parties": tuple(d["parties"]), "guarantors": tuple(d["guarantors"]), "clauses": clauses}
    )


def _proposal_out(p: ProposalState) -> dict[str, Any]:
    return {
        "id": p.id,
        "sender": p.sender,
        "proposal": p.proposal.model_dump(mode="json"),
        "turn": p.turn,
        "status": p.status,
        "accepted": sorted(p.accepted),
        "counter_of": p.counter_of,
    }


def _proposal_in(d: dict[str, Any]) -> ProposalState:
    return ProposalState(
        id=d["id"],
        sender=d["sender"],
        proposal=Proposal.model_validate(d["proposal"]),
        turn=d["turn"],
        status=d["status"],
        accepted=frozenset(d["accepted"]),
        counter_of=d["counter_of"],
    )


def _call_out(c: CallState) -> dict[str, Any]:
    return {**dataclasses.asdict(c), "obligated": list(c.obligated), "answers": dict(c.answers)}


def _call_in(d: dict[str, Any]) -> CallState:
    return CallState(**{**d, "obligated": tuple(d["obligated"]), "answers": dict(d["answers"])})


def _events_out(log: Log[Any]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in log]


def _events_in(data: list[dict[str, Any]]) -> Log[Any]:
    return Log([EVENT_ADAPTER.validate_python(d) for d in data])


def _typed_events_in(kind: type[Any]) -> Callable[[list[dict[str, Any]]], Log[Any]]:
    def decode(data: list[dict[str, Any]]) -> Log[Any]:
        log = _events_in(data)
        for e in log:
            if not isinstance(e, kind):
                raise ValueError(f"expected {kind.__name__} events, got {type(e).__name__}")
        return log

    return decode


def _identity(x: Any) -> Any:
    return x


def _mapping(x: Mapping[str, Any]) -> dict[str, Any]:
    return dict(x)


def _sorted_set(x: frozenset[str]) -> list[str]:
    return sorted(x)


def _frozen(x: list[str]) -> frozenset[str]:
    return frozenset(x)


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]

CODECS: dict[str, Codec] = {
    "scenario": (scenario_dict, Scenario.model_validate),
    "seed": (_identity, _identity),
    "rules": (lambda r: r.model_dump(mode="json"), Rulebook.model_validate),
    "teams": (_sorted_set, _frozen),
    "auto_release": (_identity, _identity),
    "actors": (
        lambda m: {k: _actor_out(v) for k, v in m.items()},
        lambda d: {k: _actor_in(v) for k, v in d.items()},
    ),
    "intent": (_mapping, _mapping),
    "intent_prior": (_mapping, _mapping),
    "distance": (_mapping, _mapping),
    "agreements": (
        lambda m: {k: _agreement_out(v) for k, v in m.items()},
        lambda d: {k: _agreement_in(v) for k, v in d.items()},
    ),
    "seq": (_identity, _identity),
    "turn": (_identity, _identity),
    "phase": (_identity, _identity),
    "deadline": (_identity, _identity),
    "paused": (_identity, _identity),
    "remaining": (_identity, _identity),
    "released": (_identity, _identity),
    "ready": (_sorted_set, _frozen),
    "threat": (_mapping, _mapping),
    "credibility": (_mapping, _mapping),
    "troops": (_mapping, _mapping),
    "dependence": (_mapping, _mapping),
    "wars": (_sorted_set, _frozen),
    "proposals": (
        lambda m: {k: _proposal_out(v) for k, v in m.items()},
        lambda d: {k: _proposal_in(v) for k, v in d.items()},
    ),
    "demands": (
        lambda m: {k: dataclasses.asdict(v) for k, v in m.items()},
        lambda d: {k: DemandState(**v) for k, v in d.items()},
    ),
    "calls": (
        lambda m: {k: _call_out(v) for k, v in m.items()},
        lambda d: {k: _call_in(v) for k, v in d.items()},
    ),
    "resolutions": (
        lambda m: {k: {**dataclasses.asdict(v), "authorised": list(v.authorised)} for k, v in m.items()},
        lambda d: {k: ResolutionState(**{**v, "authorised": tuple(v["authorised"])}) for k, v in d.items()},
    ),
    "sanctions": (_mapping, _mapping),
    "settled": (_mapping, _mapping),
    "system": (_mapping, _mapping),
    "orders": (
        lambda m: {k: v.model_dump(mode="json") for k, v in m.items()},
        lambda d: {k: Orders.model_validate(v) for k, v in d.items()},
    ),
    "revealed": (
        lambda m: {str(t): {k: v.model_dump(mode="json") for k, v in o.items()} for t, o in m.items()},
        lambda d: {int(t): {k: Orders.model_validate(v) for k, v in o.items()} for t, o in d.items()},
    ),
    "messages": (_events_out, _typed_events_in(MessageSent)),
    "injects": (_events_out, _typed_events_in(InjectReleased)),
    "outcomes": (_events_out, _events_in),
    "amendments": (_events_out, _typed_events_in(Amended)),
    "counter": (_identity, _identity),
}
NESTED = ("turn_start", "sealed")
"""Fields holding an earlier state of the same game."""


def _encode(state: State, nested: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(State):
        value = getattr(state, f.name)
        if f.name in NESTED:
            out[f.name] = None if value is None else _encode(value, nested=True)
        elif nested and f.name in STATIC:
            continue
        elif f.name in CODECS:
            out[f.name] = CODECS[f.name][0](value)
        else:
            raise TypeError(f"State.{f.name} has no snapshot codec")
    return out


def _decode(data: dict[str, Any], static: dict[str, Any]) -> State:
    values: dict[str, Any] = dict(static)
    for f in dataclasses.fields(State):
        if f.name in NESTED:
            inner = data.get(f.name)
            values[f.name] = None if inner is None else _decode(inner, static)
        elif f.name not in static:
            values[f.name] = CODECS[f.name][1](data[f.name])
    return State(**values)


def to_snapshot(state: State) -> dict[str, Any]:
    """The whole state as JSON-ready data (dict order is meaningful and kept)."""
    return {"snapshot_version": SNAPSHOT_VERSION, "state": _encode(state, nested=False)}


def from_snapshot(data: Mapping[str, Any]) -> State:
    """The state a snapshot was taken of."""
    version = data.get("snapshot_version")
    if version != SNAPSHOT_VERSION:
        raise ValueError(f"unsupported snapshot version {version!r} (expected {SNAPSHOT_VERSION})")
    top = data["state"]
    static = {name: CODECS[name][1](top[name]) for name in STATIC}
    return _decode(top, static)


__all__ = ["SNAPSHOT_VERSION", "from_snapshot", "to_snapshot"]
