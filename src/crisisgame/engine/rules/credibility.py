"""Step 5, credibility (Fearon 1997; Snyder 1997): what others believe about an ally's intervention.

q = rho * (b0*s*(1-alpha) + b1*interest + b2*sunk costs + b3*audience costs). Tripwires, bases and
exercises are sunk costs; public pledges tie hands.
"""

from __future__ import annotations

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change
from crisisgame.engine.state import State, pair

STEP = 5


def interest(s: State, g: str, p: str) -> float:
    """How much g cares about p: shared threats, and shared identities."""
    threat = s.threat
    shared = max(
        (min(threat.get(f"{g}>{k}", 0.0), threat.get(f"{p}>{k}", 0.0)) for k in s.actors if k != g and k != p),
        default=0.0,
    )
    ids_g, ids_p = set(s.actors[g].identities), set(s.actors[p].identities)
    kinship = len(ids_g & ids_p) / len(ids_g | ids_p) if ids_g | ids_p else 0.0
    r = s.rules.credibility
    return clip(r.interest_base + shared + r.kinship_weight * kinship)


def sunk_costs(s: State, t: Turn, g: str, p: str) -> float:
    """Forces and bases g has in p, and exercises it holds with p (Fearon's costly signals)."""
    r = s.rules.credibility
    troops = s.troops.get(pair(g, p), 0) / r.tripwire_troops
    bases = sum(
        r.basing_sunk
        for ag in s.active_agreements()
        if ag.type == "basing_rights" and g in ag.parties and p in ag.parties
    )
    exercises = sum(r.exercise_sunk for ex in t.of(g).exercises if p in ex.partners or ex.host == p)
    return clip(troops + bases + exercises)


def audience_costs(s: State, t: Turn, g: str, p: str) -> float:
    """Public pledges of support for p, weighted by how much backing down would cost g at home."""
    pledges = sum(1 for st in t.of(g).statements if st.pledge_to == p)
    pledges += sum(
        1 for orders in s.revealed.values() if g in orders for st in orders[g].statements if st.pledge_to == p
    )
    r = s.rules.credibility
    return clip(r.pledge_weight * pledges * (r.pledge_sensitivity_floor + s.actors[g].audience_cost_sensitivity))


def credibility(
    s: State,
    t: Turn,
    g: str,
    p: str,
    strength: float,
    ambiguity: float,
    known: dict[tuple[str, str], tuple[float, float, float]] | None = None,
) -> tuple[float, dict[str, float]]:
    """q of g towards p under a commitment of this strength and ambiguity, and its terms. The terms that do
    not depend on the commitment (interest, sunk costs, audience costs) are kept in `known`, if given, for
    the pair's other commitments."""
    r = s.rules.credibility
    rho = s.actors[g].reputation
    parts = known.get((g, p)) if known is not None else None
    if parts is None:
        parts = (interest(s, g, p), sunk_costs(s, t, g, p), audience_costs(s, t, g, p))
        if known is not None:
            known[g, p] = parts
    terms = {
        "commitment": r.b0 * strength * (1 - ambiguity),
        "interest": r.b1 * parts[0],
        "sunk_costs": r.b2 * parts[1],
        "audience_costs": r.b3 * parts[2],
    }
    return clip(rho * sum(terms.values())), terms | {"reputation": rho}


def step(s: State, t: Turn) -> list[Event]:
    best: dict[str, tuple[float, dict[str, float], str]] = {}
    known: dict[tuple[str, str], tuple[float, float, float]] = {}
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        if not ag.public:
            continue  # others cannot believe in a promise they do not know of
        for p in ag.parties:
            for g in ag.protects(p):
                q, terms = credibility(s, t, g, p, ag.strength, ag.ambiguity, known)
                key = pair(g, p)
                if key not in best or q > best[key][0]:
                    best[key] = (q, terms, ag.id)
    events: list[Event] = []
    for key, (q, terms, ag_id) in sorted(best.items()):
        if abs(q - s.credibility.get(key, -1.0)) < 1e-6:
            continue
        g, _, p = key.partition(">")
        events.append(
            outcome(
                t,
                [pair_change(key, "credibility", q)],
                "credibility.fearon",
                STEP,
                f"Others believe {s.actors[g].name} would come to {s.actors[p].name}'s aid with probability {q:.2f} "
                f"(commitment '{ag_id}', reputation {terms['reputation']:.2f}).",
                inputs={"agreement": ag_id},
                terms=terms,
                citations=["fearon1997", "snyder1997"],
            )
        )
    return events
