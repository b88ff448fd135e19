"""Step 4, balance of threat (Walt 1987): T[i][j] = I^gamma * (w_P*power + w_D*proximity + w_O*offence
+ w_N*nuclear).

Intent gates the rest, so a benign giant threatens less than an aggressive neighbour. The nuclear term
counts only for nuclear-armed actors (their arsenal, weighted by whether it survives a first strike).
"""

from __future__ import annotations

import math

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change, pair_table
from crisisgame.engine.state import State

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
"""The terms of a threat, in `threat_terms`' order (the explanation names the largest as its main source)."""


def step(s: State, t: Turn) -> list[Event]:
    events: list[Event] = []
    r = s.rules.threat
    max_cinc = max((a.cinc for a in s.actors.values()), default=0.0)
    before, intents, distance = s.threat, s.intent, s.distance
    gamma, tau, w_power, w_distance, w_offence = r.gamma, r.tau_km, r.w_power, r.w_distance, r.w_offence
    w_nuclear = s.rules.nuclear.w_nuclear
    # What each target brings whoever looks at it: its power, offence and arsenal (as `threat_terms` has them).
    power = {j: a.cinc / max_cinc if max_cinc > 0 else 0.0 for j, a in s.actors.items()}
    offence = {j: a.mobilisation * a.power_projection for j, a in s.actors.items()}
    nuclear = {j: deterrent(s, j) for j, a in s.actors.items() if a.warheads > 0}
    actors = s.actors
    for i, row in pair_table(s, tau).items():
        name_i, audience = actors[i].name, [i]
        for j, key, proximity in row:
            # `threat_terms`, term for term and in its order (the sum is the same to the last bit)
            intent = intents.get(key, 0.0)
            gate = intent**gamma
            parts = [
                gate * w_power * power[j],
                gate * w_distance * proximity,
                gate * w_offence * offence[j],
            ]
            if j in nuclear:
                parts.append(gate * w_nuclear * nuclear[j])
            value = clip(sum(parts))
            if abs(value - before.get(key, -1.0)) < 1e-6:
                continue
            target = actors[j]
            terms = dict(zip(MAIN_TERMS, parts, strict=False))
            main = max(MAIN_TERMS, key=lambda k: terms.get(k, 0.0))
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
                        "km": round(distance[key]),
                        "mobilisation": target.mobilisation,
                        "projection": target.power_projection,
                    },
                    terms=terms | {"intent_gate": gate},
                    citations=["walt1987"],
                    audience=audience,
                )
            )
    return events
