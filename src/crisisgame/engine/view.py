"""`view(state, seat)`: exactly what one seat may see. Fog of war lives here, and only here.

Seats are an actor id (a team or a bot), 'facilitator' (sees everything) or 'observer' (the
plenary screen: public information only). Private and group messages, secret objectives, private
intelligence, domestic win-sets, perceptions and sealed orders never reach a seat they are not
for; the results of a turn reach teams only once the facilitator releases them.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter, is_, itemgetter
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel
from pydantic_core import to_json

from crisisgame.engine.commands import FACILITATOR, OBSERVER, Orders
from crisisgame.engine.events import (
    AgreementConcluded,
    AgreementEnded,
    Amended,
    Audience,
    CallOpened,
    Change,
    DemandOpened,
    Event,
    FreeformApplied,
    FreeformCountered,
    FreeformProposed,
    FreeformRated,
    GameCreated,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    ProposalAnswered,
    ProposalClosed,
    ProposalMade,
    ResolutionDecided,
    SanctionImposed,
    SanctionLifted,
)
from crisisgame.engine.freeform import seen_by, suggested_chance
from crisisgame.engine.news import announcements
from crisisgame.engine.objectives import statuses
from crisisgame.engine.obligations import CALLABLE
from crisisgame.engine.seatview import (
    ActorView,
    AgreementTerms,
    AgreementView,
    Announcement,
    Briefing,
    CallView,
    CapabilitiesView,
    CouncilView,
    CounterView,
    DemandView,
    FacilitatorView,
    FreeformView,
    GameInfo,
    IssueView,
    Me,
    MessagePage,
    NuclearView,
    OutcomePage,
    Position,
    ProposalView,
    ResolutionView,
    ScriptEntry,
    SeatView,
    TeamView,
)
from crisisgame.engine.state import (
    AgreementState,
    CallState,
    Channel,
    DemandState,
    FreeformState,
    Log,
    ProposalState,
    State,
    channel_key,
    pair,
)

K = TypeVar("K")
V = TypeVar("V")

MESSAGES_IN_VIEW = 300
"""Messages a view carries at most in all channels together (the newest): the facilitator and a
team in many group channels are bounded too. Older messages are paged with `message_page`. (At most
`MESSAGE_WINDOW` of one channel: what the state keeps of each.)"""
HISTORY_PAGE = 100
"""Messages one `message_page` returns at most."""
OUTCOMES_IN_VIEW = 60
"""Adjudication results a view carries at most (the newest): a late turn's view would otherwise carry
every result of every past turn (a megabyte or two, rebuilt and sent to every seat at each phase
change). Older ones are paged a turn at a time with `outcome_page`."""
REVEALED_TURNS_IN_VIEW = 2
"""Adjudicated turns whose revealed orders a view carries (the newest; all of them in a bot's view, which
reads them). Older turns' orders come with their `outcome_page`."""


def _sees(audience: Audience, seat: str) -> bool:
    return seat == FACILITATOR or audience == "public" or (isinstance(audience, list) and seat in audience)


def _message_visible(m: MessageSent, seat: str) -> bool:
    return seat == FACILITATOR or m.channel == "public" or seat == m.sender or seat in m.to


def _released_state(state: State, seat: str) -> State:
    """What a team may know of the world: before this turn's adjudication until results are out."""
    if seat == FACILITATOR or state.released or state.phase != "results":
        return state
    return state.sealed or state.turn_start or state


def objectives_moved(before: State, after: State) -> bool:
    """Whether some team's objective status, as its view shows it (`Me.objectives_met`, on the state the
    team may see), differs between two states: a step that moves one (an inject's effects, a facilitator's
    free-form ruling) gets every seat a fresh view, as a phase change does, since no event carries it."""
    if not after.teams:
        return False
    # Every team sees the same state (`_released_state` depends on the seat only for the facilitator).
    seen_before, seen_after = _released_state(before, OBSERVER), _released_state(after, OBSERVER)
    if all(map(is_, _objective_inputs(seen_before), _objective_inputs(seen_after))):
        return False  # (a message, a proposal: nothing an objective reads changed; no scoring needed)
    return any(
        team in before.actors and statuses(seen_before, team) != statuses(seen_after, team) for team in after.teams
    )


_OBJECTIVE_INPUTS = ("scenario", "actors", "agreements", "wars", "threat", "settled")
"""The parts of a state that `objectives.met` reads: a step that leaves them all as they were (the
same objects: states share what a step does not change) changes no objective's status."""
_objective_inputs = attrgetter(*_OBJECTIVE_INPUTS)


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
    if isinstance(event, CallOpened | ResolutionDecided):
        return _results_out(state, event.turn)
    if isinstance(event, AgreementEnded):
        ag = state.agreements.get(event.agreement)
        public = event.public and (ag is None or ag.public)
        return (public or seat in event.parties) and _results_out(state, event.turn)
    if isinstance(event, FreeformProposed | FreeformCountered | FreeformRated | FreeformApplied):
        action = state.freeform.get(event.id)
        if action is None or not seen_by(action, seat):
            return False
        return not isinstance(event, FreeformRated | FreeformApplied) or _results_out(state, event.turn)
    return True


def seen_whole_by_all(event: Event) -> bool:
    """Whether every seat (each team, the observers, the facilitator) receives `event` whole as it
    happens, in any state: `visible_event` gives each of them the event itself. A public message is;
    a server may then encode it once for every seat, without asking seat by seat."""
    return type(event) is MessageSent and event.channel == "public"


