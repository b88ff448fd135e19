"""The named coefficients of every adjudication rule, with their defaults.

RULES.md makes every formula a default: a facilitator overrides any coefficient under
`rules:` in the scenario YAML (for example `rules: {security_dilemma: {offence_dominance: 0.9}}`).
Keeping them in one pydantic model gives the validator "did you mean" hints for misspelt names,
the JSON Schema editors autocomplete, and the engine a single place to read them from.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
"""A coefficient that lives in [0, 1]."""
Positive = Annotated[float, Field(gt=0.0)]
NonNegative = Annotated[float, Field(ge=0.0)]


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Ratification(_Group):
    """Putnam (1988): a deal must fall inside every party's win-set."""

    edge_band: Positive = Field(0.1, description="Distance inside a win-set edge where failure becomes possible.")
    edge_fail_max: Unit = Field(0.5, description="Failure probability exactly at the edge of the win-set.")
    side_payment_widening: NonNegative = Field(0.05, description="Win-set widening per side-payment or linked issue.")
    mandate_widening: NonNegative = Field(
        0.1, description="Win-set widening under a full (UN Security Council) mandate."
    )
    approval_narrowing: NonNegative = Field(0.2, description="Win-set narrowing per unit of approval below 0.5.")
    tied_hands_narrowing: NonNegative = Field(0.1, description="Win-set narrowing when a leader ties their own hands.")


class Capabilities(_Group):
    """How spending, mobilisation and arms deliveries change the COW components."""

    spending_elasticity: NonNegative = Field(1.0, description="Change of military expenditure per change of spending.")
    mobilisation_personnel: NonNegative = Field(0.5, description="Share of personnel added at full mobilisation.")
    arms_delivery_lag: Annotated[int, Field(ge=0, le=10)] = Field(1, description="Turns before a delivery counts.")


class SecurityDilemma(_Group):
    """Jervis (1978): build-ups raise neighbours' perceived intent, more so under offence dominance."""

    offence_dominance: Unit = Field(0.5, description="delta: 0 defence dominant, 1 offence dominant.")
    indistinguishability: Unit = Field(
        0.5, description="nu: how hard offensive and defensive postures are to tell apart."
    )
    buildup_sensitivity: NonNegative = Field(0.3, description="Intent increase per unit of a neighbour's build-up.")
    exercise_sensitivity: NonNegative = Field(0.1, description="Intent increase per joint exercise next door.")
    reassurance_effect: NonNegative = Field(
        0.1, description="Intent decrease from reassurance, transparency, arms control."
    )
    intent_decay: Unit = Field(0.05, description="Per-turn drift of perceived intent back towards its prior.")


class Threat(_Group):
    """Walt (1987): T = I^gamma * (w_P * power + w_D * proximity + w_O * offensive capacity)."""

    gamma: Positive = Field(1.0, description="How strongly perceived intent gates the other sources of threat.")
    w_power: NonNegative = Field(0.4, description="Weight of aggregate power (CINC relative to the largest).")
    w_distance: NonNegative = Field(0.4, description="Weight of proximity exp(-d/tau).")
    w_offence: NonNegative = Field(0.2, description="Weight of offensive capacity (mobilisation x projection).")
    tau_km: Positive = Field(1500.0, description="Distance over which proximity falls by a factor e.")


class Credibility(_Group):
    """Fearon (1997), Snyder (1997): q = rho * (b0*s*(1-alpha) + b1*interest + b2*sunk + b3*audience)."""

    b0: NonNegative = Field(0.5, description="Weight of the commitment's strength and clarity.")
    b1: NonNegative = Field(0.2, description="Weight of the guarantor's interest in the partner.")
    b2: NonNegative = Field(0.2, description="Weight of sunk costs: tripwires, bases, exercises.")
    b3: NonNegative = Field(0.1, description="Weight of audience costs: public pledges.")


class War(_Group):
    """Fearon (1995), Boulding (1962): crises, coercion and the loss-of-strength gradient."""

    distance_decay_km: Positive = Field(3000.0, description="Boulding's loss-of-strength gradient (km per factor e).")
    cost_of_war: Unit = Field(0.2, description="Share of the stakes each belligerent loses to fighting.")
    misperception: Unit = Field(0.1, description="Spread of the sides' estimates of their win probability.")
    power_shift_threshold: Unit = Field(
        0.1, description="Coming shift in relative power that makes war a commitment problem."
    )


class Bargaining(_Group):
    """Fearon (1995): computer players weigh the expected value of fighting, on their own beliefs,
    against the best settlement they expect. Temperaments differ only through these parameters."""

    resolve_spread: Unit = Field(
        0.5,
        description="Private information about resolve: each actor's own cost of war is the rule's cost times "
        "its temperament's weight times (1 +- this spread), drawn once per game; others only know the mean.",
    )
    cost_weight_realist: NonNegative = Field(
        1.0, description="How heavily a realist weighs the cost of war against the stakes (material costs only)."
    )
    cost_weight_liberal: NonNegative = Field(
        2.0,
        description="How heavily a liberal institutionalist weighs the cost of war (trade, institutions and "
        "interdependence lost with it: Keohane & Nye 1977).",
    )
    cost_weight_constructivist: NonNegative = Field(
        1.5, description="How heavily a constructivist weighs the cost of war against the stakes."
    )
    kin_cost: NonNegative = Field(
        1.0,
        description="Added weight on the cost of war against a state that shares an identity, for a "
        "constructivist (a war against one's own kind violates a norm: Wendt 1999).",
    )
    demand_steps: Annotated[int, Field(ge=1, le=100)] = Field(
        10, description="Candidate demands a player weighs between the status quo and its ideal position."
    )


