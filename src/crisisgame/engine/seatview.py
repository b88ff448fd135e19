"""The seat view as typed models: what `view(state, seat)` returns and the server sends as `view`.

Three shapes, told apart by their fields (each model refuses fields it does not define):
`SeatView` is what every seat sees (the plenary screen gets exactly this), `TeamView` adds `me`
(a team's or a bot's own state and perceptions), `FacilitatorView` adds what only Control sees.
The field order is the order on the wire. Models from the engine (events, orders, proposals,
the rulebook, scenario objectives) are embedded as they are, so the protocol schema describes
each of them once.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from crisisgame.engine.commands import Orders, Proposal
from crisisgame.engine.events import (
    Amended,
    Audience,
    Event,
    FreeformApplied,
    FreeformRated,
    InjectReleased,
    MessageSent,
    Phase,
)
from crisisgame.scenario.model import AidTerm, Objective, SanctionTerm, TradeLink
from crisisgame.scenario.rulebook import Rulebook


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _objectives_json(objectives: list[Objective]) -> list[dict[str, Any]]:
    """Objectives as the scenario file spells them (`with`, `from`: the aliases, not the Python names)."""
    return [o.model_dump(mode="json", by_alias=True) for o in objectives]


class GameInfo(_View):
    """Where the game stands: turn, phase and clock."""

    scenario: str
    title: str
    region: str
    date: str = Field(description="The scenario's date (ISO 8601).")
    turn: int
    turns: int = Field(description="Turns the game lasts.")
    phase: Phase
    deadline: float | None = Field(description="When the phase ends (Unix time); null while paused or untimed.")
    paused: bool
    remaining: float | None = Field(description="Seconds left in the phase while the clock is paused.")
    released: bool = Field(description="Whether this turn's results are out to the teams.")
    ready: list[str] = Field(description="Teams that said they are ready to move on.")
    teams: list[str] = Field(description="Actors played by teams (bots play the others).")
    seq: int


class Briefing(_View):
    summary: str
    learning_objectives: list[str]


class Position(_View):
    lat: float
    lon: float


class CapabilitiesView(_View):
    """Correlates of War capability components (COW units), and GDP."""

    milex: float | None
    milper: float | None
    irst: float | None
    pec: float | None
    tpop: float | None
    upop: float | None
    gdp_usd_bn: float | None


class NuclearView(_View):
    """An actor's nuclear forces as the scenario states them (public estimates)."""

    warheads: int = Field(description="Warheads in the stockpile (0: none).")
    second_strike: bool = Field(description="Whether its arsenal would survive a first strike.")


class ActorView(_View):
    """An actor's public figures: what every seat may know of it."""

    id: str
    name: str
    kind: str
    playable: bool
    team: bool = Field(description="Played by a team (not a bot).")
    regime: str
    position: Position
    capabilities: CapabilitiesView
    cinc: float
    approval: float
    reputation: float
    defence_spending: float = Field(description="Percent of GDP.")
    baseline_spending: float = Field(description="Defence spending at the start of the scenario (percent of GDP).")
    mobilisation: float
    power_projection: float
    abandonment_fear: float
    entrapment_risk: float
    cohesion: float
    behaviour: str
    alignment: str | None
    identities: list[str]
    nuclear: NuclearView
    conquests: dict[str, float] = Field(
        default_factory=dict,
        description="Share of each state's economy (as it was before any conquest) this one has taken from it as "
        "spoils of war in this game, by state id (public: conquest is seen).",
    )
    objectives: list[Objective] = Field(description="Its public objectives.")

    @field_serializer("objectives")
    def _objectives(self, v: list[Objective]) -> list[dict[str, Any]]:
        return _objectives_json(v)


class AgreementTerms(_View):
    troops: int | None
    host: str | None
    host_consent: str = Field(
        "standing", description="'standing' (consent given in the agreement) or 'case_by_case' (the host decides)."
    )
    item: str | None
    value_usd_m: float | None
    issue: str | None
    position: float | None
    sanctions: list[SanctionTerm] = Field(
        [],
        exclude_if=lambda v: v == [],
        description="Sanctions coalition terms: who is committed to sanction whom while it is in force (absent: none).",
    )
    aid: list[AidTerm] = Field(
        [],
        exclude_if=lambda v: v == [],
        description="Aid terms: who gives whom how much aid (US$ m) each turn in force (absent: none).",
    )


