"""Step 4, balance of threat (Walt 1987): T[i][j] = I^gamma * (w_P*power + w_D*proximity + w_O*offence
+ w_N*nuclear).

Intent gates the rest, so a benign giant threatens less than an aggressive neighbour. The nuclear term
counts only for nuclear-armed actors (their arsenal, weighted by whether it survives a first strike).
"""

from __future__ import annotations

import math

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change
from crisisgame.engine.state import State, pair

STEP = 4


def threat_terms(s: State, i: str, j: str, max_cinc: float) -> tuple[float, dict[str, float]]:
    """T[i][j] and each term's contribution (before the intent gate is applied to the sum)."""
    r = s.rules.threat
    target = s.actors[j]
    intent = s.intent_of(i, j)
    gate = intent**r.gamma
    power = target.cinc / max_cinc if max_cinc > 0 else 0.0
    proximity = math.exp(-s.km(i, j) / r.tau_km)
    offence = target.mobilisation * target.power_projection
    terms = {
        "power": gate * r.w_power * power,
        "proximity": gate * r.w_distance * proximity,
        "offence": gate * r.w_offence * offence,
    }
    if target.warheads > 0:
        terms["nuclear"] = gate * s.rules.nuclear.w_nuclear * deterrent(s, j)
    return clip(sum(terms.values())), terms | {"intent_gate": gate}


def deterrent(s: State, actor: str) -> float:
    """How much an actor's arsenal weighs: 1 with a secure second strike, less without, 0 without one."""
    a = s.actors[actor]
    if a.warheads <= 0:
        return 0.0
    return 1.0 if a.second_strike else s.rules.nuclear.first_strike_share


MAIN_TERMS = ("power", "proximity", "offence", "nuclear")
"""The terms an explanation may name as a threat's main source."""


def step(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    max_cinc = max((a.cinc for a in s.actors.values()), default=0.0)
    before = s.threat
    for i in s.actors:
        name_i, audience = s.actors[i].name, [i]
        for j, target in s.actors.items():
            if i == j:
                continue
            value, terms = threat_terms(s, i, j, max_cinc)
            key = pair(i, j)
            if abs(value - before.get(key, -1.0)) < 1e-6:
                continue
            main = max(MAIN_TERMS, key=lambda k: terms.get(k, 0.0))
            intent = s.intent_of(i, j)
            km = s.km(i, j)
            events.append(
                outcome(
                    t,
                    [pair_change(key, "threat", value)],
                    "threat.walt",
                    STEP,
                    f"{name_i} sees a threat of {value:.2f} from {target.name}, mostly from its {main}, "
                    f"gated by perceived intent {intent:.2f}.",
                    inputs={
                        "intent": intent,
                        "cinc": target.cinc,
                        "max_cinc": max_cinc,
                        "km": round(km),
                        "mobilisation": target.mobilisation,
                        "projection": target.power_projection,
                    },
                    terms=terms,
                    citations=["walt1987"],
                    audience=audience,
                )
            )
    return events
