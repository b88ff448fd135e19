"""`decide(state, command, now)`: check a command against the state and return its events.

A command that breaks a rule raises `Rejected` with a code and a reason a student can act on
("proposal p3 is not open: it was withdrawn"). `decide` is pure: the clock reading `now` is an
argument, and the only randomness is the replayable draw of `crisisgame.engine.chance` inside
adjudication.

Each handler writes into a `Draft`, which folds every event into the state as it is emitted (a
ready mark that completes the class, then the next phase's events, read the state the earlier
ones left). `decide_step` returns the events with that state, so `crisisgame.engine.Game` never
folds them a second time; `decide` returns the events alone. Which phase follows which is the
turn table's (`crisisgame.engine.turns`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from crisisgame.engine import freeform
from crisisgame.engine.adjudicate import adjudicate_state, final_scores
from crisisgame.engine.agreement_checks import (
    agreement_order_problem,
    call_effect_problem,
    proposal_problem,
    tabling_problem,
    voting_problem,
)
from crisisgame.engine.answers import ready_refusal
from crisisgame.engine.apply import apply
from crisisgame.engine.commands import (
    FACILITATOR,
    OBSERVER,
    TEAM_COMMANDS,
    Accept,
    Advance,
    Amend,
    ApplyAction,
    Command,
    Counter,
    CounterArgument,
    End,
    Extend,
    FireInject,
    FreeformAction,
    Orders,
    Pause,
    Proposal,
    Propose,
    RateAction,
    Reject,
    Release,
    Resume,
    Rollback,
    SendMessage,
    SetFreeform,
    SetPhases,
    SetReady,
    Start,
    SubmitOrders,
    TableResolution,
    VoteResolution,
    Withdraw,
)
from crisisgame.engine.errors import RejectCode, Rejected
from crisisgame.engine.events import (
    Amended,
    Change,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    Event,
    FreeformSettings,
    GameEnded,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    PhasesSet,
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
from crisisgame.engine.ids import opaque_id
from crisisgame.engine.injects import inject_events
from crisisgame.engine.state import State, pair
from crisisgame.engine.turns import PLAYING, Trigger, allows, transition
from crisisgame.scenario.model import Effect


class Draft:
    """The events a command is producing and the state they lead to: each event is folded once, here."""

    def __init__(self, state: State) -> None:
        self.before = state
        self.state = state
        self.events: list[Event] = []

    def emit(self, *events: Event) -> None:
        for e in events:
            self.state = apply(self.state, e)
            self.events.append(e)

    def adopt(self, events: list[Event], state: State) -> None:
        """Events already folded into `state` by their producer (the adjudication folds as it goes)."""
        self.events.extend(events)
        self.state = state


def _deadline(state: State, phase: str, now: float) -> float | None:
    return now + int(getattr(state.scenario.turns.phases, phase))


def _briefing(d: Draft, turn: int, now: float) -> None:
    """Start a turn: the briefing phase and the turn's scripted injects."""
    d.emit(PhaseStarted(at=now, turn=turn, phase="briefing", deadline=_deadline(d.state, "briefing", now)))
    released = {i.inject_id for i in d.state.injects}
    for inject in d.state.scenario.injects:
        if inject.turn == turn and inject.id not in released:  # unless the facilitator fired it early
            d.emit(
                *inject_events(
                    d.state,
                    inject.id,
                    inject.title,
                    inject.text,
                    inject.audience,
                    inject.effects,
                    inject.condition,
                    now,
                )
            )


def _move_on(d: Draft, now: float, trigger: Trigger = "advance") -> None:
    """End the current phase and start the next, as the turn table's row for `trigger` says."""
    state = d.state
    row = transition(state, trigger)
    if row.to == "briefing":
        _briefing(d, state.turn + 1, now)
    elif row.to == "results":
        events, after = adjudicate_state(state, now)
        d.adopt(events, after)
        d.emit(PhaseStarted(at=now, turn=state.turn, phase="results", deadline=_deadline(state, "results", now)))
    elif row.to == "ended":
        d.emit(GameEnded(at=now, turn=state.turn, scores=final_scores(state)))
    else:
        d.emit(PhaseStarted(at=now, turn=state.turn, phase=row.to, deadline=_deadline(state, row.to, now)))


# --------------------------------------------------------------------------- checks


def _require_actor(state: State, actor: str, what: str = "actor") -> None:
    if actor not in state.actors:
        known = ", ".join(state.actors)
        raise Rejected(f"unknown {what} '{actor}' (actors: {known})", "unknown")


