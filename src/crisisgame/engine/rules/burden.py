"""Step 8, burden sharing (Olson & Zeckhauser 1966): alliance deterrence is a public good.

Each member's benefit grows with its size, so small members are tempted to free-ride on large
ones. Free-riding lowers cohesion and the patron's approval of the alliance; the private share of
benefits (bases, arms industry: joint products) weakens the temptation (Sandler & Murdoch).
"""

from __future__ import annotations

from crisisgame.engine.constants import NAMES_LISTED
from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, actor_change, clip, outcome
from crisisgame.engine.state import State

STEP = 8


def free_riding(s: State, members: list[str]) -> dict[str, float]:
    """How far each member's burden (defence spending, % GDP) falls short of the GDP-weighted mean."""
    gdp = {m: s.actors[m].gdp or 0.0 for m in members}
    total = sum(gdp.values())
    if total <= 0:
        return dict.fromkeys(members, 0.0)
    mean = sum(s.actors[m].defence_spending * gdp[m] for m in members) / total
    if mean <= 0:
        return dict.fromkeys(members, 0.0)
    return {m: clip((mean - s.actors[m].defence_spending) / mean) for m in members}


def step(s: State, t: Turn) -> list[Event]:
    r = s.rules.burden
    events: list[Event] = []
    cohesion: dict[str, float] = {}
    for ag in sorted(s.active_agreements(), key=lambda a: a.id):
        if ag.type not in ("defence_pact", "security_guarantee") or len(ag.parties) < 2:
            continue
        members = [m for m in ag.parties if s.actors[m].gdp]
        if len(members) < 2:
            continue
        riding = free_riding(s, members)
        weights = {m: s.actors[m].gdp or 0.0 for m in members}
        total = sum(weights.values())
        shirking = sum(riding[m] * weights[m] for m in members) / total
        value = clip(1 - r.free_riding_penalty * shirking * (1 - r.private_share))
        patron = max(members, key=lambda m: weights[m])
        for m in members:
            cohesion[m] = min(cohesion.get(m, 1.0), value)
        riders = sorted((m for m in members if riding[m] > r.rider_shortfall), key=lambda m: -riding[m])
        changes = [
            actor_change(m, "cohesion", cohesion[m]) for m in members if abs(cohesion[m] - s.actors[m].cohesion) > 1e-6
        ]
        approval_hit = r.patron_approval_loss * shirking * (1 - r.private_share)
        if approval_hit > 1e-4:
            changes.append(actor_change(patron, "approval", clip(s.actors[patron].approval - approval_hit)))
        if not changes:
            continue
        names = ", ".join(s.actors[m].name for m in riders[:NAMES_LISTED]) or "nobody"
        events.append(
            outcome(
                t,
                changes,
                "burden.free_riding",
                STEP,
                f"In '{ag.name}', free-riding by {names} leaves cohesion at {value:.2f}; "
                f"{s.actors[patron].name}, the largest member, carries the public good.",
                inputs={"agreement": ag.id, "patron": patron, "private_share": r.private_share},
                terms={f"free_riding:{m}": riding[m] for m in members} | {"weighted_free_riding": shirking},
                citations=["olson_zeckhauser1966", "sandler_murdoch2000"],
                audience="public" if ag.public else list(ag.parties),
            )
        )
    return events
