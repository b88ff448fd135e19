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

from crisisgame.scenario.rulebook import Rulebook

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

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


# --------------------------------------------------------------------------- metadata


class Source(Model):
    """A cited source; capability figures name one by `key` and give the year of the figure."""

    key: Id
    citation: Annotated[str, Field(min_length=3)]
    """The full reference, as a reader would cite it."""
    url: str | None = None
    """Where the source can be read online (optional)."""


class Meta(Model):
    title: Annotated[str, Field(min_length=3, max_length=200)]
    """The scenario's title, shown in the lobby and on reports."""
    region: Annotated[str, Field(min_length=2)]
    """Where the crisis happens (e.g. 'Baltic Sea region'); positions far outside it are flagged."""
    date: dt.date = Field(strict=False, description="In-game date at the start of turn 1 (YYYY-MM-DD).")
    turn_length: str = Field("one week", description="In-game time one turn stands for.")
    summary: Annotated[str, Field(min_length=10)]
    """A paragraph that sets the scene for the class."""
    learning_objectives: Annotated[list[Annotated[str, Field(min_length=3)]], Field(min_length=1)]
    """What students should understand by the end; shown to the facilitator and in the debrief."""
    sources: list[Source] = []
    """Every source the figures cite, each with a key that capability figures and agreements name."""


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
    """The unit the figure is written in; the engine converts it to COW's units."""
    value: Annotated[float, Field(ge=0.0)] | None = Field(
        description="The figure; null when it is not reported (left out of CINC, as COW does)."
    )
    year: Annotated[int, Field(ge=1816, le=2100)] = Field(description="The year the figure refers to.")
    source: Id = Field(description="Key of an entry in meta.sources.")


class Milex(_Figure):
    unit: MilexUnit
    """The unit of the figure: usd_k, usd_m or usd_bn (US dollars, current)."""


class People(_Figure):
    unit: PeopleUnit
    """The unit of the figure: persons, thousands or millions."""


class IronSteel(_Figure):
    unit: IronSteelUnit
    """The unit of the figure: tonnes, kt or Mt."""


class Energy(_Figure):
    unit: EnergyUnit
    """The unit of the figure: ktce or Mtce (coal-ton equivalents)."""


class Gdp(_Figure):
    unit: GdpUnit
    """The unit of the figure: usd_m, usd_bn or usd_tn (US dollars, current)."""


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
    """Latitude of the actor's capital (or seat), in degrees north (-90 to 90)."""
    lon: Annotated[float, Field(ge=-180.0, le=180.0)]
    """Longitude of the actor's capital (or seat), in degrees east (-180 to 180)."""


class WinSet(Model):
    """The range [low, high] of positions on an issue the home audience will ratify."""

    low: Share
    """Lowest position on the issue the home audience will ratify (0 to 1)."""
    high: Share
    """Highest position on the issue the home audience will ratify (0 to 1)."""


class Domestic(Model):
    approval: Share = Field(description="Share of the public approving of the government.")
    audience_cost_sensitivity: Share = Field(0.5, description="How much backing down after a public threat costs.")
    win_sets: dict[Id, WinSet] = Field({}, description="Per issue id, the deals the home audience will ratify.")