def visible_event(event: Event, seat: str, state: State) -> Event | None:
    """What `seat` may receive of `event` as it happens: the event, the part of an outcome it may see, or None."""
    if event_visible(event, seat, state):
        return _sanction_seen(event, seat, state) if isinstance(event, SanctionImposed | SanctionLifted) else event
    seen = isinstance(event, Outcome) and _sees(event.audience, seat)
    if seen and isinstance(event, Outcome) and (event.reason.step == 0 or _results_out(state, event.turn)):
        return _redacted(event, seat)
    return None


def _secret_from(state: State, ag_id: str | None, seat: str) -> bool:
    """Whether agreement `ag_id` is a secret `seat` may not know of."""
    ag = state.agreements.get(ag_id) if ag_id is not None else None
    return ag is not None and not ag.public and seat != FACILITATOR and seat not in ag.parties


def _sanction_seen(e: SanctionImposed | SanctionLifted, seat: str, state: State) -> SanctionImposed | SanctionLifted:
    """A sanction is public; the secret agreement behind it, only to its parties: others read the measure alone."""
    if not _secret_from(state, e.agreement, seat):
        return e
    actor, target = state.actors[e.actor].name, state.actors[e.target].name
    if isinstance(e, SanctionImposed):
        rule, text = "economy.imposed", f"{actor} imposed {e.kind} on {target}."
    else:
        rule, text = "economy.lifted", f"{actor} lifted its measures on {target}."
    reason = e.reason.model_copy(update={"rule": rule, "explanation": text})
    return e.model_copy(update={"agreement": None, "reason": reason})


# --------------------------------------------------------------------------- the seat view, section by section


def _game_info(state: State) -> GameInfo:
    sc = state.scenario
    return GameInfo(
        scenario=sc.id,
        title=sc.meta.title,
        region=sc.meta.region,
        date=sc.meta.date.isoformat(),
        turn=state.turn,
        turns=sc.turns.count,
        phase=state.phase,
        deadline=state.deadline,
        paused=state.paused,
        remaining=state.remaining,
        released=state.released,
        ready=sorted(state.ready),
        teams=sorted(state.teams),
        seq=state.seq,
    )


def _actor(s: State, aid: str) -> ActorView:
    a = s.actors[aid]
    scenario_actor = s.scenario.actor(aid)
    return ActorView(
        id=aid,
        name=a.name,
        kind=a.kind,
        playable=a.playable,
        team=aid in s.teams,
        regime=a.regime,
        position=Position(lat=a.lat, lon=a.lon),
        capabilities=CapabilitiesView(**a.components(), gdp_usd_bn=a.gdp),
        cinc=a.cinc,
        approval=a.approval,
        reputation=a.reputation,
        defence_spending=a.defence_spending,
        baseline_spending=scenario_actor.defence_spending,
        mobilisation=a.mobilisation,
        power_projection=a.power_projection,
        abandonment_fear=a.abandonment_fear,
        entrapment_risk=a.entrapment_risk,
        cohesion=a.cohesion,
        behaviour=a.behaviour,
        alignment=a.alignment,
        identities=list(a.identities),
        nuclear=NuclearView(warheads=a.warheads, second_strike=a.second_strike),
        conquests={k.partition(">")[2]: v for k, v in s.conquests.items() if k.partition(">")[0] == aid},
        objectives=[o for o in scenario_actor.objectives if not o.secret],
    )


class _Memo(Generic[K, V]):
    """A view of an immutable engine object, built once per object (by identity) while the object lives.

    States share every part a fold did not change, so from one view to the next most proposals, calls
    and agreements are the very same objects: their views are reused instead of built again.
    """

    def __init__(self, build: Callable[[K], V]) -> None:
        self._build = build
        self._cache: dict[int, tuple[weakref.ref[K], V]] = {}

    def __call__(self, obj: K) -> V:
        key = id(obj)
        hit = self._cache.get(key)
        if hit is not None and hit[0]() is obj:
            return hit[1]
        value = self._build(obj)
        self._cache[key] = (weakref.ref(obj, lambda _, key=key: self._cache.pop(key, None)), value)  # type: ignore[misc]
        return value


@_Memo
def _agreement(ag: AgreementState) -> AgreementView:
    return AgreementView(
        id=ag.id,
        name=ag.name,
        type=ag.type,
        parties=list(ag.parties),
        guarantors=list(ag.guarantors),
        strength=ag.strength,
        ambiguity=ag.ambiguity,
        conditionality=ag.conditionality,
        duration=ag.duration,
        mandate=ag.mandate,
        public=ag.public,
        active=ag.active,
        since_turn=ag.since_turn,
        notice_until=ag.notice_until,
        notice_by=ag.notice_by,
        notice_reason=ag.notice_reason,
        binding=any(c.kind in CALLABLE for c in ag.obligations()),
        terms=AgreementTerms(
            troops=ag.troops,
            host=ag.host,
            host_consent=ag.host_consent,
            item=ag.item,
            value_usd_m=ag.value_usd_m,
            issue=ag.issue,
            position=ag.position,
            sanctions=list(ag.sanction_terms),
            aid=list(ag.aid_terms),
        ),
    )


def _agreements(s: State, seat: str) -> list[AgreementView]:
    """Public agreements, and the secret ones `seat` is party to."""
    return [_agreement(ag) for ag in s.agreements.values() if ag.public or seat == FACILITATOR or seat in ag.parties]