def _require_phase(state: State, phases: tuple[str, ...], doing: str) -> None:
    if state.phase not in phases:
        allowed = " or ".join(phases)
        raise Rejected(f"cannot {doing} during the {state.phase} phase (only during {allowed})", "phase")


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
        raise Rejected(f"unknown issue '{p.issue}' (issues: {', '.join(sorted(issue_ids)) or 'none'})", "unknown")
    if (p.issue is None) != (p.position is None):
        raise Rejected("a proposal on an issue needs both an issue and a position")
    if p.type == "arms_deal" and not p.value_usd_m:
        raise Rejected("an arms deal needs a value (value_usd_m)")
    if p.type == "basing_rights" and (p.host is None or p.troops is None):
        raise Rejected("basing rights need a host and a number of troops")
    if (why := proposal_problem(state, by, p)) is not None:
        raise Rejected(why)


def _no_such(kind: str, ident: str) -> Rejected:
    """The same refusal whether the object does not exist or exists out of the seat's sight."""
    code: RejectCode = (
        "no_such_proposal" if kind == "proposal" else "no_such_demand" if kind == "demand" else "no_such_call"
    )
    return Rejected(f"there is no {kind} '{ident}'", code)


def _open_proposal(state: State, proposal_id: str, actor: str) -> None:
    prop = state.proposals.get(proposal_id)
    if prop is None or actor not in prop.proposal.parties:
        raise _no_such("proposal", proposal_id)
    if prop.status != "open":
        raise Rejected(f"proposal '{proposal_id}' is not open: it is {prop.status}", "already")


def check_orders(state: State, actor: str, orders: Orders) -> None:
    """Every order must name real actors, issues, calls and demands the actor may act on."""
    issue_ids = {i.id for i in state.scenario.issues}
    for dep in orders.deployments:
        _require_actor(state, dep.host, "host")
        if dep.host == actor:
            raise Rejected("forces deployed abroad need a host other than yourself")
    for host in orders.withdrawals:
        if state.troops.get(pair(actor, host), 0) <= 0:
            raise Rejected(f"{actor} has no forces in {host} to withdraw", "unknown")
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
            raise Rejected(f"unknown issue '{dm.issue}' (issues: {', '.join(sorted(issue_ids)) or 'none'})", "unknown")
    for f in orders.force:
        _require_actor(state, f.target, "target")
        if f.target == actor:
            raise Rejected("force must be aimed at another actor")
        if f.level == "nuclear_use" and state.actors[actor].warheads <= 0:
            raise Rejected(f"{actor} has no nuclear weapons: nuclear_use needs an arsenal", "invalid")
    if (orders.nuclear_test or orders.nuclear_threats) and state.actors[actor].warheads <= 0:
        what = "test" if orders.nuclear_test else "threaten with"
        raise Rejected(f"{actor} has no nuclear weapons to {what} (its scenario arsenal is 0 warheads)", "invalid")
    for target in orders.nuclear_threats:
        _require_actor(state, target, "target of a nuclear threat")
        if target == actor:
            raise Rejected("a nuclear threat must be aimed at another actor")
    for other in orders.defend:
        _require_actor(state, other, "state to defend")
        if other == actor:
            raise Rejected("defend names another state to fight for, not yourself")
    joined: set[tuple[str, str]] = set()
    for j in orders.join:
        _require_actor(state, j.attacker, "attacker to join")
        _require_actor(state, j.target, "target of the attack to join")
        if actor in (j.attacker, j.target):
            raise Rejected(
                "join names another state's attack on a third state: not an attack of yours, nor one on you "
                "(to attack, order force; to resist, you already fight on your own side)"
            )
        if j.attacker == j.target:
            raise Rejected("join needs an attacker and a target that are two different states")
        if j.target in orders.defend:
            raise Rejected(
                f"cannot both join {j.attacker}'s attack on {j.target} and fight for {j.target} (defend) in one turn"
            )
        if (j.attacker, j.target) in joined:
            raise Rejected(f"{j.attacker}'s attack on {j.target} is named twice in join")
        joined.add((j.attacker, j.target))
    for other in (*orders.deny_bases, *orders.grant_bases):
        _require_actor(state, other, "base user")
        if other == actor:
            raise Rejected("base use is denied or granted to another actor, not yourself")
    if set(orders.deny_bases) & set(orders.grant_bases):
        both = ", ".join(sorted(set(orders.deny_bases) & set(orders.grant_bases)))
        raise Rejected(f"cannot both deny and grant base use to {both} in one turn")
    for ans in orders.call_answers:
        call = state.calls.get(ans.call_id)
        if call is None or actor not in (*call.obligated, call.caller):
            raise _no_such("call", ans.call_id)
        if actor not in call.obligated:
            raise Rejected(f"{actor} is not obliged to answer call '{ans.call_id}'", "invalid")
        if call.status != "open":
            raise Rejected(f"call '{ans.call_id}' is already closed", "already")
    for da in orders.demand_answers:
        demand = state.demands.get(da.demand_id)
        if demand is None or (not demand.public and actor not in (demand.actor, demand.target)):
            raise _no_such("demand", da.demand_id)
        if demand.target != actor:
            raise Rejected(f"demand '{da.demand_id}' is addressed to {demand.target}, not {actor}", "invalid")
        if demand.status != "open":
            raise Rejected(f"demand '{da.demand_id}' is already {demand.status}", "already")
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


