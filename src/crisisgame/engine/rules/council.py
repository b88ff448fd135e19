"""Step 9, the UN Security Council (UN Charter Arts. 27, 39-42; Thompson 2006; Voeten 2005).

Drafts tabled this turn are put to the vote: teams vote by command, computer players by
`crisisgame.engine.rules.computer_votes`, and a member that does not vote abstains. A draft is adopted when the
yes votes reach `council.majority` of the seated members and no permanent member votes no (a veto).
An adopted draft that authorises force or a peacekeeping mission is the only source of a UN mandate
(`State.mandate_for`): proposals naming an authorised state may then carry it, and it acts through
every channel the rulebook gives a mandate (win-sets, audience costs, legitimacy and participation).
An adopted condemnation raises every member's perceived intent of the target.
"""

from __future__ import annotations

import math

from crisisgame.engine.events import Event, Reason, ResolutionDecided
from crisisgame.engine.rules.common import Turn, clip, outcome, pair_change
from crisisgame.engine.rules.computer_votes import vote
from crisisgame.engine.state import State, pair

STEP = 9


def step(s: State, t: Turn) -> list[Event]:
    council = s.scenario.council
    if council is None:
        return []
    r = s.rules.council
    events: list[Event] = []
    for res in sorted(s.resolutions.values(), key=lambda x: x.id):
        if res.status != "tabled":
            continue
        votes: dict[str, str] = {}
        why: list[str] = []
        for m in council.members:
            if m in s.teams:
                votes[m] = res.votes.get(m, "abstain")
            else:
                votes[m], belief = vote(s, m, res.kind, res.target, res.authorised)
                why.append(belief)
        yes = sum(1 for v in votes.values() if v == "yes")
        needed = math.ceil(r.majority * len(council.members))
        vetoed = sorted(m for m in council.permanent if votes.get(m) == "no")
        adopted = yes >= needed and not vetoed
        verdict = (
            "adopted"
            if adopted
            else ("vetoed by " + ", ".join(s.actors[m].name for m in vetoed) if vetoed else "not adopted")
        )
        events.append(
            ResolutionDecided(
                at=t.now,
                id=res.id,
                turn=t.turn,
                adopted=adopted,
                votes=votes,
                vetoed_by=vetoed,
                reason=Reason(
                    rule="council.vote",
                    step=STEP,
                    explanation=f"The Council {verdict} the draft to {res.kind.replace('_', ' ')} on "
                    f"{s.actors[res.target].name}: {yes} yes of {needed} needed"
                    + (f" ({'; '.join(why)})" if why else "")
                    + ".",
                    inputs={"yes": yes, "needed": needed, "vetoes": len(vetoed)},
                    citations=["thompson2006", "voeten2005"],
                ),
            )
        )
        if adopted and res.kind == "condemn":
            changes = [
                pair_change(pair(m, res.target), "intent", clip(s.intent_of(m, res.target) + r.condemn_intent))
                for m in council.members
                if m != res.target
            ]
            events.append(
                outcome(
                    t,
                    changes,
                    "council.condemnation",
                    STEP,
                    f"The Council condemned {s.actors[res.target].name}: its members see it as more aggressive.",
                    citations=["thompson2006"],
                )
            )
    return events
