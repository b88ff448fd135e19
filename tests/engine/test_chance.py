"""`chance`: u = H(seed, turn, decision) in [0, 1): the same decision always draws the same number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.engine.chance import draw, happens


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(), turn=st.integers(0, 50), decision=st.text(max_size=30))
def test_a_draw_is_in_the_unit_interval_and_depends_only_on_its_key(seed: int, turn: int, decision: str) -> None:
    u = draw(seed, turn, decision)
    assert 0.0 <= u < 1.0
    assert draw(seed, turn, decision) == u


def test_different_keys_draw_different_numbers() -> None:
    assert draw(1, 1, "war:A:B") != draw(2, 1, "war:A:B")
    assert draw(1, 1, "war:A:B") != draw(1, 2, "war:A:B")
    assert draw(1, 1, "war:A:B") != draw(1, 1, "war:B:A")


def test_draws_are_spread_evenly() -> None:
    us = [draw(7, 1, f"d{k}") for k in range(4000)]
    assert 0.48 < sum(us) / len(us) < 0.52
    assert all(0.2 < sum(1 for u in us if lo <= u < lo + 0.25) / len(us) < 0.3 for lo in (0, 0.25, 0.5, 0.75))


def test_an_event_happens_when_the_draw_is_below_its_probability() -> None:
    u = draw(3, 2, "honour:c1:A")
    assert happens(3, 2, "honour:c1:A", u + 1e-9) == (True, u)
    assert happens(3, 2, "honour:c1:A", u) == (False, u)
    assert happens(3, 2, "honour:c1:A", 0.0)[0] is False
    assert happens(3, 2, "honour:c1:A", 1.0)[0] is True


def test_a_draw_does_not_depend_on_the_order_of_other_draws() -> None:
    first = [draw(5, 1, k) for k in ("a", "b", "c")]
    second = [draw(5, 1, k) for k in ("c", "b", "a")]
    assert first == second[::-1]
