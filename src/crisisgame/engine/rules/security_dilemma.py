"""Step 3, the security dilemma (Jervis 1978): one state's build-up reads as aggression next door.

j's build-up, exercises and offensive deployments raise how aggressive its neighbours believe it
is, more when offence is dominant (delta) and when postures are hard to tell apart (nu);
reassurance and restraint lower it; beliefs drift back towards the scenario's priors.
"""

from __future__ import annotations

import math

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change, pair_table
from crisisgame.engine.state import State, pair

STEP = 3


def buildup(s: State, t: Turn, j: str) -> float:
    """How much j built up this turn: relative spending rise, mobilisation rise, troops sent abroad."""
    before = t.previous.actors[j]
    now = s.actors[j]
    floor = s.rules.capabilities.spending_floor
    spend = max(0.0, (now.defence_spending - before.defence_spending) / max(before.defence_spending, floor))
    mobil = max(0.0, now.mobilisation - before.mobilisation)
    troops = sum(d.troops for d in t.of(j).deployments) / s.rules.security_dilemma.deployment_troops
    return spend + mobil + min(1.0, troops)


def restraint(s: State, t: Turn, j: str) -> float:
    before = t.previous.actors[j]
    now = s.actors[j]
    floor = s.rules.capabilities.spending_floor
    cut = max(0.0, (before.defence_spending - now.defence_spending) / max(before.defence_spending, floor))
    return cut + max(0.0, before.mobilisation - now.mobilisation)


def step(s: State, t: Turn) -> list[Event]:
    r = s.rules.security_dilemma
    tau = s.rules.threat.tau_km
    amplifier = (r.amplifier_floor + r.offence_dominance) * (r.amplifier_floor + r.indistinguishability)
    events: list[Event] = []
    build = {j: buildup(s, t, j) for j in s.actors}
    calm = {j: restraint(s, t, j) for j in s.actors}
    exercises: dict[str, list[str]] = {j: [ex.host for ex in t.of(j).exercises] for j in s.actors}
    reassured: dict[str, set[str]] = {j: {st.reassure for st in t.of(j).statements if st.reassure} for j in s.actors}
    # (a, b) for every a and b that share an agreement in force (`State.aligned`), for each pair below
    aligned_pairs = {(a, b) for ag in s.active_agreements() for a in ag.parties for b in ag.parties}
    intent, priors, distance = s.intent, s.intent_prior, s.distance
    buildup_weight, exercise_weight = r.buildup_sensitivity, r.exercise_sensitivity
    reassurance, decay = r.reassurance_effect, r.intent_decay
    for i, row in pair_table(s, tau).items():
        drift_changes = []
        for j, key, prox in row:
            before = intent[key]
            prior = priors[key]
            hosts = exercises[j]
            ex = sum(1.0 if host == i else math.exp(-distance[pair(i, host)] / tau) for host in hosts) if hosts else 0
            aligned = (i, j) in aligned_pairs
            # Allies read each other's build-ups as reassurance, not threat (Jervis: intentions matter).
            up = 0.0 if aligned else prox * (buildup_weight * build[j] + exercise_weight * ex) * amplifier
            down = reassurance * ((1.0 if i in reassured[j] else 0.0) + calm[j] * prox)
            drift = decay * (prior - before)
            after = clip(before + up - down + drift)
            if abs(up) + abs(down) > 1e-9:
                events.append(
                    outcome(
                        t,
                        [pair_change(key, "intent", after)],
                        "security_dilemma.intent",
                        STEP,
                        f"{s.actors[j].name}'s moves changed how aggressive {s.actors[i].name} believes it is "
                        f"({before:.2f} to {after:.2f}).",
                        inputs={
                            "buildup": build[j],
                            "exercises": ex,
                            "proximity": prox,
                            "offence_dominance": r.offence_dominance,
                            "indistinguishability": r.indistinguishability,
                            "reassured": j in reassured and i in reassured[j],
                        },
                        terms={"buildup_and_exercises": up, "reassurance": -down, "drift_to_prior": drift},
                        citations=["jervis1978"],
                        audience=[i],
                    )
                )
            elif abs(drift) > 1e-6:
                drift_changes.append(pair_change(key, "intent", after))
        if drift_changes:
            events.append(
                outcome(
                    t,
                    drift_changes,
                    "security_dilemma.drift",
                    STEP,
                    f"Without new signals, {s.actors[i].name}'s beliefs drift back towards their starting point.",
                    terms={"intent_decay": r.intent_decay},
                    citations=["jervis1978"],
                    audience=[i],
                )
            )
    return events
