"""Aggregate power (CINC): public functions researchers can check against COW.

CINC (Composite Index of National Capability, Singer, Bremer & Stuckey 1972) is the mean, over
the six Correlates of War components an actor reports, of its share of the system total. Following
COW, a missing component (None) is left out of that actor's mean rather than counted as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")
"""The COW National Material Capabilities components, by their COW names."""


def cinc(components: Mapping[str, Mapping[str, float | None]]) -> dict[str, float]:
    """Each actor's CINC within the system formed by the actors given.

    `components` maps an actor id to its components by COW name (`milex`, `milper`, `irst`,
    `pec`, `tpop`, `upop`); None marks a missing value. A component nobody reports is ignored;
    an actor reporting no component (or only components whose system total is zero) gets 0.
    """
    totals: dict[str, float] = {}
    for comps in components.values():
        for name in COMPONENTS:
            value = comps.get(name)
            if value is not None:
                if not math.isfinite(value) or value < 0:
                    raise ValueError(f"component {name} must be a non-negative number, got {value}")
                totals[name] = totals.get(name, 0.0) + value
    result: dict[str, float] = {}
    for actor, comps in components.items():
        shares = [
            value / totals[name]
            for name in COMPONENTS
            if (value := comps.get(name)) is not None and totals.get(name, 0.0) > 0
        ]
        result[actor] = sum(shares) / len(shares) if shares else 0.0
    return result
