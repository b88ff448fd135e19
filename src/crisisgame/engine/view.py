"""`view(state, seat)`: exactly what one seat may see. Fog of war lives here, and only here.

Seats are an actor id (a team or a bot), 'facilitator' (sees everything) or 'observer' (the
plenary screen: public information only). Private and group messages, secret objectives, private
intelligence, domestic win-sets, perceptions and sealed orders never reach a seat they are not
for; the results of a turn reach teams only once the facilitator releases them.
"""

from __future__ import annotations

from typing import Any

from crisisgame.engine.commands import FACILITATOR, OBSERVER
from crisisgame.engine.events import (
    AgreementConcluded,
    Amended,
    Audience,
    CallOpened,
    Change,
    DemandOpened,
    Event,
    GameCreated,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
)
from crisisgame.engine.state import State, pair


def _sees(audience: Audience, seat: str) -> bool:
    return seat == FACILITATOR or audience == "public" or (isinstance(audience, list) and seat in audience)


def _message_visible(m: MessageSent, seat: str) -> bool:
    return seat == FACILITATOR or m.channel == "public" or seat == m.sender or seat in m.to


def _released_state(state: State, seat: str) -> State:
    """What a team may know of the world: before this turn's adjudication until results are out."""
    if seat == FACILITATOR or state.released or state.phase != "results":
        return state
    return state.sealed or state.turn_start or state


def _actor_public(s: State, aid: str) -> dict[str, Any]:
    a = s.actors[aid]
    scenario_actor = s.scenario.actor(aid)
    return {
        "id": aid,
        "name": a.name,
        "kind": a.kind,
        "playable": a.playable,
        "team": aid in s.teams,
        "regime": a.regime,
        "position": {"lat": a.lat, "lon": a.lon},
        "capabilities": {**a.components(), "gdp_usd_bn": a.gdp},
        "cinc": a.cinc,
        "approval": a.approval,
        "reputation": a.reputation,
        "defence_spending": a.defence_spending,
        "baseline_spending": scenario_actor.defence_spending,
        "mobilisation": a.mobilisation,
        "power_projection": a.power_projection,
        "abandonment_fear": a.abandonment_fear,
        "entrapment_risk": a.entrapment_risk,
        "cohesion": a.cohesion,
        "behaviour": a.behaviour,
        "alignment": a.alignment,
        "identities": list(a.identities),
        "nuclear": {"warheads": a.warheads, "second_strike": a.second_strike},
        "objectives": [o.model_dump(mode="json", by_alias=True) for o in scenario_actor.objectives if not o.secret],
    }


def _agreement(s: State, ag_id: str) -> dict[str, Any]:
    ag = s.agreements[ag_id]
    return {
        "id": ag.id,
        "name": ag.name,
        "type": ag.type,
        "parties": list(ag.parties),
        "guarantors": list(ag.guarantors),
        "strength": ag.strength,
        "ambiguity": ag.ambiguity,
        "conditionality": ag.conditionality,
        "duration": ag.duration,
        "mandate": ag.mandate,
        "public": ag.public,
        "active": ag.active,
        "since_turn": ag.since_turn,
        "terms": {
            "troops": ag.troops,
            "host": ag.host,
            "item": ag.item,
            "value_usd_m": ag.value_usd_m,
            "issue": ag.issue,
            "position": ag.position,
        },
    }


def _foreign_perception(ch: Change, seat: str) -> bool:
    """Whether a change sets another seat's perception (intent or threat row), which `seat` may not see."""
    return ch.target == "pair" and ch.field in ("intent", "threat") and ch.key.partition(">")[0] != seat


def _redacted(e: Outcome, seat: str) -> Outcome:
    """The outcome without the changes to other seats' perceptions."""
    if seat == FACILITATOR or not any(_foreign_perception(ch, seat) for ch in e.changes):
        return e
    return e.model_copy(update={"changes": [ch for ch in e.changes if not _foreign_perception(ch, seat)]})


