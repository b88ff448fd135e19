"""Step 10, domestic politics (Putnam 1988; Fearon 1994 on audience costs): approval moves with war
costs, rallies, backing down after public threats, and the economic cost of defence spending.
Approval then sets next turn's win-sets (a low approval narrows them, see ratification)."""

from __future__ import annotations

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import State

STEP = 10


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
            mandate = 0.0
            terms["audience_cost"] = (
                -r.audience_cost
                * st.audience_cost_sensitivity
                * (1 - s.rules.legitimacy.audience_cost_softening * mandate)
            )
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
                citations=["putnam1988", "fearon1997"],
            )
        )
    return events