class Deployment(Model):
    """Forces stationed abroad: tripwires and bases are sunk costs that make commitments credible."""

    host: Id = Field(description="Actor id of the host.")
    troops: Annotated[int, Field(ge=0)]
    """Number of troops stationed with the host."""
    kind: Literal["tripwire", "base", "naval", "air", "advisers", "peacekeeping"] = "base"
    """What the forces are: tripwire, base, naval, air, advisers or peacekeeping."""
    note: str | None = None
    """A note for the facilitator (e.g. the unit's name)."""


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
    """Short id other fields use to name this actor (e.g. 'EST'; ISO codes work well)."""
    name: Annotated[str, Field(min_length=2)]
    """The actor's name as students read it."""
    kind: Literal["state", "organisation", "non_state"] = "state"
    """state, organisation or non_state; only states need capabilities."""
    playable: bool = Field(description="Whether a team can play this actor (bots play it otherwise).")
    regime: Literal["democracy", "hybrid", "autocracy", "not_applicable"]
    """democracy, hybrid, autocracy, or not_applicable for organisations."""
    capabilities: Capabilities | None = Field(
        None, description="Required for states; organisations and non-state actors may omit it."
    )
    position: Position
    """Where the actor's capital (or seat) is: distances drive threat and reach."""
    domestic: Domestic
    """Approval, audience-cost sensitivity and win-sets: the home front."""
    reputation: Share = Field(0.75, description="Prior reliability of commitments (0.75 after Leeds 2003).")
    defence_spending: Annotated[float, Field(ge=0.0, le=50.0)] = Field(description="Defence spending, percent of GDP.")
    mobilisation: Share = Field(0.1, description="Share of forces mobilised at the start.")
    power_projection: Share = Field(0.3, description="Ability to fight away from home (0 none, 1 global).")
    forces_abroad: list[Deployment] = []
    """Forces stationed in other actors' territory at the start (tripwires, bases)."""
    nuclear: Nuclear | None = Field(None, description="Nuclear weapons, if any (omit for none).")
    temperament: Temperament = Field("realist", description="The school of thought a bot uses for this actor.")
    identities: list[Annotated[str, Field(min_length=2)]] = Field(
        [], description="Identities and norms a constructivist bot follows (e.g. 'liberal-democracy')."
    )
    objectives: list[Objective] = []
    """What the team playing this actor is scored on; secret ones only its team sees."""


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
    """Unique id of the objective across the scenario."""
    secret: bool = Field(False, description="Secret objectives are shown to their own team only.")
    text: Annotated[str, Field(min_length=5)] = Field(description="What the team reads.")
    points: Annotated[int, Field(ge=1, le=100)] = 10
    """Points the objective is worth when met (1 to 100)."""


class HaveAgreement(_Objective):
    """Be party to an agreement of a type with a partner when the game ends."""

    kind: Literal["have_agreement"]
    """have_agreement: be party to an agreement of a type with a partner."""
    type: AgreementType
    """The agreement type that counts."""
    with_: Id = Field(alias="with")
    """The actor who must be a party too."""


class AvoidAgreement(_Objective):
    """Never be party to an agreement of a type with a given actor."""

    kind: Literal["avoid_agreement"]
    """avoid_agreement: never be party to an agreement of a type with an actor."""
    type: AgreementType
    """The agreement type to avoid."""
    with_: Id = Field(alias="with")
    """The actor not to make that agreement with."""


class AvoidWar(_Objective):
    """Not be at war with the given actor (or with anyone) when the game ends."""

    kind: Literal["avoid_war"]
    """avoid_war: not be at war when the game ends."""
    with_: Id | None = Field(None, alias="with")
    """The actor not to be at war with; leave out for 'with anyone'."""


class KeepApproval(_Objective):
    kind: Literal["keep_approval"]
    """keep_approval: keep the government's approval at or above a level."""
    at_least: Share
    """Lowest approval that meets the objective (0 to 1)."""


class KeepReputation(_Objective):
    kind: Literal["keep_reputation"]
    """keep_reputation: keep reputation for keeping commitments at or above a level."""
    at_least: Share
    """Lowest reputation that meets the objective (0 to 1)."""


class LimitThreat(_Objective):
    """End the game with the perceived threat from an actor at or below a level."""

    kind: Literal["limit_threat"]
    """limit_threat: keep the threat felt from an actor at or below a level."""
    from_: Id = Field(alias="from")
    """The actor whose threat is limited."""
    at_most: Share
    """Highest threat that meets the objective (0 to 1)."""


class IssueOutcome(_Objective):
    """See an issue settled within a range of positions."""

    kind: Literal["issue_outcome"]
    """issue_outcome: see an issue settled within a range."""
    issue: Id
    """The issue that must be settled."""
    low: Share
    """Lowest settled position that meets the objective (0 to 1)."""
    high: Share
    """Highest settled position that meets the objective (0 to 1)."""


