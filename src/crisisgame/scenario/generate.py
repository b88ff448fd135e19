"""Generated worlds: random but plausible scenarios of any size, for benchmarks and experiments.

The theory spec suite and the benchmarks need worlds the shipped scenarios do not cover (forty
actors, controlled geography). Generation is deterministic in its seed.
"""

from __future__ import annotations

import random
from typing import Any

from crisisgame.scenario.model import Scenario

_AGREEMENT_TYPES = ["defence_pact", "non_aggression", "consultation", "arms_deal", "basing_rights", "joint_exercise"]


def world_document(actors: int, seed: int = 0, turns: int = 8) -> dict[str, Any]:
    """A valid scenario document with `actors` states, as plain data (ready for YAML)."""
    if actors < 2:
        raise ValueError("a world needs at least two actors")
    rng = random.Random(seed)
    ids = [f"S{n:02d}" for n in range(actors)]
    issues = [f"issue{k}" for k in range(3)]
    docs: list[dict[str, Any]] = []
    for n, aid in enumerate(ids):
        size = rng.lognormvariate(0, 1.2)
        playable = n < min(8, actors)
        win_sets = {}
        for issue in issues:
            centre = rng.random()
            width = rng.uniform(0.1, 0.4)
            win_sets[issue] = {"low": round(max(0.0, centre - width), 3), "high": round(min(1.0, centre + width), 3)}

        def fig(value: float, unit: str) -> dict[str, Any]:
            return {"value": round(value, 3), "unit": unit, "year": 2024, "source": "generated"}

        docs.append(
            {
                "id": aid,
                "name": f"State {n}",
                "playable": playable,
                "regime": rng.choice(["democracy", "hybrid", "autocracy"]),
                "capabilities": {
                    "milex": fig(size * 20, "usd_bn"),
                    "milper": fig(size * 150, "thousands"),
                    "irst": fig(size * 8, "Mt"),
                    "pec": fig(size * 200, "Mtce"),
                    "tpop": fig(size * 40, "millions"),
                    "upop": fig(size * 28, "millions"),
                    "gdp": fig(size * 600, "usd_bn"),
                },
                "position": {"lat": round(rng.uniform(-50, 65), 3), "lon": round(rng.uniform(-120, 150), 3)},
                "domestic": {
                    "approval": round(rng.uniform(0.3, 0.8), 3),
                    "audience_cost_sensitivity": round(rng.random(), 3),
                    "win_sets": win_sets,
                },
                "reputation": round(rng.uniform(0.5, 0.9), 3),
                "defence_spending": round(rng.uniform(0.8, 5.0), 2),
                "mobilisation": round(rng.uniform(0.05, 0.3), 3),
                "power_projection": round(rng.uniform(0.05, 0.8), 3),
                "temperament": rng.choice(["realist", "liberal", "constructivist"]),
                "objectives": (
                    [
                        {
                            "id": f"{aid}-approval",
                            "kind": "keep_approval",
                            "at_least": 0.4,
                            "text": "Keep the government's approval at home.",
                        },
                        {
                            "id": f"{aid}-secret",
                            "kind": "limit_threat",
                            "from": rng.choice([i for i in ids if i != aid]),
                            "at_most": 0.5,
                            "secret": True,
                            "text": "Quietly keep the main threat in check.",
                        },
                    ]
                    if playable
                    else []
                ),
            }
        )
    intent = [
        {"of": a, "toward": b, "value": round(rng.betavariate(2, 4), 3)}
        for a in ids
        for b in ids
        if a != b and rng.random() < 0.3
    ]
    agreements = []
    for k in range(actors // 2):
        parties = rng.sample(ids, 2)
        agreements.append(
            {
                "id": f"ag{k}",
                "name": f"Agreement {k}",
                "type": rng.choice(_AGREEMENT_TYPES),
                "parties": parties,
                "strength": round(rng.uniform(0.2, 0.9), 3),
                "ambiguity": round(rng.uniform(0.0, 0.6), 3),
            }
        )
    injects = [
        {
            "id": f"inj{t}",
            "turn": t,
            "title": f"Incident {t}",
            "text": "An incident raises tension in the region.",
            "effects": [
                {"kind": "intent", "of": rng.sample(ids, 2), "toward": rng.choice(ids[2:] or ids), "delta": 0.05}
            ],
        }
        for t in range(1, turns + 1)
    ]
    return {
        "id": f"generated-{actors}-{seed}",
        "meta": {
            "title": f"Generated world of {actors} states",
            "region": "Generated",
            "date": "2030-01-01",
            "summary": "A random world for benchmarks and controlled experiments.",
            "learning_objectives": ["Exercise the engine at scale."],
            "sources": [{"key": "generated", "citation": "Generated by crisisgame.scenario.generate"}],
        },
        "actors": docs,
        "intent": intent,
        "agreements": agreements,
        "issues": [{"id": i, "name": f"Issue {i}", "divisible": True} for i in issues],
        "injects": injects,
        "turns": {"count": turns},
        "seating": {"priority": [d["id"] for d in docs if d["playable"]], "minimum": 2},
    }


def world(actors: int, seed: int = 0, turns: int = 8) -> Scenario:
    """A generated world as a validated scenario."""
    return Scenario.model_validate(world_document(actors, seed, turns))
