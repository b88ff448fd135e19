"""The scenario: everything the rulebook needs to start a game, as strict, immutable pydantic models.

A scenario is authored in YAML by a facilitator (see docs/authoring.md). These models are the
single definition of that format: the loader validates against them, `crisisgame schema` exports
them as JSON Schema for editors, and the engine reads its initial state from them.

Cross-references (actor ids, issue ids, source keys) are checked by `crisisgame.scenario.checks`
on the raw document so that every broken reference is reported with its line and column.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from crisisgame.engine.rulebook import Rulebook

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,39}$",
        description="An identifier: a letter, then letters, digits, '_' or '-' (at most 40).",
    ),
]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A score, probability or share in [0, 1]."""


class Model(BaseModel):
    """Base for every scenario model: strict types, unknown fields refused, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --------------------------------------------------------------------------- metadata


class Source(Model):
    """A cited source; capability figures name one by `key` and give the year of the figure."""

    key: Id
    citation: Annotated[str, Field(min_length=3)]
    url: str | None = None


class Meta(Model):
    title: Annotated[str, Field(min_length=3, max_length=200)]
    region: Annotated[str, Field(min_length=2)]
    date: dt.date = Field(strict=False, description="In-game date at the start of turn 1 (YYYY-MM-DD).")
    turn_length: str = Field("one week", description="In-game time one turn stands for.")
    summary: Annotated[str, Field(min_length=10)]
    learning_objectives: Annotated[list[Annotated[str, Field(min_length=3)]], Field(min_length=1)]
    sources: list[Source] = []


# --------------------------------------------------------------------------- capabilities

# Each Correlates of War component accepts the units an author is likely to find figures in;
# the engine converts them to COW's own units (see `to_cow_units`).
MilexUnit = Literal["usd_k", "usd_m", "usd_bn"]
PeopleUnit = Literal["persons", "thousands", "millions"]
IronSteelUnit = Literal["tonnes", "kt", "Mt"]
EnergyUnit = Literal["ktce", "Mtce"]
GdpUnit = Literal["usd_m", "usd_bn", "usd_tn"]

_FACTORS: dict[str, float] = {
    # to COW units: milex thousands of US$, people thousands, iron/steel thousands of tonnes,
    # energy thousands of coal-ton equivalents; GDP in billions of US$.
    "usd_k": 1.0,
    "usd_m": 1e3,
    "usd_bn": 1e6,
    "persons": 1e-3,
    "thousands": 1.0,
    "millions": 1e3,
    "tonnes": 1e-3,
    "kt": 1.0,
    "Mt": 1e3,
    "ktce": 1.0,
    "Mtce": 1e3,
}
_GDP_FACTORS = {"usd_m": 1e-3, "usd_bn": 1.0, "usd_tn": 1e3}


class _Figure(Model):
    unit: str
    value: Annotated[float, Field(ge=0.0)] | None = Field(
        description="The figure; null when it is not reported (left out of CINC, as COW does)."
    )
    year: Annotated[int, Field(ge=1816, le=2100)] = Field(description="The year the figure refers to.")
    source: Id = Field(description="Key of an entry in meta.sources.")


class Milex(_Figure):
    unit: MilexUnit


class People(_Figure):
    unit: PeopleUnit


class IronSteel(_Figure):
    unit: IronSteelUnit


class Energy(_Figure):
    unit: EnergyUnit


class Gdp(_Figure):
    unit: GdpUnit


class Capabilities(Model):
    """The six Correlates of War components plus GDP, each with unit, year and source."""

    milex: Milex = Field(description="Military expenditure.")
    milper: People = Field(description="Military personnel.")
    irst: IronSteel = Field(description="Iron and steel production.")
    pec: Energy = Field(description="Primary energy consumption.")
    tpop: People = Field(description="Total population.")
    upop: People = Field(description="Urban population.")
    gdp: Gdp = Field(description="Gross domestic product.")

    def to_cow_units(self) -> dict[str, float | None]:
        """The six components in COW's units (None where not reported), for CINC."""
        out: dict[str, float | None] = {}
        for name in ("milex", "milper", "irst", "pec", "tpop", "upop"):
            fig: _Figure = getattr(self, name)
            out[name] = None if fig.value is None else fig.value * _FACTORS[fig.unit]
        return out

    def gdp_usd_bn(self) -> float | None:
        return None if self.gdp.value is None else self.gdp.value * _GDP_FACTORS[self.gdp.unit]