def _council(s: State) -> CouncilView | None:
    """Who sits on the Security Council and every draft tabled so far (votes are cast in the open)."""
    council = s.scenario.council
    if council is None:
        return None
    return CouncilView(
        members=list(council.members),
        permanent=list(council.permanent),
        regional_bodies=list(council.regional_bodies),
        source=council.source,
        resolutions=[
            ResolutionView(
                id=r.id,
                sponsor=r.sponsor,
                kind=r.kind,
                target=r.target,
                authorised=list(r.authorised),
                turn=r.turn,
                votes=dict(r.votes),
                status=r.status,
            )
            for r in s.resolutions.values()
        ],
    )


def _issues(s: State) -> list[IssueView]:
    return [
        IssueView(
            id=i.id,
            name=i.name,
            divisible=i.divisible,
            description=i.description,
            positions=dict(i.positions),
            settled=s.settled.get(i.id),
        )
        for i in s.scenario.issues
    ]


def _messages(state: State, seat: str, history: bool) -> tuple[list[MessageSent], dict[str, int]]:
    """The newest messages of each channel `seat` may read (`MESSAGE_WINDOW` per channel, `MESSAGES_IN_VIEW`
    in all), oldest first, and how many older ones each channel has. Without `history`, this turn's only.

    Each channel's newest `MESSAGE_WINDOW` are what the state keeps (`Messages`): the newest messages of
    the channels the seat reads, merged by seq, and each channel's count, are enough."""
    turn = state.turn
    readable = [
        (key, c)
        for key, c in state.messages.channels.items()
        if _message_visible(c.recent[-1][1], seat) and (history or c.turn == turn)
    ]
    newest_first = heapq.merge(*(reversed(c.recent) for _, c in readable), key=itemgetter(0), reverse=True)
    kept: list[MessageSent] = []
    for _, m in itertools.islice(newest_first, MESSAGES_IN_VIEW):
        if not history and m.turn != turn:
            break  # (messages are in turn order)
        kept.append(m)
    shown = Counter(map(channel_key, kept))
    older: dict[str, int] = {}
    for key, c in sorted(readable, key=itemgetter(0)):
        n = (c.count if history else c.in_turn) - shown[key]
        if n > 0:
            older[key] = n
    kept.reverse()
    return kept, older


@_Memo
def _proposal(p: ProposalState) -> ProposalView:
    return ProposalView(
        id=p.id,
        sender=p.sender,
        turn=p.turn,
        status=p.status,
        accepted=sorted(p.accepted),
        counter_of=p.counter_of,
        proposal=p.proposal,
    )


OPEN_PROPOSALS: tuple[Literal["open", "accepted"], ...] = ("open", "accepted")
"""Proposal statuses a seat can still act on: open to answers, or accepted by all and awaiting ratification."""


def _proposal_seen(p: ProposalState, seat: str) -> bool:
    """Whether `seat` may see a proposal: its parties only (the facilitator every one; the plenary none)."""
    return seat == FACILITATOR or seat in p.proposal.parties


def _proposals(s: State, seat: str) -> tuple[list[ProposalView], dict[str, int]]:
    """The proposals `seat` may see that are still open (`OPEN_PROPOSALS`) or were made in the last
    `REVEALED_TURNS_IN_VIEW` turns (the window of calls), and for each turn with closed proposals left out,
    how many: bots propose every turn, so a late turn's view would otherwise carry dozens the screens
    show only in the replay, which pages them in a turn at a time with `outcome_page`. A bot's view is
    bounded the same way: bots act on open proposals only."""
    recent = s.turn - REVEALED_TURNS_IN_VIEW
    kept: list[ProposalView] = []
    older: dict[int, int] = {}
    for p in s.proposals.values():
        if not _proposal_seen(p, seat):
            continue
        if p.status in OPEN_PROPOSALS or p.turn >= recent:
            kept.append(_proposal(p))
        else:
            older[p.turn] = older.get(p.turn, 0) + 1
    return kept, {str(t): n for t, n in sorted(older.items())}


@_Memo
def _call(c: CallState) -> CallView:
    return CallView(
        id=c.id,
        agreement=c.agreement,
        caller=c.caller,
        adversary=c.adversary,
        obligated=list(c.obligated),
        answers=dict(c.answers),
        status=c.status,
        turn=c.turn,
    )


def _calls(s: State, history: bool) -> list[CallView]:
    """Open calls and those of the last `REVEALED_TURNS_IN_VIEW` turns: a late turn's view would otherwise
    carry every call of the game, which no screen reads (they show open calls and this turn's answers;
    closed calls stay in the results). A bot's view (`history=False`) keeps them all: bots read who
    attacked whom over the game."""
    recent = s.turn - REVEALED_TURNS_IN_VIEW
    return [_call(c) for c in s.calls.values() if not history or c.status == "open" or c.turn >= recent]


def _demand_seen(s: State, demand_id: str, seat: str) -> bool:
    """Whether `seat` may know of a demand: a public one everyone, a private one its two sides only."""
    d = s.demands.get(demand_id)
    return seat == FACILITATOR or (d is not None and (d.public or seat in (d.actor, d.target)))


@_Memo
def _demand(d: DemandState) -> DemandView:
    return DemandView(
        id=d.id,
        actor=d.actor,
        target=d.target,
        issue=d.issue,
        position=d.position,
        public=d.public,
        status=d.status,
        turn=d.turn,
    )


