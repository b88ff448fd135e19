"""Commands: what a seat asks the engine to do. `decide` turns each into events or a rejection.

Commands are a pydantic discriminated union on `type`, so the wire protocol and the bots build the
same objects. The seat issuing a command (`by`) is set by the server from the authenticated
connection, never taken from the client's word.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from crisisgame.engine.constants import MAX_STATES_PER_ORDER, STATED_REASON_LENGTH
from crisisgame.scenario.model import AgreementType, AidTerm, Effect, Id, Obligation, SanctionTerm, Share


def _empty(value: object) -> bool:
    """Whether a list or mapping field is empty: such fields are left out of messages and logs (the default
    restores them)."""
    return value == [] or value == {}


def one_line(text: str) -> str:
    """Free text as one line a person can read: every run of white space and control characters (new lines,
    tabs, escapes, zero-width and direction marks) becomes one space, and the ends are trimmed. Refused if
    nothing readable is left."""
    kept = "".join(" " if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)
    line = " ".join(kept.split())
    if not line:
        raise PydanticCustomError(
            "blank_reason", "a stated reason needs some words (it is blank once spaces and control characters go)"
        )
    return line


StatedReason = Annotated[str, Field(min_length=1, max_length=STATED_REASON_LENGTH), AfterValidator(one_line)]
"""Why a state renounces an agreement, in its own words: one line of at most `STATED_REASON_LENGTH` characters."""


FACILITATOR = "facilitator"
OBSERVER = "observer"


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    by: str = Field(description="The seat: an actor id, 'facilitator' or 'observer'.")


# --------------------------------------------------------------------------- negotiation


class SendMessage(_Command):
    type: Literal["send_message"] = "send_message"
    channel: Literal["public", "private", "group"]
    to: list[Id] = Field(
        default_factory=list,
        description="Recipients for private (one) and group (two or more) messages.",
        json_schema_extra={"default": []},
    )
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    author: Annotated[str, Field(max_length=40)] | None = Field(
        None, description="The student who wrote it (display name); the server fills it in, a client's is replaced."
    )


class Proposal(BaseModel):
    """The content of a proposed agreement (every agreement type the rules know, with its terms)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: AgreementType
    parties: Annotated[list[Id], Field(min_length=2, max_length=12)]
    guarantors: list[Id] = []
    strength: Share = 0.5
    ambiguity: Share = 0.2
    conditionality: Share = 0.0
    duration: Annotated[int, Field(ge=1, le=50)] | None = None
    mandate: Literal["none", "regional", "unsc"] = "none"
    public: bool = True
    issue: Id | None = Field(None, description="Issue whose win-sets ratify the deal.")
    position: Share | None = Field(None, description="Where on the issue the deal settles.")
    side_payments: Annotated[int, Field(ge=0, le=5)] = Field(0, description="Side-payments and linked issues.")
    troops: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    host: Id | None = None
    item: Annotated[str, Field(max_length=200)] | None = None
    value_usd_m: Annotated[float, Field(ge=0, le=1e7)] | None = None
    obligations: Annotated[list[Obligation], Field(max_length=8)] = Field(
        [], description="ATOP obligations with trigger and scope; empty: the defaults of the type."
    )
    amends: str | None = Field(
        None, description="Id of an agreement in force that this one replaces once ratified (renegotiation)."
    )
    sanctions: Annotated[list[SanctionTerm], Field(max_length=8)] = Field(
        [],
        exclude_if=_empty,
        description="Sanctions coalition terms: parties commit to sanction a named outsider while it is in force "
        "(left out of messages when empty).",
    )
    aid: Annotated[list[AidTerm], Field(max_length=8)] = Field(
        [],
        exclude_if=_empty,
        description="Aid terms: a party gives another a stated amount of aid each turn while it is in force (left out "
        "of messages when empty).",
    )


class Propose(_Command):
    type: Literal["propose"] = "propose"
    proposal: Proposal


class Counter(_Command):
    type: Literal["counter"] = "counter"
    proposal_id: str
    proposal: Proposal


class Accept(_Command):
    type: Literal["accept"] = "accept"
    proposal_id: str


class Reject(_Command):
    type: Literal["reject"] = "reject"
    proposal_id: str


class Withdraw(_Command):
    type: Literal["withdraw"] = "withdraw"
    proposal_id: str


# --------------------------------------------------------------------------- the Security Council

ResolutionKind = Literal["authorise_force", "peacekeeping", "condemn", "sanctions"]