# --------------------------------------------------------------------------- actors


class Position(Model):
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lon: Annotated[float, Field(ge=-180.0, le=180.0)]


class WinSet(Model):
    """The range [low, high] of positions on an issue the home audience will ratify."""

    low: Share
    high: Share


class Domestic(Model):
    approval: Share = Field(description="Share of the public approving of the government.")
    audience_cost_sensitivity: Share = Field(0.5, description="How much backing down after a public threat costs.")
    win_sets: dict[Id, WinSet] = Field({}, description="Per issue id, the deals the home audience will ratify.")


class Deployment(Model):
    """Forces stationed abroad: tripwires and bases are sunk costs that make commitments credible."""

    host: Id = Field(description="Actor id of the host.")
    troops: Annotated[int, Field(ge=0)]
    kind: Literal["tripwire", "base", "naval", "air", "advisers", "peacekeeping"] = "base"
    note: str | None = None


class Nuclear(Model):
    """A nuclear arsenal, as open estimates give it (SIPRI Yearbook, FAS Status of World Nuclear Forces)."""

    warheads: Annotated[int, Field(ge=0, le=20000)] = Field(description="Estimated warheads in the stockpile.")
    second_strike: bool = Field(
        False,
        description="Whether enough of the arsenal would survive a first strike to retaliate (submarines at "
        "sea, road-mobile missiles): what makes deterrence stable.",
    )


Temperament = Literal["realist", "liberal", "constructivist"]


class Actor(Model):
    id: Id
    name: Annotated[str, Field(min_length=2)]
    kind: Literal["state", "organisation", "non_state"] = "state"
    playable: bool = Field(description="Whether a team can play this actor (bots play it otherwise).")
    regime: Literal["democracy", "hybrid", "autocracy", "not_applicable"]
    capabilities: Capabilities | None = Field(
        None, description="Required for states; organisations and non-state actors may omit it."
    )
    position: Position
    domestic: Domestic
    reputation: Share = Field(0.75, description="Prior reliability of commitments (0.75 after Leeds 2003).")
    defence_spending: Annotated[float, Field(ge=0.0, le=50.0)] = Field(description="Defence spending, percent of GDP.")
    mobilisation: Share = Field(0.1, description="Share of forces mobilised at the start.")
    power_projection: Share = Field(0.3, description="Ability to fight away from home (0 none, 1 global).")
    forces_abroad: list[Deployment] = []
    nuclear: Nuclear | None = Field(None, description="Nuclear weapons, if any (omit for none).")
    temperament: Temperament = Field("realist", description="The school of thought a bot uses for this actor.")
    identities: list[Annotated[str, Field(min_length=2)]] = Field(
        [], description="Identities and norms a constructivist bot follows (e.g. 'liberal-democracy')."
    )
    objectives: list[Objective] = []


# --------------------------------------------------------------------------- objectives

AgreementType = Literal[
    "defence_pact",
    "offence_pact",
    "neutrality",
    "non_aggression",
    "consultation",
    "security_guarantee",
    "basing_rights",
    "arms_deal",
    "joint_exercise",
    "strategic_partnership",
]


class _Objective(Model):
    id: Id
    secret: bool = Field(False, description="Secret objectives are shown to their own team only.")
    text: Annotated[str, Field(min_length=5)] = Field(description="What the team reads.")
    points: Annotated[int, Field(ge=1, le=100)] = 10


class HaveAgreement(_Objective):
    """Be party to an agreement of a type with a partner when the game ends."""

    kind: Literal["have_agreement"]
    type: AgreementType
    with_: Id = Field(alias="with")


class AvoidAgreement(_Objective):
    """Never be party to an agreement of a type with a given actor."""

    kind: Literal["avoid_agreement"]
    type: AgreementType
    with_: Id = Field(alias="with")


