"""Plausibility warnings: figures that are valid but out of the range of the real world, and objectives
that an agreement in force at the start already fails.

An error means the engine cannot run the file; a warning means it can, but a figure is very likely
a slip (a share written as a fraction, latitude and longitude swapped, millions meant as billions).
`crisisgame validate` prints warnings and still accepts the file; `--strict` refuses it. Like the
reference checks, these run on the raw document, defensively, and never raise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from crisisgame.scenario.checks import Loc, Problem
from crisisgame.scenario.gazetteer import capital_of
from crisisgame.scenario.geo import distance_km

LOW_SPENDING = 0.5
"""Percent of GDP below which defence spending is rare (a handful of small or neutral states)."""
HIGH_SPENDING = 30.0
"""Percent of GDP above which only states fighting a major war have spent."""
CAPITAL_KM = 2500.0
"""Distance from a state's capital beyond which its position is probably a slip."""
SWAP_KM = 500.0
"""Distance within which the swapped coordinates land on the capital: the author swapped them."""
SPENDING_MISMATCH = 5.0
"""Factor by which military expenditure over GDP may differ from `defence_spending` before a warning."""
TRADE_MISMATCH = 3.0
"""Factor by which the bilateral trade implied by the two sides of a trade link may differ before a warning
(mirror statistics differ by far less)."""
LARGEST_GDP_BN = 40_000.0
"""More than any state's GDP (the largest is under 30 trillion US$)."""
SMALLEST_GDP_BN = 0.05
"""Less than any state's GDP (the smallest is around 60 million US$)."""

TO_USD_BN = {"usd_k": 1e-6, "usd_m": 1e-3, "usd_bn": 1.0, "usd_tn": 1e3}
UNITS_UP = {"usd_k": "usd_m", "usd_m": "usd_bn", "usd_bn": "usd_tn"}
UNITS_DOWN = {v: k for k, v in UNITS_UP.items()}