class AgreementView(_View):
    id: str
    name: str
    type: str
    parties: list[str]
    guarantors: list[str]
    strength: float
    ambiguity: float
    conditionality: float
    duration: int | None
    mandate: str
    public: bool
    active: bool
    since_turn: int
    notice_until: int | None = Field(description="Last turn of a renounced agreement's notice period, if renounced.")
    notice_by: str | None = Field(
        None, exclude_if=lambda v: v is None, description="The party that gave notice renouncing it (absent: none)."
    )
    notice_reason: str | None = Field(
        None,
        exclude_if=lambda v: v is None,
        description="The reason that party stated for renouncing it (absent: none stated, or not renounced).",
    )
    binding: bool = Field(
        False,
        description="Whether a clause obliges its guarantors to help in war (defence, offence or extended "
        "deterrence), so a partner can call on them; false for a consultation-only agreement.",
    )
    terms: AgreementTerms


class IssueView(_View):
    id: str
    name: str
    divisible: bool
    description: str
    positions: dict[str, float] = Field(description="Each interested actor's ideal position on the axis [0, 1].")
    settled: float | None = Field(description="Where the issue was settled, if it was.")


class ResolutionView(_View):
    """A draft resolution of the Security Council and the votes cast on it."""

    id: str
    sponsor: str
    kind: str
    target: str
    authorised: list[str]
    turn: int
    votes: dict[str, str]
    status: str = Field(description="tabled, adopted or failed.")


class CouncilView(_View):
    """The scenario's Security Council seats, and every draft tabled in this game."""

    members: list[str]
    permanent: list[str]
    regional_bodies: list[str]
    source: str | None
    resolutions: list[ResolutionView]


class ProposalView(_View):
    id: str
    sender: str
    turn: int
    status: str
    accepted: list[str]
    counter_of: str | None
    proposal: Proposal


class CounterView(_View):
    actor: str
    text: str


class FreeformView(_View):
    """A free-form action as this seat may see it: a public one by all, a private one by its team and Control."""

    id: str
    actor: str
    turn: int
    what: str
    intended_effect: str
    arguments: list[str]
    public: bool
    counters: list[CounterView]
    suggested: float | None = Field(
        description="The chance the arguments suggest (engine/freeform.py); Control's view, and teams' once rated."
    )
    rating: FreeformRated | None = Field(description="The chance rated and the roll, once results are out.")
    applied: FreeformApplied | None = Field(description="The effects applied, once results are out.")


class CallView(_View):
    """A call for help under an agreement, and the obligated partners' answers so far."""

    id: str
    agreement: str
    caller: str
    adversary: str
    obligated: list[str]
    answers: dict[str, bool]
    status: str
    turn: int


class DemandView(_View):
    id: str
    actor: str
    target: str
    issue: str
    position: float
    public: bool
    status: str
    turn: int


class Announcement(_View):
    """Control's correction told to every seat: a rollback or an amendment, with its reason."""

    turn: int
    title: str
    text: str


class SeatView(_View):
    """What every seat sees; the plenary screen's (`observer`) view is exactly this."""

    seat: str
    game: GameInfo
    briefing: Briefing
    rules: Rulebook
    actors: list[ActorView]
    agreements: list[AgreementView]
    issues: list[IssueView]
    council: CouncilView | None = Field(description="The Security Council, if the scenario has one.")
    trade: list[TradeLink] = Field(description="Bilateral trade dependence (what sanctions cost each side).")
    sanctions: dict[str, str] = Field(description="Sanctions in force, keyed 'actor>target': 'sanctions' or 'embargo'.")
    sanction_basis: dict[str, str] = Field(
        {}, description="Sanctions imposed under an agreement's sanctions term, keyed 'actor>target': its id."
    )
    credibility: dict[str, float] = Field(description="q, keyed 'guarantor>partner'.")
    system: dict[str, float]
    wars: list[str] = Field(description="Dyads at war, 'A|B'.")
    messages: list[MessageSent] = Field(
        description="The newest messages of each channel this seat may read (at most `MESSAGE_WINDOW` per channel "
        "and `MESSAGES_IN_VIEW` in all), oldest first; ask for older ones with `history`."
    )
    older_messages: dict[str, int] = Field(
        description="For each channel (see `history`) with messages older than those in `messages`: how many."
    )
    injects: list[InjectReleased]
    proposals: list[ProposalView] = Field(
        description="The proposals this seat is party to (all of them for the facilitator) that are open or "
        "awaiting ratification, and the closed ones of the last two turns; older turns' come with `outcome_history`."
    )
    older_proposals: dict[str, int] = Field(
        default_factory=dict,
        description="For each turn (as a string) with closed proposals older than those in `proposals`: how many.",
    )
    calls: list[CallView] = Field(
        description="Open calls and those of the last two turns (a bot's view: every call of the game)."
    )
    demands: list[DemandView]
    outcomes: list[Event] = Field(
        description="The newest released adjudication results (outcomes, agreements, calls; at most "
        "`OUTCOMES_IN_VIEW`), oldest first; ask for older turns' with `outcome_history`."
    )
    older_outcomes: dict[str, int] = Field(
        default_factory=dict,
        description="For each turn (as a string) with released results older than those in `outcomes`: how many.",
    )
    revealed_orders: dict[str, dict[str, Orders]] = Field(
        description="The orders of the newest adjudicated turns (`REVEALED_TURNS_IN_VIEW`; every turn in a bot's "
        "view) by actor, as far as this seat may see them; older turns' come with `outcome_history`."
    )
    freeform: list[FreeformView] = Field([], description="Free-form actions this seat may see, oldest first.")
    counter_arguments: bool = Field(True, description="Whether teams may counter-argue public free-form actions.")
    announcements: list[Announcement] = Field(
        default_factory=list,
        description="Control's rollbacks and amendments so far, oldest first, each with its reason (amendments "
        "once the turn's results are released).",
    )


