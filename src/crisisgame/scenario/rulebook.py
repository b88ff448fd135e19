"""The named coefficients of every adjudication rule and computer player, with their defaults.

Every formula of the engine is a default: a facilitator overrides any coefficient under `rules:` in
the scenario YAML (for example `rules: {security_dilemma: {offence_dominance: 0.9}}`). Keeping them
in one pydantic model gives the validator "did you mean" hints for misspelt names, the JSON Schema
editors autocomplete (with each coefficient's meaning, unit and source on hover), and the engine and
the bots a single place to read them from. docs/rules.md says where each one enters a formula.

What counts as a model coefficient, and so must live here rather than as a literal in a rule module
(engine/rules/*.py) or a bot (bots/*.py): any number whose value a scholar could argue about, because
changing it changes what the model says happens (a weight, a scale, a threshold, a probability, a
rate, a bot's disposition). Structural constants may stay literals: the identities 0 and 1 (and
their negatives), the 2 of a pair or of rescaling a [0, 1) draw to [-1, 1), the midpoint 0.5 used as
"no information" (even odds when both sides are empty) or as the neutral point a [0, 1] score is
measured from (`0.5 - approval`), numeric tolerances below 0.001 in comparisons, rounding precisions,
and a module's pipeline `STEP` number. Unit conversions and display limits are structural but named,
in `crisisgame.engine.constants`. tests/engine/test_rulebook.py enforces this rule.

Each coefficient carries its meaning, its unit and its source: a citation key of
`crisisgame.engine.bibliography`, or "calibration" (set so the theory suite's propositions hold on
the calibration seeds), or "design" (a modelling choice of this project, open to argument).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
"""A coefficient that lives in [0, 1]."""
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


def coefficient(default: float, meaning: str, *, unit: str, source: str) -> Any:
    """A rulebook field: its default, and a description that gives its meaning, unit and source."""
    return Field(
        default,
        description=f"{meaning} Unit: {unit}. Source: {source}.",
        json_schema_extra={"unit": unit, "source": source},
    )


class _Group(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, use_attribute_docstrings=True
    )


class Ratification(_Group):
    """Putnam (1988): a deal must fall inside every party's win-set."""

    edge_band: Positive = coefficient(
        0.1, "Distance inside a win-set edge where failure becomes possible.", unit="issue scale", source="putnam1988"
    )
    edge_fail_max: Unit = coefficient(
        0.5, "Failure probability exactly at the edge of the win-set.", unit="probability", source="putnam1988"
    )
    side_payment_widening: NonNegative = coefficient(
        0.05, "Win-set widening per side-payment or linked issue.", unit="issue scale", source="putnam1988"
    )
    mandate_widening: NonNegative = coefficient(
        0.1,
        "Win-set widening under a full (UN Security Council) mandate, scaled by the mandate's legitimacy.",
        unit="issue scale",
        source="putnam1988",
    )
    approval_narrowing: NonNegative = coefficient(
        0.2, "Win-set narrowing per unit of approval below 0.5.", unit="issue scale per approval", source="putnam1988"
    )
    tied_hands_narrowing: NonNegative = coefficient(
        0.1,
        "Win-set narrowing when a leader ties their own hands (declared for scenarios; no rule reads it yet).",
        unit="issue scale",
        source="putnam1988",
    )
    veto_democracy: Unit = coefficient(
        1.0,
        "Scale of the legislature's risk of voting a deal down in a democracy.",
        unit="probability scale",
        source="putnam1988",
    )
    veto_hybrid: Unit = coefficient(
        0.5, "Scale of that risk in a hybrid regime.", unit="probability scale", source="design"
    )
    veto_autocracy: Unit = coefficient(
        0.2,
        "Scale of that risk in an autocracy: a rubber-stamp legislature.",
        unit="probability scale",
        source="design",
    )
    win_sets: bool = Field(
        True,
        description="Switch: whether a deal on an issue must fall inside each party's win-set. False (an "
        "ablation for the theory suite) ratifies every deal as one with no issue position, at the risk set "
        "by approval alone. Unit: switch. Source: putnam1988.",
        json_schema_extra={"unit": "switch", "source": "putnam1988"},
    )


class Capabilities(_Group):
    """How spending, mobilisation and arms deliveries change the COW components."""

    spending_elasticity: NonNegative = coefficient(
        1.0, "Change of military expenditure per change of spending.", unit="elasticity", source="singer1972"
    )
    mobilisation_personnel: NonNegative = coefficient(
        0.5, "Share of personnel added at full mobilisation.", unit="share of personnel", source="design"
    )
    arms_delivery_lag: Annotated[int, Field(ge=0, le=10)] = Field(
        1,
        description="Turns before a delivery counts. Unit: turns. Source: design.",
        json_schema_extra={"unit": "turns", "source": "design"},
    )
    spending_floor: Positive = coefficient(
        0.5,
        "Smallest base against which a relative change of defence spending is measured (a rise from almost "
        "nothing is not an infinite build-up).",
        unit="percent of GDP",
        source="design",
    )
    spending_rescale_floor: NonNegative = coefficient(
        0.1,
        "Spending below which military expenditure is rebuilt from GDP instead of scaled from its current level.",
        unit="percent of GDP",
        source="design",
    )


class SecurityDilemma(_Group):
    """Jervis (1978): build-ups raise neighbours' perceived intent, more so under offence dominance."""

    offence_dominance: Unit = coefficient(
        0.5,
        "delta: 0 defence dominant, 1 offence dominant. It amplifies the security dilemma (step 3) and tilts every "
        "battle (step 6, war.offence_advantage).",
        unit="0 to 1",
        source="jervis1978",
    )
    indistinguishability: Unit = coefficient(
        0.5, "nu: how hard offensive and defensive postures are to tell apart.", unit="0 to 1", source="jervis1978"
    )
    buildup_sensitivity: NonNegative = coefficient(
        0.3, "Intent increase per unit of a neighbour's build-up.", unit="intent per build-up", source="jervis1978"
    )
    exercise_sensitivity: NonNegative = coefficient(
        0.1, "Intent increase per joint exercise next door.", unit="intent per exercise", source="jervis1978"
    )
    reassurance_effect: NonNegative = coefficient(
        0.1, "Intent decrease from reassurance, transparency, arms control.", unit="intent", source="jervis1978"
    )
    intent_decay: Unit = coefficient(
        0.05, "Per-turn drift of perceived intent back towards its prior.", unit="share per turn", source="design"
    )
    deployment_troops: Positive = coefficient(
        10_000.0,
        "Troops sent abroad in one turn that count as one full unit of build-up (the troop term is capped at one).",
        unit="troops",
        source="design",
    )
    amplifier_floor: NonNegative = coefficient(
        0.5,
        "The build-up amplifier is (floor + delta) x (floor + nu): 1 at delta = nu = 0.5, down to floor squared "
        "when defence dominates and postures are distinguishable.",
        unit="factor",
        source="jervis1978",
    )