REGIONS: dict[str, tuple[float, float, float, float]] = {
    # keyword in meta.region: (south, north, west, east) in degrees
    "baltic": (53.0, 67.0, 9.0, 33.0),
    "nordic": (54.0, 72.0, 4.0, 32.0),
    "europe": (34.0, 72.0, -25.0, 45.0),
    "caucasus": (38.0, 45.0, 37.0, 51.0),
    "middle east": (12.0, 42.0, 25.0, 63.0),
    "gulf": (12.0, 31.0, 34.0, 60.0),
    "horn of africa": (-2.0, 19.0, 32.0, 52.0),
    "red sea": (12.0, 30.0, 32.0, 44.0),
    "africa": (-35.0, 38.0, -18.0, 52.0),
    "south asia": (5.0, 37.0, 60.0, 98.0),
    "east asia": (0.0, 55.0, 95.0, 150.0),
    "taiwan": (18.0, 30.0, 115.0, 128.0),
    "korea": (33.0, 43.0, 124.0, 131.0),
    "south china sea": (0.0, 25.0, 105.0, 122.0),
    "latin america": (-56.0, 33.0, -118.0, -34.0),
    "south america": (-56.0, 13.0, -82.0, -34.0),
    "arctic": (60.0, 90.0, -180.0, 180.0),
}


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _actors(doc: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    actors = doc.get("actors")
    if isinstance(actors, list):
        for i, actor in enumerate(actors):
            if isinstance(actor, dict):
                yield i, actor


def _spending(loc: Loc, value: Any) -> Iterator[Problem]:
    share = _number(value)
    if share is None or share < 0.1:  # below 0.1 the reference checks already call it an error
        return
    field = loc[-1]
    if share < LOW_SPENDING:
        yield Problem(
            loc,
            f"{field} {share:g} means {share:g} % of GDP, less than almost any state spends",
            f"this one figure is a percentage, not a fraction: if you meant {share * 100:g} %, write {share * 100:g}",
        )
    elif share > HIGH_SPENDING:
        yield Problem(
            loc,
            f"{field} {share:g} % of GDP is more than any state spends outside a major war",
            "check the figure (SIPRI's database gives military expenditure as a share of GDP)",
        )


def _figure_usd_bn(fig: Any) -> tuple[float, str] | None:
    if not isinstance(fig, dict):
        return None
    value, unit = _number(fig.get("value")), fig.get("unit")
    if value is None or unit not in TO_USD_BN:
        return None
    return value * TO_USD_BN[unit], str(unit)


def _unit_hint(ratio: float, unit: str, what: str) -> str:
    """Which unit would bring a figure off by `ratio` (too large if > 1) back into range."""
    better = UNITS_DOWN.get(unit) if ratio > 1 else UNITS_UP.get(unit)
    if better:
        return f"is {what} in {better} rather than {unit}?"
    return f"check {what} and its unit"


def _money(loc: Loc, actor: dict[str, Any]) -> Iterator[Problem]:
    caps = actor.get("capabilities")
    if not isinstance(caps, dict):
        return
    gdp = _figure_usd_bn(caps.get("gdp"))
    milex = _figure_usd_bn(caps.get("milex"))
    if gdp is not None and gdp[0] > 0 and actor.get("kind", "state") == "state":
        if gdp[0] > LARGEST_GDP_BN:
            yield Problem(
                (*loc, "capabilities", "gdp", "value"),
                f"a GDP of {gdp[0]:,.0f} billion US$ is larger than any state's",
                _unit_hint(gdp[0] / LARGEST_GDP_BN, gdp[1], "gdp"),
            )
        elif gdp[0] < SMALLEST_GDP_BN:
            yield Problem(
                (*loc, "capabilities", "gdp", "value"),
                f"a GDP of {gdp[0] * 1000:,.1f} million US$ is smaller than any state's",
                _unit_hint(gdp[0] / SMALLEST_GDP_BN, gdp[1], "gdp"),
            )
    if gdp is None or milex is None or gdp[0] <= 0 or milex[0] <= 0:
        return
    implied = 100 * milex[0] / gdp[0]
    stated = _number(actor.get("defence_spending"))
    mloc: Loc = (*loc, "capabilities", "milex", "value")
    if implied > 100:
        yield Problem(
            mloc,
            f"military expenditure ({milex[0]:,.3g} billion US$) is larger than GDP ({gdp[0]:,.3g} billion US$)",
            f"{_unit_hint(implied / 100, milex[1], 'milex')} Or is gdp in {UNITS_UP.get(gdp[1], gdp[1])} rather than "
            f"{gdp[1]}?",
        )
    elif (
        stated is not None
        and LOW_SPENDING <= stated <= HIGH_SPENDING  # outside, the spending warning already speaks
        and not 1 / SPENDING_MISMATCH <= implied / stated <= SPENDING_MISMATCH
    ):
        yield Problem(
            mloc,
            f"military expenditure is {implied:.3g} % of GDP, but defence_spending says {stated:g} %",
            _unit_hint(implied / stated, milex[1], "milex") + " (or check gdp's unit, or defence_spending)",
        )


def _region_boxes(doc: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    meta = doc.get("meta")
    region = meta.get("region") if isinstance(meta, dict) else None
    if not isinstance(region, str):
        return []
    text = region.lower()
    return [box for word, box in REGIONS.items() if word in text]


def _inside(lat: float, lon: float, boxes: list[tuple[float, float, float, float]]) -> bool:
    return any(s <= lat <= n and w <= lon <= e for s, n, w, e in boxes)


def _position(loc: Loc, actor: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> Iterator[Problem]:
    pos = actor.get("position")
    if not isinstance(pos, dict):
        return
    lat, lon = _number(pos.get("lat")), _number(pos.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return
    ploc: Loc = (*loc, "position")
    swappable = -90 <= lon <= 90
    aid, name = actor.get("id"), actor.get("name")
    known = capital_of(aid, name if isinstance(name, str) else None) if isinstance(aid, str) else None
    if known is not None and actor.get("kind", "state") == "state":
        state, capital, clat, clon = known
        off = distance_km(lat, lon, clat, clon)
        if off <= SWAP_KM * 2:
            return
        if swappable and distance_km(lon, lat, clat, clon) <= SWAP_KM:
            yield Problem(
                ploc,
                f"lat {lat:g} and lon {lon:g} look swapped: {capital}, the capital of {state}, is at lat {clat:g}, "
                f"lon {clon:g}",
                "latitude is north-south (-90 to 90), longitude east-west: swap the two values",
            )
        elif off > CAPITAL_KM:
            yield Problem(
                ploc,
                f"the position is {off:,.0f} km from {capital}, the capital of {state} (lat {clat:g}, lon {clon:g})",
                "an actor's position is its capital (or the seat of an organisation): check the coordinates and signs",
            )
    elif boxes and not _inside(lat, lon, boxes) and swappable and _inside(lon, lat, boxes):
        yield Problem(
            ploc,
            f"lat {lat:g} and lon {lon:g} look swapped: swapped, they fall inside the scenario's region",
            "latitude is north-south (-90 to 90), longitude east-west: swap the two values",
        )


def _trade(doc: dict[str, Any]) -> Iterator[Problem]:
    """Both sides of a trade link divide the same bilateral trade by their own GDP: the two products agree."""
    gdp: dict[str, float] = {}
    for _, actor in _actors(doc):
        caps = actor.get("capabilities")
        figure = _figure_usd_bn(caps.get("gdp")) if isinstance(caps, dict) else None
        if isinstance(actor.get("id"), str) and figure is not None and figure[0] > 0:
            gdp[actor["id"]] = figure[0]
    links = doc.get("trade")
    for i, link in enumerate(links if isinstance(links, list) else []):
        between, dep = (link.get("between"), link.get("dependence")) if isinstance(link, dict) else (None, None)
        if not isinstance(between, list) or len(between) != 2 or not isinstance(dep, dict):
            continue
        a, b = between
        if not (isinstance(a, str) and isinstance(b, str) and a in gdp and b in gdp and a != b):
            continue
        da, db = _number(dep.get(a)), _number(dep.get(b))
        if da is None or db is None or da <= 0 or db <= 0:
            continue
        ta, tb = da * gdp[a], db * gdp[b]
        if max(ta, tb) / min(ta, tb) > TRADE_MISMATCH:
            yield Problem(
                ("trade", i, "dependence"),
                f"the two sides of this link imply different trade: {a}'s {da:g} of its GDP is {ta:,.3g} "
                f"billion US$, {b}'s {db:g} of its GDP is {tb:,.3g} billion US$",
                "each figure is the same bilateral trade divided by that actor's own GDP: check both (a "
                "percentage written as a share, or the other side's GDP used)",
            )


def _failed_at_start(doc: dict[str, Any]) -> Iterator[Problem]:
    """An `avoid_agreement` objective that an agreement in force at the start already breaks: the objective
    names a type and a partner, not an agreement, so an old treaty of that type (NATO's Article 5) counts, and
    only renouncing it can meet the objective. Sometimes meant (a dilemma), more often a slip."""
    agreements = doc.get("agreements")
    in_force = [a for a in agreements if isinstance(a, dict)] if isinstance(agreements, list) else []
    for i, actor in _actors(doc):
        objectives = actor.get("objectives")
        if not isinstance(objectives, list):
            continue
        for j, obj in enumerate(objectives):
            if not isinstance(obj, dict) or obj.get("kind") != "avoid_agreement":
                continue
            me, other, kind = actor.get("id"), obj.get("with"), obj.get("type")
            for ag in in_force:
                parties = ag.get("parties")
                if ag.get("type") == kind and isinstance(parties, list) and me in parties and other in parties:
                    yield Problem(
                        ("actors", i, "objectives", j, "kind"),
                        f"objective '{obj.get('id')}' is failed from the start: agreement '{ag.get('id')}', a "
                        f"{kind} with '{other}', is in force",
                        "an objective names a type and a partner, not one agreement, so only renouncing "
                        f"'{ag.get('id')}' can meet it; if you meant a new agreement, choose another type (4.9)",
                    )
                    break


def plausibility_warnings(doc: Any) -> list[Problem]:
    """Every figure in a raw scenario document that is valid but out of the range of the real world."""
    if not isinstance(doc, dict):
        return []
    boxes = _region_boxes(doc)
    problems: list[Problem] = []
    for i, actor in _actors(doc):
        loc: Loc = ("actors", i)
        problems += _spending((*loc, "defence_spending"), actor.get("defence_spending"))
        objectives = actor.get("objectives")
        if isinstance(objectives, list):
            for j, obj in enumerate(objectives):
                if isinstance(obj, dict) and obj.get("kind") == "spend_at_most":
                    problems += _spending((*loc, "objectives", j, "percent_gdp"), obj.get("percent_gdp"))
        problems += _money(loc, actor)
        problems += _position(loc, actor, boxes)
    problems += _trade(doc)
    problems += _failed_at_start(doc)
    return problems
