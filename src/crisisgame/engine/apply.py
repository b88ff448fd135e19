"""`apply(state, event)`: fold one event into the state. Live play, recovery and replay all use it.

`apply` trusts that `decide` produced the event from a valid command, but still refuses an event
that names something the state does not have (`CorruptLog`), so a damaged log fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from crisisgame.engine.events import (
    AgreementConcluded,
    AgreementEnded,
    Amended,
    CallOpened,
    Change,
    ClockExtended,
    ClockPaused,
    ClockResumed,
    DemandOpened,
    Event,
    GameCreated,
    GameEnded,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    PhasesSet,
    PhaseStarted,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
    ReadyChanged,
    ResolutionDecided,
    ResolutionTabled,
    ResolutionVoted,
    ResultsReleased,
    RolledBack,
    SanctionImposed,
    SanctionLifted,
    ServerDowntime,
)
from crisisgame.engine.freeform import FreeformEvent, awaits_review
from crisisgame.engine.freeform import fold as fold_freeform
from crisisgame.engine.obligations import clauses
from crisisgame.engine.state import (
    ACTOR_FIELDS,
    AgreementState,
    CallState,
    DemandState,
    ProposalState,
    ResolutionState,
    State,
    evolve,
    initial_state,
    pair,
)
from crisisgame.scenario.model import Scenario

T = TypeVar("T")


class CorruptLog(Exception):
    """An event cannot be applied to the state it follows: the log is damaged or out of order."""


def _with(obj: T, name: str, value: Any) -> T:
    """`obj` with one field replaced, the field named at run time (as outcomes name them)."""
    return evolve(obj, **{name: value})


def _set(mapping: Any, key: str, value: Any) -> dict[str, Any]:
    out = dict(mapping)
    out[key] = value
    return out


AGREEMENT_FIELDS = (
    *("strength", "ambiguity", "conditionality", "active", "duration"),
    *("notice_until", "notice_by", "notice_reason", "suspended"),
)
"""Agreement fields an outcome may set."""


class _Draft:
    """Changes to one state, gathered in private copies of the mappings they touch.

    A run of outcomes (nine in ten events of a game) sets values in large mappings (intent has one
    entry per ordered pair); copying such a mapping once per run rather than once per change is
    what keeps the fold fast. The state given is never mutated: each touched mapping is copied
    before its first change, and `done` builds the new state from the copies.
    """

    __slots__ = ("maps", "state", "wars")

    def __init__(self, state: State) -> None:
        self.state = state
        self.maps: dict[str, dict[Any, Any]] = {}
        self.wars = state.wars

    def own(self, name: str) -> dict[Any, Any]:
        got = self.maps.get(name)
        if got is None:
            got = self.maps[name] = dict(getattr(self.state, name))
        return got

    def peek(self, name: str) -> Any:
        got = self.maps.get(name)
        return getattr(self.state, name) if got is None else got

    def change(self, ch: Change) -> None:
        """Set one value named by a `Change`."""
        target = ch.target
        if target == "actor":
            actor = self.peek("actors").get(ch.key)
            if actor is None:
                raise CorruptLog(f"no actor {ch.key!r}")
            if ch.field in ACTOR_FIELDS:
                if not isinstance(ch.value, int | float) or isinstance(ch.value, bool):
                    raise CorruptLog(f"actor field {ch.field} needs a number, got {ch.value!r}")
                self.own("actors")[ch.key] = _with(actor, ch.field, float(ch.value))
                return
            if ch.field in ("behaviour", "alignment"):
                self.own("actors")[ch.key] = _with(actor, ch.field, ch.value)
                return
            raise CorruptLog(f"unknown actor field {ch.field!r}")
        if target == "pair":
            if ch.field in ("intent", "threat", "dependence", "credibility"):
                self.own(ch.field)[ch.key] = float(ch.value or 0.0)
                return
            if ch.field == "troops":
                troops = self.own("troops")
                count = int(ch.value or 0)
                if count > 0:
                    troops[ch.key] = count
                else:  # only positive deployments are kept
                    troops.pop(ch.key, None)
                return
            if ch.field == "conquest":
                self.own("conquests")[ch.key] = float(ch.value or 0.0)
                return
            if ch.field == "war":
                self.wars = self.wars | {ch.key} if ch.value else self.wars - {ch.key}
                return
            raise CorruptLog(f"unknown pair field {ch.field!r}")
        if target == "agreement":
            ag = self.peek("agreements").get(ch.key)
            if ag is None:
                raise CorruptLog(f"no agreement {ch.key!r}")
            if ch.field not in AGREEMENT_FIELDS:
                raise CorruptLog(f"unknown agreement field {ch.field!r}")
            self.own("agreements")[ch.key] = _with(ag, ch.field, ch.value)
            return
        if target == "issue":
            self.own("settled")[ch.key] = ch.value
            return
        if target == "system":
            self.own("system")[ch.key] = float(ch.value or 0.0)
            return
        if target == "demand":
            demand = self.peek("demands").get(ch.key)
            if demand is None:
                raise CorruptLog(f"no demand {ch.key!r}")
            self.own("demands")[ch.key] = evolve(demand, status=str(ch.value))
            return
        if target == "call":
            call = self.peek("calls").get(ch.key)
            if call is None:
                raise CorruptLog(f"no call {ch.key!r}")
            if ch.field.startswith("answer:"):
                answers = _set(call.answers, ch.field.removeprefix("answer:"), bool(ch.value))
                self.own("calls")[ch.key] = evolve(call, answers=answers)
            else:
                self.own("calls")[ch.key] = evolve(call, status=str(ch.value))
            return
        if target == "proposal":
            prop = self.peek("proposals").get(ch.key)
            if prop is None:
                raise CorruptLog(f"no proposal {ch.key!r}")
            self.own("proposals")[ch.key] = _with(prop, "status", ch.value)
            return
        raise CorruptLog(f"unknown change target {target!r}")

    def done(self, **more: Any) -> State:
        if self.wars is not self.state.wars:
            more["wars"] = self.wars
        return evolve(self.state, **self.maps, **more)


def apply_change(state: State, ch: Change) -> State:
    """Set one value named by a `Change`."""
    draft = _Draft(state)
    draft.change(ch)
    return draft.done()


def _outcomes(state: State, run: list[Outcome]) -> State:
    """The state after a run of outcomes, each folded as `apply` would, copying each mapping once.

    Outcomes change neither the phase nor `sealed`, so the only state a run must stop at is the one
    `apply` seals before the adjudication's first outcome.
    """
    if state.phase == "orders" and state.sealed is None:
        first = next((i for i, e in enumerate(run) if e.reason.step > 0), None)
        if first is not None:
            state = apply(_outcomes(state, run[:first]), run[first])
            run = run[first + 1 :]
    if not run:
        return state
    draft = _Draft(state)
    outcomes = state.outcomes
    for e in run:
        for ch in e.changes:
            draft.change(ch)
        outcomes = outcomes.append(e)
    return draft.done(outcomes=outcomes, seq=state.seq + len(run))


def start(event: GameCreated) -> State:
    # The scenario was checked in full when the game was created; a replay reproduces the game that was
    # played, so a later, stricter check must not refuse a stored game (its record would be lost).
    scenario = Scenario.model_validate(event.scenario, context={"references_checked": True})
    return evolve(
        initial_state(scenario, event.seed, frozenset(event.teams), event.auto_release),
        seq=1,
    )


def apply(state: State | None, event: Event) -> State:
    """The state after `event`. The first event of a game must be `GameCreated`."""
    if state is None:
        if not isinstance(event, GameCreated):
            raise CorruptLog(f"a game log must start with game_created, not {event.type}")
        return start(event)
    if type(event) is MessageSent:
        # The commonest event by far (a class's messages), and never the adjudication's: its change and
        # the seq in one copy of the state.
        return _message_sent(state, event, seq=state.seq + 1)
    if isinstance(event, GameCreated):
        raise CorruptLog("game_created can only be the first event")
    s = _apply(state, event)
    if state.phase == "orders" and state.sealed is None and _adjudicated(event):
        # The last state before the adjudication's first event: teams see it until results are released.
        s = evolve(s, sealed=evolve(state, turn_start=None, sealed=None))
    return evolve(s, seq=state.seq + 1)


def _adjudicated(e: Event) -> bool:
    """Whether only the adjudication (or the results phase that follows it) produces this event."""
    if isinstance(e, Outcome):
        return e.reason.step > 0
    if isinstance(e, ProposalClosed):
        return e.status in ("expired", "ratified", "failed")
    if isinstance(e, PhaseStarted):
        return e.phase == "results"
    return isinstance(
        e,
        AgreementConcluded
        | AgreementEnded
        | CallOpened
        | DemandOpened
        | ResolutionDecided
        | SanctionImposed
        | SanctionLifted,
    )


def _message_sent(s: State, e: MessageSent, **more: Any) -> State:
    """The state with the message in its channel (and `more` changed in the same copy)."""
    return evolve(s, messages=s.messages.add(s.seq + 1, e), counter=s.counter + 1, **more)


def _apply(s: State, e: Event) -> State:
    if isinstance(e, PhaseStarted):
        s = evolve(s, turn=e.turn, phase=e.phase, deadline=e.deadline, paused=False, remaining=None, ready=frozenset())
        if e.phase != "results":
            s = evolve(s, sealed=None)
        if e.phase == "briefing":
            return evolve(s, turn_start=evolve(s, turn_start=None, seq=s.seq + 1))
        if e.phase == "results":
            revealed = _set(s.revealed, str(e.turn), s.orders)
            released = s.auto_release and not awaits_review(s, e.turn)  # free-form actions await review
            return evolve(s, revealed={int(k): v for k, v in revealed.items()}, orders={}, released=released)
        return s
    if isinstance(e, ClockPaused):
        return evolve(s, paused=True, remaining=e.remaining, deadline=None)
    if isinstance(e, ClockResumed):
        return evolve(s, paused=False, remaining=None, deadline=e.deadline)
    if isinstance(e, ClockExtended):
        if s.paused:
            return evolve(s, remaining=(s.remaining or 0.0) + e.seconds)
        return evolve(s, deadline=e.deadline)
    if isinstance(e, PhasesSet):
        turns = s.scenario.turns.model_copy(update={"phases": e.phases})
        return evolve(s, scenario=s.scenario.model_copy(update={"turns": turns}))
    if isinstance(e, ServerDowntime):
        return s if s.paused else evolve(s, deadline=e.deadline)
    if isinstance(e, ReadyChanged):
        return evolve(s, ready=s.ready | {e.actor} if e.ready else s.ready - {e.actor})
    if isinstance(e, MessageSent):
        return _message_sent(s, e)
    if isinstance(e, ProposalMade):
        proposals = dict(s.proposals)
        if e.counter_of is not None:
            old = proposals.get(e.counter_of)
            if old is None:
                raise CorruptLog(f"counter of unknown proposal {e.counter_of!r}")
            proposals[e.counter_of] = evolve(old, status="countered")
        proposals[e.id] = ProposalState(
            e.id, e.sender, e.proposal, e.turn, "open", frozenset({e.sender}), counter_of=e.counter_of
        )
        return evolve(s, proposals=proposals, counter=s.counter + 1)
    if isinstance(e, ProposalAnswered):
        prop = s.proposals.get(e.id)
        if prop is None:
            raise CorruptLog(f"answer to unknown proposal {e.id!r}")
        if not e.accept:
            return s
        accepted = prop.accepted | {e.actor}
        status = "accepted" if accepted >= set(prop.proposal.parties) else prop.status
        return evolve(s, proposals=_set(s.proposals, e.id, evolve(prop, accepted=accepted, status=status)))
    if isinstance(e, ProposalClosed):
        prop = s.proposals.get(e.id)
        if prop is None:
            raise CorruptLog(f"closing unknown proposal {e.id!r}")
        return evolve(s, proposals=_set(s.proposals, e.id, evolve(prop, status=e.status)))
    if isinstance(e, OrdersSubmitted):
        return evolve(s, orders=_set(s.orders, e.actor, e.orders))
    if isinstance(e, InjectReleased):
        return evolve(s, injects=s.injects.append(e))
    if isinstance(e, AgreementConcluded):
        p = e.proposal
        ag = AgreementState(
            id=e.id,
            name=f"{p.type.replace('_', ' ')} of {', '.join(p.parties)}",
            type=p.type,
            parties=tuple(p.parties),
            guarantors=tuple(p.guarantors),
            strength=p.strength,
            ambiguity=p.ambiguity,
            conditionality=p.conditionality,
            duration=p.duration,
            mandate=p.mandate,
            public=p.public,
            since_turn=e.turn,
            troops=p.troops,
            host=p.host,
            item=p.item,
            value_usd_m=p.value_usd_m,
            issue=p.issue,
            position=p.position,
            clauses=clauses(p.type, p.obligations),
            initial_duration=p.duration,
            sanction_terms=tuple(p.sanctions),
            aid_terms=tuple(p.aid),
        )
        return evolve(s, agreements=_set(s.agreements, e.id, ag), outcomes=s.outcomes.append(e))
    if isinstance(e, AgreementEnded):
        ended = s.agreements.get(e.agreement)
        if ended is None:
            raise CorruptLog(f"end of unknown agreement {e.agreement!r}")
        ended = evolve(
            ended,
            active=False,
            notice_until=None,
            duration=0 if e.cause == "expired" else ended.duration,
            suspended=e.cause == "suspended",
        )
        return evolve(s, agreements=_set(s.agreements, e.agreement, ended), outcomes=s.outcomes.append(e))
    if isinstance(e, DemandOpened):
        demand = DemandState(e.id, e.actor, e.target, e.issue, e.position, e.public, e.turn)
        return evolve(s, demands=_set(s.demands, e.id, demand), counter=s.counter + 1)
    if isinstance(e, CallOpened):
        call = CallState(e.id, e.agreement, e.caller, e.adversary, tuple(e.obligated), e.turn, clause=e.clause)
        return evolve(s, calls=_set(s.calls, e.id, call), outcomes=s.outcomes.append(e), counter=s.counter + 1)
    if isinstance(e, SanctionImposed):
        key = pair(e.actor, e.target)
        basis = {k: v for k, v in s.sanction_basis.items() if k != key}
        if e.agreement is not None:
            basis[key] = e.agreement
        return evolve(s, sanctions=_set(s.sanctions, key, e.kind), sanction_basis=basis, outcomes=s.outcomes.append(e))
    if isinstance(e, SanctionLifted):
        key = pair(e.actor, e.target)
        lifted = {k: v for k, v in s.sanctions.items() if k != key}
        basis = {k: v for k, v in s.sanction_basis.items() if k != key}
        return evolve(s, sanctions=lifted, sanction_basis=basis, outcomes=s.outcomes.append(e))
    if isinstance(e, ResolutionTabled):
        tabled = ResolutionState(e.id, e.sponsor, e.kind, e.target, tuple(e.authorised), e.turn)
        return evolve(s, resolutions=_set(s.resolutions, e.id, tabled), counter=s.counter + 1)
    if isinstance(e, ResolutionVoted | ResolutionDecided):
        res = s.resolutions.get(e.id)
        if res is None:
            raise CorruptLog(f"unknown resolution {e.id!r}")
        if isinstance(e, ResolutionVoted):
            res = evolve(res, votes=_set(res.votes, e.actor, e.vote))
            return evolve(s, resolutions=_set(s.resolutions, e.id, res))
        res = evolve(res, votes=dict(e.votes), status="adopted" if e.adopted else "failed")
        return evolve(s, resolutions=_set(s.resolutions, e.id, res), outcomes=s.outcomes.append(e))
    if isinstance(e, Outcome):
        draft = _Draft(s)
        for ch in e.changes:
            draft.change(ch)
        return draft.done(outcomes=s.outcomes.append(e))
    if isinstance(e, Amended):
        s = apply_change(s, e.change)
        return evolve(s, amendments=s.amendments.append(e), corrections=s.corrections.append(e))
    if isinstance(e, ResultsReleased):
        return evolve(s, released=True)
    if isinstance(e, RolledBack):
        if s.turn_start is None:
            raise CorruptLog("rollback before any turn started")
        start = s.turn_start
        messages = start.messages.rolled_back(start.seq, s.seq)  # (the log keeps them; no state does)
        return evolve(start, turn_start=start, seq=s.seq, corrections=s.corrections.append(e), messages=messages)
    if isinstance(e, FreeformEvent):
        return fold_freeform(s, e)
    if isinstance(e, GameEnded):
        actors = {a: evolve(st, score=e.scores.get(a, st.score)) for a, st in s.actors.items()}
        return evolve(s, phase="ended", deadline=None, paused=False, remaining=None, actors=actors, sealed=None)
    raise CorruptLog(f"unknown event {e!r}")


def fold(events: Iterable[Event], state: State | None = None) -> State:
    """The state after every event, in order (replay, recovery and forks are this fold).

    Equal to applying each event with `apply`; runs of outcomes go through `_outcomes` at once.
    """
    run: list[Outcome] = []
    for event in events:
        if type(event) is Outcome and state is not None:
            run.append(event)
            continue
        if run and state is not None:
            state = _outcomes(state, run)
            run = []
        state = apply(state, event)
    if run and state is not None:
        state = _outcomes(state, run)
    if state is None:
        raise CorruptLog("an empty log holds no game")
    return state
