"""How a computer player answers its allies' calls: one decision per ally and attacker, by temperament.

The engine works out the terms of the answer from the bot's own beliefs (its reputation, how firm
and clear its strongest applicable commitment is, its interest in the partner, its estimate of the
cost of war, the partner's provocation, what it would lose if the partner fell alone). Each temperament weighs them
as its school of thought does: a realist weighs the cost of war more, a liberal the commitment (the
institution), a constructivist its reputation as a reliable ally. The draw is replayable: it comes
from `crisisgame.engine.chance`, keyed by the ally, the attacker and the turn, so every commitment
to the same ally against the same attacker gets the same answer.

The decision is part of adjudication (the battle of step 6 and the calls of step 7 take it for every
ally no team plays), so it lives in the engine, which imports nothing from the bots.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from crisisgame.engine.chance import happens
from crisisgame.scenario.rulebook import Alliance


@dataclass(frozen=True)
class HonourDecision:
    honoured: bool
    probability: float
    draw: float
    terms: dict[str, float]
    facts: dict[str, float] = field(default_factory=dict)
    """What the terms were computed from, as the answer's reason reports it (taken with the terms, so a
    decision taken in step 6's battle reports the figures it was taken on)."""


def weigh(temperament: str, terms: dict[str, float], rules: Alliance) -> dict[str, float]:
    """The log-odds terms as this temperament weighs them."""
    weights = {
        "realist": {"expected_cost": rules.realist_cost_weight},
        "liberal": {"commitment": rules.liberal_commitment_weight},
        "constructivist": {"reputation": rules.constructivist_reputation_weight},
    }.get(temperament, {})
    return {k: v * weights.get(k, 1.0) for k, v in terms.items()}


def answer_call(
    seed: int,
    turn: int,
    ally: str,
    caller: str,
    adversary: str,
    temperament: str,
    terms: dict[str, float],
    rules: Alliance,
    facts: Mapping[str, float] | None = None,
) -> HonourDecision:
    """Whether `ally` honours `caller` against `adversary`: one replayable draw for all its commitments."""
    weighed = weigh(temperament, terms, rules)
    probability = 1.0 / (1.0 + math.exp(-sum(weighed.values())))
    honoured, u = happens(seed, turn, f"honour:{caller}:{adversary}:{ally}", probability)
    return HonourDecision(honoured, probability, u, weighed, dict(facts or {}))