class Me(_View):
    """A team's own state: objectives (secret ones too), win-sets, perceptions, sealed orders."""

    id: str
    temperament: str
    objectives: list[Objective]
    objectives_met: list[bool] = Field(
        description="For each of `objectives`, in order: whether it is met now, as the engine scores it "
        "(on the state this seat sees: results not yet released are left out). Clients show it; never recompute."
    )
    win_sets: dict[str, tuple[float, float]] = Field(description="Per issue, the positions its public would ratify.")
    intent: dict[str, float] = Field(description="How aggressive it believes each other actor is.")
    threat: dict[str, float] = Field(description="The threat it perceives from each other actor.")
    score: float
    orders: Orders | None = Field(description="Its orders for this turn, once submitted.")
    troops_abroad: dict[str, int]
    dependence: dict[str, float]
    audience_cost_sensitivity: float = Field(
        0.5, description="How much its public punishes backing down or a broken promise (0 to 1; the scenario's)."
    )

    @field_serializer("objectives")
    def _objectives(self, v: list[Objective]) -> list[dict[str, Any]]:
        return _objectives_json(v)


class TeamView(SeatView):
    """A team's (or a bot's) view: the common view and its own state."""

    me: Me


class ScriptEntry(_View):
    """A scripted inject of the scenario, and whether it has been released."""

    id: str
    turn: int
    title: str
    audience: Audience
    conditional: bool
    released: bool


class FacilitatorView(SeatView):
    """Control's view: everything, sealed orders, perceptions and secret objectives included."""

    submitted: list[str]
    orders: dict[str, Orders]
    amendments: list[Amended]
    intent: dict[str, float] = Field(description="Every perception of intent, keyed 'of>toward'.")
    threat: dict[str, float] = Field(description="Every perceived threat, keyed 'of>toward'.")
    secret_objectives: dict[str, list[Objective]]
    scores: dict[str, float]
    script: list[ScriptEntry]

    @field_serializer("secret_objectives")
    def _secret_objectives(self, v: dict[str, list[Objective]]) -> dict[str, list[dict[str, Any]]]:
        return {k: _objectives_json(objs) for k, objs in v.items()}


class MessagePage(_View):
    """A page of older messages of one channel (the answer to `history`)."""

    channel: str = Field(description="The channel: 'public', or 'private:A,B' / 'group:A,B,C' (members sorted).")
    messages: list[MessageSent] = Field(description="Oldest first, each older than the messages the client holds.")
    more: bool = Field(description="Whether the channel has older messages still.")


class OutcomePage(_View):
    """Every released adjudication result of one turn the seat may see (the answer to `outcome_history`)."""

    turn: int = Field(description="The turn asked for.")
    outcomes: list[Event] = Field(description="The turn's results in the order they were decided.")
    orders: dict[str, Orders] = Field(
        description="The turn's revealed orders by actor, as far as this seat may see them."
    )
    proposals: list[ProposalView] = Field(
        default_factory=list,
        description="The proposals made in the turn that this seat is party to (every one for the facilitator).",
    )


View = FacilitatorView | TeamView | SeatView
"""Any seat's view (each shape refuses the fields of the others, so a view matches exactly one)."""