def _demands(s: State, seat: str) -> list[DemandView]:
    return [_demand(d) for d in s.demands.values() if _demand_seen(s, d.id, seat)]


def _outcomes(s: State, seat: str) -> tuple[list[Event], dict[str, int]]:
    """The newest released adjudication results this seat may see (`OUTCOMES_IN_VIEW` at most), oldest
    first, another seat's perceptions left out; and for each turn with results left out, how many."""
    log = s.outcomes
    with _INDEX_LOCK:
        index = _outcome_index(log)
    who = index.who  # (its first `len(log)` entries are final: the lists only grow)
    everyone = seat == FACILITATOR
    kept: list[Event] = []
    held: dict[int, int] = {}
    i = len(log) - 1
    while i >= 0 and len(kept) < OUTCOMES_IN_VIEW:
        among = who[i]
        if everyone or among is None or seat in among:
            e = log[i]
            if isinstance(e, Outcome):
                e = index.redacted(i, e, seat)
            elif isinstance(e, SanctionImposed | SanctionLifted):
                e = _sanction_seen(e, seat, s)
            kept.append(e)
            turn = index.turns[i]
            held[turn] = held.get(turn, 0) + 1
        i -= 1
    kept.reverse()
    if i < 0:
        return kept, {}
    with _INDEX_LOCK:
        counts = index.seen_by_turn(len(log), seat)
    older = {t: n - held.get(t, 0) for t, n in sorted(counts.items())}
    return kept, {str(t): n for t, n in older.items() if n > 0}


def _outcome_audience(e: Event) -> frozenset[str] | None:
    """The seats besides the facilitator that may see result `e`: None for every seat (`_outcome_seen`
    says the same of each seat; the index below reads this instead, once per result)."""
    if isinstance(e, Outcome):
        return None if e.audience == "public" else frozenset(e.audience)
    if isinstance(e, AgreementConcluded) and not e.proposal.public:
        return frozenset(e.proposal.parties)
    if isinstance(e, AgreementEnded) and not e.public:
        return frozenset(e.parties)
    return None


class _OutcomeIndex:
    """Who may see each result of one outcome list, and how many results each audience has by turn.

    A phase change builds every seat's view of a game that has thousands of results. Each result's
    audience and turn are read once per list (the list states share and grow: `Log.backing`), and the
    per-turn counts are kept per audience, not per seat, for a few lengths of the list (a team in the
    results phase sees an earlier state than the facilitator; a rollback returns to a shorter one): a
    seat's counts are then a sum over the few audiences it belongs to, not a pass over every result.
    The newest results, as each seat may see them, are kept too: every view of the next states carries
    them again.
    """

    __slots__ = ("counts", "items", "shown", "turns", "who")

    def __init__(self, items: list[Event]) -> None:
        self.items = items
        self.who: list[frozenset[str] | None] = []
        self.turns: list[int] = []
        self.counts: dict[int, dict[tuple[frozenset[str] | None, int], int]] = {0: {}}
        """Per list length: the number of results of that prefix by audience and turn."""
        self.shown: dict[tuple[int, str], Outcome] = {}
        """Per position and seat: the result without another seat's perceptions (`_redacted`)."""

    def extend(self, n: int) -> None:
        """Read the audience and turn of the results up to `n` (the list's first `n` never change)."""
        who, turns, groups = self.who, self.turns, _AUDIENCES
        for e in self.items[len(who) : n]:
            if type(e) is Outcome:  # (most results: the quick way)
                audience = e.audience
                if audience == "public":
                    who.append(None)
                else:
                    key = tuple(audience)
                    group = groups.get(key)
                    if group is None:
                        if len(groups) >= AUDIENCES_KEPT:
                            groups.clear()
                        group = groups[key] = frozenset(key)
                    who.append(group)
                turns.append(e.turn)
            else:
                who.append(_outcome_audience(e))
                turns.append(getattr(e, "turn", 0))

    def by_audience(self, n: int) -> dict[tuple[frozenset[str] | None, int], int]:
        """The first `n` results' counts by audience and turn, resumed from the longest prefix counted."""
        hit = self.counts.pop(n, None)
        if hit is None:
            start = max(m for m in self.counts if m <= n)
            hit = dict(self.counts[start])
            for key in zip(self.who[start:n], self.turns[start:n], strict=True):
                hit[key] = hit.get(key, 0) + 1
        self.counts[n] = hit  # (the newest last)
        while len(self.counts) > PREFIXES_COUNTED:
            del self.counts[next(m for m in self.counts if m)]  # the oldest, keeping the empty prefix
        return hit

    def redacted(self, i: int, e: Outcome, seat: str) -> Outcome:
        """`_redacted(e, seat)` for the result at position `i`, built once per seat."""
        shown = self.shown.get((i, seat))
        if shown is None:
            if len(self.shown) >= REDACTED_KEPT:
                self.shown.clear()  # (older positions fall out of the views as the list grows)
            shown = self.shown[i, seat] = _redacted(e, seat)
        return shown

    def seen_by_turn(self, n: int, seat: str) -> dict[int, int]:
        """How many of the first `n` results `seat` may see, by turn."""
        counts: dict[int, int] = {}
        everyone = seat == FACILITATOR
        for (among, turn), k in self.by_audience(n).items():
            if everyone or among is None or seat in among:
                counts[turn] = counts.get(turn, 0) + k
        return counts


