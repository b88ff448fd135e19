"""Events: the facts a game is made of. The event log is the truth; state is a fold over it.

Every event is a versioned pydantic model that serialises to one JSON line. Adjudication results
are `Outcome` events: the values they set and the reason for them (rule, inputs, each term's
contribution, a sentence a student can read, citation keys), so a debrief can always say why.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from crisisgame.engine.commands import Orders, Proposal
from crisisgame.scenario.model import Effect, Phases

Phase = Literal["lobby", "briefing", "diplomacy", "orders", "results", "ended"]
Audience = Literal["public"] | list[str]
Value = float | bool | str | None


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = Field(1, description="Schema version of this event type.")
    at: float = Field(0.0, description="Game clock (seconds) when the event happened.")


class Reason(BaseModel):
    """Why the engine decided: the rule, its inputs, each term's contribution, and the literature."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    step: int = Field(description="Step of the adjudication pipeline (0 outside it).")
    explanation: str
    inputs: dict[str, Value] = {}
    terms: dict[str, float] = {}
    citations: list[str] = []


class Change(BaseModel):
    """One value set by an outcome: `target` and `key` say where, `field` what."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: Literal["actor", "pair", "agreement", "issue", "system", "demand", "call", "proposal"]
    key: str
    field: str
    value: Value


class GameCreated(_Event):
    type: Literal["game_created"] = "game_created"
    scenario: dict[str, Any]
    seed: int
    teams: list[str] = Field(description="Actors played by teams; bots play the others.")
    auto_release: bool = Field(True, description="Release results without waiting for the facilitator.")


class PhaseStarted(_Event):
    type: Literal["phase_started"] = "phase_started"
    turn: int
    phase: Phase
    deadline: float | None


class ClockPaused(_Event):
    type: Literal["clock_paused"] = "clock_paused"
    remaining: float | None


class ClockResumed(_Event):
    type: Literal["clock_resumed"] = "clock_resumed"
    deadline: float | None


class ClockExtended(_Event):
    type: Literal["clock_extended"] = "clock_extended"
    seconds: int
    deadline: float | None


class ServerDowntime(_Event):
    """The server was down from `down_since` to `at` (a crash or a restart): the phase's deadline
    moves on by that long, so no team loses the time it could not play."""

    type: Literal["server_downtime"] = "server_downtime"
    down_since: float = Field(description="Last moment the server was known to be running (wall clock).")
    seconds: float = Field(description="How long it was down; the deadline moves on by this much.")
    deadline: float | None = Field(description="The phase's new deadline (None while the clock is paused).")


class PhasesSet(_Event):
    """The facilitator changed this game's phase lengths (they apply from the next phase on)."""

    type: Literal["phases_set"] = "phases_set"
    phases: Phases


class ReadyChanged(_Event):
    type: Literal["ready_changed"] = "ready_changed"
    actor: str
    ready: bool


class MessageSent(_Event):
    type: Literal["message_sent"] = "message_sent"
    id: str
    turn: int
    channel: Literal["public", "private", "group"]
    sender: str
    to: list[str]
    text: str
    author: str | None = Field(None, description="Display name of the student who wrote it (None: a bot or Control).")


class ProposalMade(_Event):
    type: Literal["proposal_made"] = "proposal_made"
    id: str
    turn: int
    sender: str
    proposal: Proposal
    counter_of: str | None = None


class ProposalAnswered(_Event):
    type: Literal["proposal_answered"] = "proposal_answered"
    id: str
    actor: str
    accept: bool


class ProposalClosed(_Event):
    type: Literal["proposal_closed"] = "proposal_closed"
    id: str
    status: Literal["withdrawn", "rejected", "expired", "countered", "ratified", "failed"]
    reason: str


class OrdersSubmitted(_Event):
    """Sealed until the turn is adjudicated: only the submitting team and the facilitator see it."""

    type: Literal["orders_submitted"] = "orders_submitted"
    turn: int
    actor: str
    orders: Orders


class InjectReleased(_Event):
    type: Literal["inject_released"] = "inject_released"
    turn: int
    inject_id: str
    title: str
    text: str
    audience: Audience
    effects: list[Effect] = []


class AgreementConcluded(_Event):
    type: Literal["agreement_concluded"] = "agreement_concluded"
    id: str
    turn: int
    proposal: Proposal
    reason: Reason


class DemandOpened(_Event):
    type: Literal["demand_opened"] = "demand_opened"
    id: str
    turn: int
    actor: str
    target: str
    issue: str
    position: float
    public: bool


class CallOpened(_Event):
    """A partner under attack or coercion invokes an agreement; each guarantor must answer."""

    type: Literal["call_opened"] = "call_opened"
    id: str
    turn: int
    agreement: str
    caller: str
    adversary: str
    obligated: list[str]
    reason: Reason
    clause: str | None = Field(None, description="The clause invoked, in words (None in logs from before clauses).")