def _results_out(state: State, turn: int) -> bool:
    """Whether teams may see what turn `turn`'s adjudication decided, given `state` (the state after the
    event, or after the batch it came in). In the middle of an adjudication batch the phase is still
    'orders': nothing is out yet."""
    if turn < state.turn or state.phase == "ended":
        return True
    return state.phase == "results" and state.released


def event_visible(event: Event, seat: str, state: State) -> bool:
    """Whether `seat` may receive `event`, whole, as it happens (the server filters the live stream here).

    `state` is the state after the event (or after the batch of events it belongs to). An outcome
    that also moves other seats' perceptions is not sent whole: `visible_event` gives the part the
    seat may see, and the seat's view carries the rest of what it may know.
    """
    if seat == FACILITATOR:
        return True
    if isinstance(event, GameCreated | Amended):
        return False  # the scenario embeds every secret objective; seats get views instead
    if isinstance(event, MessageSent):
        return _message_visible(event, seat)
    if isinstance(event, ProposalMade):
        return seat in event.proposal.parties
    if isinstance(event, ProposalAnswered | ProposalClosed):
        prop = state.proposals.get(event.id)
        if prop is None or seat not in prop.proposal.parties:
            return False
        adjudicated = isinstance(event, ProposalClosed) and event.status in ("expired", "ratified", "failed")
        return not adjudicated or _results_out(state, prop.turn)
    if isinstance(event, OrdersSubmitted):
        return seat == event.actor
    if isinstance(event, InjectReleased):
        return _sees(event.audience, seat)
    if isinstance(event, Outcome):
        if not _sees(event.audience, seat) or any(_foreign_perception(ch, seat) for ch in event.changes):
            return False
        return event.reason.step == 0 or _results_out(state, event.turn)
    if isinstance(event, AgreementConcluded):
        return (event.proposal.public or seat in event.proposal.parties) and _results_out(state, event.turn)
    if isinstance(event, DemandOpened):
        return (event.public or seat in (event.actor, event.target)) and _results_out(state, event.turn)
    if isinstance(event, CallOpened):
        return _results_out(state, event.turn)
    return True


def visible_event(event: Event, seat: str, state: State) -> Event | None:
    """What `seat` may receive of `event` as it happens: the event, the part of an outcome it may see, or None."""
    if event_visible(event, seat, state):
        return event
    seen = isinstance(event, Outcome) and _sees(event.audience, seat)
    if seen and isinstance(event, Outcome) and (event.reason.step == 0 or _results_out(state, event.turn)):
        return _redacted(event, seat)
    return None