_AUDIENCES: dict[tuple[str, ...], frozenset[str]] = {}
"""The audiences met so far, as sets, one object each (a game has a few dozen: pairs, groups)."""
AUDIENCES_KEPT = 4096
"""Audiences `_AUDIENCES` keeps (all are forgotten when it is full: the next results make them again)."""
_INDEXES: dict[int, _OutcomeIndex] = {}
"""Per outcome list (by identity; the entry holds the list, so the identity is not reused meanwhile)."""
INDEXED_LISTS = 256
"""Outcome lists `_INDEXES` keeps (a game's each, and one more per rollback branch; the oldest go first)."""
PREFIXES_COUNTED = 8
"""Lengths of one list whose counts an index keeps (besides the empty one; the least recent go first)."""
REDACTED_KEPT = 4096
"""Results as a seat sees them that an index keeps (about a view's worth for each seat of a large game)."""
_INDEX_LOCK = threading.Lock()
"""Views are built on the event loop and, rarely, in a worker thread (the protocol schema's example)."""


def _outcome_index(log: Log[Event]) -> _OutcomeIndex:
    """The index of the list behind `log`, read up to `len(log)`."""
    items = log.backing()
    index = _INDEXES.pop(id(items), None)
    if index is None or index.items is not items:
        index = _OutcomeIndex(items)
    _INDEXES[id(items)] = index  # (the most recent last)
    while len(_INDEXES) > INDEXED_LISTS:
        del _INDEXES[next(iter(_INDEXES))]
    index.extend(len(log))
    return index


def _outcome_seen(e: Event, seat: str) -> bool:
    if isinstance(e, Outcome):
        return _sees(e.audience, seat)
    if isinstance(e, AgreementEnded):
        return e.public or seat == FACILITATOR or seat in e.parties
    return not isinstance(e, AgreementConcluded) or _agreement_seen(e, seat)


def _agreement_seen(e: AgreementConcluded, seat: str) -> bool:
    return e.proposal.public or seat == FACILITATOR or seat in e.proposal.parties


_AGREEMENT_ORDERS = ("withhold", "renounce", "suspend", "resume", "renew")
"""Orders fields that list agreements: what they say of a secret agreement is its parties' only."""


def _orders_seen(s: State, actor: str, orders: Orders, seat: str) -> Orders:
    """`actor`'s revealed orders as `seat` may see them: a private demand, and the answer to one, only by
    its two sides; what they do to a secret agreement (withhold, renounce with its stated reason, suspend,
    resume, renew) only by its parties (everything else in the orders is public once the turn is adjudicated)."""
    if seat in (FACILITATOR, actor) or not (
        orders.demands
        or orders.demand_answers
        or orders.withhold
        or orders.renounce
        or orders.suspend
        or orders.resume
        or orders.renew
    ):
        return orders  # (the usual case, asked for every actor and seat: no `_AGREEMENT_ORDERS` loop)
    update: dict[str, object] = {}
    if orders.demands and not all(d.public or seat == d.target for d in orders.demands):
        update["demands"] = [d for d in orders.demands if d.public or seat == d.target]
    if orders.demand_answers and not all(_demand_seen(s, a.demand_id, seat) for a in orders.demand_answers):
        update["demand_answers"] = [a for a in orders.demand_answers if _demand_seen(s, a.demand_id, seat)]
    for f in _AGREEMENT_ORDERS:
        listed: list[str] = getattr(orders, f)
        if listed and any(_secret_from(s, ag, seat) for ag in listed):
            update[f] = [ag for ag in listed if not _secret_from(s, ag, seat)]
    reasons = orders.renounce_reasons
    if reasons and any(_secret_from(s, ag, seat) for ag in reasons):
        update["renounce_reasons"] = {ag: why for ag, why in reasons.items() if not _secret_from(s, ag, seat)}
    return orders.model_copy(update=update) if update else orders


def _revealed_orders(s: State, seat: str, history: bool) -> dict[str, dict[str, Orders]]:
    turns = sorted(s.revealed)
    if history:
        turns = turns[-REVEALED_TURNS_IN_VIEW:]
    return {str(turn): _turn_orders(s, turn, seat) for turn in turns}


def _turn_orders(s: State, turn: int, seat: str) -> dict[str, Orders]:
    return {a: _orders_seen(s, a, o, seat) for a, o in s.revealed.get(turn, {}).items()}


def _me(state: State, s: State, seat: str) -> Me:
    """A team's own state (its perceptions as of the results it may see; its orders as submitted)."""
    me = s.actors[seat]
    others = [a for a in s.actors if a != seat]
    return Me(
        id=seat,
        temperament=me.temperament,
        objectives=list(state.scenario.actor(seat).objectives),
        objectives_met=statuses(s, seat),
        win_sets={k: (v[0], v[1]) for k, v in me.win_sets.items()},
        intent={b: s.intent_of(seat, b) for b in others},
        threat={b: s.threat_of(seat, b) for b in others},
        score=me.score,
        orders=state.orders.get(seat),
        troops_abroad={k.partition(">")[2]: v for k, v in s.troops.items() if k.startswith(seat + ">")},
        dependence={k.partition(">")[2]: v for k, v in s.dependence.items() if k.startswith(pair(seat, ""))},
        audience_cost_sensitivity=me.audience_cost_sensitivity,
    )


def _script(state: State) -> list[ScriptEntry]:
    released = {i.inject_id for i in state.injects}
    return [
        ScriptEntry(
            id=i.id,
            turn=i.turn,
            title=i.title,
            audience=i.audience,
            conditional=i.condition is not None,
            released=i.id in released,
        )
        for i in state.scenario.injects
    ]


