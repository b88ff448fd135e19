"""`decide(state, command, now)`: check a command against the state and return its events.

A command that breaks a rule raises `Rejected` with a reason a student can act on ("proposal p3
is not open: it was withdrawn"). `decide` is pure: the clock reading `now` is an argument, and the
only randomness is the replayable draw of `crisisgame.engine.chance` inside adjudication.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from crisisgame.engine.adjudicate import adjudicate, final_scores
from crisisgame.engine.agreement_checks import (
    agreement_order_problem,
    call_effect_problem,
    proposal_problem,
    tabling_problem,
    voting_problem,
)
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import (
    FACILITATOR,
    OBSERVER,
    TEAM_COMMANDS,
    Accept,
    Advance,
    Amend,
    Command,
    Counter,
    End,
    Extend,
    FireInject,
    Orders,
    Pause,
    Proposal,
    Propose,
    Reject,
    Release,
    Resume,
    Rollback,
    SendMessage,
    SetReady,
    Start,
    SubmitOrders,
    TableResolution,
    VoteResolution,
    Withdraw,
)
from crisisgame.engine.events import (
    Amended,
    Change,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    Event,
    GameEnded,
    MessageSent,
    Outcome,
    PhaseStarted,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
    ReadyChanged,
    Reason,
    ResolutionTabled,
    ResolutionVoted,
    ResultsReleased,
    RolledBack,
)
from crisisgame.engine.injects import inject_events
from crisisgame.engine.state import State, pair
from crisisgame.scenario.model import Effect

PHASE_ORDER = ("briefing", "diplomacy", "orders", "results")


class Rejected(Exception):
    """A command the rules do not allow, with the reason in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _duration(state: State, phase: str) -> int:
    return int(getattr(state.scenario.turns.phases, phase))


def _deadline(state: State, phase: str, now: float) -> float | None:
    return now + _duration(state, phase)


def _fold(state: State, events: list[Event]) -> State:
    for e in events:
        state = apply(state, e)
    return state


def _briefing(state: State, turn: int, now: float) -> list[Event]:
    """Start a turn: the briefing phase and the turn's scripted injects."""
    events: list[Event] = [
        PhaseStarted(at=now, turn=turn, phase="briefing", deadline=_deadline(state, "briefing", now))
    ]
    s = _fold(state, events)
    released = {i.inject_id for i in s.injects}
    for inject in state.scenario.injects:
        if inject.turn == turn and inject.id not in released:  # unless the facilitator fired it early
            events.extend(
                inject_events(
                    s, inject.id, inject.title, inject.text, inject.audience, inject.effects, inject.condition, now
                )
            )
    return events


def next_phase_events(state: State, now: float) -> list[Event]:
    """The events that end the current phase and start the next (adjudicating after orders)."""
    phase = state.phase
    if phase == "lobby":
        return _briefing(state, 1, now)
    if phase == "briefing":
        return [PhaseStarted(at=now, turn=state.turn, phase="diplomacy", deadline=_deadline(state, "diplomacy", now))]
    if phase == "diplomacy":
        return [PhaseStarted(at=now, turn=state.turn, phase="orders", deadline=_deadline(state, "orders", now))]
    if phase == "orders":
        events = adjudicate(state, now)
        events.append(PhaseStarted(at=now, turn=state.turn, phase="results", deadline=_deadline(state, "results", now)))
        return events
    if phase == "results":
        if state.turn >= state.scenario.turns.count:
            s = _fold(state, [])
            return [GameEnded(at=now, turn=state.turn, scores=final_scores(s))]
        return _briefing(state, state.turn + 1, now)
    raise Rejected("the game has ended")


# --------------------------------------------------------------------------- checks


def _require_actor(state: State, actor: str, what: str = "actor") -> None:
    if actor not in state.actors:
        known = ", ".join(state.actors)
        raise Rejected(f"unknown {what} '{actor}' (actors: {known})")


def _require_phase(state: State, phases: tuple[str, ...], doing: str) -> None:
    if state.phase not in phases:
        allowed = " or ".join(phases)
        raise Rejected(f"cannot {doing} during the {state.phase} phase (only during {allowed})")


