"""Step 9, legitimacy: a mandate (UN Security Council 1, regional body 1/2) and broad participation
reassure outsiders. Agreements concluded this turn under a mandate damp the suspicion they raise."""

from __future__ import annotations

from crisisgame.engine.events import Event
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change
from crisisgame.engine.state import State, pair

STEP = 9


def legitimacy(s: State, mandate: str, parties: int) -> float:
    r = s.rules.legitimacy
    base = r.mandate(mandate)
    breadth = parties / max(1, len(s.actors))
    return clip(base + r.participation_weight * breadth * (1 - base))


def step(s: State, t: Turn) -> list[Event]:
    r = s.rules.legitimacy
    events: list[Event] = []
    for ag_id in t.concluded:
        ag = s.agreements[ag_id]
        legit = legitimacy(s, ag.mandate, len(ag.parties))
        if legit <= 0:
            continue
        changes = []
        for outsider in s.actors:
            if outsider in ag.parties:
                continue
            for member in ag.parties:
                key = pair(outsider, member)
                before = s.intent.get(key, 0.0)
                prior = s.intent_prior.get(key, before)
                if before > prior:
                    after = clip(before - r.intent_damping * legit * (before - prior))
                    changes.append(pair_change(key, "intent", after))
        if changes:
            events.append(
                outcome(
                    t,
                    changes,
                    "legitimacy.mandate",
                    STEP,
                    f"'{ag.name}' carries legitimacy {legit:.2f} ({ag.mandate} mandate, {len(ag.parties)} parties): "
                    "outsiders read it as less threatening.",
                    inputs={"mandate": ag.mandate, "parties": len(ag.parties)},
                    terms={"legitimacy": legit},
                    citations=["thompson2006"],
                )
            )
    return events