class Threat(_Group):
    """Walt (1987): T = I^gamma * (w_P * power + w_D * proximity + w_O * offensive capacity)."""

    gamma: Positive = coefficient(
        1.0, "How strongly perceived intent gates the other sources of threat.", unit="exponent", source="walt1987"
    )
    w_power: NonNegative = coefficient(
        0.4, "Weight of aggregate power (CINC relative to the largest).", unit="weight", source="walt1987"
    )
    w_distance: NonNegative = coefficient(0.4, "Weight of proximity exp(-d/tau).", unit="weight", source="walt1987")
    w_offence: NonNegative = coefficient(
        0.2, "Weight of offensive capacity (mobilisation x projection).", unit="weight", source="walt1987"
    )
    tau_km: Positive = coefficient(
        1500.0, "Distance over which proximity falls by a factor e.", unit="km", source="walt1987"
    )


class Credibility(_Group):
    """Fearon (1997), Snyder (1997): q = rho * (b0*s*(1-alpha) + b1*interest + b2*sunk + b3*audience)."""

    b0: NonNegative = coefficient(
        0.5, "Weight of the commitment's strength and clarity.", unit="weight", source="snyder1997"
    )
    b1: NonNegative = coefficient(
        0.2, "Weight of the guarantor's interest in the partner.", unit="weight", source="snyder1997"
    )
    b2: NonNegative = coefficient(
        0.2, "Weight of sunk costs: tripwires, bases, exercises.", unit="weight", source="fearon1997"
    )
    b3: NonNegative = coefficient(0.1, "Weight of audience costs: public pledges.", unit="weight", source="fearon1997")
    interest_base: Unit = coefficient(
        0.3,
        "Interest any guarantor has in a partner it protects, before shared threats and identities.",
        unit="0 to 1",
        source="design",
    )
    kinship_weight: NonNegative = coefficient(
        0.3,
        "Interest added per unit of shared identities (Jaccard share of the two identity lists).",
        unit="interest per share",
        source="design",
    )
    tripwire_troops: Positive = coefficient(
        5000.0, "Troops stationed with a partner that make the sunk-cost term one.", unit="troops", source="fearon1997"
    )
    basing_sunk: NonNegative = coefficient(
        0.2, "Sunk cost of each basing-rights agreement with the partner.", unit="sunk-cost term", source="fearon1997"
    )
    exercise_sunk: NonNegative = coefficient(
        0.1, "Sunk cost of each exercise held with the partner this turn.", unit="sunk-cost term", source="fearon1997"
    )
    pledge_weight: NonNegative = coefficient(
        0.5,
        "Audience-cost term per public pledge, at sensitivity pledge_sensitivity_floor + audience-cost sensitivity.",
        unit="audience-cost term per pledge",
        source="fearon1997",
    )
    pledge_sensitivity_floor: NonNegative = coefficient(
        0.5,
        "Part of a pledge's weight that does not depend on the guarantor's audience-cost sensitivity.",
        unit="factor",
        source="fearon1997",
    )