def _check_proposal(state: State, by: str, p: Proposal) -> None:
    for party in p.parties:
        _require_actor(state, party, "party")
    if len(set(p.parties)) != len(p.parties):
        raise Rejected("a party is listed twice in the proposal")
    if by not in p.parties:
        raise Rejected(f"{by} can only propose agreements it is a party to")
    for g in p.guarantors:
        if g not in p.parties:
            raise Rejected(f"guarantor '{g}' is not a party to the proposal")
    if p.host is not None:
        _require_actor(state, p.host, "host")
    issue_ids = {i.id for i in state.scenario.issues}
    if p.issue is not None and p.issue not in issue_ids:
        raise Rejected(f"unknown issue '{p.issue}' (issues: {', '.join(sorted(issue_ids)) or 'none'})")
    if (p.issue is None) != (p.position is None):
        raise Rejected("a proposal on an issue needs both an issue and a position")
    if p.type == "arms_deal" and not p.value_usd_m:
        raise Rejected("an arms deal needs a value (value_usd_m)")
    if p.type == "basing_rights" and (p.host is None or p.troops is None):
        raise Rejected("basing rights need a host and a number of troops")
    if (why := proposal_problem(state, by, p)) is not None:
        raise Rejected(why)


def _open_proposal(state: State, proposal_id: str, actor: str) -> None:
    prop = state.proposals.get(proposal_id)
    if prop is None:
        raise Rejected(f"there is no proposal '{proposal_id}'")
    if actor not in prop.proposal.parties:
        raise Rejected(f"{actor} is not a party to proposal '{proposal_id}'")
    if prop.status != "open":
        raise Rejected(f"proposal '{proposal_id}' is not open: it is {prop.status}")


def check_orders(state: State, actor: str, orders: Orders) -> None:
    """Every order must name real actors, issues, calls and demands the actor may act on."""
    issue_ids = {i.id for i in state.scenario.issues}
    for dep in orders.deployments:
        _require_actor(state, dep.host, "host")
        if dep.host == actor:
            raise Rejected("forces deployed abroad need a host other than yourself")
    for host in orders.withdrawals:
        if state.troops.get(pair(actor, host), 0) <= 0:
            raise Rejected(f"{actor} has no forces in {host} to withdraw")
    for ex in orders.exercises:
        _require_actor(state, ex.host, "host")
        for partner in ex.partners:
            _require_actor(state, partner, "exercise partner")
    for d in orders.arms_deliveries:
        _require_actor(state, d.to, "recipient")
        if d.to == actor:
            raise Rejected("arms deliveries go to another actor")
    for dm in orders.demands:
        _require_actor(state, dm.target, "target")
        if dm.target == actor:
            raise Rejected("a demand needs a target other than yourself")
        if dm.issue not in issue_ids:
            raise Rejected(f"unknown issue '{dm.issue}' (issues: {', '.join(sorted(issue_ids)) or 'none'})")
    for f in orders.force:
        _require_actor(state, f.target, "target")
        if f.target == actor:
            raise Rejected("force must be aimed at another actor")
    for ans in orders.call_answers:
        call = state.calls.get(ans.call_id)
        if call is None:
            raise Rejected(f"there is no call '{ans.call_id}'")
        if actor not in call.obligated:
            raise Rejected(f"{actor} is not obliged to answer call '{ans.call_id}'")
        if call.status != "open":
            raise Rejected(f"call '{ans.call_id}' is already closed")
    for da in orders.demand_answers:
        demand = state.demands.get(da.demand_id)
        if demand is None:
            raise Rejected(f"there is no demand '{da.demand_id}'")
        if demand.target != actor:
            raise Rejected(f"demand '{da.demand_id}' is addressed to {demand.target}, not {actor}")
        if demand.status != "open":
            raise Rejected(f"demand '{da.demand_id}' is already {demand.status}")
    for st in orders.statements:
        for who in (st.pledge_to, st.reassure):
            if who is not None:
                _require_actor(state, who)
    if orders.alignment is not None:
        _require_actor(state, orders.alignment, "alignment")
        if orders.alignment == actor:
            raise Rejected("declared alignment names another actor")
    if (why := agreement_order_problem(state, actor, orders)) is not None:
        raise Rejected(why)


# --------------------------------------------------------------------------- decide