class AgreementEnded(_Event):
    """An agreement stops binding: it expired, was renounced or suspended, superseded by an amended
    version, or broken by a party that abandoned an ally it was obliged to help."""

    type: Literal["agreement_ended"] = "agreement_ended"
    turn: int
    agreement: str
    parties: list[str]
    cause: Literal["expired", "renounced", "suspended", "superseded", "broken"]
    reason: Reason
    stated_reason: str | None = Field(
        None,
        exclude_if=lambda v: v is None,
        description="For an agreement renounced: the reason its renouncer stated with the notice (absent: none).",
    )
    public: bool = Field(
        True,
        exclude_if=lambda v: v is True,
        description="Whether the agreement was public; the end of a secret one is its parties' only (absent: true).",
    )


class SanctionImposed(_Event):
    type: Literal["sanction_imposed"] = "sanction_imposed"
    turn: int
    actor: str
    target: str
    kind: Literal["sanctions", "embargo"]
    reason: Reason
    agreement: str | None = Field(
        None, description="The agreement whose sanctions term imposes it (None: an order or a Council resolution)."
    )


class SanctionLifted(_Event):
    type: Literal["sanction_lifted"] = "sanction_lifted"
    turn: int
    actor: str
    target: str
    reason: Reason
    agreement: str | None = Field(
        None, description="The agreement whose sanctions term ended or was withheld (None: lifted by an order)."
    )


class ResolutionTabled(_Event):
    """A Council member tabled a draft resolution."""

    type: Literal["resolution_tabled"] = "resolution_tabled"
    id: str
    turn: int
    sponsor: str
    kind: Literal["authorise_force", "peacekeeping", "condemn", "sanctions"]
    target: str
    authorised: list[str]
    text: str


class ResolutionVoted(_Event):
    type: Literal["resolution_voted"] = "resolution_voted"
    id: str
    actor: str
    vote: Literal["yes", "no", "abstain"]


class ResolutionDecided(_Event):
    """The Council's decision: adopted (a mandate where it authorises) or failed, with any vetoes."""

    type: Literal["resolution_decided"] = "resolution_decided"
    id: str
    turn: int
    adopted: bool
    votes: dict[str, Literal["yes", "no", "abstain"]]
    vetoed_by: list[str]
    reason: Reason


class Outcome(_Event):
    type: Literal["outcome"] = "outcome"
    turn: int
    changes: list[Change]
    reason: Reason
    audience: Audience = "public"


class Amended(_Event):
    """The facilitator overrode an adjudicated value, with a reason kept in the log."""

    type: Literal["amended"] = "amended"
    turn: int
    change: Change
    previous: Value
    reason: str


class ResultsReleased(_Event):
    type: Literal["results_released"] = "results_released"
    turn: int


class RolledBack(_Event):
    type: Literal["rolled_back"] = "rolled_back"
    turn: int
    reason: str


class FreeformProposed(_Event):
    """A team's free-form action (matrix-game style); a public one is seen by every seat at once."""

    type: Literal["freeform_proposed"] = "freeform_proposed"
    id: str
    turn: int
    actor: str
    what: str
    intended_effect: str
    arguments: list[str]
    public: bool


class FreeformCountered(_Event):
    """Another team's counter-argument to a public free-form action."""

    type: Literal["freeform_countered"] = "freeform_countered"
    id: str = Field(description="The action countered.")
    turn: int
    actor: str
    text: str


class FreeformRated(_Event):
    """The facilitator's chance for a free-form action and the engine's roll (teams see it with the results)."""

    type: Literal["freeform_rated"] = "freeform_rated"
    id: str
    turn: int
    chance: float = Field(description="The chance rated by the facilitator (or the suggested one, accepted).")
    suggested: float = Field(description="The chance suggested from the arguments for and against.")
    draw: float = Field(description="The replayable draw in [0, 1); the action succeeds if it is below the chance.")
    success: bool
    comment: str = Field(description="Control's reason for the chance, as typed.")
    reason: Reason


class FreeformApplied(_Event):
    """The facilitator applied a succeeded action's effects (the outcomes that follow carry the changes)."""

    type: Literal["freeform_applied"] = "freeform_applied"
    id: str
    turn: int
    effects: list[Effect]
    reason: str


class FreeformSettings(_Event):
    """The facilitator allowed or stopped counter-arguments to free-form actions."""

    type: Literal["freeform_settings"] = "freeform_settings"
    counter_arguments: bool


class GameEnded(_Event):
    type: Literal["game_ended"] = "game_ended"
    turn: int
    scores: dict[str, float]


Event = Annotated[
    GameCreated
    | PhaseStarted
    | ClockPaused
    | ClockResumed
    | ClockExtended
    | ServerDowntime
    | PhasesSet
    | ReadyChanged
    | MessageSent
    | ProposalMade
    | ProposalAnswered
    | ProposalClosed
    | OrdersSubmitted
    | InjectReleased
    | AgreementConcluded
    | DemandOpened
    | CallOpened
    | AgreementEnded
    | SanctionImposed
    | SanctionLifted
    | ResolutionTabled
    | ResolutionVoted
    | ResolutionDecided
    | Outcome
    | Amended
    | ResultsReleased
    | RolledBack
    | GameEnded
    | FreeformProposed
    | FreeformCountered
    | FreeformRated
    | FreeformApplied
    | FreeformSettings,
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def event_to_json(event: Event) -> str:
    """One event as one line of JSON (stable key order, for byte-identical logs)."""
    return event.model_dump_json()


def event_from_json(line: str | bytes) -> Event:
    return EVENT_ADAPTER.validate_json(line)