class War(_Group):
    """Fearon (1995), Boulding (1962): crises, coercion and the loss-of-strength gradient."""

    distance_decay_km: Positive = coefficient(
        3000.0, "Boulding's loss-of-strength gradient (km per factor e).", unit="km", source="boulding1962"
    )
    cost_of_war: Unit = coefficient(
        0.2, "Share of the stakes each belligerent loses to fighting.", unit="share", source="fearon1995"
    )
    misperception: Unit = coefficient(
        0.1, "Spread of the sides' estimates of their win probability.", unit="probability", source="fearon1995"
    )
    power_shift_threshold: Unit = coefficient(
        0.1,
        "Coming shift in relative power that makes war a commitment problem.",
        unit="probability",
        source="fearon1995",
    )
    ladder_grey_zone: Unit = coefficient(
        0.15,
        "Weight of grey-zone action on the escalation ladder (protest 0, war 1).",
        unit="0 to 1",
        source="boulding1962",
    )
    ladder_show_of_force: Unit = coefficient(
        0.25,
        "Weight of a show of force (exercises, patrols, missile tests aimed at a state) on the escalation ladder.",
        unit="0 to 1",
        source="boulding1962",
    )
    ladder_blockade: Unit = coefficient(
        0.35, "Weight of a blockade or quarantine on the escalation ladder.", unit="0 to 1", source="boulding1962"
    )
    ladder_limited_strike: Unit = coefficient(
        0.6, "Weight of a limited strike on the escalation ladder.", unit="0 to 1", source="boulding1962"
    )
    weight_milex: NonNegative = coefficient(
        0.5, "Weight of the share of military expenditure in military power.", unit="weight", source="singer1972"
    )
    weight_milper: NonNegative = coefficient(
        0.25, "Weight of the share of military personnel in military power.", unit="weight", source="singer1972"
    )
    weight_cinc: NonNegative = coefficient(
        0.25, "Weight of CINC (the economy behind the forces) in military power.", unit="weight", source="singer1972"
    )
    projection_floor: NonNegative = coefficient(
        0.25,
        "Reach of a state with no power projection: reach = distance_decay_km x (floor + power projection).",
        unit="factor",
        source="boulding1962",
    )
    unmobilised_strength: NonNegative = coefficient(
        0.5,
        "Strength a state brings unmobilised: strength x (this + mobilisation).",
        unit="factor",
        source="design",
    )
    forward_base_troops: Positive = coefficient(
        20_000.0,
        "Troops stationed abroad that count as a full forward base (a few brigades with their support).",
        unit="troops",
        source="boulding1962",
    )
    target_intent_shock: NonNegative = coefficient(
        0.1,
        "Rise in the target's perceived intent of an attacker for any use of force, protest included.",
        unit="intent",
        source="walt1987",
    )
    target_intent_per_rung: NonNegative = coefficient(
        0.3,
        "Further rise in the target's perceived intent per unit of ladder weight.",
        unit="intent",
        source="walt1987",
    )
    neighbour_intent_per_rung: NonNegative = coefficient(
        0.15,
        "Rise in a bystander's perceived intent per unit of ladder weight, times its proximity to the target.",
        unit="intent",
        source="jervis1978",
    )
    loser_cost_factor: NonNegative = coefficient(
        1.5, "Multiple of cost_of_war x ladder weight that the losing side bears.", unit="factor", source="fearon1995"
    )
    winner_cost_factor: NonNegative = coefficient(
        0.5, "Multiple of cost_of_war x ladder weight that the winning side bears.", unit="factor", source="fearon1995"
    )
    expenditure_loss_divisor: Positive = coefficient(
        3.0,
        "A war cost hits military personnel in full and military expenditure divided by this.",
        unit="divisor",
        source="design",
    )
    armed_attack_weight: Unit = coefficient(
        0.5,
        "Ladder weight from which force is an armed attack (the casus foederis of a defence clause): "
        "at the defaults a limited strike and above; grey-zone action, a show of force and a blockade "
        "coerce but do not let the target invoke a defence pact.",
        unit="0 to 1",
        source="leeds2003",
    )
    fait_accompli: Unit = coefficient(
        0.3,
        "Coercion below an armed attack (grey zone, show of force, blockade) that the target does not answer "
        "with force on the same rung or higher moves the disputed issue towards the coercer's demand by this "
        "times the rung's weight (salami tactics and faits accomplis).",
        unit="share of the distance",
        source="schelling1966",
    )
    blockade_gdp_loss: Unit = coefficient(
        0.01,
        "Share of the target's GDP a blockade or quarantine costs it in the turn it is enforced (trade cut off).",
        unit="share of GDP",
        source="design",
    )
    spoils_share: Unit = coefficient(
        0.25,
        "Share of the target's economy that conquest can take from it in a game, however many battles it loses: "
        "territory, resources and indemnities. A victory of the attacker's side takes the rung's weight (a war "
        "all of it) of what is left of that share, shared among the attacker and the states that fought on its "
        "side in proportion to the strength each brought to the theatre. A defender that holds takes nothing "
        "(the battle is on its soil). 0 switches spoils off: victory then only carries the issue. The order of "
        "magnitude of what one decisive war, of many battles, took from France in 1871: an indemnity of about a "
        "fifth of its output, and Alsace-Lorraine.",
        unit="share of GDP",
        source="devereux_smith2007",
    )
    occupation_troops_per_1000: NonNegative = coefficient(
        20.0,
        "Troops a victor needs in the theatre for each 1,000 inhabitants of the land it takes and holds: a "
        "victor's part of the spoils is at most the output of the share of the target's population its "
        "personnel in the theatre can occupy (its military personnel times the share of its strength the battle "
        "counted). The ratio found for stabilising a hostile population (Malaya, Northern Ireland); benign "
        "policing about two. 0 switches the bound off.",
        unit="troops per 1,000 inhabitants",
        source="quinlivan1995",
    )
    offence_advantage: Annotated[float, Field(ge=1.0)] = coefficient(
        3.0,
        "How far the offence-defence balance delta (security_dilemma.offence_dominance) tilts a battle: the "
        "attacker's strength counts offence_advantage ** (2 delta - 1) times, so at delta = 0.5 neither side is "
        "favoured, at delta = 1 the attacker's strength counts this many times, and at delta = 0 the defender's "
        "does (an attacker then needs this ratio for even odds, the 3:1 rule of thumb). 1 makes battles ignore "
        "delta.",
        unit="force ratio",
        source="mearsheimer1989",
    )

    @model_validator(mode="after")
    def _ladder_rises(self) -> War:
        rungs = [
            0.0,
            self.ladder_grey_zone,
            self.ladder_show_of_force,
            self.ladder_blockade,
            self.ladder_limited_strike,
            1.0,
        ]
        if any(a >= b for a, b in pairwise(rungs)):
            raise ValueError(
                "the escalation ladder must rise: 0 < ladder_grey_zone < ladder_show_of_force < ladder_blockade "
                "< ladder_limited_strike < 1"
            )
        return self

    def ladder(self) -> dict[str, float]:
        """Weight of each rung of the escalation ladder (Boulding 1962; Kahn's ladder, simplified)."""
        return {
            "protest": 0.0,
            "grey_zone": self.ladder_grey_zone,
            "show_of_force": self.ladder_show_of_force,
            "blockade": self.ladder_blockade,
            "limited_strike": self.ladder_limited_strike,
            "war": 1.0,
            "nuclear_use": 1.0,
        }

    def attack_odds(self, attacker: float, defender: float, offence_dominance: float) -> float:
        """The attacker's chance of prevailing with `attacker` strength against `defender` strength in the
        defender's theatre, under the offence-defence balance delta (Jervis 1978; Glaser & Kaufmann 1998):
        the attacker's strength counts offence_advantage ** (2 delta - 1) times. Even odds if both are empty."""
        tilted = attacker * self.offence_advantage ** (2 * offence_dominance - 1)
        return tilted / (tilted + defender) if tilted + defender > 0 else 0.5

    def armed_attack(self, rung: str) -> bool:
        """Whether force on `rung` is an armed attack (what a defence clause answers), not coercion."""
        return self.ladder()[rung] >= self.armed_attack_weight