def decide(state: State, command: Command, now: float) -> list[Event]:
    """The events a command produces, or `Rejected` with the reason it is not allowed."""
    by = command.by
    if state.phase == "ended":
        raise Rejected("the game has ended")
    if by == OBSERVER:
        raise Rejected("observers can only watch")
    if command.type == "send_message":
        if by != FACILITATOR and by not in state.actors:
            raise Rejected(f"'{by}' is not an actor of this game")
    elif command.type in TEAM_COMMANDS:
        if by not in state.actors:
            raise Rejected(
                f"'{by}' is not an actor of this game" if by != FACILITATOR else "the facilitator does not play a state"
            )
    elif by != FACILITATOR:
        raise Rejected(f"only the facilitator can {command.type.replace('_', ' ')}")
    handler = _HANDLERS[type(command)]
    return handler(state, command, now)


def _send_message(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, SendMessage)
    _require_phase(state, ("briefing", "diplomacy", "orders", "results"), "send messages")
    recipients = list(dict.fromkeys(c.to))
    for r in recipients:
        _require_actor(state, r, "recipient")
        if r == c.by:
            raise Rejected("you cannot send a message to yourself")
    if c.channel == "public" and recipients:
        raise Rejected("a public message has no recipients; use a private or group channel")
    if c.channel == "private" and len(recipients) != 1:
        raise Rejected("a private message goes to exactly one recipient")
    if c.channel == "group" and len(recipients) < 2:
        raise Rejected("a group message goes to two or more recipients")
    mid = f"m{state.counter + 1}"
    return [MessageSent(at=now, id=mid, turn=state.turn, channel=c.channel, sender=c.by, to=recipients, text=c.text)]


def _propose(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Propose | Counter)
    _require_phase(state, ("diplomacy",), "make proposals")
    _check_proposal(state, c.by, c.proposal)
    counter_of = None
    if isinstance(c, Counter):
        _open_proposal(state, c.proposal_id, c.by)
        counter_of = c.proposal_id
    pid = f"p{state.counter + 1}"
    return [ProposalMade(at=now, id=pid, turn=state.turn, sender=c.by, proposal=c.proposal, counter_of=counter_of)]


def _accept(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Accept)
    _require_phase(state, ("diplomacy",), "accept proposals")
    _open_proposal(state, c.proposal_id, c.by)
    if c.by in state.proposals[c.proposal_id].accepted:
        raise Rejected(f"{c.by} has already accepted proposal '{c.proposal_id}'")
    return [ProposalAnswered(at=now, id=c.proposal_id, actor=c.by, accept=True)]


def _reject(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Reject)
    _require_phase(state, ("diplomacy",), "reject proposals")
    _open_proposal(state, c.proposal_id, c.by)
    return [
        ProposalAnswered(at=now, id=c.proposal_id, actor=c.by, accept=False),
        ProposalClosed(at=now, id=c.proposal_id, status="rejected", reason=f"rejected by {c.by}"),
    ]


def _withdraw(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Withdraw)
    prop = state.proposals.get(c.proposal_id)
    if prop is None:
        raise Rejected(f"there is no proposal '{c.proposal_id}'")
    if prop.sender != c.by:
        raise Rejected(f"only {prop.sender}, who made proposal '{c.proposal_id}', can withdraw it")
    if prop.status not in ("open", "accepted"):
        raise Rejected(f"proposal '{c.proposal_id}' is not open: it is {prop.status}")
    return [ProposalClosed(at=now, id=c.proposal_id, status="withdrawn", reason=f"withdrawn by {c.by}")]


def _submit_orders(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, SubmitOrders)
    from crisisgame.engine.events import OrdersSubmitted

    _require_phase(state, ("orders",), "submit orders")
    check_orders(state, c.by, c.orders)
    return [OrdersSubmitted(at=now, turn=state.turn, actor=c.by, orders=c.orders)]


def _set_ready(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, SetReady)
    _require_phase(state, PHASE_ORDER, "mark ready")
    if c.by not in state.teams:
        raise Rejected(f"{c.by} is played by a bot and is always ready")
    events: list[Event] = [ReadyChanged(at=now, actor=c.by, ready=c.ready)]
    after = _fold(state, events)
    waiting_for_release = after.phase == "results" and not after.released
    if c.ready and not after.paused and not waiting_for_release and after.ready >= after.teams:
        events.extend(next_phase_events(after, now))
    return events


