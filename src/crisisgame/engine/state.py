"""Game state: immutable values built from a scenario and folded forward by `apply`.

State is a tree of frozen dataclasses. `apply` never mutates a state it was given: it returns a new
one that shares every unchanged part with the old. Growing histories (outcomes, injects) are kept
in `Log`, an append-only sequence whose appends are O(1) and which is safe to share between states.
Messages, which students may send by the thousand, are not all kept: `Messages` holds each channel's
newest ones and counts the rest, which only the game's log (the store) holds from then on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from crisisgame.engine.commands import Orders, Proposal
from crisisgame.engine.events import (
    Amended,
    Event,
    FreeformApplied,
    FreeformRated,
    InjectReleased,
    MessageSent,
    Phase,
)
from crisisgame.engine.obligations import CALLABLE, clauses
from crisisgame.engine.power import cinc
from crisisgame.scenario.geo import distance_km
from crisisgame.scenario.model import AidTerm, Clause, SanctionTerm, Scenario
from crisisgame.scenario.rulebook import Rulebook

T = TypeVar("T")


class Log(Generic[T]):
    """An append-only sequence that states can share: each state sees its own first `n` items."""

    __slots__ = ("_items", "_n")

    def __init__(self, items: list[T] | None = None, n: int | None = None) -> None:
        self._items: list[T] = items if items is not None else []
        self._n = len(self._items) if n is None else n

    def append(self, item: T) -> Log[T]:
        if len(self._items) == self._n:
            self._items.append(item)
            return Log(self._items, self._n + 1)
        return Log([*self._items[: self._n], item])  # this state is a branch: copy once

    def __iter__(self) -> Iterator[T]:
        return iter(self._items[: self._n]) if len(self._items) != self._n else iter(self._items)

    def backing(self) -> list[T]:
        """The list this log shares with the logs it grew from and into (read only; items past `len(self)`
        belong to later states or to another branch): lets a reader resume where it stopped."""
        return self._items

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: int) -> T:
        if not -self._n <= index < self._n:
            raise IndexError(index)
        return self._items[index % self._n]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Log) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Log({list(self)!r})"


MESSAGE_WINDOW = 100
"""Messages of one channel a state keeps (the newest), and so a view carries at most: a flood in one
channel cannot make every view weigh megabytes, nor the server's memory grow with every message sent,
and a quiet channel keeps its history however busy the others are. Older messages are in the game's
log only, paged from there (`view.message_page`)."""


def channel_key(m: MessageSent) -> str:
    """The channel a message belongs to, the same for every seat: 'public', or the kind and its members
    ('private:ALPHA,BRAVO', 'group:ALPHA,BRAVO,CHARLIE'; sorted, the sender included)."""
    if m.channel == "public":
        return "public"
    return f"{m.channel}:{','.join(sorted({m.sender, *m.to}))}"


@dataclass(frozen=True)
class Channel:
    """One channel's messages as a state keeps them: the newest `MESSAGE_WINDOW`, and counts."""

    recent: tuple[tuple[int, MessageSent], ...]
    """(seq, message) of its newest messages, oldest first: the seq is the message's in the game's log."""
    count: int
    """Every message the channel has had (`recent` and those older)."""
    turn: int
    """The turn of its newest message."""
    in_turn: int
    """Its messages of that turn (`recent` and those older)."""

    def add(self, seq: int, m: MessageSent) -> Channel:
        recent = (*self.recent[-(MESSAGE_WINDOW - 1) :], (seq, m)) if MESSAGE_WINDOW > 1 else ((seq, m),)
        in_turn = self.in_turn + 1 if m.turn == self.turn else 1
        return Channel(recent, self.count + 1, m.turn, in_turn)


_NO_CHANNEL = Channel((), 0, -1, 0)