def view(state: State, seat: str, history: bool = True) -> dict[str, Any]:
    """Everything `seat` may see, as JSON-ready data.

    With `history=False` (what bots use) messages and injects are this turn's only, and past
    outcomes are left out (revealed orders stay: bots read them): the same secrecy, less to build.
    """
    is_fac = seat == FACILITATOR
    if not (is_fac or seat == OBSERVER or seat in state.actors):
        raise KeyError(f"unknown seat {seat!r}")
    s = _released_state(state, seat)
    sc = state.scenario
    out: dict[str, Any] = {
        "seat": seat,
        "game": {
            "scenario": sc.id,
            "title": sc.meta.title,
            "region": sc.meta.region,
            "date": sc.meta.date.isoformat(),
            "turn": state.turn,
            "turns": sc.turns.count,
            "phase": state.phase,
            "deadline": state.deadline,
            "paused": state.paused,
            "remaining": state.remaining,
            "released": state.released,
            "ready": sorted(state.ready),
            "teams": sorted(state.teams),
            "seq": state.seq,
        },
        "briefing": {"summary": sc.meta.summary, "learning_objectives": list(sc.meta.learning_objectives)},
        "rules": state.rules.model_dump(mode="json"),
        "actors": [_actor_public(s, a) for a in s.actors],
        "agreements": [
            _agreement(s, ag_id) for ag_id, ag in s.agreements.items() if ag.public or is_fac or seat in ag.parties
        ],
        "issues": [
            {
                "id": i.id,
                "name": i.name,
                "divisible": i.divisible,
                "description": i.description,
                "positions": dict(i.positions),
                "settled": s.settled.get(i.id),
            }
            for i in sc.issues
        ],
        "credibility": dict(s.credibility),
        "system": dict(s.system),
        "wars": sorted(s.wars),
        "messages": [
            m.model_dump(mode="json")
            for m in state.messages
            if (history or m.turn == state.turn) and _message_visible(m, seat)
        ],
        "injects": [
            i.model_dump(mode="json")
            for i in state.injects
            if (history or i.turn == state.turn) and _sees(i.audience, seat)
        ],
        "proposals": [
            {
                "id": p.id,
                "sender": p.sender,
                "turn": p.turn,
                "status": p.status,
                "accepted": sorted(p.accepted),
                "counter_of": p.counter_of,
                "proposal": p.proposal.model_dump(mode="json"),
            }
            for p in s.proposals.values()
            if is_fac or seat in p.proposal.parties
        ],
        "calls": [
            {
                "id": c.id,
                "agreement": c.agreement,
                "caller": c.caller,
                "adversary": c.adversary,
                "obligated": list(c.obligated),
                "answers": dict(c.answers),
                "status": c.status,
                "turn": c.turn,
            }
            for c in s.calls.values()
        ],
        "demands": [
            {
                "id": d.id,
                "actor": d.actor,
                "target": d.target,
                "issue": d.issue,
                "position": d.position,
                "public": d.public,
                "status": d.status,
                "turn": d.turn,
            }
            for d in s.demands.values()
            if d.public or is_fac or seat in (d.actor, d.target)
        ],
        "outcomes": [
            (_redacted(e, seat) if isinstance(e, Outcome) else e).model_dump(mode="json")
            for e in (s.outcomes if history else ())
            if not isinstance(e, Outcome) or _sees(e.audience, seat)
            if not isinstance(e, AgreementConcluded) or e.proposal.public or is_fac or seat in e.proposal.parties
        ],
        "revealed_orders": {
            str(turn): {a: o.model_dump(mode="json") for a, o in orders.items()} for turn, orders in s.revealed.items()
        },
    }
    if is_fac:
        out["submitted"] = sorted(state.orders)
        out["orders"] = {a: o.model_dump(mode="json") for a, o in state.orders.items()}
        out["amendments"] = [a.model_dump(mode="json") for a in state.amendments]
        out["intent"] = dict(s.intent)
        out["threat"] = dict(s.threat)
        out["secret_objectives"] = {
            a.id: [o.model_dump(mode="json", by_alias=True) for o in a.objectives if o.secret] for a in sc.actors
        }
        out["scores"] = {a: st.score for a, st in s.actors.items()}
        released = {i.inject_id for i in state.injects}
        out["script"] = [
            {
                "id": i.id,
                "turn": i.turn,
                "title": i.title,
                "audience": i.audience,
                "conditional": i.condition is not None,
                "released": i.id in released,
            }
            for i in sc.injects
        ]
    elif seat in state.actors:
        me = s.actors[seat]
        others = [a for a in s.actors if a != seat]
        out["me"] = {
            "id": seat,
            "temperament": me.temperament,
            "objectives": [o.model_dump(mode="json", by_alias=True) for o in sc.actor(seat).objectives],
            "win_sets": {k: list(v) for k, v in me.win_sets.items()},
            "intent": {b: s.intent_of(seat, b) for b in others},
            "threat": {b: s.threat_of(seat, b) for b in others},
            "score": me.score,
            "orders": state.orders[seat].model_dump(mode="json") if seat in state.orders else None,
            "troops_abroad": {k.partition(">")[2]: v for k, v in s.troops.items() if k.startswith(seat + ">")},
            "dependence": {k.partition(">")[2]: v for k, v in s.dependence.items() if k.startswith(pair(seat, ""))},
        }
    return out