class SpendAtMost(_Objective):
    """Keep defence spending at or below a share of GDP (burden shifting)."""

    kind: Literal["spend_at_most"]
    """spend_at_most: keep defence spending at or below a share of GDP."""
    percent_gdp: Annotated[float, Field(ge=0.0, le=50.0)]
    """Highest defence spending that meets the objective, in percent of GDP (2 for 2 %)."""


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


ObligationKind = Literal[
    "defence",
    "offence",
    "neutrality",
    "non_aggression",
    "consultation",
    "extended_deterrence",
    "basing_transit",
    "arms_supply",
]
Trigger = Literal["armed_attack", "named_attacker", "any_war", "coercion"]
Scope = Literal["territory", "region"]


class Clause(Model):
    """One obligation of an agreement (ATOP's casus foederis): what it obliges, when, and where.

    `trigger` defaults by kind (see `default_trigger`): defence answers an armed attack on a party's
    territory, offence any war a party fights, extended deterrence a coercive threat or an attack.
    """

    kind: ObligationKind
    """What it obliges: defence, offence, neutrality, non_aggression, consultation, extended_deterrence,
    basing_transit or arms_supply (ATOP's obligation types)."""
    trigger: Trigger | None = Field(
        None,
        description="What invokes it: armed_attack (on a covered territory), named_attacker (an attack by one "
        "of `attackers`), any_war (any war a party fights), coercion (a coercive demand or an attack). "
        "Default by kind: defence armed_attack, offence any_war, extended_deterrence coercion.",
    )
    attackers: list[Id] = Field([], description="For trigger named_attacker: the states whose attack invokes it.")
    scope: Scope = Field("territory", description="territory: any party's own territory; region: only `region`.")
    region: list[Id] = Field([], description="For scope region: the actors whose territory the clause covers.")
    min_rung: Literal["grey_zone", "show_of_force", "blockade", "limited_strike", "war"] | None = Field(
        None,
        description="For clauses that can be called on: the lowest rung of force that invokes it. Default: an armed "
        "attack (the rulebook's war.armed_attack_weight, a limited strike) for armed_attack and named_attacker "
        "triggers, any coercion for the coercion trigger. A lower rung (e.g. blockade) widens the casus foederis "
        "to that rung; a higher one (war) narrows it.",
    )


Obligation = ObligationKind | Clause
"""A bare kind (with its default trigger and scope) or a full clause."""


class SanctionTerm(Model):
    """A sanctions coalition: parties commit to sanction (or embargo) a state outside the agreement while it is
    in force. The engine imposes the measure each turn for every committed party that does not withhold it."""

    target: Id = Field(description="The state sanctioned: not a party to the agreement.")
    kind: Literal["sanctions", "embargo"] = Field(
        "sanctions", description="sanctions (a partial cut of bilateral trade) or embargo (a total cut)."
    )
    by: Annotated[list[Id], Field(max_length=50)] = Field(
        [], description="The parties committed to sanction; empty: every party."
    )


class AidTerm(Model):
    """Aid one party commits to give another each turn the agreement is in force."""

    donor: Id = Field(description="The party that gives the aid.")
    to: Id = Field(description="The party that receives it.")
    value_usd_m: Annotated[float, Field(gt=0.0, le=1e6)] = Field(
        description="Aid per turn, in millions of US dollars (more than 0)."
    )