@dataclass(frozen=True)
class Messages:
    """The messages of a game as its state keeps them, by channel (`channel_key`): each channel's newest
    `MESSAGE_WINDOW` with their seqs, what a view shows, and how many each has had. The bodies of older
    ones are in the game's log only: nothing the rules decide reads a message, and a seat pages older
    ones from the log (`view.message_page`), so the state, and the server that holds it, stays the same
    size however many messages a game has. Appends copy one channel's window and the channel map: O(1)
    in the length of the game."""

    channels: Mapping[str, Channel] = field(default_factory=dict)
    count: int = 0
    """Every message of the game (as this state has them: those a rollback undid are not counted)."""
    undone: tuple[tuple[int, int], ...] = ()
    """(after, last) seq ranges of the log whose messages a rollback undid (`RolledBack`): they are in
    the log, and in no state after the rollback."""

    def add(self, seq: int, m: MessageSent) -> Messages:
        key = channel_key(m)
        channel = self.channels.get(key, _NO_CHANNEL).add(seq, m)
        return Messages({**self.channels, key: channel}, self.count + 1, self.undone)

    def rolled_back(self, after: int, last: int) -> Messages:
        """These messages once the messages at seqs `after` < seq <= `last` were undone (this state is the
        one the rollback returns to, which has none of them)."""
        kept = tuple((a, b) for a, b in self.undone if not after <= a < b <= last)
        return Messages(self.channels, self.count, (*kept, (after, last)))

    def is_undone(self, seq: int) -> bool:
        """Whether the message at `seq` of the log was undone by a rollback."""
        return any(a < seq <= b for a, b in self.undone)

    def held(self) -> list[tuple[int, MessageSent]]:
        """(seq, message) of every message the state holds (each channel's newest), in log order."""
        return sorted((x for c in self.channels.values() for x in c.recent), key=lambda x: x[0])

    def __len__(self) -> int:
        return self.count


S = TypeVar("S")