def _start(state: State, c: Command, now: float) -> list[Event]:
    if state.phase != "lobby":
        raise Rejected("the game has already started")
    return next_phase_events(state, now)


def _pause(state: State, c: Command, now: float) -> list[Event]:
    if state.phase == "lobby":
        raise Rejected("the game has not started")
    if state.paused:
        raise Rejected("the clock is already paused")
    remaining = None if state.deadline is None else max(0.0, state.deadline - now)
    return [ClockPaused(at=now, remaining=remaining)]


def _resume(state: State, c: Command, now: float) -> list[Event]:
    if not state.paused:
        raise Rejected("the clock is not paused")
    deadline = None if state.remaining is None else now + state.remaining
    events: list[Event] = [ClockResumed(at=now, deadline=deadline)]
    after = _fold(state, events)
    # Every team marked itself ready while the clock was stopped: the phase ends now, as it would have.
    waiting_for_release = after.phase == "results" and not after.released
    if after.teams and after.ready >= after.teams and not waiting_for_release:
        events.extend(next_phase_events(after, now))
    return events


def _extend(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Extend)
    if state.phase == "lobby":
        raise Rejected("the game has not started")
    if state.paused:
        return [ClockExtended(at=now, seconds=c.seconds, deadline=None)]
    base = state.deadline if state.deadline is not None else now
    return [ClockExtended(at=now, seconds=c.seconds, deadline=max(base, now) + c.seconds)]


def _advance(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Advance)
    if c.phase is not None and c.phase != state.phase:
        raise Rejected(f"the phase is already {state.phase}, not {c.phase}")
    if state.phase == "results" and not state.released:
        raise Rejected("release this turn's results before moving on")
    return next_phase_events(state, now)


def _inject(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, FireInject)
    if state.phase == "lobby":
        raise Rejected("start the game before injecting events")
    if c.inject_id is not None:
        inject = next((i for i in state.scenario.injects if i.id == c.inject_id), None)
        if inject is None:
            known = ", ".join(i.id for i in state.scenario.injects) or "none"
            raise Rejected(f"no scripted inject '{c.inject_id}' (injects: {known})")
        if any(r.inject_id == c.inject_id for r in state.injects):
            raise Rejected(f"inject '{c.inject_id}' has already been released")
        return inject_events(state, inject.id, inject.title, inject.text, inject.audience, inject.effects, None, now)
    if c.title is None or c.text is None:
        raise Rejected("an ad hoc inject needs a title and a text (or name a scripted inject_id)")
    if isinstance(c.audience, list):
        for a in c.audience:
            _require_actor(state, a, "audience member")
    _check_effects(state, c.effects)
    iid = f"adhoc{len(state.injects) + 1}"
    return inject_events(state, iid, c.title, c.text, c.audience, c.effects, None, now)


def _check_effects(state: State, effects: Sequence[Effect]) -> None:
    """An ad hoc inject's effects must name actors and issues of this game (scripted ones are checked on load)."""
    issue_ids = {i.id for i in state.scenario.issues}
    for eff in effects:
        named = [getattr(eff, f) for f in ("actor", "toward", "target") if hasattr(eff, f)]
        named += list(getattr(eff, "of", []))
        for who in named:
            if who not in state.actors:
                raise Rejected(f"unknown actor '{who}' in the inject's effects (actors: {', '.join(state.actors)})")
        if (why := call_effect_problem(state, eff)) is not None:
            raise Rejected(why)
        issue = getattr(eff, "issue", None)
        if issue is not None and issue not in issue_ids:
            raise Rejected(f"unknown issue '{issue}' in the inject's effects (issues: {', '.join(sorted(issue_ids))})")


_AMENDABLE = {
    "actor": (
        "approval",
        "reputation",
        "milex",
        "milper",
        "defence_spending",
        "mobilisation",
        "abandonment_fear",
        "entrapment_risk",
        "score",
    ),
    "pair": ("intent", "threat"),
    "agreement": ("strength", "ambiguity", "conditionality"),
}
_UNBOUNDED = frozenset({"milex", "milper", "defence_spending", "score"})
"""Amendable fields that are not shares in [0, 1]: COW quantities, percent of GDP, points."""