def _freeform_one(state: State, a: FreeformState, seat: str) -> FreeformView:
    out = seat == FACILITATOR or _results_out(state, a.turn)
    return FreeformView(
        id=a.id,
        actor=a.actor,
        turn=a.turn,
        what=a.what,
        intended_effect=a.intended_effect,
        arguments=list(a.arguments),
        public=a.public,
        counters=[CounterView(actor=who, text=text) for who, text in a.counters],
        suggested=(a.rating.suggested if a.rating else suggested_chance(state, a)) if out else None,
        rating=a.rating if out else None,
        applied=a.applied if out else None,
    )


def _freeform(state: State, seat: str, history: bool) -> list[FreeformView]:
    """Free-form actions `seat` may see; their ratings and effects once results are out."""
    return [
        _freeform_one(state, a, seat)
        for a in state.freeform.values()
        if seen_by(a, seat) and (history or a.turn == state.turn)
    ]


def view(state: State, seat: str, history: bool = True) -> SeatView:
    """Everything `seat` may see: a `FacilitatorView`, a `TeamView` for an actor's seat (team or bot), or
    the common `SeatView` for the plenary screen (`observer`).

    With `history=False` (what bots use) messages and injects are this turn's only, and past
    outcomes are left out (revealed orders stay: bots read them): the same secrecy, less to build.
    """
    return _view(state, seat, history)[0]


def _view(state: State, seat: str, history: bool) -> tuple[SeatView, _Shared]:
    """The seat's view, and the seat-independent part it was built with (`view_json` splices its JSON)."""
    if not (seat in (FACILITATOR, OBSERVER) or seat in state.actors):
        raise KeyError(f"unknown seat {seat!r}")
    s = _released_state(state, seat)
    sc = state.scenario
    shared = _shared(state, s, history)
    messages, older = _messages(state, seat, history)
    outcomes, older_outcomes = _outcomes(s, seat) if history else ([], {})
    proposals, older_proposals = _proposals(s, seat)
    fields: dict[str, Any] = {
        **shared.fields,
        "seat": seat,
        "agreements": _agreements(s, seat),
        "sanction_basis": {
            k: v
            for k, v in s.sanction_basis.items()
            if s.agreements[v].public or seat == FACILITATOR or seat in s.agreements[v].parties
        },
        "messages": messages,
        "older_messages": older,
        "injects": [i for i in state.injects if (history or i.turn == state.turn) and _sees(i.audience, seat)],
        "proposals": proposals,
        "older_proposals": older_proposals,
        "demands": _demands(s, seat),
        "outcomes": outcomes,
        "older_outcomes": older_outcomes,
        "revealed_orders": _revealed_orders(s, seat, history),
        "freeform": _freeform(state, seat, history),
        "announcements": [Announcement(turn=x.turn, title=x.title, text=x.text) for x in announcements(s, seat)],
    }
    if seat == FACILITATOR:
        return FacilitatorView(
            **fields,
            submitted=sorted(state.orders),
            orders=dict(state.orders),
            amendments=list(state.amendments),
            intent=dict(s.intent),
            threat=dict(s.threat),
            secret_objectives={a.id: [o for o in a.objectives if o.secret] for a in sc.actors},
            scores={a: st.score for a, st in s.actors.items()},
            script=_script(state),
        ), shared
    if seat in state.actors:
        return TeamView(**fields, me=_me(state, s, seat)), shared
    return SeatView(**fields), shared


# --------------------------------------------------------------------------- a seat's view as JSON, for the wire


class _Shared:
    """The fields of a view that are the same for every seat seeing one state (`state`, and `s`, the state
    as far as the seat may know it: `_released_state`), built once for all of them, and their JSON,
    encoded once (`view_json`)."""

    __slots__ = ("fields", "json", "keys")

    def __init__(self, state: State, s: State, history: bool) -> None:
        sc = state.scenario
        key = (id(state), id(s), history)
        # (`s` is `state` or a state it holds: the record is forgotten with `state`)
        self.keys = (weakref.ref(state, lambda _, key=key: _SHARES.pop(key, None)), weakref.ref(s), history)  # type: ignore[misc]
        self.fields: dict[str, Any] = {
            "game": _game_info(state),
            "briefing": Briefing(summary=sc.meta.summary, learning_objectives=list(sc.meta.learning_objectives)),
            "rules": state.rules,
            "actors": [_actor(s, a) for a in s.actors],
            "issues": _issues(s),
            "council": _council(s),
            "trade": list(sc.trade),
            "sanctions": dict(s.sanctions),
            "credibility": dict(s.credibility),
            "system": dict(s.system),
            "wars": sorted(s.wars),
            "calls": _calls(s, history),
            "counter_arguments": state.counter_arguments,
        }
        self.json: dict[tuple[str, ...], bytes] = {}
        """Per run of consecutive shared fields (`_layout`): their JSON members, as in every view built with these."""

    def holds(self, state: State, s: State, history: bool) -> bool:
        got_state, got_s, got_history = self.keys
        return got_state() is state and got_s() is s and got_history == history