class Terms(Model):
    """Terms of an agreement: quantities, prices and deliveries (each optional)."""

    troops: Annotated[int, Field(ge=0)] | None = None
    """Troops the agreement stations or commits."""
    value_usd_m: Annotated[float, Field(ge=0.0)] | None = Field(None, description="Value of an arms deal or aid.")
    item: str | None = Field(None, description="What is delivered (e.g. 'HIMARS', 'F-16V').")
    deliveries: Annotated[int, Field(ge=1, le=50)] | None = Field(None, description="Number of turns deliveries take.")
    host: Id | None = Field(None, description="Host of bases or exercises.")
    host_consent: Literal["standing", "case_by_case"] = Field(
        "standing",
        description="Whether the host consents to combat use of the bases in the agreement itself ('standing', "
        "the default) or decides each turn ('case_by_case': usable only in a turn the host grants it, or when "
        "the host itself is the theatre). A host may deny use in any turn either way.",
    )
    position: Share | None = Field(None, description="Position on the agreement's issue, for ratification.")
    issue: Id | None = Field(None, description="Issue whose win-sets ratify the deal.")
    sanctions: Annotated[list[SanctionTerm], Field(max_length=8)] = Field(
        [], description="Sanctions coalition terms: parties commit to sanction a named outsider while it is in force."
    )
    aid: Annotated[list[AidTerm], Field(max_length=8)] = Field(
        [], description="Aid terms: a party gives another a stated amount of aid each turn while it is in force."
    )


class Agreement(Model):
    """An agreement in force at the start (ATOP-style obligations)."""

    id: Id
    """Short id that inject conditions and reports name."""
    name: Annotated[str, Field(min_length=3)]
    """The agreement's name as students read it."""
    type: AgreementType
    """One of the ten ATOP-style agreement types."""
    parties: Annotated[list[Id], Field(min_length=2)]
    """Actor ids of every party (at least two)."""
    guarantors: list[Id] = Field(
        [], description="Parties obliged to help (empty: all parties); for guarantees and basing, the patron."
    )
    obligations: list[Obligation] = Field(
        [],
        description="ATOP obligations, each a kind or a clause {kind, trigger, attackers, scope, region}; empty: "
        "the defaults of the type (a defence pact or guarantee: defence on armed attack on a party's territory).",
    )
    strength: Share = Field(description="s: how binding and substantial the commitment is.")
    ambiguity: Share = Field(0.0, description="alpha: how unclear the casus foederis is.")
    conditionality: Share = Field(0.0, description="kappa: help only if the partner did not provoke.")
    duration: Annotated[int, Field(ge=1)] | None = Field(None, description="Turns left; null = indefinite.")
    mandate: Literal["none", "regional", "unsc"] = "none"
    """none, regional or unsc: the legitimacy behind it (it widens win-sets and damps suspicion)."""
    public: bool = True
    """Whether outsiders know of it; a secret agreement adds no credibility."""
    since: Annotated[int, Field(ge=1800, le=2100)] | None = Field(None, description="Year signed.")
    terms: Terms = Terms()
    """Quantities, prices and deliveries, where the type has them."""
    source: Id | None = Field(None, description="Key of an entry in meta.sources.")


class Issue(Model):
    """An issue at stake, as an axis [0, 1] on which each actor has a position."""

    id: Id
    """Short id that win-sets, demands and objectives name."""
    name: Annotated[str, Field(min_length=3)]
    """The issue's name as students read it."""
    divisible: bool
    """Whether a compromise position can settle it; fighting over an indivisible issue is a cause of war."""
    description: str = ""
    """What the two ends of the [0, 1] axis mean."""
    positions: dict[Id, Share] = Field({}, description="Each interested actor's ideal position.")


class IntentEntry(Model):
    """How aggressive `of` believes `toward` is, in [0, 1]."""

    of: Id
    """The observer."""
    toward: Id
    """The actor observed."""
    value: Share
    """How aggressive the observer believes it is (0 benign, 1 hostile)."""


# --------------------------------------------------------------------------- injects


class _Effect(Model):
    pass


class ChangeIntent(_Effect):
    kind: Literal["intent"]
    """intent: change how aggressive observers believe an actor is."""
    of: list[Id] = Field(description="Observers whose perception changes.")
    toward: Id
    """The actor observed."""
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]
    """Change of perceived intent (-1 to 1); the result stays within 0 and 1."""


class ChangeApproval(_Effect):
    kind: Literal["approval"]
    """approval: change an actor's approval at home."""
    actor: Id
    """The actor whose approval changes."""
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]
    """Change of approval (-1 to 1); the result stays within 0 and 1."""


