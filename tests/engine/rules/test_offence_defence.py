"""The offence-defence balance in the battle model (step 6), and what a guarantor reads from it (step 7)."""

from __future__ import annotations

import pytest

from crisisgame.engine.commands import ForceOrder, Orders
from crisisgame.engine.events import Outcome
from crisisgame.engine.rules.alliance import partner_defeat
from crisisgame.engine.rules.common import military_power
from crisisgame.engine.state import State
from crisisgame.scenario.rulebook import War
from tests.theory import worlds as w

BALANCES = (0.05, 0.3, 0.5, 0.7, 0.95)


def test_at_the_neutral_balance_or_with_the_balance_switched_off_a_battle_is_the_plain_strength_ratio() -> None:
    assert War().attack_odds(2.0, 1.0, 0.5) == pytest.approx(2 / 3)
    for delta in BALANCES:
        assert War(offence_advantage=1.0).attack_odds(2.0, 1.0, delta) == pytest.approx(2 / 3)
    assert War().attack_odds(0.0, 0.0, 0.9) == 0.5


def test_offence_dominance_favours_the_attacker_and_defence_dominance_the_defender() -> None:
    odds = [War().attack_odds(1.0, 1.0, delta) for delta in BALANCES]
    assert odds == sorted(odds)
    assert len(set(odds)) == len(odds)
    assert War().attack_odds(1.0, 1.0, 1.0) == pytest.approx(0.75)  # the attacker's strength counts 3 times
    assert War().attack_odds(3.0, 1.0, 0.0) == pytest.approx(0.5)  # 3:1 for even odds when defence dominates


def test_the_ratio_must_favour_someone() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        War(offence_advantage=0.5)


def world(seed: int, delta: float, partner_size: float = 2.0, *, ablate: bool = False) -> tuple[State, str, str, str]:
    """A strikes B, whom C is bound to defend; A and C great powers 1000 km from B."""
    doc = w.blank(3, seed)
    a, b, c = w.ids(doc)
    w.place(doc, a, 0, 0)
    w.place(doc, b, 1000, 0)
    w.place(doc, c, 2000, 0)
    for x, value in ((a, 2.0), (b, partner_size), (c, 2.0)):
        w.size(doc, x, value)
    w.agreement(doc, "pact", "defence_pact", [b, c], strength=0.8, ambiguity=0.1)
    w.rules(doc, "security_dilemma", offence_dominance=delta)
    if ablate:
        w.rules(doc, "war", offence_advantage=1.0)
    return w.primed(w.scenario(doc), seed), a, b, c


def strike(seed: int, delta: float, *, ablate: bool = False) -> Outcome:
    s, a, b, _ = world(seed, delta, ablate=ablate)
    _, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])})
    [battle] = w.outcomes(events, "crisis.strike")
    return battle


def odds(battle: Outcome) -> float:
    p = battle.reason.inputs["p"]
    assert isinstance(p, float)
    return p


def test_a_strike_under_offence_dominance_succeeds_more_often_and_says_why() -> None:
    chances = [odds(strike(1, delta)) for delta in BALANCES]
    assert chances == sorted(chances)
    assert len(set(chances)) == len(chances)
    offence, defence, neutral = strike(1, 0.95), strike(1, 0.05), strike(1, 0.5)
    assert "offence dominant: the attacker's strength counted" in offence.reason.explanation
    assert "defence dominant: the defender's strength counted" in defence.reason.explanation
    assert "dominant" not in neutral.reason.explanation
    assert "jervis1978" in offence.reason.citations
    assert offence.reason.inputs["attacker_strength_factor"] == pytest.approx(3.0**0.9, abs=1e-4)


def test_battles_that_ignore_the_balance_give_the_same_chancesat_every_delta() -> None:
    assert len({odds(strike(1, delta, ablate=True)) for delta in BALANCES}) == 1


def test_a_guarantor_expects_a_partner_left_alone_to_fall_more_often_when_offence_dominates() -> None:
    falls = []
    for delta in BALANCES:
        s, a, b, c = world(2, delta)
        fall, shift, loss = partner_defeat(s, c, b, a)
        power = military_power(s)
        assert shift == pytest.approx(power[b] / (power[a] + power[b] + power[c]))
        assert loss == pytest.approx(fall * shift)
        falls.append(fall)
    assert falls == sorted(falls)
    assert len(set(falls)) == len(falls)


def test_a_small_partners_fall_shifts_the_balance_little() -> None:
    s_big, a, b, c = world(3, 0.95, partner_size=2.0)
    s_small, *_ = world(3, 0.95, partner_size=0.3)
    big, small = partner_defeat(s_big, c, b, a), partner_defeat(s_small, c, b, a)
    assert small[0] > big[0]  # the small partner is the likelier to fall...
    assert small[1] < big[1] / 3  # ...but its fall moves the balance far less
    assert small[2] < big[2]


def test_the_answer_weighs_and_explains_the_partners_expected_defeat() -> None:
    s, a, b, c = world(4, 0.95)
    _, events = w.advance(s, {a: Orders(force=[ForceOrder(target=b, level="limited_strike")])})
    [answer] = w.outcomes(events, "alliance.answer")
    fall, shift, loss = partner_defeat(s, c, b, a)
    assert answer.reason.terms["partner_defeat"] == pytest.approx(s.rules.alliance.honour_defeat * loss)
    assert "offence_dominance" not in answer.reason.terms
    assert answer.reason.inputs["partner_falls_alone"] == pytest.approx(fall, abs=1e-4)
    assert answer.reason.inputs["balance_shift"] == pytest.approx(shift, abs=1e-4)
    assert "would fall with probability" in answer.reason.explanation
    assert "christensen_snyder1990" in answer.reason.citations