class Bargaining(_Group):
    """Fearon (1995): computer players weigh the expected value of fighting, on their own beliefs,
    against the best settlement they expect. Temperaments differ only through these parameters."""

    resolve_spread: Unit = coefficient(
        0.5,
        "Private information about resolve: each actor's own cost of war is the rule's cost times its "
        "temperament's weight times (1 +- this spread), drawn once per game; others only know the mean.",
        unit="share of the cost of war",
        source="fearon1995",
    )
    credibility_spread: Unit = coefficient(
        0.5,
        "Private information about an ally's resolve: each state believes a protector of the target would "
        "fight with the protector's credibility (step 5) times (1 +- this spread), drawn once per game for the "
        "believer, the protector and the protected state; the guarantor's resolve is its own private "
        "information, as an adversary's cost of war is (set equal to resolve_spread, not calibrated).",
        unit="share of the credibility",
        source="fearon1997",
    )
    expected_help: bool = Field(
        True,
        description="Switch: whether a computer player deciding on coercion or force counts each protector of "
        "the target, weighted by its belief in the protector's credibility, in its odds and in the nuclear shadow "
        "(deterrence ex ante). False (an ablation for the theory suite) ignores every protector until it has "
        "answered a call. Unit: switch. Source: fearon1997.",
        json_schema_extra={"unit": "switch", "source": "fearon1997"},
    )
    cost_weight_realist: NonNegative = coefficient(
        1.0,
        "How heavily a realist weighs the cost of war against the stakes (material costs only).",
        unit="multiple of the cost of war",
        source="calibration",
    )
    cost_weight_liberal: NonNegative = coefficient(
        2.0,
        "How heavily a liberal institutionalist weighs the cost of war (trade, institutions and "
        "interdependence lost with it: Keohane & Nye 1977).",
        unit="multiple of the cost of war",
        source="calibration",
    )
    cost_weight_constructivist: NonNegative = coefficient(
        1.5,
        "How heavily a constructivist weighs the cost of war against the stakes.",
        unit="multiple of the cost of war",
        source="calibration",
    )
    kin_cost: NonNegative = coefficient(
        1.0,
        "Added weight on the cost of war against a state that shares an identity, for a constructivist "
        "(a war against one's own kind violates a norm: Wendt 1999).",
        unit="multiple of the cost of war",
        source="wendt1999",
    )
    coercion_cost_share: Unit = coefficient(
        0.25,
        "A computer player's cost of coercion below an armed attack (grey zone, show of force, blockade), as a "
        "share of its cost of fighting on a rung of the same weight: no battle is fought, only the risk of an "
        "incident and the diplomatic price are paid.",
        unit="share of the cost of war",
        source="calibration",
    )
    demand_steps: Annotated[int, Field(ge=1, le=100)] = Field(
        10,
        description="Candidate demands a player weighs between the status quo and its ideal position, evenly "
        "spaced. Unit: demands. Source: design.",
        json_schema_extra={"unit": "demands", "source": "design"},
    )
    belief_points: Annotated[int, Field(ge=2, le=21)] = Field(
        5,
        description="Points per dimension of the evenly spaced grid on which a player spreads its belief about "
        "the other side's estimate of the odds and its cost of war (from -1 to +1 times the misperception and "
        "resolve spreads). Unit: points. Source: design.",
        json_schema_extra={"unit": "points", "source": "design"},
    )


class Nuclear(_Group):
    """The nuclear shadow (Jervis 1989; Snyder 1965): nuclear weapons make major war ruinous, and so
    make it rarer, while leaving room for coercion on the lower rungs (the stability-instability paradox)."""

    catastrophe: NonNegative = coefficient(
        3.0,
        "Cost of a nuclear exchange, in units of the stakes of a dispute (so far above any stake).",
        unit="stakes of a dispute",
        source="jervis1989",
    )
    escalation_risk_war: Unit = coefficient(
        0.3,
        "Chance that a major war against a nuclear-armed side goes nuclear.",
        unit="probability",
        source="calibration",
    )
    escalation_risk_strike: Unit = coefficient(
        0.1,
        "Chance that a limited strike against a nuclear-armed side goes nuclear (far below a major war's: room "
        "for coercion on the lower rungs). Calibrated on bot runs with seeds 1000-1999 (docs/rules.md).",
        unit="probability",
        source="calibration",
    )
    first_strike_share: Unit = coefficient(
        0.5,
        "Weight of an arsenal without a secure second strike, relative to one that would survive a first "
        "strike (a vulnerable arsenal deters less).",
        unit="share",
        source="jervis1989",
    )
    use_loss: Unit = coefficient(
        0.5,
        "Share of military personnel and expenditure a state loses to nuclear use against it.",
        unit="share",
        source="jervis1989",
    )
    use_gdp_loss: Unit = coefficient(
        0.2,
        "Share of GDP a state loses to nuclear use against it.",
        unit="share of GDP",
        source="jervis1989",
    )
    test_intent: NonNegative = coefficient(
        0.1,
        "Rise in every other state's perceived intent of a state that tests a nuclear weapon (doubled for its "
        "neighbours within the threat range).",
        unit="intent",
        source="sagan1996",
    )
    threat_intent: NonNegative = coefficient(
        0.15,
        "Rise in the target's perceived intent of a state that threatens it with nuclear weapons.",
        unit="intent",
        source="sechser_fuhrmann2017",
    )
    w_nuclear: NonNegative = coefficient(
        0.2,
        "Weight of the other side's nuclear arsenal in perceived threat (added to Walt's sources).",
        unit="weight",
        source="calibration",
    )
    threat_risk: Unit = coefficient(
        0.05,
        "Chance, as computer players reckon it, that a fight on any rung between a state that made a nuclear "
        "threat and the state it threatened goes nuclear: the risk the threat deliberately leaves to chance, "
        "added to the rung's own escalation risk and borne by both sides. Calibrated on bot runs with seeds "
        "1000-1999 (docs/rules.md).",
        unit="probability",
        source="schelling1966",
    )
    signal_cost: NonNegative = coefficient(
        0.5,
        "A computer player's cost of raising other states' perceived intent of it by one unit with a nuclear "
        "test or threat (the alarm provokes arming and balancing against it), summed over the states alarmed. "
        "Calibrated on bot runs with seeds 1000-1999 (docs/rules.md).",
        unit="stakes of a dispute per unit of intent",
        source="walt1987",
    )
    signal_turns: Annotated[int, Field(ge=1, le=20)] = Field(
        2,
        description="Turns a nuclear test or threat stays in computer players' reckoning after the turn it was "
        "made (long enough to cover a demand, its answer and the escalation that may follow). Unit: turns. "
        "Source: design.",
        json_schema_extra={"unit": "turns", "source": "design"},
    )