SHARED_FIELDS = frozenset(
    {
        *("game", "briefing", "rules", "actors", "issues", "council", "trade", "sanctions", "credibility"),
        *("system", "wars", "calls", "counter_arguments"),
    }
)
"""The view fields that depend on the state only, never on the seat (`_Shared`)."""
_SHARES: dict[tuple[int, int, bool], _Shared] = {}
"""Per (state, state as the seat may know it, history), by identity (checked through weak references);
an entry goes with its state."""
SHARES_KEPT = 128
"""`_Shared` records kept at most (the oldest go first): two per state a phase change sends (Control's,
and the teams' and plenary's), for every game changing phase at the same instant, bots' views besides."""


def _shared(state: State, s: State, history: bool) -> _Shared:
    key = (id(state), id(s), history)
    with _INDEX_LOCK:
        hit = _SHARES.get(key)
        if hit is not None and hit.holds(state, s, history):
            return hit
    shared = _Shared(state, s, history)
    with _INDEX_LOCK:
        _SHARES.pop(key, None)
        _SHARES[key] = shared  # (the newest last)
        while len(_SHARES) > SHARES_KEPT:
            del _SHARES[next(iter(_SHARES))]
    return shared


FRAGMENTED_FIELDS = frozenset(
    {"agreements", "messages", "injects", "proposals", "outcomes", "revealed_orders", "orders"}
)
"""Seat-dependent view fields whose items (models: events, orders, memoised agreement and proposal views)
mostly stay the same objects from one state to the next: each item's JSON is encoded once and reused."""
FRAGMENTS_KEPT = 16384
"""Items whose JSON `_fragment` keeps (all are forgotten when it is full): a view's worth (a few hundred)
for every seat of a few dozen games changing phase at once. Each entry holds its item alive."""
_FRAGMENTS: dict[int, tuple[BaseModel, bytes]] = {}


def _fragment(item: BaseModel) -> bytes:
    """`item`'s JSON (as `model_dump_json` gives it), encoded once per item while `_FRAGMENTS` keeps it."""
    hit = _FRAGMENTS.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    if not isinstance(item, BaseModel):
        raise TypeError(f"a fragmented view field holds a {type(item).__name__}")
    text = item.__pydantic_serializer__.to_json(item)
    with _INDEX_LOCK:
        if len(_FRAGMENTS) >= FRAGMENTS_KEPT:
            _FRAGMENTS.clear()
        _FRAGMENTS[id(item)] = (item, text)
    return text


def _encoded(value: object) -> bytes:
    """A fragmented field's value as JSON: a list of models, or a string-keyed map of models or of such maps,
    each model through `_fragment`."""
    if type(value) is list:
        return b"[" + b",".join([_fragment(item) for item in value]) + b"]"
    if type(value) is dict:
        return b"{" + b",".join([b"%s:%s" % (to_json(k), _encoded_item(v)) for k, v in value.items()]) + b"}"
    raise TypeError(f"a fragmented view field holds a {type(value).__name__}")


def _encoded_item(value: object) -> bytes:
    return _encoded(value) if type(value) is dict else _fragment(value)  # type: ignore[arg-type]


_Run = tuple[Literal["shared", "fragmented", "seat"], tuple[str, ...]]
_LAYOUTS: dict[type[SeatView], tuple[_Run, ...]] = {}


def _layout(cls: type[SeatView]) -> tuple[_Run, ...]:
    """The fields of a view class in wire order, in runs: consecutive shared fields, one fragmented field,
    consecutive other (seat-dependent) fields."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        runs: list[_Run] = []
        for name in cls.model_fields:
            kind: Literal["shared", "fragmented", "seat"] = (
                "shared" if name in SHARED_FIELDS else "fragmented" if name in FRAGMENTED_FIELDS else "seat"
            )
            if runs and runs[-1][0] == kind and kind != "fragmented":
                runs[-1] = (kind, (*runs[-1][1], name))
            else:
                runs.append((kind, (name,)))
        layout = _LAYOUTS[cls] = tuple(runs)
    return layout


def _members(v: SeatView, names: tuple[str, ...]) -> bytes:
    """The JSON members (`"name":value`, comma-separated) of fields `names` of `v`, as `model_dump_json` writes them."""
    return v.__pydantic_serializer__.to_json(v, include=set(names))[1:-1]


def view_json(state: State, seat: str) -> bytes:
    """`view(state, seat).model_dump_json()`, byte for byte, for less: at a phase change every seat gets a
    fresh view, and most of it is the same for every seat or was in the last view already. The fields
    every seat shares (`SHARED_FIELDS`) are built and encoded once per state; the items of the large
    seat-dependent lists (`FRAGMENTED_FIELDS`) once per item; the rest per seat. What a seat sees is
    decided by `view` alone: this only encodes the view it built."""
    v, shared = _view(state, seat, True)
    parts: list[bytes] = []
    for kind, names in _layout(type(v)):
        if kind == "shared":
            text = shared.json.get(names)
            if text is None:
                text = shared.json[names] = _members(v, names)
        elif kind == "fragmented":
            text = b"%s:%s" % (to_json(names[0]), _encoded(getattr(v, names[0])))
        else:
            text = _members(v, names)
        if text:
            parts.append(text)
    return b"{" + b",".join(parts) + b"}"


class LogNeeded(Exception):
    """A page of messages older than the state keeps, asked of `message_page` without the game's log."""


