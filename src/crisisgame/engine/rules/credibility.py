"""Step 5, credibility (Fearon 1997; Snyder 1997): what others believe about an ally's intervention.

q = rho * (b0*s*(1-alpha) + b1*interest + b2*sunk costs + b3*audience costs). Tripwires, bases and
exercises are sunk costs; public pledges tie hands.
"""

from __future__ import annotations

from collections import Counter

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change
from crisisgame.engine.state import State, pair

STEP = 5


def interest(s: State, g: str, p: str) -> float:
    """How much g cares about p: shared threats, and shared identities."""
    shared = max((min(s.threat_of(g, k), s.threat_of(p, k)) for k in s.actors if k not in (g, p)), default=0.0)
    return _interest(s, g, p, shared)


def _interest(s: State, g: str, p: str, shared: float) -> float:
    """`interest`, given the threat g and p share most."""
    ids_g, ids_p = set(s.actors[g].identities), set(s.actors[p].identities)
    kinship = len(ids_g & ids_p) / len(ids_g | ids_p) if ids_g | ids_p else 0.0
    r = s.rules.credibility
    return clip(r.interest_base + shared + r.kinship_weight * kinship)


def sunk_costs(s: State, t: Turn, g: str, p: str) -> float:
    """Forces and bases g has in p, and exercises it holds with p (Fearon's costly signals)."""
    bases = sum(1 for ag in s.active_agreements() if ag.type == "basing_rights" and g in ag.parties and p in ag.parties)
    return _sunk_costs(s, t, g, p, bases)


def _sunk_costs(s: State, t: Turn, g: str, p: str, bases: int) -> float:
    """`sunk_costs`, given the number of basing agreements in force between g and p."""
    r = s.rules.credibility
    troops = s.troops.get(pair(g, p), 0) / r.tripwire_troops
    based = sum(r.basing_sunk for _ in range(bases))
    exercises = sum(r.exercise_sunk for ex in t.of(g).exercises if p in ex.partners or ex.host == p)
    return clip(troops + based + exercises)


def audience_costs(s: State, t: Turn, g: str, p: str) -> float:
    """Public pledges of support for p, weighted by how much backing down would cost g at home."""
    earlier = sum(
        1 for orders in s.revealed.values() if g in orders for st in orders[g].statements if st.pledge_to == p
    )
    return _audience_costs(s, t, g, p, earlier)


def _audience_costs(s: State, t: Turn, g: str, p: str, earlier: int) -> float:
    """`audience_costs`, given the number of g's pledges to p in earlier turns."""
    pledges = sum(1 for st in t.of(g).statements if st.pledge_to == p)
    pledges += earlier
    r = s.rules.credibility
    return clip(r.pledge_weight * pledges * (r.pledge_sensitivity_floor + s.actors[g].audience_cost_sensitivity))


class _Pairs:
    """What step 5 reads about a pair that does not depend on the commitment, reckoned once per pair in a step
    (a pair often has several commitments: bots make pacts alike), from indexes built once."""

    def __init__(self, s: State, t: Turn) -> None:
        self.s, self.t = s, t
        self.order = {a: i for i, a in enumerate(s.actors)}
        self.rows: dict[str, list[float]] = {}
        """Each actor's threat from every actor, in the actors' order (0 where none is reckoned)."""
        self.bases = Counter(
            (a, b)
            for ag in s.active_agreements()
            if ag.type == "basing_rights"
            for a in set(ag.parties)
            for b in set(ag.parties)
            if a != b
        )
        self.pledges = Counter(
            (g, st.pledge_to) for orders in s.revealed.values() for g, o in orders.items() for st in o.statements
        )
        self.known: dict[tuple[str, str], tuple[float, float, float]] = {}

    def row(self, a: str) -> list[float]:
        got = self.rows.get(a)
        if got is None:
            threat = self.s.threat
            got = self.rows[a] = [threat.get(pair(a, k), 0.0) for k in self.order]
        return got

    def shared(self, g: str, p: str) -> float:
        """The threat g and p share most, as `interest` reckons it (over the actors in order, but g and p)."""
        candidates = list(map(min, self.row(g), self.row(p)))
        for i in sorted((self.order[g], self.order[p]), reverse=True):
            del candidates[i]
        return max(candidates, default=0.0)

    def parts(self, g: str, p: str) -> tuple[float, float, float]:
        """(interest, sunk costs, audience costs) of g towards p."""
        got = self.known.get((g, p))
        if got is None:
            s, t = self.s, self.t
            got = self.known[g, p] = (
                _interest(s, g, p, self.shared(g, p)),
                _sunk_costs(s, t, g, p, self.bases[g, p]),
                _audience_costs(s, t, g, p, self.pledges[g, p]),
            )
        return got


def credibility(s: State, t: Turn, g: str, p: str, strength: float, ambiguity: float) -> tuple[float, dict[str, float]]:
    """q of g towards p under a commitment of this strength and ambiguity, and its terms."""
    r = s.rules.credibility
    rho = s.actors[g].reputation
    terms = {
        "commitment": r.b0 * strength * (1 - ambiguity),
        "interest": r.b1 * interest(s, g, p),
        "sunk_costs": r.b2 * sunk_costs(s, t, g, p),
        "audience_costs": r.b3 * audience_costs(s, t, g, p),
    }
    return clip(rho * sum(terms.values())), terms | {"reputation": rho}


def step(s: State, t: Turn) -> list[Event]:
    """Each public commitment's q (`credibility`) for every partner it protects; the most credible one of
    each pair counts. Worked out as `credibility` does, term for term, with what does not depend on the
    commitment (reputation, interest, sunk and audience costs) reckoned once per pair, and the terms kept
    for the winner only (a pair often has several commitments: bots make pacts alike)."""
    r = s.rules.credibility
    pairs = _Pairs(s, t)
    weighed: dict[tuple[str, str], tuple[float, float, float, float]] = {}
    best: dict[str, tuple[float, float, str]] = {}  # pair -> (q, commitment term, agreement)
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        if not ag.public:
            continue  # others cannot believe in a promise they do not know of
        commitment = r.b0 * ag.strength * (1 - ag.ambiguity)
        for p in ag.parties:
            for g in ag.protects(p):
                known = weighed.get((g, p))
                if known is None:
                    i, sunk, audience = pairs.parts(g, p)
                    known = weighed[g, p] = (s.actors[g].reputation, r.b1 * i, r.b2 * sunk, r.b3 * audience)
                rho, interest_term, sunk_term, audience_term = known
                q = clip(rho * sum((commitment, interest_term, sunk_term, audience_term)))
                key = pair(g, p)
                if key not in best or q > best[key][0]:
                    best[key] = (q, commitment, ag.id)
    events: list[Event] = []
    for key, (q, commitment, ag_id) in sorted(best.items()):
        if abs(q - s.credibility.get(key, -1.0)) < 1e-6:
            continue
        g, _, p = key.partition(">")
        rho, interest_term, sunk_term, audience_term = weighed[g, p]
        terms = {
            "commitment": commitment,
            "interest": interest_term,
            "sunk_costs": sunk_term,
            "audience_costs": audience_term,
            "reputation": rho,
        }
        events.append(
            outcome(
                t,
                [pair_change(key, "credibility", q)],
                "credibility.fearon",
                STEP,
                f"Others believe {s.actors[g].name} would come to {s.actors[p].name}'s aid with probability {q:.2f} "
                f"(commitment '{ag_id}', reputation {rho:.2f}).",
                inputs={"agreement": ag_id},
                terms=terms,
                citations=["fearon1997", "snyder1997"],
            )
        )
    return events