def _check_seat(state: State, command: Command) -> None:
    """Which seat may send which command: the one check (the server answers code `seat` with
    `forbidden`). Who may comes before when: a seat is told it may never send a command, ended game
    or not."""
    by = command.by
    if by == OBSERVER:
        raise Rejected("observers can only watch", "seat")
    if command.type == "send_message":
        if by != FACILITATOR and by not in state.actors:
            raise Rejected(f"'{by}' is not an actor of this game", "seat")
    elif command.type in TEAM_COMMANDS:
        if by not in state.actors:
            raise Rejected(
                f"'{by}' is not an actor of this game"
                if by != FACILITATOR
                else "the facilitator does not play a state",
                "seat",
            )
    elif by != FACILITATOR:
        raise Rejected(f"only the facilitator can {command.type.replace('_', ' ')}", "seat")
    if state.phase == "ended":
        raise Rejected("the game has ended", "game_ended")


def decide_step(state: State, command: Command, now: float) -> tuple[list[Event], State]:
    """The events a command produces and the state after them (folded once), or `Rejected`."""
    _check_seat(state, command)
    d = Draft(state)
    _HANDLERS[type(command)](d, command, now)
    return d.events, d.state


def decide(state: State, command: Command, now: float) -> list[Event]:
    """The events a command produces, or `Rejected` with the reason it is not allowed."""
    return decide_step(state, command, now)[0]


def _send_message(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, SendMessage)
    state = d.state
    _require_phase(state, PLAYING, "send messages")
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
    mid = opaque_id(state.seed, "m-", str(state.counter + 1))
    d.emit(
        MessageSent(
            at=now, id=mid, turn=state.turn, channel=c.channel, sender=c.by, to=recipients, text=c.text, author=c.author
        )
    )


def _propose(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Propose | Counter)
    state = d.state
    _require_phase(state, ("diplomacy",), "make proposals")
    _check_proposal(state, c.by, c.proposal)
    counter_of = None
    if isinstance(c, Counter):
        _open_proposal(state, c.proposal_id, c.by)
        counter_of = c.proposal_id
    pid = opaque_id(state.seed, "p-", str(state.counter + 1))
    d.emit(ProposalMade(at=now, id=pid, turn=state.turn, sender=c.by, proposal=c.proposal, counter_of=counter_of))


def _accept(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Accept)
    state = d.state
    _require_phase(state, ("diplomacy",), "accept proposals")
    _open_proposal(state, c.proposal_id, c.by)
    if c.by in state.proposals[c.proposal_id].accepted:
        raise Rejected(f"{c.by} has already accepted proposal '{c.proposal_id}'", "already")
    d.emit(ProposalAnswered(at=now, id=c.proposal_id, actor=c.by, accept=True))


def _reject(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Reject)
    _require_phase(d.state, ("diplomacy",), "reject proposals")
    _open_proposal(d.state, c.proposal_id, c.by)
    d.emit(
        ProposalAnswered(at=now, id=c.proposal_id, actor=c.by, accept=False),
        ProposalClosed(at=now, id=c.proposal_id, status="rejected", reason=f"rejected by {c.by}"),
    )


