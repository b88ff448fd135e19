"""Injects: scripted or ad hoc events revealed at a turn's briefing, with their effects on state."""

from __future__ import annotations

from collections.abc import Sequence

from crisisgame.engine.events import Audience, Change, Event, InjectReleased, Outcome, Reason
from crisisgame.engine.state import State, pair
from crisisgame.scenario.model import (
    ChangeApproval,
    ChangeCapability,
    ChangeIntent,
    ChangeMobilisation,
    ChangeReputation,
    Condition,
    Effect,
)


def clip(x: float) -> float:
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def condition_holds(state: State, cond: Condition | None) -> bool:
    """Whether an inject's condition holds now (no condition always holds)."""
    if cond is None:
        return True
    tension = state.system.get("tension", 0.0)
    if cond.tension_above is not None and not tension > cond.tension_above:
        return False
    if cond.tension_below is not None and not tension < cond.tension_below:
        return False
    if cond.agreement_exists is not None:
        ag = state.agreements.get(cond.agreement_exists)
        if ag is None or not ag.active:
            return False
    if cond.at_war is not None:
        a, b = cond.at_war
        if not state.at_war(a, b):
            return False
    return True


def effect_changes(state: State, effects: Sequence[Effect]) -> list[Change]:
    """The immediate changes of an inject's effects (escalations and demands act at adjudication)."""
    changes: list[Change] = []
    for eff in effects:
        if isinstance(eff, ChangeIntent):
            for observer in eff.of:
                if observer != eff.toward:
                    value = clip(state.intent_of(observer, eff.toward) + eff.delta)
                    changes.append(Change(target="pair", key=pair(observer, eff.toward), field="intent", value=value))
        elif isinstance(eff, ChangeApproval | ChangeReputation | ChangeMobilisation):
            name = {"approval": "approval", "reputation": "reputation", "mobilisation": "mobilisation"}[eff.kind]
            current = getattr(state.actors[eff.actor], name)
            changes.append(Change(target="actor", key=eff.actor, field=name, value=clip(current + eff.delta)))
        elif isinstance(eff, ChangeCapability):
            current = getattr(state.actors[eff.actor], eff.component)
            if current is not None:
                changes.append(Change(target="actor", key=eff.actor, field=eff.component, value=current * eff.factor))
    return changes


def inject_events(
    state: State,
    inject_id: str,
    title: str,
    text: str,
    audience: Audience,
    effects: Sequence[Effect],
    condition: Condition | None,
    now: float,
) -> list[Event]:
    """Release an inject (if its condition holds) and apply its effects, with the reason."""
    if not condition_holds(state, condition):
        return []
    events: list[Event] = [
        InjectReleased(
            at=now,
            turn=state.turn,
            inject_id=inject_id,
            title=title,
            text=text,
            audience=audience,
            effects=list(effects),
        )
    ]
    reason = Reason(
        rule="inject",
        step=0,
        explanation=f"Inject '{title}' changed the situation.",
        inputs={"inject": inject_id},
    )
    events.extend(effect_outcomes(state, effects, reason, audience, now))
    return events


def effect_outcomes(
    state: State, effects: Sequence[Effect], reason: Reason, audience: Audience, now: float
) -> list[Event]:
    """The outcomes of effects that act at once (an inject's, or a free-form action's), with `reason`."""
    events: list[Event] = []
    changes = effect_changes(state, effects)
    # A perception (how aggressive one actor believes another is) is its observer's secret, even when the
    # news that moved it is public: each observer's new beliefs go in an outcome of their own.
    shared = [ch for ch in changes if not _perception(ch)]
    if shared:
        events.append(Outcome(at=now, turn=state.turn, changes=shared, reason=reason, audience=audience))
    observers = dict.fromkeys(ch.key.partition(">")[0] for ch in changes if _perception(ch))
    for observer in observers:
        mine = [ch for ch in changes if _perception(ch) and ch.key.partition(">")[0] == observer]
        told: Audience = [observer] if audience == "public" or observer in audience else []
        events.append(Outcome(at=now, turn=state.turn, changes=mine, reason=reason, audience=told))
    return events


def _perception(ch: Change) -> bool:
    return ch.target == "pair" and ch.field in ("intent", "threat")