def evolve(obj: S, **changes: Any) -> S:
    """A copy of a frozen dataclass with some fields changed: `dataclasses.replace` without
    re-running `__init__`, which matters in a fold that applies tens of thousands of events."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def pair(a: str, b: str) -> str:
    """Key of the directed pair a -> b (a's view of b)."""
    return f"{a}>{b}"


def dyad(a: str, b: str) -> str:
    """Key of the undirected pair {a, b} (e.g. a war)."""
    return "|".join(sorted((a, b)))


ACTOR_FIELDS = frozenset(
    {
        *("milex", "milper", "irst", "pec", "tpop", "upop", "gdp", "approval", "reputation", "defence_spending"),
        *("mobilisation", "power_projection", "abandonment_fear", "entrapment_risk", "cinc", "score", "cohesion"),
    }
)
"""Numeric actor fields an outcome may set."""


@dataclass(frozen=True)
class ActorState:
    id: str
    name: str
    kind: str
    playable: bool
    regime: str
    temperament: str
    identities: tuple[str, ...]
    lat: float
    lon: float
    milex: float | None
    milper: float | None
    irst: float | None
    pec: float | None
    tpop: float | None
    upop: float | None
    gdp: float | None
    approval: float
    audience_cost_sensitivity: float
    reputation: float
    defence_spending: float
    mobilisation: float
    power_projection: float
    win_sets: Mapping[str, tuple[float, float]]
    abandonment_fear: float = 0.0
    entrapment_risk: float = 0.0
    cinc: float = 0.0
    score: float = 0.0
    cohesion: float = 1.0
    behaviour: str = "neutrality"
    alignment: str | None = None
    warheads: int = 0
    second_strike: bool = False

    def components(self) -> dict[str, float | None]:
        return {c: getattr(self, c) for c in ("milex", "milper", "irst", "pec", "tpop", "upop")}


@dataclass(frozen=True)
class AgreementState:
    id: str
    name: str
    type: str
    parties: tuple[str, ...]
    guarantors: tuple[str, ...]
    strength: float
    ambiguity: float
    conditionality: float
    duration: int | None
    mandate: str
    public: bool
    since_turn: int
    troops: int | None = None
    host: str | None = None
    item: str | None = None
    value_usd_m: float | None = None
    issue: str | None = None
    position: float | None = None
    active: bool = True
    clauses: tuple[Clause, ...] = ()
    """Obligations with trigger and scope; empty means the type's defaults (see engine.obligations)."""
    notice_until: int | None = None
    """Turn at which a renunciation given with notice takes effect."""
    notice_by: str | None = None
    """The party that gave notice of renunciation (the first, in id order, if two did in one turn)."""
    notice_reason: str | None = None
    """The reason that party stated for renouncing (`Orders.renounce_reasons`), if it stated one."""
    initial_duration: int | None = None
    """The term it was concluded for, which a renewal grants again."""
    host_consent: str = "standing"
    """'standing': the host consented to combat use of the bases in the agreement; 'case_by_case': it decides
    each turn (scenario field `terms.host_consent`)."""
    suspended: bool = False
    """Ended by a suspension (not in force, but a party may resume it)."""
    sanction_terms: tuple[SanctionTerm, ...] = ()
    """Sanctions coalition terms: who is committed to sanction whom while it is in force."""
    aid_terms: tuple[AidTerm, ...] = ()
    """Aid terms: who gives whom how much aid each turn while it is in force."""

    def sanctioners(self, term: SanctionTerm) -> tuple[str, ...]:
        """The parties a sanctions term commits: those it names, or every party but the target."""
        return tuple(p for p in (term.by or self.parties) if p != term.target)

    def binds(self, actor: str) -> bool:
        """Whether a sanctions or aid term of this agreement commits `actor` to act."""
        return any(actor in self.sanctioners(t) for t in self.sanction_terms) or any(
            a.donor == actor for a in self.aid_terms
        )

    def obligations(self) -> tuple[Clause, ...]:
        return self.clauses or clauses(self.type, ())

    def obliged(self) -> tuple[str, ...]:
        """Parties obliged to help: the guarantors, or every party."""
        return self.guarantors or self.parties

    def protects(self, actor: str) -> tuple[str, ...]:
        """Who is obliged to help `actor` under this agreement: empty unless a clause obliges help in war."""
        if actor not in self.parties or not any(c.kind in CALLABLE for c in self.obligations()):
            return ()
        return tuple(g for g in self.obliged() if g != actor)


PROTECTIVE = frozenset({"defence_pact", "security_guarantee", "offence_pact"})
"""Agreement types whose partners can be called to fight unless their obligations say otherwise."""


@dataclass(frozen=True)
class ProposalState:
    id: str
    sender: str
    proposal: Proposal
    turn: int
    status: Literal["open", "accepted", "withdrawn", "rejected", "expired", "countered", "ratified", "failed"]
    accepted: frozenset[str] = frozenset()
    counter_of: str | None = None


@dataclass(frozen=True)
class DemandState:
    id: str
    actor: str
    target: str
    issue: str
    position: float
    public: bool
    turn: int
    status: str = "open"


@dataclass(frozen=True)
class CallState:
    id: str
    agreement: str
    caller: str
    adversary: str
    obligated: tuple[str, ...]
    turn: int
    answers: Mapping[str, bool] = field(default_factory=dict)
    status: str = "open"
    clause: str | None = None


@dataclass(frozen=True)
class ResolutionState:
    id: str
    sponsor: str
    kind: str
    target: str
    authorised: tuple[str, ...]
    turn: int
    votes: Mapping[str, str] = field(default_factory=dict)
    status: str = "tabled"
    """tabled, adopted or failed."""


@dataclass(frozen=True)
class FreeformState:
    """A free-form action: as argued, then as rated, rolled and applied (engine/freeform.py)."""

    id: str
    actor: str
    turn: int
    what: str
    intended_effect: str
    arguments: tuple[str, ...]
    public: bool
    counters: tuple[tuple[str, str], ...] = ()
    """(actor, text) of each counter-argument, in order."""
    rating: FreeformRated | None = None
    """The `FreeformRated` event, once rated and rolled."""
    applied: FreeformApplied | None = None
    """The `FreeformApplied` event, once its effects are applied."""


@dataclass(frozen=True)
class State:
    scenario: Scenario
    seed: int
    rules: Rulebook
    teams: frozenset[str]
    auto_release: bool
    actors: Mapping[str, ActorState]
    intent: Mapping[str, float]
    intent_prior: Mapping[str, float]
    distance: Mapping[str, float]
    agreements: Mapping[str, AgreementState]
    seq: int = 0
    turn: int = 0
    phase: Phase = "lobby"
    deadline: float | None = None
    paused: bool = False
    remaining: float | None = None
    released: bool = True
    ready: frozenset[str] = frozenset()
    threat: Mapping[str, float] = field(default_factory=dict)
    credibility: Mapping[str, float] = field(default_factory=dict)
    """q, keyed 'guarantor>partner': what others believe about the guarantor coming to help."""
    troops: Mapping[str, int] = field(default_factory=dict)
    dependence: Mapping[str, float] = field(default_factory=dict)
    conquests: Mapping[str, float] = field(default_factory=dict)
    """Keyed 'victor>target': the share of the target's economy (as it was before any conquest) the victor has
    taken from it as spoils of war in this game (step 6, `crisis.spoils`)."""
    wars: frozenset[str] = frozenset()
    proposals: Mapping[str, ProposalState] = field(default_factory=dict)
    demands: Mapping[str, DemandState] = field(default_factory=dict)
    calls: Mapping[str, CallState] = field(default_factory=dict)
    resolutions: Mapping[str, ResolutionState] = field(default_factory=dict)
    sanctions: Mapping[str, str] = field(default_factory=dict)
    """Sanctions in force, keyed 'actor>target': 'sanctions' or 'embargo'."""
    sanction_basis: Mapping[str, str] = field(default_factory=dict)
    """For sanctions imposed under an agreement's sanctions term, keyed 'actor>target': the agreement's id
    (they end with it). Sanctions imposed by an order or a Council resolution have no entry."""
    settled: Mapping[str, float] = field(default_factory=dict)
    system: Mapping[str, float] = field(default_factory=dict)
    orders: Mapping[str, Orders] = field(default_factory=dict)
    revealed: Mapping[int, Mapping[str, Orders]] = field(default_factory=dict)
    messages: Messages = field(default_factory=Messages)
    injects: Log[InjectReleased] = field(default_factory=Log)
    outcomes: Log[Event] = field(default_factory=Log)
    amendments: Log[Amended] = field(default_factory=Log)
    corrections: Log[Event] = field(default_factory=Log)
    """Control's rollbacks and amendments, in order, kept through later rollbacks: every seat is told of
    them with their reasons (`engine.news.announcements`)."""
    counter: int = 0
    freeform: Mapping[str, FreeformState] = field(default_factory=dict)
    """Free-form actions by id (every turn's)."""
    counter_arguments: bool = True
    """Whether teams may counter-argue other teams' public free-form actions (a per-game setting)."""
    turn_start: State | None = None
    """The state when this turn's briefing began: what a rollback returns to."""
    sealed: State | None = None
    """The state just before this turn's adjudication: what teams see until results are released."""

    # -- helpers used by the rules and views ------------------------------------------------

    @property
    def ids(self) -> list[str]:
        return list(self.actors)

    def km(self, a: str, b: str) -> float:
        return self.distance[pair(a, b)]

    def intent_of(self, a: str, b: str) -> float:
        return self.intent.get(pair(a, b), 0.0)

    def threat_of(self, a: str, b: str) -> float:
        return self.threat.get(pair(a, b), 0.0)

    def credibility_of(self, guarantor: str, partner: str) -> float:
        return self.credibility.get(pair(guarantor, partner), 0.0)

    def at_war(self, a: str, b: str) -> bool:
        return dyad(a, b) in self.wars

    def active_agreements(self) -> Iterator[AgreementState]:
        return (ag for ag in self.agreements.values() if ag.active)

    def allies_of(self, actor: str) -> set[str]:
        """Actors obliged to defend `actor` under an active protective agreement."""
        return {g for ag in self.active_agreements() for g in ag.protects(actor)}

    def aligned(self, a: str, b: str) -> bool:
        """Whether a and b share any active agreement."""
        return any(a in ag.parties and b in ag.parties for ag in self.active_agreements())

    def mandate_for(self, actors: tuple[str, ...] | list[str]) -> str:
        """The strongest mandate `actors` hold: 'unsc' if an adopted resolution authorises one of them,
        'regional' if one of them is a regional body the scenario names, else 'none'."""
        if any(r.status == "adopted" and set(r.authorised) & set(actors) for r in self.resolutions.values()):
            return "unsc"
        council = self.scenario.council
        if council is not None and set(council.regional_bodies) & set(actors):
            return "regional"
        return "none"

    def sanction_bound(self, actor: str, target: str) -> AgreementState | None:
        """The agreement in force (first by id) whose sanctions term commits `actor` to sanction `target`."""
        for ag in sorted(self.active_agreements(), key=lambda a: a.id):
            if any(t.target == target and actor in ag.sanctioners(t) for t in ag.sanction_terms):
                return ag
        return None

    def bots(self) -> list[str]:
        return [a for a in self.actors if a not in self.teams]


def _agreement(ag: Any, turn: int) -> AgreementState:
    terms = ag.terms
    return AgreementState(
        id=ag.id,
        name=ag.name,
        type=ag.type,
        parties=tuple(ag.parties),
        guarantors=tuple(ag.guarantors),
        strength=ag.strength,
        ambiguity=ag.ambiguity,
        conditionality=ag.conditionality,
        duration=ag.duration,
        mandate=ag.mandate,
        public=ag.public,
        since_turn=turn,
        troops=terms.troops,
        host=terms.host,
        item=terms.item,
        value_usd_m=terms.value_usd_m,
        issue=terms.issue,
        position=terms.position,
        clauses=clauses(ag.type, ag.obligations),
        initial_duration=ag.duration,
        host_consent=terms.host_consent,
        sanction_terms=tuple(terms.sanctions),
        aid_terms=tuple(terms.aid),
    )


def initial_state(
    scenario: Scenario, seed: int, teams: frozenset[str] | None = None, auto_release: bool = True
) -> State:
    """The state before turn 1: capabilities in COW units, CINC, priors of intent, deployments."""
    actors: dict[str, ActorState] = {}
    for a in scenario.actors:
        comps: dict[str, float | None] = dict.fromkeys(("milex", "milper", "irst", "pec", "tpop", "upop"))
        gdp = None
        if a.capabilities is not None:
            comps = a.capabilities.to_cow_units()
            gdp = a.capabilities.gdp_usd_bn()
        actors[a.id] = ActorState(
            id=a.id,
            name=a.name,
            kind=a.kind,
            playable=a.playable,
            regime=a.regime,
            temperament=a.temperament,
            identities=tuple(a.identities),
            lat=a.position.lat,
            lon=a.position.lon,
            milex=comps["milex"],
            milper=comps["milper"],
            irst=comps["irst"],
            pec=comps["pec"],
            tpop=comps["tpop"],
            upop=comps["upop"],
            gdp=gdp,
            approval=a.domestic.approval,
            audience_cost_sensitivity=a.domestic.audience_cost_sensitivity,
            reputation=a.reputation,
            defence_spending=a.defence_spending,
            mobilisation=a.mobilisation,
            power_projection=a.power_projection,
            win_sets={k: (w.low, w.high) for k, w in a.domestic.win_sets.items()},
            warheads=a.nuclear.warheads if a.nuclear else 0,
            second_strike=a.nuclear.second_strike if a.nuclear else False,
        )
    shares = cinc({aid: s.components() for aid, s in actors.items()})
    actors = {aid: evolve(s, cinc=shares[aid]) for aid, s in actors.items()}
    ids = list(actors)
    intent = {pair(a, b): scenario.default_intent for a in ids for b in ids if a != b}
    for entry in scenario.intent:
        intent[pair(entry.of, entry.toward)] = entry.value
    distance = {
        pair(a, b): distance_km(actors[a].lat, actors[a].lon, actors[b].lat, actors[b].lon)
        for a in ids
        for b in ids
        if a != b
    }
    troops: dict[str, int] = {}
    for a in scenario.actors:
        for dep in a.forces_abroad:
            troops[pair(a.id, dep.host)] = troops.get(pair(a.id, dep.host), 0) + dep.troops
    playable = frozenset(a.id for a in scenario.actors if a.playable)
    return State(
        scenario=scenario,
        seed=seed,
        rules=scenario.rules,
        teams=playable if teams is None else teams,
        auto_release=auto_release,
        actors=actors,
        intent=intent,
        intent_prior=dict(intent),
        distance=distance,
        agreements={ag.id: _agreement(ag, 0) for ag in scenario.agreements},
        troops=troops,
    )