class Alliance(_Group):
    """Snyder (1984), Leeds et al. (2000): honouring calls, reputation, abandonment and entrapment."""

    reputation_lambda: Unit = coefficient(
        0.2, "lambda in rho <- (1-lambda) rho + lambda * honoured.", unit="share", source="leeds2000"
    )
    honour_intercept: float = coefficient(
        -0.98, "Log-odds of honouring before the terms below.", unit="log-odds", source="calibration"
    )
    honour_reputation: float = coefficient(
        1.5, "Log-odds per unit of own reputation.", unit="log-odds", source="calibration"
    )
    honour_commitment: float = coefficient(
        0.8, "Log-odds per unit of strength x clarity.", unit="log-odds", source="calibration"
    )
    honour_interest: float = coefficient(
        0.8, "Log-odds per unit of interest in the partner.", unit="log-odds", source="calibration"
    )
    honour_cost: float = coefficient(
        1.2, "Log-odds lost per unit of expected cost of war.", unit="log-odds", source="calibration"
    )
    honour_provocation: float = coefficient(
        1.5,
        "Log-odds lost per unit of partner provocation, under conditionality.",
        unit="log-odds",
        source="calibration",
    )
    honour_defeat: NonNegative = coefficient(
        10.0,
        "Log-odds per unit of the expected loss to the guarantor if it leaves the partner alone: the chance the "
        "partner falls to the attacker fighting alone (the battle odds of step 6, offence-defence balance "
        "included) times the shift of the balance against the guarantor if it does (the partner's power passing "
        "from the guarantor's side to the attacker's: partner / (guarantor + partner + attacker)). Set before "
        "any experiment: a certain fall of a partner a third of the balance weighs 3.3 log-odds, about twice "
        "a spotless reputation.",
        unit="log-odds",
        source="design",
    )
    defeat_pull_reported: NonNegative = coefficient(
        0.25,
        "Smallest pull of the partner's expected defeat on the log-odds that a bot's answer explains and cites.",
        unit="log-odds",
        source="design",
    )
    fear_threat_weight: Unit = coefficient(
        0.5,
        "Abandonment fear = (1 - q) x ((1 - w) + w x top threat): how much the gravest threat scales the gap.",
        unit="weight",
        source="snyder1984",
    )
    entrapment_provocation: NonNegative = coefficient(
        0.5,
        "Added to a partner's risk, for its guarantors' entrapment, when it coerced or used force this turn.",
        unit="risk",
        source="snyder1984",
    )
    realist_cost_weight: NonNegative = coefficient(
        1.25,
        "Multiplier of the expected-cost term when a realist bot answers a call: it weighs the cost of war "
        "against a promise more heavily (Waltz 1979; Mearsheimer 2001).",
        unit="factor",
        source="mearsheimer2001",
    )
    liberal_commitment_weight: NonNegative = coefficient(
        1.25,
        "Multiplier of the commitment term when a liberal bot answers a call: institutions bind (Keohane 1984).",
        unit="factor",
        source="keohane1984",
    )
    constructivist_reputation_weight: NonNegative = coefficient(
        1.25,
        "Multiplier of the reputation term when a constructivist bot answers a call: it guards the identity of "
        "a reliable ally (Wendt 1999).",
        unit="factor",
        source="wendt1999",
    )
    renunciation_notice: Annotated[int, Field(ge=0, le=10)] = Field(
        2,
        description="Turns between a renunciation and the end of the agreement (ATOP's notice clauses). "
        "Unit: turns. Source: leeds2002.",
        json_schema_extra={"unit": "turns", "source": "leeds2002"},
    )
    renunciation_reputation: Unit = coefficient(
        0.1,
        "Reputation lost by renouncing an agreement, times its strength.",
        unit="reputation per strength",
        source="leeds_savun2007",
    )
    renunciation_approval: Unit = coefficient(
        0.05,
        "Approval lost at home by renouncing, times audience-cost sensitivity and regime factor.",
        unit="approval",
        source="design",
    )
    suspension_reputation: Unit = coefficient(
        0.05,
        "Reputation lost by suspending an agreement, times its strength.",
        unit="reputation per strength",
        source="design",
    )
    violation_ends: Unit = coefficient(
        0.0,
        "Chance that an agreement ends, cause 'broken', when a party violates it: abandons a call made under it, "
        "or uses force against another party (0, the default, keeps violated agreements in force, as the "
        "calibration of honour rates and credibility assumes).",
        unit="probability",
        source="leeds_savun2007",
    )


class Burden(_Group):
    """Olson & Zeckhauser (1966): deterrence as a public good, free-riding and joint products."""

    private_share: Unit = coefficient(
        0.2,
        "Share of alliance benefits that are private (bases, industry): step 8 nets free-riding's cost of it, "
        "and a bot counts it as the share of the benefit of its own defence effort that its effort alone buys.",
        unit="share",
        source="sandler_murdoch2000",
    )
    free_riding_penalty: NonNegative = coefficient(
        1.0,
        "Cohesion lost per unit of GDP-weighted free-riding, net of the private share.",
        unit="cohesion per unit",
        source="olson_zeckhauser1966",
    )
    patron_approval_loss: NonNegative = coefficient(
        0.02,
        "Approval the largest member loses per unit of GDP-weighted free-riding, net of the private share.",
        unit="approval per unit",
        source="olson_zeckhauser1966",
    )
    rider_shortfall: Unit = coefficient(
        0.2,
        "Shortfall from the GDP-weighted mean burden above which a member is named as a free rider.",
        unit="share of the mean",
        source="design",
    )


class Legitimacy(_Group):
    """Mandates and broad participation widen win-sets and damp outsiders' suspicion."""

    unsc_mandate: Unit = coefficient(
        1.0, "Legitimacy of a UN Security Council mandate.", unit="0 to 1", source="thompson2006"
    )
    regional_mandate: Unit = coefficient(
        0.5, "Legitimacy of a regional organisation's mandate.", unit="0 to 1", source="thompson2006"
    )
    audience_cost_softening: Unit = coefficient(
        0.3, "Share of audience costs forgiven under full legitimacy.", unit="share", source="thompson2006"
    )
    intent_damping: Unit = coefficient(
        0.5, "Share of outsiders' intent updates damped under full legitimacy.", unit="share", source="thompson2006"
    )
    participation_weight: Unit = coefficient(
        0.5,
        "Legitimacy that the broadest participation (every actor a party) adds on top of the mandate's.",
        unit="0 to 1",
        source="thompson2006",
    )

    def mandate(self, kind: str) -> float:
        """The legitimacy a mandate of this kind ("none", "regional", "unsc") carries on its own."""
        return {"none": 0.0, "regional": self.regional_mandate, "unsc": self.unsc_mandate}[kind]


class Economy(_Group):
    """Economic statecraft (Hirschman 1945; Drezner 1999; Hufbauer et al. 2007): sanctions, embargoes, aid."""

    sanctions_severity: Unit = coefficient(
        0.5, "Share of bilateral trade cut by sanctions.", unit="share of trade", source="hufbauer2007"
    )
    embargo_severity: Unit = coefficient(
        1.0, "Share of bilateral trade cut by an embargo.", unit="share of trade", source="hirschman1945"
    )
    capability_loss: NonNegative = coefficient(
        0.5,
        "Military expenditure lost per turn per unit of trade cut (as a share of GDP).",
        unit="relative loss per share of GDP",
        source="design",
    )
    approval_loss: NonNegative = coefficient(
        0.5,
        "Approval lost per turn per unit of trade cut (as a share of GDP).",
        unit="approval per share of GDP",
        source="design",
    )
    aid_to_milex: Unit = coefficient(
        0.5,
        "Share of aid that adds to the recipient's military expenditure; the donor's falls by the whole amount.",
        unit="share",
        source="design",
    )
    breach_reputation: Unit = coefficient(
        0.1,
        "Reputation lost by a party that withholds the sanctions or aid an agreement commits it to, per turn, "
        "times the agreement's strength.",
        unit="reputation per strength",
        source="design",
    )