def _withdraw(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Withdraw)
    state = d.state
    prop = state.proposals.get(c.proposal_id)
    if prop is None or c.by not in prop.proposal.parties:
        raise _no_such("proposal", c.proposal_id)
    if prop.sender != c.by:
        raise Rejected(f"only {prop.sender}, who made proposal '{c.proposal_id}', can withdraw it", "invalid")
    if state.phase == "results" and not state.released:
        # The proposal's fate is decided but sealed: saying "it is ratified" would release it early.
        raise Rejected("proposals cannot be withdrawn until this turn's results are released", "phase")
    if prop.status not in ("open", "accepted"):
        raise Rejected(f"proposal '{c.proposal_id}' is not open: it is {prop.status}", "already")
    d.emit(ProposalClosed(at=now, id=c.proposal_id, status="withdrawn", reason=f"withdrawn by {c.by}"))


def _submit_orders(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, SubmitOrders)
    state = d.state
    _require_phase(state, ("orders",), "submit orders")
    check_orders(state, c.by, c.orders)
    d.emit(OrdersSubmitted(at=now, turn=state.turn, actor=c.by, orders=c.orders))


def _set_ready(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, SetReady)
    _require_phase(d.state, PLAYING, "mark ready")
    if c.by not in d.state.teams:
        raise Rejected(f"{c.by} is played by a bot and is always ready", "invalid")
    if c.ready and (refusal := ready_refusal(d.state, c.by)) is not None:
        raise Rejected(refusal, "invalid")
    d.emit(ReadyChanged(at=now, actor=c.by, ready=c.ready))
    if c.ready and allows(d.state, "all_ready"):
        _move_on(d, now, "all_ready")


def _start(d: Draft, c: Command, now: float) -> None:
    transition(d.state, "start")
    _move_on(d, now, "start")


def _pause(d: Draft, c: Command, now: float) -> None:
    state = d.state
    transition(state, "pause")
    remaining = None if state.deadline is None else max(0.0, state.deadline - now)
    d.emit(ClockPaused(at=now, remaining=remaining))


def _resume(d: Draft, c: Command, now: float) -> None:
    state = d.state
    transition(state, "resume")
    deadline = None if state.remaining is None else now + state.remaining
    d.emit(ClockResumed(at=now, deadline=deadline))
    # Every team marked itself ready while the clock was stopped: the phase ends now, as it would have.
    if allows(d.state, "all_ready"):
        _move_on(d, now, "all_ready")


def _extend(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Extend)
    state = d.state
    transition(state, "extend")
    if state.paused:
        d.emit(ClockExtended(at=now, seconds=c.seconds, deadline=None))
        return
    base = state.deadline if state.deadline is not None else now
    d.emit(ClockExtended(at=now, seconds=c.seconds, deadline=max(base, now) + c.seconds))


def _advance(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Advance)
    if c.phase is not None and c.phase != d.state.phase:
        raise Rejected(f"the phase is already {d.state.phase}, not {c.phase}", "phase")
    _move_on(d, now, "advance")


def _inject(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, FireInject)
    state = d.state
    if state.phase == "lobby":
        raise Rejected("start the game before injecting events", "not_started")
    if c.inject_id is not None:
        inject = next((i for i in state.scenario.injects if i.id == c.inject_id), None)
        if inject is None:
            known = ", ".join(i.id for i in state.scenario.injects) or "none"
            raise Rejected(f"no scripted inject '{c.inject_id}' (injects: {known})", "no_such_inject")
        if any(r.inject_id == c.inject_id for r in state.injects):
            raise Rejected(f"inject '{c.inject_id}' has already been released", "already")
        d.emit(*inject_events(state, inject.id, inject.title, inject.text, inject.audience, inject.effects, None, now))
        return
    if c.title is None or c.text is None:
        raise Rejected("an ad hoc inject needs a title and a text (or name a scripted inject_id)")
    if isinstance(c.audience, list):
        for a in c.audience:
            _require_actor(state, a, "audience member")
    _check_effects(state, c.effects)
    iid = f"adhoc{len(state.injects) + 1}"
    d.emit(*inject_events(state, iid, c.title, c.text, c.audience, c.effects, None, now))


def _check_effects(state: State, effects: Sequence[Effect]) -> None:
    """An ad hoc inject's effects must name actors and issues of this game (scripted ones are checked on load)."""
    issue_ids = {i.id for i in state.scenario.issues}
    for eff in effects:
        named = [getattr(eff, f) for f in ("actor", "toward", "target") if hasattr(eff, f)]
        named += list(getattr(eff, "of", []))
        for who in named:
            if who not in state.actors:
                raise Rejected(
                    f"unknown actor '{who}' in the inject's effects (actors: {', '.join(state.actors)})", "unknown"
                )
        if (why := call_effect_problem(state, eff)) is not None:
            raise Rejected(why, "invalid")
        issue = getattr(eff, "issue", None)
        if issue is not None and issue not in issue_ids:
            raise Rejected(
                f"unknown issue '{issue}' in the inject's effects (issues: {', '.join(sorted(issue_ids))})", "unknown"
            )


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