class ChangeReputation(_Effect):
    kind: Literal["reputation"]
    """reputation: change an actor's reputation for keeping commitments."""
    actor: Id
    """The actor whose reputation changes."""
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]
    """Change of reputation (-1 to 1); the result stays within 0 and 1."""


class ChangeMobilisation(_Effect):
    kind: Literal["mobilisation"]
    """mobilisation: change the share of an actor's forces mobilised."""
    actor: Id
    """The actor who mobilises or stands down."""
    delta: Annotated[float, Field(ge=-1.0, le=1.0)]
    """Change of mobilisation (-1 to 1); the result stays within 0 and 1."""


class ChangeCapability(_Effect):
    """Multiply a capability component (e.g. 0.9 after sabotage of energy infrastructure)."""

    kind: Literal["capability"]
    """capability: multiply one capability component."""
    actor: Id
    """The actor whose capability changes."""
    component: Literal["milex", "milper", "irst", "pec", "tpop", "upop", "gdp"]
    """The component multiplied (a COW component or gdp)."""
    factor: Annotated[float, Field(ge=0.0, le=10.0)]
    """The multiplier (0.9 loses a tenth; 1.1 gains a tenth)."""


class Escalate(_Effect):
    """A non-played move on the escalation ladder, e.g. a blockade by a bot actor."""

    kind: Literal["escalate"]
    """escalate: force used at the adjudication of the inject's turn."""
    actor: Id
    """The actor who uses force."""
    target: Id
    """The actor force is used against."""
    level: Literal["protest", "grey_zone", "show_of_force", "blockade", "limited_strike", "war", "nuclear_use"]
    """The rung of the escalation ladder: protest, grey_zone, show_of_force, blockade, limited_strike, war or
    nuclear_use (only by an actor with nuclear weapons)."""


class Demand(_Effect):
    """A coercive demand the target must accept or resist."""

    kind: Literal["demand"]
    """demand: a coercive demand, answered the turn after."""
    actor: Id
    """The actor making the demand."""
    target: Id
    """The actor who must accept or resist."""
    issue: Id
    """The issue the demand is about."""
    position: Share
    """The position demanded on the issue (0 to 1)."""


class CallOnAgreement(_Effect):
    """A party invokes an agreement against an attacker. The call opens only if a clause applies when
    the inject fires (its trigger occurred in its scope); otherwise it is refused with the reason."""

    kind: Literal["call"]
    """call: a party invokes an agreement against an attacker."""
    actor: Id = Field(description="The party that calls on its allies.")
    agreement: Id = Field(description="Id of the agreement invoked.")
    against: Id = Field(description="The attacker or coercer.")


Effect = Annotated[
    ChangeIntent
    | ChangeApproval
    | ChangeReputation
    | ChangeMobilisation
    | ChangeCapability
    | Escalate
    | Demand
    | CallOnAgreement,
    Field(discriminator="kind"),
]


class Condition(Model):
    """An inject fires only when its condition holds at the start of its turn."""

    tension_above: Share | None = None
    """Fire only if the tension index is above this (0 to 1)."""
    tension_below: Share | None = None
    """Fire only if the tension index is below this (0 to 1)."""
    agreement_exists: Id | None = Field(None, description="An agreement id (shipped or concluded in play).")
    at_war: list[Id] | None = Field(None, description="Two actor ids that must be at war.")


class Inject(Model):
    id: Id
    """Unique id of the inject."""
    turn: Annotated[int, Field(ge=1)]
    """The turn whose briefing releases it."""
    audience: Literal["public"] | list[Id] = Field(
        "public", description="'public', or the actor ids who receive it (intelligence)."
    )
    title: Annotated[str, Field(min_length=3)]
    """A headline, as students read it."""
    text: Annotated[str, Field(min_length=10)]
    """The news or intelligence itself."""
    effects: list[Effect] = []
    """What changes when it is released (intent, approval, reputation, mobilisation, capability, escalation, demand)."""
    condition: Condition | None = None
    """Release it only when this holds at the start of its turn; leave out to always release it."""


# --------------------------------------------------------------------------- turns, seating