class Council(_Group):
    """The UN Security Council: how drafts pass, and what a condemnation does."""

    majority: Unit = coefficient(
        0.6,
        "Share of the seated members whose yes adopts a draft (9 of 15 in the UN Charter, Art. 27).",
        unit="share of members",
        source="voeten2005",
    )
    condemn_intent: Unit = coefficient(
        0.05,
        "Rise in every Council member's perceived intent of a state the Council condemns.",
        unit="intent",
        source="thompson2006",
    )


class Domestic(_Group):
    """Two-level games: approval moves with war, rallies, audience costs and economic costs."""

    war_cost_approval: NonNegative = coefficient(
        0.2, "Approval lost per unit of war cost.", unit="approval per cost", source="putnam1988"
    )
    rally_effect: NonNegative = coefficient(
        0.05, "Approval gained when attacked (rally round the flag).", unit="approval", source="design"
    )
    audience_cost: NonNegative = coefficient(
        0.15, "Approval lost for backing down after a public threat.", unit="approval", source="fearon1997"
    )
    economic_cost: NonNegative = coefficient(
        0.1,
        "Approval lost per unit of economic cost (spending, sanctions).",
        unit="approval per relative rise",
        source="design",
    )
    broken_pledge: NonNegative = coefficient(
        0.1,
        "Approval lost for abandoning an ally after pledging support to it, per unit of publicity "
        "(tied hands, Fearon 1997; Tomz 2007).",
        unit="approval per publicity",
        source="tomz2007",
    )
    private_pledge_publicity: Unit = coefficient(
        0.3,
        "Publicity of a private pledge (a public one counts 1): how many at home learn of it.",
        unit="0 to 1",
        source="design",
    )
    regime_democracy: Unit = coefficient(
        1.0, "Audience-cost factor of a democracy (Fearon 1994).", unit="factor", source="fearon1994"
    )
    regime_hybrid: Unit = coefficient(
        0.6, "Audience-cost factor of a hybrid regime (Weeks 2008).", unit="factor", source="weeks2008"
    )
    regime_autocracy: Unit = coefficient(
        0.3,
        "Audience-cost factor of an autocracy: elites still punish (Weeks 2008).",
        unit="factor",
        source="weeks2008",
    )
    economic_cost_floor: Positive = coefficient(
        1.0,
        "Smallest base against which the relative rise of defence spending that costs approval is measured.",
        unit="percent of GDP",
        source="design",
    )


class Behaviour(_Group):
    """Thresholds for naming what a state did (balancing, bandwagoning, buck-passing, ...)."""

    spending_change: NonNegative = coefficient(
        0.1, "Relative change in spending that counts as internal balancing.", unit="relative change", source="walt1987"
    )
    hedging_spread: Unit = coefficient(
        0.2,
        "Alignment with both sides within this margin counts as hedging (declared; no rule reads it yet).",
        unit="0 to 1",
        source="weitsman2004",
    )
    mobilisation_change: Unit = coefficient(
        0.05, "Rise in mobilisation that counts as internal balancing.", unit="mobilisation", source="walt1987"
    )
    buck_passing_threat: Unit = coefficient(
        0.25,
        "Threat from a state others balanced against above which doing nothing is named buck-passing.",
        unit="threat",
        source="christensen_snyder1990",
    )


class System(_Group):
    """Polarity, blocs and the tension index."""

    pole_share: Unit = coefficient(
        0.5, "CINC relative to the largest power that makes a pole.", unit="share", source="waltz1979"
    )
    tension_smoothing: Unit = coefficient(
        0.5, "Weight of this turn in the smoothed tension index.", unit="weight", source="design"
    )
    war_tension: Unit = coefficient(
        0.25, "Added to this turn's tension while any war is being fought.", unit="tension", source="design"
    )
    incident_tension: NonNegative = coefficient(
        0.3,
        "Added to this turn's tension per unit of ladder weight of each use of force this turn (a grey-zone "
        "incident a little, a limited strike much); with nothing new the index decays by the smoothing.",
        unit="tension per ladder weight",
        source="design",
    )
    nuclear_test_tension: NonNegative = coefficient(
        0.15, "Added to this turn's tension by each nuclear test.", unit="tension", source="design"
    )
    nuclear_threat_tension: NonNegative = coefficient(
        0.1, "Added to this turn's tension by each nuclear threat.", unit="tension", source="design"
    )


