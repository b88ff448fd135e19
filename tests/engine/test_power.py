"""`power.cinc` (COW's Composite Index of National Capability) and great-circle distance."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisgame.engine.power import COMPONENTS, cinc
from crisisgame.scenario.geo import distance_km


def full(value: float) -> dict[str, float | None]:
    return dict.fromkeys(COMPONENTS, value)


def test_cinc_is_the_mean_of_the_component_shares() -> None:
    shares = cinc(
        {
            "A": {"milex": 30, "milper": 10, "irst": 0, "pec": 50, "tpop": 1, "upop": 4},
            "B": {"milex": 10, "milper": 30, "irst": 20, "pec": 50, "tpop": 3, "upop": 4},
        }
    )
    # A: (30/40 + 10/40 + 0/20 + 50/100 + 1/4 + 4/8) / 6 = (0.75 + 0.25 + 0 + 0.5 + 0.25 + 0.5) / 6
    assert shares["A"] == pytest.approx(2.25 / 6)
    assert shares["B"] == pytest.approx(3.75 / 6)


def test_a_missing_component_is_left_out_of_the_mean_not_counted_as_zero() -> None:
    shares = cinc(
        {
            "A": {"milex": 10, "milper": 10, "irst": None, "pec": None, "tpop": None, "upop": None},
            "B": {"milex": 30, "milper": 30, "irst": 5, "pec": 5, "tpop": 5, "upop": 5},
        }
    )
    assert shares["A"] == pytest.approx(0.25)  # its two reported shares, 1/4 each; not (1/4 + 1/4) / 6
    assert shares["B"] == pytest.approx((0.75 + 0.75 + 1 + 1 + 1 + 1) / 6)


def test_a_component_missing_from_the_mapping_counts_as_not_reported() -> None:
    assert cinc({"A": {"milex": 1.0}, "B": {"milex": 3.0, "tpop": 2.0}}) == pytest.approx({"A": 0.25, "B": 0.875})


def test_a_component_whose_system_total_is_zero_is_ignored() -> None:
    shares = cinc({"A": {**full(0.0), "milex": 1.0}, "B": {**full(0.0), "milex": 3.0}})
    assert shares == pytest.approx({"A": 0.25, "B": 0.75})


def test_an_actor_reporting_nothing_has_no_power() -> None:
    assert cinc({"A": dict.fromkeys(COMPONENTS), "B": full(1.0)}) == {"A": 0.0, "B": 1.0}


def test_a_world_with_nothing_in_it_has_no_power_anywhere() -> None:
    assert cinc({"A": full(0.0), "B": full(0.0)}) == {"A": 0.0, "B": 0.0}
    assert cinc({}) == {}


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), -math.inf])
def test_negative_or_non_finite_components_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="component milper must be a non-negative number"):
        cinc({"A": full(1.0), "B": {**full(1.0), "milper": bad}})


finite = st.floats(min_value=0.0, max_value=1e12, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), st.tuples(*[finite] * 6), min_size=1, max_size=12))
def test_shares_over_actors_reporting_every_component_sum_to_one(world: dict[str, tuple[float, ...]]) -> None:
    shares = cinc({a: dict(zip(COMPONENTS, values, strict=True)) for a, values in world.items()})
    assert set(shares) == set(world)
    assert all(0.0 <= v <= 1.0 for v in shares.values())
    totals = [sum(values[k] for values in world.values()) for k in range(6)]
    if all(t > 0 for t in totals):
        assert math.fsum(shares.values()) == pytest.approx(1.0)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.fixed_dictionaries({c: st.none() | finite for c in COMPONENTS}),
        min_size=1,
        max_size=12,
    )
)
def test_every_share_is_in_the_unit_interval_whatever_is_missing(world: dict[str, dict[str, float | None]]) -> None:
    assert all(0.0 <= v <= 1.0 for v in cinc(world).values())


def test_distance_is_the_great_circle_distance() -> None:
    assert distance_km(0, 0, 0, 0) == 0.0
    assert distance_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0)
    assert distance_km(90, 0, -90, 0) == pytest.approx(math.pi * 6371.0)
    # Tallinn to Helsinki: about 80 km across the gulf.
    assert distance_km(59.437, 24.754, 60.170, 24.938) == pytest.approx(82, abs=3)
    assert distance_km(10, 20, 30, 40) == pytest.approx(distance_km(30, 40, 10, 20))