class AvoidWar(_Objective):
    """Not be at war with the given actor (or with anyone) when the game ends."""

    kind: Literal["avoid_war"]
    with_: Id | None = Field(None, alias="with")


class KeepApproval(_Objective):
    kind: Literal["keep_approval"]
    at_least: Share


class KeepReputation(_Objective):
    kind: Literal["keep_reputation"]
    at_least: Share


class LimitThreat(_Objective):
    """End the game with the perceived threat from an actor at or below a level."""

    kind: Literal["limit_threat"]
    from_: Id = Field(alias="from")
    at_most: Share


class IssueOutcome(_Objective):
    """See an issue settled within a range of positions."""

    kind: Literal["issue_outcome"]
    issue: Id
    low: Share
    high: Share


class SpendAtMost(_Objective):
    """Keep defence spending at or below a share of GDP (burden shifting)."""

    kind: Literal["spend_at_most"]
    percent_gdp: Annotated[float, Field(ge=0.0, le=50.0)]


Objective = Annotated[
    HaveAgreement
    | AvoidAgreement
    | AvoidWar
    | KeepApproval
    | KeepReputation
    | LimitThreat
    | IssueOutcome
    | SpendAtMost,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- agreements, issues


Obligation = Literal["defence", "offence", "neutrality", "non_aggression", "consultation"]


class Terms(Model):
    """Terms of an agreement: quantities, prices and deliveries (each optional)."""

    troops: Annotated[int, Field(ge=0)] | None = None
    value_usd_m: Annotated[float, Field(ge=0.0)] | None = Field(None, description="Value of an arms deal or aid.")
    item: str | None = Field(None, description="What is delivered (e.g. 'HIMARS', 'F-16V').")
    deliveries: Annotated[int, Field(ge=1, le=50)] | None = Field(None, description="Number of turns deliveries take.")
    host: Id | None = Field(None, description="Host of bases or exercises.")
    position: Share | None = Field(None, description="Position on the agreement's issue, for ratification.")
    issue: Id | None = Field(None, description="Issue whose win-sets ratify the deal.")


class Agreement(Model):
    """An agreement in force at the start (ATOP-style obligations)."""

    id: Id
    name: Annotated[str, Field(min_length=3)]
    type: AgreementType
    parties: Annotated[list[Id], Field(min_length=2)]
    guarantors: list[Id] = Field(
        [], description="Parties obliged to help (empty: all parties); for guarantees and basing, the patron."
    )
    obligations: list[Obligation] = []
    strength: Share = Field(description="s: how binding and substantial the commitment is.")
    ambiguity: Share = Field(0.0, description="alpha: how unclear the casus foederis is.")
    conditionality: Share = Field(0.0, description="kappa: help only if the partner did not provoke.")
    duration: Annotated[int, Field(ge=1)] | None = Field(None, description="Turns left; null = indefinite.")
    mandate: Literal["none", "regional", "unsc"] = "none"
    public: bool = True
    since: Annotated[int, Field(ge=1800, le=2100)] | None = Field(None, description="Year signed.")
    terms: Terms = Terms()
    source: Id | None = Field(None, description="Key of an entry in meta.sources.")


class Issue(Model):
    """An issue at stake, as an axis [0, 1] on which each actor has a position."""

    id: Id
    name: Annotated[str, Field(min_length=3)]
    divisible: bool
    description: str = ""
    positions: dict[Id, Share] = Field({}, description="Each interested actor's ideal position.")


class IntentEntry(Model):
    """How aggressive `of` believes `toward` is, in [0, 1]."""

    of: Id
    toward: Id
    value: Share


# --------------------------------------------------------------------------- injects


class _Effect(Model):
    pass


class ChangeIntent(_Effect):
    kind: Literal["intent"]
    of: list[Id] = Field(description="Observers whose perception changes.")
    toward: Id
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]


class ChangeApproval(_Effect):
    kind: Literal["approval"]
    actor: Id
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]


class ChangeReputation(_Effect):
    kind: Literal["reputation"]
    actor: Id
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]


