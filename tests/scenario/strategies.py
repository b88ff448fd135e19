"""Hypothesis strategies for valid scenarios, shared by round-trip and (later) engine tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from crisisgame.scenario.model import Scenario

shares = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=10, max_size=40
).filter(lambda t: t.strip() == t and len(t.strip()) >= 10)
ids = st.from_regex(r"[A-Z][A-Za-z0-9_-]{0,8}", fullmatch=True)
UNITS = {
    "milex": ["usd_k", "usd_m", "usd_bn"],
    "milper": ["persons", "thousands", "millions"],
    "irst": ["tonnes", "kt", "Mt"],
    "pec": ["ktce", "Mtce"],
    "tpop": ["persons", "thousands", "millions"],
    "upop": ["persons", "thousands", "millions"],
    "gdp": ["usd_m", "usd_bn", "usd_tn"],
}


@st.composite
def figures(draw: st.DrawFn, component: str) -> dict[str, Any]:
    value = draw(st.none() | st.floats(min_value=0.0, max_value=1e9, allow_nan=False))
    return {
        "value": value,
        "unit": draw(st.sampled_from(UNITS[component])),
        "year": draw(st.integers(1816, 2100)),
        "source": "src",
    }


@st.composite
def scenario_docs(draw: st.DrawFn) -> dict[str, Any]:
    """A random but valid scenario document (plain data, as read from YAML)."""
    actor_ids = draw(st.lists(ids, min_size=2, max_size=6, unique=True))
    issue_ids = draw(st.lists(ids.map(lambda s: "i" + s), max_size=3, unique=True))
    turns = draw(st.integers(1, 10))
    actors = []
    for n, aid in enumerate(actor_ids):
        playable = n == 0 or draw(st.booleans())
        objectives = []
        if playable:
            objectives.append(
                {"id": f"o{n}", "kind": "keep_approval", "text": draw(texts), "at_least": draw(shares), "secret": True}
            )
            other = draw(st.sampled_from([a for a in actor_ids if a != aid]))
            objectives.append(
                {
                    "id": f"p{n}",
                    "kind": "avoid_war",
                    "with": other,
                    "text": draw(texts),
                    "points": draw(st.integers(1, 100)),
                }
            )
        win_sets = {}
        for issue in issue_ids:
            low, high = sorted([draw(shares), draw(shares)])
            win_sets[issue] = {"low": low, "high": high}
        actors.append(
            {
                "id": aid,
                "name": draw(texts),
                "playable": playable,
                "regime": draw(st.sampled_from(["democracy", "hybrid", "autocracy"])),
                "capabilities": {c: draw(figures(c)) for c in UNITS},
                "position": {
                    "lat": draw(st.floats(-90, 90, allow_nan=False)),
                    "lon": draw(st.floats(-180, 180, allow_nan=False)),
                },
                "domestic": {"approval": draw(shares), "win_sets": win_sets},
                "reputation": draw(shares),
                "defence_spending": draw(st.just(0.0) | st.floats(0.1, 50, allow_nan=False)),
                "temperament": draw(st.sampled_from(["realist", "liberal", "constructivist"])),
                "objectives": objectives,
            }
        )
    playable_ids = [a["id"] for a in actors if a["playable"]]
    pairs = [(a, b) for a in actor_ids for b in actor_ids if a != b]
    intent = [
        {"of": a, "toward": b, "value": draw(shares)}
        for a, b in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6))
    ]
    agreements = []
    for k in range(draw(st.integers(0, 3))):
        parties = draw(st.lists(st.sampled_from(actor_ids), min_size=2, max_size=4, unique=True))
        agreements.append(
            {
                "id": f"ag{k}",
                "name": draw(texts),
                "type": draw(st.sampled_from(["defence_pact", "arms_deal", "basing_rights", "security_guarantee"])),
                "parties": parties,
                "guarantors": parties[:1],
                "strength": draw(shares),
                "ambiguity": draw(shares),
                "conditionality": draw(shares),
                "terms": {"troops": draw(st.integers(0, 100_000)), "item": draw(texts)},
            }
        )
    injects = [
        {
            "id": f"inj{k}",
            "turn": draw(st.integers(1, turns)),
            "audience": draw(st.just("public") | st.lists(st.sampled_from(actor_ids), min_size=1, unique=True)),
            "title": draw(texts),
            "text": draw(texts),
            "effects": [
                {"kind": "intent", "of": [actor_ids[0]], "toward": actor_ids[1], "delta": draw(st.floats(-1, 1))},
                {"kind": "capability", "actor": actor_ids[1], "component": "pec", "factor": draw(st.floats(0, 10))},
            ],
        }
        for k in range(draw(st.integers(0, 3)))
    ]
    return {
        "id": "generated",
        "meta": {
            "title": draw(texts),
            "region": draw(texts),
            "date": draw(st.dates()).isoformat(),
            "summary": draw(texts),
            "learning_objectives": draw(st.lists(texts, min_size=1, max_size=3)),
            "sources": [{"key": "src", "citation": draw(texts)}],
        },
        "actors": actors,
        "intent": intent,
        "default_intent": draw(shares),
        "agreements": agreements,
        "issues": [{"id": i, "name": draw(texts), "divisible": draw(st.booleans())} for i in issue_ids],
        "injects": injects,
        "turns": {"count": turns},
        "rules": {"threat": {"gamma": draw(st.floats(0.1, 5))}},
        "seating": {"priority": playable_ids, "minimum": 1},
    }


scenarios = scenario_docs().map(Scenario.model_validate)