class Bots(_Group):
    """The dispositions of the computer players (bots/): when they arm, ally, coerce, fight and give in."""

    weak_ratio: Unit = coefficient(
        0.25,
        "A bot is weak against a threat whose military strength is more than 1/ratio times its own.",
        unit="ratio",
        source="walt1987",
    )
    hostile_intent: Unit = coefficient(
        0.5, "Perceived intent at or above which a state is not a candidate ally.", unit="intent", source="walt1987"
    )
    act_threat: Unit = coefficient(
        0.3,
        "Top threat from which a bot seeks an ally (or, weak and alone, bandwagons).",
        unit="threat",
        source="walt1987",
    )
    arms_response: NonNegative = coefficient(
        0.5,
        "Growth of defence spending per unit of threat above arms_threat_floor (Richardson's reaction coefficient).",
        unit="relative growth per threat",
        source="richardson1960",
    )
    arms_threat_floor: Unit = coefficient(
        0.25, "Threat below which a bot does not arm.", unit="threat", source="richardson1960"
    )
    arms_fatigue: NonNegative = coefficient(
        0.05,
        "Threat needed to keep arming per percentage point of GDP already spent (Richardson's fatigue).",
        unit="threat per percent of GDP",
        source="richardson1960",
    )
    spending_adjustment: Unit = coefficient(
        0.5,
        "Share of the gap to its best-response spending (the alliance's voluntary provision of deterrence) "
        "an allied bot closes each turn.",
        unit="share per turn",
        source="design",
    )
    allied_effort_weight: Unit = coefficient(
        1.0,
        "Share of each ally's defence outlay (times the credibility of the ally's commitment to it and the share "
        "of the ally's strength that reaches it) that a bot counts as security it already enjoys when it chooses "
        "its own effort (1: deterrence is a public good among allies; 0: each member reckons as if alone).",
        unit="share",
        source="olson_zeckhauser1966",
    )
    min_spending: NonNegative = coefficient(
        0.3, "Lowest defence spending a bot orders.", unit="percent of GDP", source="design"
    )
    pact_strength: Unit = coefficient(
        0.6, "Strength of the defence pact a realist bot offers.", unit="0 to 1", source="design"
    )
    multilateral_strength: Unit = coefficient(
        0.5, "Strength of the multilateral agreement a liberal bot offers.", unit="0 to 1", source="design"
    )
    kin_strength: Unit = coefficient(
        0.5,
        "Strength of the partnership a constructivist bot offers a state sharing its identities.",
        unit="0 to 1",
        source="design",
    )
    offer_ambiguity: Unit = coefficient(
        0.3, "Ambiguity of the pacts and partnerships bots offer their partners.", unit="0 to 1", source="design"
    )
    appeasement_strength: Unit = coefficient(
        0.4,
        "Strength of the partnership a weak, lone realist offers its top threat (bandwagoning).",
        unit="0 to 1",
        source="walt1987",
    )
    appeasement_ambiguity: Unit = coefficient(
        0.4, "Ambiguity of that partnership with the top threat.", unit="0 to 1", source="walt1987"
    )
    partner_reputation: Unit = coefficient(
        0.5,
        "Lowest reputation of the other parties for a bot to accept a proposal.",
        unit="reputation",
        source="design",
    )
    partner_intent: Unit = coefficient(
        0.6,
        "Perceived intent of another party at or above which a bot rejects a proposal.",
        unit="intent",
        source="design",
    )
    issue_gap: Unit = coefficient(
        0.3,
        "Smallest gap between two positions on an issue that a bot coerces over.",
        unit="issue scale",
        source="design",
    )
    coercion_appetite: Unit = coefficient(
        0.65,
        "Estimated chance of prevailing (allies' backing included) above which a bot makes a coercive demand.",
        unit="probability",
        source="fearon1995",
    )
    demand_chance: Unit = coefficient(
        0.5, "Chance a bot with that appetite actually makes the demand this turn.", unit="probability", source="design"
    )
    strike_margin: NonNegative = coefficient(
        0.55,
        "Estimated odds minus the cost of war (plus any coming power shift) above which a bot strikes after a "
        "resisted demand.",
        unit="probability",
        source="fearon1995",
    )
    war_margin: NonNegative = coefficient(
        0.7,
        "The same margin above which the bot goes to war rather than a limited strike.",
        unit="probability",
        source="fearon1995",
    )
    yield_hold_chance: Unit = coefficient(
        0.35,
        "A bot gives in to a demand when its chance of holding out is below this...",
        unit="probability",
        source="fearon1995",
    )
    yield_protection: Unit = coefficient(
        0.4, "...and the best credibility of its protectors is below this.", unit="credibility", source="leeds2003"
    )
    ally_help: Unit = coefficient(
        0.5,
        "Share of protectors' military strength (times their credibility or backing) a bot counts in a crisis's odds.",
        unit="share",
        source="design",
    )
    grant_bases_threat: Unit = coefficient(
        0.3,
        "Top threat from which a bot host grants a partner combat use of its bases where their agreement leaves "
        "consent to the host case by case (below it, the host keeps out of others' wars and denies).",
        unit="threat",
        source="design",
    )
    crisis_tension: Unit = coefficient(
        0.55,
        "System tension from which a bot counts itself in a crisis (so do a bot at war and a bot facing an open "
        "demand): in a crisis it never cuts defence spending and mobilises towards the tension.",
        unit="tension",
        source="design",
    )
    crisis_arms: NonNegative = coefficient(
        0.5,
        "Further growth of a bot's defence spending in a crisis per unit of tension above crisis_tension (an "
        "arms race that crises accelerate).",
        unit="relative growth per tension",
        source="richardson1960",
    )
    mobilise_threat: Unit = coefficient(
        0.5, "Top threat above which a bot mobilises towards the level of the threat.", unit="threat", source="design"
    )
    mobilisation_step: Unit = coefficient(
        0.1, "Mobilisation a bot adds in one turn.", unit="mobilisation", source="design"
    )
    exercise_threat: Unit = coefficient(
        0.4, "Top threat above which a bot with allies may hold an exercise with them.", unit="threat", source="design"
    )
    exercise_chance: Unit = coefficient(
        0.5, "Chance it holds that exercise this turn.", unit="probability", source="design"
    )
    friendly_intent: Unit = coefficient(
        0.4,
        "Perceived intent below which liberal and constructivist bots treat a state as a partner.",
        unit="intent",
        source="design",
    )
    multilateral_partners: Annotated[int, Field(ge=1, le=12)] = Field(
        3,
        description="Most partners a liberal bot invites to a multilateral agreement. Unit: states. Source: design.",
        json_schema_extra={"unit": "states", "source": "design"},
    )
    liberal_threat_floor: Unit = coefficient(
        0.2,
        "Top threat below which a liberal bot proposes no multilateral agreement.",
        unit="threat",
        source="design",
    )
    liberal_pact_threat: Unit = coefficient(
        0.45,
        "Top threat above which a liberal bot proposes a defence pact rather than a consultation pact.",
        unit="threat",
        source="design",
    )
    liberal_spending_growth: NonNegative = coefficient(
        1.1, "Most a liberal bot multiplies its spending by in one turn.", unit="factor", source="design"
    )
    reassure_low: Unit = coefficient(
        0.2,
        "A liberal bot reassures its top threat when that threat lies between this...",
        unit="threat",
        source="jervis1978",
    )
    reassure_high: Unit = coefficient(
        0.6, "...and this (above it, reassurance would read as weakness).", unit="threat", source="jervis1978"
    )
    agreement_term: Annotated[int, Field(ge=1, le=20)] = Field(
        4,
        description="Turns a bot's consultation or partnership agreement runs before it must be renewed. "
        "Unit: turns. Source: design.",
        json_schema_extra={"unit": "turns", "source": "design"},
    )
    agreement_threat_weight: NonNegative = coefficient(
        1.0,
        "Weight of the current threat in what an agreement is worth to a bot: the security it adds against the "
        "strongest threat from outside it (protection and deterrence, its stake in the partners it guards), the "
        "entrapment it risks, the restraint a non-aggression pact buys from a rival, and the common interest a "
        "liberal's institution serves. 1: value in units of threat times chance of holding out; 0 (an ablation "
        "for the theory suite) makes an agreement's value blind to the threats it was formed against.",
        unit="factor",
        source="leeds_savun2007",
    )
    agreement_value_spread: Unit = coefficient(
        0.1,
        "Private information about an agreement's value: each party's value of each agreement, per unit of its "
        "strength, is the public reckoning plus this spread times a uniform draw in [-1, 1], made once per game, "
        "party and agreement (a random-utility model of renewal and exit). The value is reckoned in threat times "
        "chances of holding out, so the spread is set equal to war.misperception, the spread of a state's "
        "estimate of its chance of prevailing (not calibrated).",
        unit="value per unit of strength",
        source="fearon1995",
    )
    agreement_weight_spread: Unit = coefficient(
        0.5,
        "Private weights on an agreement's ledger: each party counts the gains and the losses the public reckoning "
        "finds in each agreement times (1 +- this spread), two draws made once per game, party and agreement. Set "
        "equal to bargaining.resolve_spread, the private weight on a state's own cost of war (not calibrated).",
        unit="share of the gains or losses",
        source="fearon1995",
    )
    objective_weight: NonNegative = coefficient(
        0.067,
        "What one point of a scenario objective is worth to a bot in the units of the stakes (a whole issue won is "
        "1, as in bargaining, where war costs war.cost_of_war): a bot weighs the objectives a choice puts at stake "
        "(an agreement it wants or must avoid, a war it must stay out of, a cap on its spending, a reputation or "
        "approval it must keep) at this value per point. A bot values an issue_outcome objective as the issue "
        "itself (1 for the whole issue); the shipped scenarios give such objectives 10 to 25 points, 15 at the "
        "median, so a point is set at 1/15 of an issue (not calibrated). 0 (an ablation) makes bots blind to "
        "every objective but their issues.",
        unit="stakes per objective point",
        source="design",
    )
    exit_reputation: Unit = coefficient(
        0.4,
        "Reputation below which a realist bot counts a partner as unreliable and withholds the aid an agreement "
        "commits it to give that partner.",
        unit="reputation",
        source="snyder1984",
    )
    council_hostile_intent: Unit = coefficient(
        0.5,
        "Perceived intent of a draft's target at or above which a Council member votes yes.",
        unit="intent",
        source="design",
    )
    council_aggressive_intent: Unit = coefficient(
        0.3,
        "Highest intent any state perceives in a draft's target above which a liberal member backs collective "
        "action against it.",
        unit="intent",
        source="keohane1984",
    )
    lift_sanctions_intent: Unit = coefficient(
        0.5,
        "Perceived intent of a sanctioned state below which a bot lifts its sanctions (once it is no longer an "
        "aggressor in a call).",
        unit="intent",
        source="design",
    )
    aid_offer_share: Unit = coefficient(
        0.002,
        "Aid a bot offers per turn to an ally under attack, in an agreement's aid term, as a share of its own "
        "military expenditure.",
        unit="share of military expenditure",
        source="design",
    )