class Nuclear(_Group):
    """The nuclear shadow (Jervis 1989; Snyder 1965): nuclear weapons make major war ruinous, and so
    make it rarer, while leaving room for coercion on the lower rungs (the stability-instability paradox)."""

    catastrophe: NonNegative = Field(
        3.0, description="Cost of a nuclear exchange, in units of the stakes of a dispute (so far above any stake)."
    )
    escalation_risk_war: Unit = Field(
        0.3, description="Chance that a major war against a nuclear-armed side goes nuclear."
    )
    escalation_risk_strike: Unit = Field(
        0.03, description="Chance that a limited strike against a nuclear-armed side goes nuclear."
    )
    first_strike_share: Unit = Field(
        0.5,
        description="Weight of an arsenal without a secure second strike, relative to one that would survive a "
        "first strike (a vulnerable arsenal deters less).",
    )
    w_nuclear: NonNegative = Field(
        0.2, description="Weight of the other side's nuclear arsenal in perceived threat (added to Walt's sources)."
    )


class Alliance(_Group):
    """Snyder (1984), Leeds et al. (2000): honouring calls, reputation, abandonment and entrapment."""

    reputation_lambda: Unit = Field(0.2, description="lambda in rho <- (1-lambda) rho + lambda * honoured.")
    honour_intercept: float = Field(-0.9, description="Log-odds of honouring before the terms below.")
    honour_reputation: float = Field(1.5, description="Log-odds per unit of own reputation.")
    honour_commitment: float = Field(1.6, description="Log-odds per unit of strength x clarity.")
    honour_interest: float = Field(0.8, description="Log-odds per unit of interest in the partner.")
    honour_cost: float = Field(1.2, description="Log-odds lost per unit of expected cost of war.")
    honour_provocation: float = Field(
        1.5, description="Log-odds lost per unit of partner provocation, under conditionality."
    )
    honour_offence: float = Field(
        3.0,
        description="Log-odds per unit of (2 delta - 1) x the partner's weight in the balance (its CINC relative to "
        "the largest): offence dominance makes allies chain-gang, defence dominance pass the buck "
        "(Christensen & Snyder 1990).",
    )


class Burden(_Group):
    """Olson & Zeckhauser (1966): deterrence as a public good, free-riding and joint products."""

    private_share: Unit = Field(0.2, description="Share of alliance benefits that are private (bases, industry).")
    free_riding_penalty: NonNegative = Field(0.1, description="Cohesion lost per unit of free-riding.")


class Legitimacy(_Group):
    """Mandates and broad participation widen win-sets and damp outsiders' suspicion."""

    unsc_mandate: Unit = Field(1.0, description="Legitimacy of a UN Security Council mandate.")
    regional_mandate: Unit = Field(0.5, description="Legitimacy of a regional organisation's mandate.")
    audience_cost_softening: Unit = Field(0.3, description="Share of audience costs forgiven under full legitimacy.")
    intent_damping: Unit = Field(0.5, description="Share of outsiders' intent updates damped under full legitimacy.")


class Domestic(_Group):
    """Two-level games: approval moves with war, rallies, audience costs and economic costs."""

    war_cost_approval: NonNegative = Field(0.2, description="Approval lost per unit of war cost.")
    rally_effect: NonNegative = Field(0.05, description="Approval gained when attacked (rally round the flag).")
    audience_cost: NonNegative = Field(0.15, description="Approval lost for backing down after a public threat.")
    economic_cost: NonNegative = Field(
        0.1, description="Approval lost per unit of economic cost (spending, sanctions)."
    )


class Behaviour(_Group):
    """Thresholds for naming what a state did (balancing, bandwagoning, buck-passing, ...)."""

    spending_change: NonNegative = Field(
        0.1, description="Relative change in spending that counts as internal balancing."
    )
    hedging_spread: Unit = Field(0.2, description="Alignment with both sides within this margin counts as hedging.")


class System(_Group):
    """Polarity, blocs and the tension index."""

    pole_share: Unit = Field(0.5, description="CINC relative to the largest power that makes a pole.")
    tension_smoothing: Unit = Field(0.5, description="Weight of this turn in the smoothed tension index.")


class Rulebook(_Group):
    """All coefficients, grouped by the rule (and step of the adjudication pipeline) that uses them."""

    ratification: Ratification = Ratification()
    capabilities: Capabilities = Capabilities()
    security_dilemma: SecurityDilemma = SecurityDilemma()
    threat: Threat = Threat()
    credibility: Credibility = Credibility()
    war: War = War()
    bargaining: Bargaining = Bargaining()
    nuclear: Nuclear = Nuclear()
    alliance: Alliance = Alliance()
    burden: Burden = Burden()
    legitimacy: Legitimacy = Legitimacy()
    domestic: Domestic = Domestic()
    behaviour: Behaviour = Behaviour()
    system: System = System()
