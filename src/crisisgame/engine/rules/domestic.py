"""Step 10, domestic politics (Putnam 1988; Fearon 1994 on audience costs): approval moves with war
costs, rallies, backing down after public threats (softened by a mandate, scaled by regime type),
abandoning an ally after pledging support to it (in proportion to the pledges' publicity), and the
economic cost of defence spending.
Approval then sets next turn's win-sets (a low approval narrows them, see ratification)."""

from __future__ import annotations

from crisisgame.engine.events import Event
from crisisgame.engine.rules.commitments import regime_factor
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import State

STEP = 10


def mandate_of(s: State, actor: str) -> float:
    """The strongest mandate behind `actor`'s commitments in force: a public forgives backing down under
    it (legitimacy.audience_cost_softening)."""
    r = s.rules.legitimacy
    base = {"none": 0.0, "regional": r.regional_mandate, "unsc": r.unsc_mandate}
    granted = base[s.mandate_for([actor])]
    return max([granted, *(base[ag.mandate] for ag in s.active_agreements() if actor in ag.parties)])


def broken_pledges(s: State, t: Turn, actor: str) -> float:
    """Publicity of the pledges `actor` made to allies it abandoned this turn (tied hands, Fearon 1997):
    each public pledge counts 1, each private one `domestic.private_pledge_publicity`."""
    abandoned = set(t.abandoned.get(actor, []))
    if not abandoned:
        return 0.0
    statements = [st for orders in s.revealed.values() if actor in orders for st in orders[actor].statements]
    statements += list(t.of(actor).statements)
    private = s.rules.domestic.private_pledge_publicity
    return sum(1.0 if st.public else private for st in statements if st.pledge_to in abandoned)


def step(s: State, t: Turn) -> list[Event]:
    r = s.rules.domestic
    events: list[Event] = []
    for aid, st in s.actors.items():
        terms: dict[str, float] = {}
        if aid in t.war_costs:
            terms["war_costs"] = -r.war_cost_approval * t.war_costs[aid]
        if aid in t.attacked and aid not in t.previous.wars and not any(aid in w.split("|") for w in t.previous.wars):
            terms["rally"] = r.rally_effect
        if aid in t.backed_down:
            terms["audience_cost"] = (
                -r.audience_cost
                * st.audience_cost_sensitivity
                * regime_factor(s, aid)
                * (1 - s.rules.legitimacy.audience_cost_softening * mandate_of(s, aid))
            )
        publicity = broken_pledges(s, t, aid)
        if publicity > 0:
            terms["broken_pledge"] = -r.broken_pledge * publicity * st.audience_cost_sensitivity * regime_factor(s, aid)
        before = t.previous.actors[aid].defence_spending
        if st.defence_spending > before:
            terms["economic_cost"] = (
                -r.economic_cost * (st.defence_spending - before) / max(before, r.economic_cost_floor)
            )
        if not terms:
            continue
        after = clip(st.approval + sum(terms.values()))
        if abs(after - st.approval) < 1e-6:
            continue
        main = min(terms, key=lambda k: -abs(terms[k]))
        events.append(
            outcome(
                t,
                [actor_change(aid, "approval", after)],
                "domestic.approval",
                STEP,
                f"{st.name}'s approval moved from {st.approval:.2f} to {after:.2f}, "
                f"mostly through {main.replace('_', ' ')}.",
                terms=terms,
                citations=[
                    "putnam1988",
                    "fearon1997",
                    *(["fearon1994", "weeks2008"] if "audience_cost" in terms else []),
                    *(["tomz2007"] if "broken_pledge" in terms else []),
                ],
            )
        )
    return events