class Freeform(_Group):
    """Free-form actions (matrix games, Curry et al. practice): how many, and the suggested chance."""

    max_actions: Annotated[int, Field(ge=0, le=10)] = Field(
        2,
        description="Free-form actions a team may submit per turn (0 turns them off). Unit: actions. Source: design.",
        json_schema_extra={"unit": "actions", "source": "design"},
    )
    base_chance: Unit = coefficient(
        0.5, "Suggested chance of an action with as many arguments for as against.", unit="probability", source="design"
    )
    argument_weight: Unit = coefficient(
        0.1,
        "Suggested chance added per strong argument for (taken per strong counter-argument).",
        unit="probability per argument",
        source="design",
    )
    strong_chars: Annotated[int, Field(ge=1, le=600)] = Field(
        80,
        description="Length from which an argument is strong (a shorter one counts for weak_share of a strong one). "
        "Unit: characters. Source: design.",
        json_schema_extra={"unit": "characters", "source": "design"},
    )
    weak_share: Unit = coefficient(
        0.5, "What a short (weak) argument counts for, as a share of a strong one.", unit="share", source="design"
    )
    min_chance: Unit = coefficient(
        0.1, "Lowest suggested chance (nothing argued is impossible).", unit="probability", source="design"
    )
    max_chance: Unit = coefficient(
        0.9, "Highest suggested chance (nothing argued is certain).", unit="probability", source="design"
    )


class Rulebook(_Group):
    """All coefficients, grouped by the rule (and step of the adjudication pipeline) that uses them."""

    ratification: Ratification = Ratification()
    """Step 1: ratification at home (Putnam 1988)."""
    capabilities: Capabilities = Capabilities()
    """Step 2: how spending, mobilisation and arms change the COW components."""
    security_dilemma: SecurityDilemma = SecurityDilemma()
    """Step 3: how build-ups raise neighbours' perceived intent (Jervis 1978)."""
    threat: Threat = Threat()
    """Step 4: balance of threat (Walt 1987)."""
    credibility: Credibility = Credibility()
    """Step 5: what others believe about an ally's intervention (Fearon 1997)."""
    war: War = War()
    """Step 6: crises, the escalation ladder and war (Fearon 1995; Boulding 1962)."""
    bargaining: Bargaining = Bargaining()
    """Step 6, for computer players: the expected value of fighting against the settlement expected."""
    nuclear: Nuclear = Nuclear()
    """Step 6: the nuclear shadow over war and coercion."""
    alliance: Alliance = Alliance()
    """Step 7: alliance calls, reputation, abandonment and entrapment (Snyder 1984)."""
    burden: Burden = Burden()
    """Step 8: burden sharing (Olson & Zeckhauser 1966)."""
    legitimacy: Legitimacy = Legitimacy()
    """Step 9: mandates and participation."""
    council: Council = Council()
    """The UN Security Council: how drafts pass, what a condemnation does."""
    economy: Economy = Economy()
    """Economic statecraft: sanctions, embargoes and aid."""
    domestic: Domestic = Domestic()
    """Step 10: approval at home."""
    behaviour: Behaviour = Behaviour()
    """Step 11: thresholds for naming behaviour."""
    system: System = System()
    """Step 12: polarity, blocs and tension."""
    bots: Bots = Bots()
    """The computer players' dispositions."""
    freeform: Freeform = Freeform()
    """Free-form actions: how many per team and turn, and the chance suggested from the arguments."""