class ChangeMobilisation(_Effect):
    kind: Literal["mobilisation"]
    actor: Id
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]


class ChangeCapability(_Effect):
    """Multiply a capability component (e.g. 0.9 after sabotage of energy infrastructure)."""

    kind: Literal["capability"]
    actor: Id
    component: Literal["milex", "milper", "irst", "pec", "tpop", "upop", "gdp"]
    factor: Annotated[float, Field(ge=0.0, le=10.0)]


class Escalate(_Effect):
    """A non-played move on the escalation ladder, e.g. a blockade by a bot actor."""

    kind: Literal["escalate"]
    actor: Id
    target: Id
    level: Literal["protest", "grey_zone", "blockade", "limited_strike", "war"]


class Demand(_Effect):
    """A coercive demand the target must accept or resist."""

    kind: Literal["demand"]
    actor: Id
    target: Id
    issue: Id
    position: Share


Effect = Annotated[
    ChangeIntent | ChangeApproval | ChangeReputation | ChangeMobilisation | ChangeCapability | Escalate | Demand,
    Field(discriminator="kind"),
]


class Condition(Model):
    """An inject fires only when its condition holds at the start of its turn."""

    tension_above: Share | None = None
    tension_below: Share | None = None
    agreement_exists: Id | None = Field(None, description="An agreement id (shipped or concluded in play).")
    at_war: list[Id] | None = Field(None, description="Two actor ids that must be at war.")


class Inject(Model):
    id: Id
    turn: Annotated[int, Field(ge=1)]
    audience: Literal["public"] | list[Id] = Field(
        "public", description="'public', or the actor ids who receive it (intelligence)."
    )
    title: Annotated[str, Field(min_length=3)]
    text: Annotated[str, Field(min_length=10)]
    effects: list[Effect] = []
    condition: Condition | None = None


# --------------------------------------------------------------------------- turns, seating


class Phases(Model):
    """Phase durations in seconds; a phase ends early when every team is ready."""

    briefing: Annotated[int, Field(ge=0, le=7200)] = 120
    diplomacy: Annotated[int, Field(ge=30, le=7200)] = 900
    orders: Annotated[int, Field(ge=30, le=7200)] = 300
    results: Annotated[int, Field(ge=0, le=7200)] = 180


class Turns(Model):
    count: Annotated[int, Field(ge=1, le=50)]
    phases: Phases = Phases()


class Seating(Model):
    """Which actors a small class should play first, in order."""

    priority: list[Id] = Field(description="Playable actor ids, most important first.")
    minimum: Annotated[int, Field(ge=1)] = Field(2, description="Fewest teams the scenario works with.")


# --------------------------------------------------------------------------- the scenario


class Scenario(Model):
    """A whole scenario file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        title="crisisgame scenario",
        json_schema_extra={"$comment": "Generated by `crisisgame schema`; see docs/authoring.md."},
    )

    schema_version: Literal[1] = 1
    id: Id
    meta: Meta
    actors: Annotated[list[Actor], Field(min_length=2)]
    intent: list[IntentEntry] = Field([], description="Perceived intent between pairs; others take default_intent.")
    default_intent: Share = Field(0.3, description="Perceived intent for pairs not listed under intent.")
    agreements: list[Agreement] = []
    issues: list[Issue] = []
    injects: list[Inject] = []
    turns: Turns
    rules: Rulebook = Rulebook()
    seating: Seating
    world_system: bool = Field(
        False,
        description="Reserved: CINC shares are shares of the scenario's actors; true (shares of the whole "
        "world) is refused until the format carries world totals.",
    )

    @model_validator(mode="after")
    def _cross_references(self, info: ValidationInfo) -> Self:
        if info.context and info.context.get("references_checked"):
            return self
        from crisisgame.scenario.checks import reference_problems

        problems = reference_problems(self.model_dump(mode="json", by_alias=True))
        if problems:
            raise ValueError("; ".join(f"{'.'.join(map(str, p.loc))}: {p.message}" for p in problems))
        return self

    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, ready for YAML (aliases such as `with` restored, defaults dropped)."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)


Actor.model_rebuild()
