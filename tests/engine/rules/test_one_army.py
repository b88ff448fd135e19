"""An ally has one army: a battle counts it once, however many agreements oblige it (step 6, `sides`).

World (`test_join_attack.row`): A (size 4) attacks B (size 1) 400 km away; C (size 2), 700 km from A, is bound
to B by two defence pacts. Seeds 0-5 (test seeds).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from crisisgame.engine.rules.common import military_power, theatre_strength
from crisisgame.engine.rules.crisis import sides
from crisisgame.engine.state import CallState, State
from tests.engine.rules.test_join_attack import row
from tests.theory import worlds as w

SEEDS = range(6)


def bound_twice(seed: int) -> tuple[State, str, str, str]:
    """The row world with C bound to B by two defence pacts."""
    doc, a, b, c = row(seed)
    w.issue(doc, "land", {a: 0.9, b: 0.1, c: 0.5})
    w.agreement(doc, "pact-1", "defence_pact", [b, c], strength=0.6)
    w.agreement(doc, "pact-2", "defence_pact", [b, c], strength=0.8)
    return w.primed(w.scenario(doc), seed), a, b, c


def called(s: State, a: str, b: str, c: str, answers: tuple[bool | None, bool | None]) -> State:
    """B calls C under each pact against A; C's answer under each (None: not answered yet)."""
    calls = {}
    for ag, answer in zip(("pact-1", "pact-2"), answers, strict=True):
        given = {} if answer is None else {c: answer}
        calls[f"call-{ag}"] = CallState(f"call-{ag}", ag, b, a, (c,), s.turn, given)
    return replace(s, calls=calls)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("answers", "weight"),
    [((None, None), "credibility"), ((True, True), 1.0), ((True, False), 1.0), ((False, None), "credibility")],
)
def test_an_ally_bound_by_two_agreements_counts_once(
    seed: int, answers: tuple[bool | None, bool | None], weight: float | str
) -> None:
    """C's help under the two calls is its strength in B's theatre once, by the greatest weight it has under
    either (its credibility while unanswered, 1 where it honours), not the sum over the two pacts."""
    s, a, b, c = bound_twice(seed)
    power = military_power(s)
    strength, _ = theatre_strength(s, c, b, power)
    own, _ = theatre_strength(s, b, b, power)
    expected = (s.credibility_of(c, b) if weight == "credibility" else float(weight)) * strength
    assert expected > 0
    c_a, c_b, contrib = sides(called(s, a, b, c, answers), a, b, power)
    assert contrib[f"ally:{c}"] == pytest.approx(expected)
    assert c_b == pytest.approx(own + expected)
    assert c_a == pytest.approx(theatre_strength(s, a, b, power)[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_an_attackers_ally_that_honoured_two_calls_counts_once(seed: int) -> None:
    """B strikes A after calling C under both pacts against A, and C honoured both: C's strength in A's theatre
    joins B's side once."""
    s, a, b, c = bound_twice(seed)
    power = military_power(s)
    strength, _ = theatre_strength(s, c, a, power)
    assert strength > 0
    c_a, _, contrib = sides(called(s, a, b, c, (True, True)), b, a, power)
    assert contrib[f"ally:{c}"] == pytest.approx(strength)
    assert c_a == pytest.approx(theatre_strength(s, b, a, power)[0] + strength)