def _amend(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, Amend)
    state = d.state
    _require_phase(state, ("results",), "amend outcomes")
    if state.released:
        raise Rejected("results of this turn are already released; amend before releasing", "phase")
    if c.field not in _AMENDABLE[c.target]:
        raise Rejected(
            f"cannot amend {c.target} field '{c.field}' (amendable: {', '.join(_AMENDABLE[c.target])})", "unknown"
        )
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
            raise Rejected(f"there is no agreement '{c.key}'", "no_such_agreement")
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
    d.emit(Amended(at=now, turn=state.turn, change=change, previous=previous, reason=c.reason))


def _release(d: Draft, c: Command, now: float) -> None:
    transition(d.state, "release")
    d.emit(ResultsReleased(at=now, turn=d.state.turn))


def _rollback(d: Draft, c: Command, now: float) -> None:
    """Back to the start of this turn: the same briefing, a fresh clock, the turn's injects again."""
    assert isinstance(c, Rollback)
    transition(d.state, "rollback")
    d.emit(RolledBack(at=now, turn=d.state.turn, reason=c.reason))
    _briefing(d, d.state.turn, now)


def _end(d: Draft, c: Command, now: float) -> None:
    transition(d.state, "end")
    d.emit(GameEnded(at=now, turn=d.state.turn, scores=final_scores(d.state)))


_Handler = Callable[[Draft, Command, float], None]


def _set_phases(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, SetPhases)
    if d.state.phase == "ended":
        raise Rejected("the game has ended", "game_ended")
    changes = {
        k: v for k, v in c.model_dump(include={"briefing", "diplomacy", "orders", "results"}).items() if v is not None
    }
    if not changes:
        raise Rejected("give at least one phase length (briefing, diplomacy, orders or results)", "invalid")
    d.emit(PhasesSet(at=now, phases=d.state.scenario.turns.phases.model_copy(update=changes)))


def _table_resolution(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, TableResolution)
    state = d.state
    _require_phase(state, ("diplomacy",), "table draft resolutions")
    if (why := tabling_problem(state, c)) is not None:
        raise Rejected(why, "invalid")
    rid = opaque_id(state.seed, "r-", str(state.counter + 1))
    d.emit(
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
    )


def _vote_resolution(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, VoteResolution)
    _require_phase(d.state, ("diplomacy", "orders"), "vote on draft resolutions")
    if (why := voting_problem(d.state, c)) is not None:
        raise Rejected(why, "invalid")
    d.emit(ResolutionVoted(at=now, id=c.resolution_id, actor=c.by, vote=c.vote))


def _freeform_action(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, FreeformAction)
    d.emit(*freeform.propose_events(d.state, c, now))


def _counter_argument(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, CounterArgument)
    d.emit(*freeform.counter_events(d.state, c, now))


def _rate_action(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, RateAction)
    d.emit(*freeform.rate_events(d.state, c, now))


def _apply_action(d: Draft, c: Command, now: float) -> None:
    """A succeeded action's effects, checked as an ad hoc inject's and applied through the same outcomes."""
    assert isinstance(c, ApplyAction)
    freeform.check_apply(d.state, c)
    _check_effects(d.state, c.effects)
    d.emit(*freeform.apply_events(d.state, c, now))


def _set_freeform(d: Draft, c: Command, now: float) -> None:
    assert isinstance(c, SetFreeform)
    if d.state.counter_arguments == c.counter_arguments:
        state = "allowed" if c.counter_arguments else "not allowed"
        raise Rejected(f"counter-arguments are already {state}", "already")
    d.emit(FreeformSettings(at=now, counter_arguments=c.counter_arguments))


_HANDLERS: dict[type, _Handler] = {
    SendMessage: _send_message,
    SetPhases: _set_phases,
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
    FreeformAction: _freeform_action,
    CounterArgument: _counter_argument,
    RateAction: _rate_action,
    ApplyAction: _apply_action,
    SetFreeform: _set_freeform,
}

__all__ = ["Draft", "Outcome", "Reason", "Rejected", "decide", "decide_step"]