def _amend(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, Amend)
    _require_phase(state, ("results",), "amend outcomes")
    if state.released:
        raise Rejected("results of this turn are already released; amend before releasing")
    if c.field not in _AMENDABLE[c.target]:
        raise Rejected(f"cannot amend {c.target} field '{c.field}' (amendable: {', '.join(_AMENDABLE[c.target])})")
    previous: float | None
    if c.target == "actor":
        _require_actor(state, c.key)
        previous = getattr(state.actors[c.key], c.field)
    elif c.target == "pair":
        a, _, b = c.key.partition(">")
        _require_actor(state, a)
        _require_actor(state, b)
        if a == b:
            raise Rejected(f"a pair names two different actors, not '{c.key}'")
        previous = getattr(state, c.field).get(c.key, 0.0)
    else:
        if c.key not in state.agreements:
            raise Rejected(f"there is no agreement '{c.key}'")
        previous = getattr(state.agreements[c.key], c.field)
    if not math.isfinite(c.value):
        raise Rejected(f"{c.field} must be a finite number, not {c.value}")
    if c.value < 0:
        raise Rejected(f"{c.field} cannot be negative")
    if c.field == "defence_spending" and c.value > 50.0:
        raise Rejected("defence_spending must be between 0 and 50 (percent of GDP)")
    if c.field not in _UNBOUNDED and c.value > 1.0:
        raise Rejected(f"{c.field} must be between 0 and 1")
    change = Change(target=c.target, key=c.key, field=c.field, value=c.value)
    return [Amended(at=now, turn=state.turn, change=change, previous=previous, reason=c.reason)]


def _release(state: State, c: Command, now: float) -> list[Event]:
    _require_phase(state, ("results",), "release results")
    if state.released:
        raise Rejected("this turn's results are already released")
    return [ResultsReleased(at=now, turn=state.turn)]


def _rollback(state: State, c: Command, now: float) -> list[Event]:
    """Back to the start of this turn: the same briefing, a fresh clock, the turn's injects again."""
    assert isinstance(c, Rollback)
    if state.turn_start is None:
        raise Rejected("no turn has started yet")
    events: list[Event] = [RolledBack(at=now, turn=state.turn, reason=c.reason)]
    restored = _fold(state, events)
    return events + _briefing(restored, restored.turn, now)


def _end(state: State, c: Command, now: float) -> list[Event]:
    return [GameEnded(at=now, turn=state.turn, scores=final_scores(state))]


def _table_resolution(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, TableResolution)
    _require_phase(state, ("diplomacy",), "table draft resolutions")
    if (why := tabling_problem(state, c)) is not None:
        raise Rejected(why)
    rid = f"r{state.counter + 1}"
    return [
        ResolutionTabled(
            at=now,
            id=rid,
            turn=state.turn,
            sponsor=c.by,
            kind=c.kind,
            target=c.target,
            authorised=list(c.authorised),
            text=c.text,
        )
    ]


def _vote_resolution(state: State, c: Command, now: float) -> list[Event]:
    assert isinstance(c, VoteResolution)
    _require_phase(state, ("diplomacy", "orders"), "vote on draft resolutions")
    if (why := voting_problem(state, c)) is not None:
        raise Rejected(why)
    return [ResolutionVoted(at=now, id=c.resolution_id, actor=c.by, vote=c.vote)]


_Handler = Callable[[State, Command, float], list[Event]]
_HANDLERS: dict[type, _Handler] = {
    SendMessage: _send_message,
    Propose: _propose,
    Counter: _propose,
    Accept: _accept,
    Reject: _reject,
    Withdraw: _withdraw,
    TableResolution: _table_resolution,
    VoteResolution: _vote_resolution,
    SubmitOrders: _submit_orders,
    SetReady: _set_ready,
    Start: _start,
    Pause: _pause,
    Resume: _resume,
    Extend: _extend,
    Advance: _advance,
    FireInject: _inject,
    Amend: _amend,
    Release: _release,
    Rollback: _rollback,
    End: _end,
}

__all__ = ["Outcome", "Reason", "Rejected", "decide", "next_phase_events"]