class MessageLog(Protocol):
    """The messages of a game's log, where `message_page` reads what the state no longer keeps (each
    channel's newest `MESSAGE_WINDOW` only): the server's store. It may give more than asked (messages of
    other channels, messages a rollback undid): `message_page` filters them as it filters the state's."""

    def find(self, message_id: str) -> Iterable[tuple[int, MessageSent]]:
        """(seq, message) of every logged message with this id (a rollback's undone one may share it)."""
        ...

    def before(self, seq: int, channel: str) -> Iterable[tuple[int, MessageSent]]:
        """(seq, message) of the logged messages before `seq`, newest first: at least those of `channel`."""
        ...


class EventLog:
    """`MessageLog` over a game's events in memory, in order (the first is seq 1): for a fold's caller
    that holds them (tests, tools). The server reads its store instead."""

    def __init__(self, events: Sequence[Event]) -> None:
        self._messages = [(seq, e) for seq, e in enumerate(events, 1) if isinstance(e, MessageSent)]

    def find(self, message_id: str) -> list[tuple[int, MessageSent]]:
        return [(seq, m) for seq, m in self._messages if m.id == message_id]

    def before(self, seq: int, channel: str) -> Iterator[tuple[int, MessageSent]]:
        return ((at, m) for at, m in reversed(self._messages) if at < seq)


def message_page(
    state: State,
    seat: str,
    channel: str,
    before: str | None = None,
    limit: int = HISTORY_PAGE,
    log: MessageLog | None = None,
) -> MessagePage:
    """Up to `limit` messages of `channel` that `seat` may read, the newest before message `before` (or the
    newest of all), oldest first; `more` says whether older ones remain.

    The state keeps each channel's newest `MESSAGE_WINDOW` messages: a page of older ones, or before an
    older one, is read from the game's `log` (the same messages, each older than the state's, as the
    state would have them: those a rollback undid are left out). Without a log, such a page raises
    `LogNeeded`: a caller may try without one first, and read the log only when it must.

    A channel the seat may not read gives an empty page; a `before` that is not a message of the channel
    this seat may read raises `KeyError` (the same for a message that does not exist: nothing leaks).
    """
    if not (seat in (FACILITATOR, OBSERVER) or seat in state.actors):
        raise KeyError(f"unknown seat {seat!r}")
    kept = state.messages
    ch = kept.channels.get(channel)
    if ch is None or not _message_visible(ch.recent[-1][1], seat):
        if before is not None:
            raise KeyError(f"no message {before!r} in channel {channel!r}")
        return MessagePage(channel=channel, messages=[], more=False)
    end = _message_seq(ch, before, log, state, channel) if before is not None else state.seq + 1
    older = ch.count > len(ch.recent)  # (the log has messages of the channel older than the state keeps)
    page: list[MessageSent] = []  # (newest first)
    for seq, m in reversed(ch.recent):
        if seq >= end:
            continue
        if len(page) == limit:
            return MessagePage(channel=channel, messages=page[::-1], more=True)
        page.append(m)
    more = False
    if len(page) == limit:
        more = older
    elif older:
        if log is None:
            raise LogNeeded(f"messages of {channel!r} older than the state keeps are in the game's log only")
        for seq, m in log.before(min(end, ch.recent[0][0]), channel):
            if channel_key(m) != channel or kept.is_undone(seq):
                continue
            if len(page) == limit:
                more = True
                break
            page.append(m)
    page.reverse()
    return MessagePage(channel=channel, messages=page, more=more)


def _message_seq(ch: Channel, before: str, log: MessageLog | None, state: State, channel: str) -> int:
    """The seq of message `before` of the channel (readable: the caller checked), from the state's window
    or else the log; `KeyError` if the channel has no such message (as the state has them)."""
    at = next((seq for seq, m in ch.recent if m.id == before), None)
    if at is None and log is not None and ch.count > len(ch.recent):
        oldest = ch.recent[0][0]
        at = next(
            (
                seq
                for seq, m in log.find(before)
                if seq < oldest and m.id == before and channel_key(m) == channel and not state.messages.is_undone(seq)
            ),
            None,
        )
    if at is None and log is None and ch.count > len(ch.recent):
        raise LogNeeded(f"message {before!r} is not among those the state keeps of {channel!r}: read the log")
    if at is None:
        raise KeyError(f"no message {before!r} in channel {channel!r}")
    return at


def outcome_page(state: State, seat: str, turn: int) -> OutcomePage:
    """Every released adjudication result of `turn` that `seat` may see (a view carries the newest
    `OUTCOMES_IN_VIEW` only), in log order, another seat's perceptions left out; the turn's revealed
    orders as the seat may see them; and the proposals made in the turn that the seat may see (a view
    carries the open ones and the last turns' only), with their status as the seat may know it. A turn
    without results, or whose results are not released to the seat yet, gives no results; a turn the
    game has not reached raises `KeyError`."""
    if not (seat in (FACILITATOR, OBSERVER) or seat in state.actors):
        raise KeyError(f"unknown seat {seat!r}")
    if turn > state.turn:
        raise KeyError(f"no turn {turn} yet: the game is at turn {state.turn}")
    s = _released_state(state, seat)
    page = [
        _redacted(e, seat)
        if isinstance(e, Outcome)
        else _sanction_seen(e, seat, s)
        if isinstance(e, SanctionImposed | SanctionLifted)
        else e
        for e in s.outcomes
        if getattr(e, "turn", 0) == turn and _outcome_seen(e, seat)
    ]
    proposals = [_proposal(p) for p in s.proposals.values() if p.turn == turn and _proposal_seen(p, seat)]
    return OutcomePage(turn=turn, outcomes=page, orders=_turn_orders(s, turn, seat), proposals=proposals)