class TableResolution(_Command):
    """A Council member tables a draft resolution; the Council votes on it at the end of the turn."""

    type: Literal["table_resolution"] = "table_resolution"
    kind: ResolutionKind
    target: Id = Field(description="The state the resolution is about (the aggressor, or the host of a mission).")
    authorised: Annotated[list[Id], Field(max_length=12)] = Field(
        [], description="States authorised to use force or to deploy (authorise_force, peacekeeping)."
    )
    text: Annotated[str, Field(min_length=3, max_length=2000)]


class VoteResolution(_Command):
    """A Council member's vote on a draft tabled this turn (a member that does not vote abstains)."""

    type: Literal["vote_resolution"] = "vote_resolution"
    resolution_id: str
    vote: Literal["yes", "no", "abstain"]


# --------------------------------------------------------------------------- orders


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    host: Id
    troops: Annotated[int, Field(ge=0, le=1_000_000)]
    kind: Literal["tripwire", "base", "naval", "air", "advisers", "peacekeeping"] = "tripwire"


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    partners: Annotated[list[Id], Field(min_length=1)]
    host: Id


class ArmsDelivery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    to: Id
    value_usd_m: Annotated[float, Field(gt=0, le=1e6)]
    item: Annotated[str, Field(max_length=200)] = "arms"


class DemandOrder(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    target: Id
    issue: Id
    position: Share
    public: bool = True


class ForceOrder(BaseModel):
    """Force on a rung of the escalation ladder; each rung has its own consequences (docs/rules.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    target: Id
    level: Literal["protest", "grey_zone", "show_of_force", "blockade", "limited_strike", "war", "nuclear_use"] = Field(
        description="The rung: protest, grey_zone (coast-guard stand-offs, militia, cyber), show_of_force "
        "(exercises and patrols aimed at the target), blockade (or quarantine), limited_strike, war (major war) "
        "or nuclear_use (only with nuclear weapons). From limited_strike up it is an armed attack."
    )


class JoinOrder(BaseModel):
    """Fight on an attacker's side: if `attacker` strikes or makes war on `target` this turn, your forces join
    that battle in `target`'s theatre, you bear a belligerent's costs, and, if the attacker's side prevails,
    you share what the victory takes in proportion to the strength you brought (docs/rules.md, step 6)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    attacker: Id = Field(description="The state whose attack you join.")
    target: Id = Field(description="The state it attacks, which you fight.")


class SanctionOrder(BaseModel):
    """Impose sanctions (partial) or an embargo (total) on a state's trade with you."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    target: Id
    kind: Literal["sanctions", "embargo"] = "sanctions"


class AidOrder(BaseModel):
    """Military aid, delivered the next turn: the donor's military expenditure falls by the amount (at most
    what it has) and the recipient's rises by `economy.aid_to_milex` of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    to: Id
    value_usd_m: Annotated[float, Field(gt=0, le=1e6)]


class CallAnswer(BaseModel):
    """Honour or abandon an ally's open call for help."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    call_id: str
    honour: bool


class DemandAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    demand_id: str
    accept: bool


class Statement(BaseModel):
    """A statement; `pledge_to` ties hands in support of an actor, `reassure` signals restraint."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    pledge_to: Id | None = None
    reassure: Id | None = None
    public: bool = Field(True, description="A public pledge ties hands fully; a private one only in part.")


