"""Step 12, the system: polarity by CINC and by bloc, alliance-network density, tension, scores."""

from __future__ import annotations

from crisisgame.engine.events import Change, Event
from crisisgame.engine.objectives import scores
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome, pair_table
from crisisgame.engine.state import PROTECTIVE, State

STEP = 12


def blocs(s: State) -> list[set[str]]:
    """Groups of actors joined by protective agreements (connected components)."""
    parent = {a: a for a in s.actors}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for ag in s.active_agreements():
        if ag.type in PROTECTIVE:
            first = ag.parties[0]
            for other in ag.parties[1:]:
                parent[find(other)] = find(first)
    groups: dict[str, set[str]] = {}
    for a in s.actors:
        groups.setdefault(find(a), set()).add(a)
    return sorted(groups.values(), key=lambda g: sorted(g))


def incidents(s: State, t: Turn) -> float:
    """This turn's incidents in units of tension: each use of force by its ladder weight, nuclear tests
    and threats by their own coefficients (a crisis raises tension; calm lets the smoothing decay it)."""
    r = s.rules.system
    ladder = s.rules.war.ladder()
    force = r.incident_tension * sum(ladder[level] for a, b, level in t.force if a != b)
    return (
        force
        + r.nuclear_test_tension * len(set(t.nuclear_tests))
        + r.nuclear_threat_tension * len(set(t.nuclear_threats))
    )


def measures(s: State, incident: float = 0.0) -> dict[str, float]:
    r = s.rules.system
    cincs = {a: st.cinc for a, st in s.actors.items()}
    top = max(cincs.values(), default=0.0)
    poles = sum(1 for v in cincs.values() if top > 0 and v >= r.pole_share * top)
    bloc_power = [sum(cincs[a] for a in g) for g in blocs(s)]
    top_bloc = max(bloc_power, default=0.0)
    bloc_poles = sum(1 for v in bloc_power if top_bloc > 0 and v >= r.pole_share * top_bloc)
    ids = list(s.actors)
    dyads = len(ids) * (len(ids) - 1) / 2
    linked = {frozenset((a, b)) for ag in s.active_agreements() for a in ag.parties for b in ag.parties if a < b}
    density = len(linked) / dyads if dyads else 0.0
    states = [a for a, st in s.actors.items() if st.kind == "state"] or ids
    threat, table = s.threat, pair_table(s, s.rules.threat.tau_km)
    top_threats = [max((threat.get(key, 0.0) for _, key, _ in table[a]), default=0.0) for a in states]
    now = clip(sum(top_threats) / len(top_threats) + r.war_tension * min(1, len(s.wars)) + incident)
    previous = s.system.get("tension", now)
    tension = r.tension_smoothing * now + (1 - r.tension_smoothing) * previous
    return {
        "poles": float(poles),
        "bloc_poles": float(bloc_poles),
        "density": density,
        "tension": tension,
        "wars": float(len(s.wars)),
    }


def step(s: State, t: Turn) -> list[Event]:
    m = measures(s, incidents(s, t))
    changes = [Change(target="system", key=k, field="value", value=round(v, 6)) for k, v in m.items()]
    events: list[Event] = [
        outcome(
            t,
            changes,
            "system.structure",
            STEP,
            f"The system has {m['poles']:.0f} pole(s) by CINC and {m['bloc_poles']:.0f} by bloc; "
            f"alliance density {m['density']:.2f}; tension {m['tension']:.2f}.",
            inputs=dict(m.items()),
            citations=["waltz1979", "singer1972"],
        )
    ]
    for actor, points in scores(s).items():
        if points != s.actors[actor].score:
            events.append(
                outcome(
                    t,
                    [actor_change(actor, "score", points)],
                    "system.score",
                    STEP,
                    f"{s.actors[actor].name} meets objectives worth {points:.0f} points so far.",
                    audience=[actor],
                )
            )
    return events