class Phases(Model):
    """Phase durations in seconds; a phase ends early when every team is ready."""

    briefing: Annotated[int, Field(ge=0, le=7200)] = 120
    """Seconds of briefing (0 to 7200)."""
    diplomacy: Annotated[int, Field(ge=30, le=7200)] = 900
    """Seconds of diplomacy (30 to 7200)."""
    orders: Annotated[int, Field(ge=30, le=7200)] = 300
    """Seconds to submit orders (30 to 7200)."""
    results: Annotated[int, Field(ge=0, le=7200)] = 180
    """Seconds to read the results (0 to 7200)."""


class Turns(Model):
    count: Annotated[int, Field(ge=1, le=50)]
    """Number of turns (1 to 50)."""
    phases: Phases = Phases()
    """How long each phase of a turn lasts; a phase ends early when every team is ready."""


class Seating(Model):
    """Which actors a small class should play first, in order."""

    priority: list[Id] = Field(description="Playable actor ids, most important first.")
    minimum: Annotated[int, Field(ge=1)] = Field(2, description="Fewest teams the scenario works with.")


# --------------------------------------------------------------------------- trade


class TradeLink(Model):
    """Bilateral trade as a share of each side's GDP: what sanctions and embargoes between them cost."""

    between: Annotated[list[Id], Field(min_length=2, max_length=2)] = Field(description="The two actors.")
    dependence: dict[Id, Annotated[float, Field(ge=0.0, le=2.0)]] = Field(
        description="For each of the two, its trade with the other (exports plus imports) as a share of its GDP."
    )
    year: Annotated[int, Field(ge=1816, le=2100)]
    """The year the trade figures are for (1816 to 2100)."""
    source: Id = Field(description="Key of an entry in meta.sources.")


# --------------------------------------------------------------------------- the Security Council


class Council(Model):
    """Who sits on the UN Security Council in the scenario, and which regional bodies may authorise force."""

    members: Annotated[list[Id], Field(min_length=1)] = Field(
        description="Actors with a seat, permanent and elected (absent actors of the real Council may be left out)."
    )
    permanent: list[Id] = Field([], description="The members with a veto (each also in members).")
    regional_bodies: list[Id] = Field(
        [], description="Organisations whose authorisation counts as a regional mandate when they are a party."
    )
    source: Id | None = Field(None, description="Key of an entry in meta.sources (e.g. the UN's list of members).")


# --------------------------------------------------------------------------- the scenario


class Scenario(Model):
    """A whole scenario file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        title="crisisgame scenario",
        use_attribute_docstrings=True,
        json_schema_extra={"$comment": "Generated by `crisisgame schema`; see docs/authoring.md."},
    )

    schema_version: Literal[1] = 1
    """Version of the scenario format; 1 is the only one."""
    id: Id
    """Short id of the scenario (used in the catalogue and game records)."""
    meta: Meta
    """Title, region, date, summary, learning objectives and sources."""
    actors: Annotated[list[Actor], Field(min_length=2)]
    """Every state, organisation and non-state actor (at least two)."""
    intent: list[IntentEntry] = Field([], description="Perceived intent between pairs; others take default_intent.")
    default_intent: Share = Field(0.3, description="Perceived intent for pairs not listed under intent.")
    agreements: list[Agreement] = []
    """Agreements in force at the start."""
    issues: list[Issue] = []
    """The issues at stake, each an axis from 0 to 1."""
    injects: list[Inject] = []
    """Scripted news and intelligence, released turn by turn."""
    turns: Turns
    """How many turns, and how long each phase lasts."""
    rules: Rulebook = Rulebook()
    """Overrides of the rulebook's coefficients for this scenario (see docs/rules.md)."""
    seating: Seating
    """Which actors a small class should play first."""
    trade: list[TradeLink] = Field(
        [], description="Bilateral trade dependence (sourced); a pair not listed counts as not trading."
    )
    council: Council | None = Field(
        None, description="UN Security Council seats; without it no resolution can be tabled and no UN mandate granted."
    )
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