class Orders(BaseModel):
    """One turn's sealed orders; every field is optional and a missing one means 'no change'."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    defence_spending: Annotated[float, Field(ge=0.0, le=50.0)] | None = Field(None, description="Percent of GDP.")
    mobilisation: Share | None = None
    deployments: Annotated[list[Deployment], Field(max_length=20)] = []
    withdrawals: Annotated[list[Id], Field(max_length=20)] = Field([], description="Hosts to withdraw forces from.")
    exercises: Annotated[list[Exercise], Field(max_length=10)] = []
    arms_deliveries: Annotated[list[ArmsDelivery], Field(max_length=10)] = []
    demands: Annotated[list[DemandOrder], Field(max_length=5)] = []
    demand_answers: Annotated[list[DemandAnswer], Field(max_length=10)] = []
    force: Annotated[list[ForceOrder], Field(max_length=5)] = []
    call_answers: Annotated[list[CallAnswer], Field(max_length=20)] = []
    statements: Annotated[list[Statement], Field(max_length=10)] = []
    alignment: Id | None = Field(None, description="Declared alignment: the actor this state sides with.")
    renounce: Annotated[list[str], Field(max_length=10)] = Field(
        [], description="Agreements to renounce: they end after the notice period of the rulebook."
    )
    renounce_reasons: Annotated[dict[str, StatedReason], Field(max_length=10)] = Field(
        {},
        exclude_if=_empty,
        description="A stated reason for renouncing, per agreement in `renounce` (optional; one line of at most "
        f"{STATED_REASON_LENGTH} characters). It goes with the notice and the end of the agreement, to whoever sees "
        "them; an agreement not in `renounce` cannot have one (left out of messages when empty).",
    )
    suspend: Annotated[list[str], Field(max_length=10)] = Field([], description="Agreements to suspend now.")
    resume: Annotated[list[str], Field(max_length=10)] = Field(
        [], description="Suspended agreements to put back in force now (any party may)."
    )
    sanctions: Annotated[list[SanctionOrder], Field(max_length=10)] = []
    lift_sanctions: Annotated[list[Id], Field(max_length=10)] = Field([], description="Targets whose sanctions end.")
    aid: Annotated[list[AidOrder], Field(max_length=10)] = []
    withhold: Annotated[list[str], Field(max_length=10)] = Field(
        [],
        exclude_if=_empty,
        description="Agreements whose sanctions or aid terms binding you, you do not carry out this turn: a breach, "
        "logged and paid for in reputation.",
    )
    renew: Annotated[list[str], Field(max_length=10)] = Field(
        [], description="Agreements with a fixed term to renew for the term they were concluded for."
    )
    nuclear_test: bool = Field(False, description="Test a nuclear weapon this turn (needs an arsenal).")
    nuclear_threats: Annotated[list[Id], Field(max_length=MAX_STATES_PER_ORDER)] = Field(
        [], description="States threatened with nuclear weapons this turn (needs an arsenal): coercion, not attack."
    )
    defend: Annotated[list[Id], Field(max_length=MAX_STATES_PER_ORDER)] = Field(
        [],
        description="States you fight for this turn without any obligation (intervention by your own decision): "
        "if another state attacks one of them with a limited strike or war this turn, your forces join that "
        "battle in its theatre on its side, and you bear a belligerent's costs. Nothing happens if none is attacked.",
    )
    join: Annotated[list[JoinOrder], Field(max_length=MAX_STATES_PER_ORDER)] = Field(
        [],
        exclude_if=_empty,
        description="Attacks you join on the attacker's side this turn, without any obligation: if the attacker "
        "strikes or makes war on the target this turn, your forces join that battle against the target, you bear "
        "a belligerent's costs, and if the attacker's side prevails you share the spoils in proportion to the "
        "strength you brought. Nothing happens if that attack does not come. Joining an attack on a party to one "
        "of your agreements breaks it, as attacking it would.",
    )
    deny_bases: Annotated[list[Id], Field(max_length=10)] = Field(
        [], description="States whose forces on your territory you deny combat use of your bases this turn."
    )
    grant_bases: Annotated[list[Id], Field(max_length=10)] = Field(
        [],
        description="States granted combat use of your bases this turn where their agreement leaves consent to you "
        "case by case.",
    )

    @field_validator("renounce_reasons")
    @classmethod
    def _reasons_for_renounced(cls, reasons: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """A reason goes with a renunciation in the same orders: one for an agreement not renounced is refused."""
        renounced = set(info.data.get("renounce", ()))
        stray = [ag for ag in reasons if ag not in renounced]
        if stray:
            named = ", ".join(f"'{ag[:60]}'" for ag in stray[:3])
            raise PydanticCustomError(
                "reason_without_renunciation",
                "a stated reason is given for {named}, which these orders do not renounce: add it to renounce, or "
                "leave out its reason",
                {"named": named},
            )
        return reasons


class SubmitOrders(_Command):
    type: Literal["submit_orders"] = "submit_orders"
    orders: Orders


class SetReady(_Command):
    type: Literal["set_ready"] = "set_ready"
    ready: bool = True


# --------------------------------------------------------------------------- facilitator


class Start(_Command):
    type: Literal["start"] = "start"


class Pause(_Command):
    type: Literal["pause"] = "pause"


class Resume(_Command):
    type: Literal["resume"] = "resume"


class Extend(_Command):
    type: Literal["extend"] = "extend"
    seconds: Annotated[int, Field(ge=1, le=7200)]


class Advance(_Command):
    """End the current phase now (the timer calls this too, as the facilitator's clock)."""

    type: Literal["advance"] = "advance"
    phase: str | None = Field(None, description="Only advance if this is still the phase (guards timer races).")


class FireInject(_Command):
    """Release a scripted inject now, or write one (title, text, audience, effects)."""

    type: Literal["inject"] = "inject"
    inject_id: Id | None = None
    title: Annotated[str, Field(min_length=3, max_length=200)] | None = None
    text: Annotated[str, Field(min_length=3, max_length=4000)] | None = None
    audience: Literal["public"] | list[Id] = "public"
    effects: list[Effect] = []


class Amend(_Command):
    """Change one adjudicated value before results are released, with a reason that is logged."""

    type: Literal["amend"] = "amend"
    target: Literal["actor", "pair", "agreement"]
    key: str
    field: str
    value: float
    reason: Annotated[str, Field(min_length=5, max_length=2000)]


class Release(_Command):
    """Release the turn's results to the teams (they see them once released)."""

    type: Literal["release"] = "release"


class Rollback(_Command):
    """Return to the start of the current turn, discarding what happened since."""

    type: Literal["rollback"] = "rollback"
    reason: Annotated[str, Field(min_length=3, max_length=2000)]


class End(_Command):
    type: Literal["end"] = "end"


class SetPhases(_Command):
    """Change this game's phase lengths (seconds) from the next phase on; a length left out is kept.
    (The phase running now keeps its deadline: extend it to change it.)"""

    type: Literal["set_phases"] = "set_phases"
    briefing: Annotated[int, Field(ge=0, le=7200)] | None = None
    diplomacy: Annotated[int, Field(ge=30, le=7200)] | None = None
    orders: Annotated[int, Field(ge=30, le=7200)] | None = None
    results: Annotated[int, Field(ge=0, le=7200)] | None = None


# --------------------------------------------------------------------------- free-form actions

Argument = Annotated[str, Field(min_length=3, max_length=600)]
"""One argument for a free-form action, or one counter-argument."""


class FreeformAction(_Command):
    """A team's free-form action (matrix-game style): what it does, what it means to achieve, and why it
    should work. The facilitator rates it in the results review; the engine rolls it (engine/freeform.py)."""

    type: Literal["freeform_action"] = "freeform_action"
    what: Annotated[str, Field(min_length=3, max_length=200)] = Field(description="The action, in one sentence.")
    intended_effect: Annotated[str, Field(min_length=3, max_length=400)] = Field(
        description="What the team means the action to achieve."
    )
    arguments: Annotated[list[Argument], Field(min_length=1, max_length=3)] = Field(
        description="Arguments for: why it should succeed (one to three)."
    )
    public: bool = Field(
        True, description="Argued openly (every seat sees it and other teams may counter-argue) or privately."
    )


class CounterArgument(_Command):
    """Another team's argument against a public free-form action, during the orders phase."""

    type: Literal["counter_argument"] = "counter_argument"
    action_id: str
    text: Argument


class RateAction(_Command):
    """The facilitator rates a free-form action's chance (or accepts the suggested one) and the engine rolls."""

    type: Literal["rate_action"] = "rate_action"
    action_id: str
    chance: Share | None = Field(None, description="Chance of success; leave out to accept the suggested chance.")
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


class ApplyAction(_Command):
    """The facilitator applies a succeeded free-form action's effects, chosen from the inject effects."""

    type: Literal["apply_action"] = "apply_action"
    action_id: str
    effects: Annotated[list[Effect], Field(min_length=1, max_length=8)]
    reason: Annotated[str, Field(min_length=3, max_length=1000)]


class SetFreeform(_Command):
    """The facilitator allows or stops counter-arguments to free-form actions in this game."""

    type: Literal["set_freeform"] = "set_freeform"
    counter_arguments: bool


Command = Annotated[
    SendMessage
    | Propose
    | Counter
    | Accept
    | Reject
    | Withdraw
    | TableResolution
    | VoteResolution
    | SubmitOrders
    | SetReady
    | Start
    | Pause
    | Resume
    | Extend
    | Advance
    | FireInject
    | Amend
    | Release
    | Rollback
    | End
    | SetPhases
    | FreeformAction
    | CounterArgument
    | RateAction
    | ApplyAction
    | SetFreeform,
    Field(discriminator="type"),
]

TEAM_COMMANDS = frozenset(
    {
        *("send_message", "propose", "counter", "accept", "reject", "withdraw", "submit_orders", "set_ready"),
        *("table_resolution", "vote_resolution"),
        *("freeform_action", "counter_argument"),
    }
)
FACILITATOR_COMMANDS = frozenset(
    {
        "start",
        "pause",
        "resume",
        "extend",
        "advance",
        "inject",
        "amend",
        "release",
        "rollback",
        "end",
        "send_message",
        "set_phases",
        "rate_action",
        "apply_action",
        "set_freeform",
    }
)
