"""Free-form actions (matrix-game style): argued by a team, rated by the facilitator, rolled by the engine.

Why: the order menu cannot hold every move a seminar thinks of; matrix games let a team propose
anything, argue for it, and let the white cell judge. The flow, in the game's phases:

- orders: a team submits up to `rules.freeform.max_actions` actions a turn (what, intended effect,
  arguments for). A public action is seen by every seat at once and, while the game allows it
  (`set_freeform`, on by default), each other team may add one counter-argument. A private action
  is seen by its team and the facilitator only, and nobody can counter it.
- results, before release: the facilitator rates each action's chance (or accepts `suggested_chance`,
  a documented rule on the arguments' count and length) with a reason; the engine rolls it with the
  game's replayable chance (`draw(seed, turn, "freeform|" + id)`). On success the facilitator
  applies effects chosen from the inject effects that act at once; they are checked as an ad hoc
  inject's are and become `Outcome` events through the injects' own `effect_changes`.

Teams see ratings, rolls and effects with the turn's results (a turn with free-form actions waits
for the facilitator's release even when results are released automatically).
"""

from __future__ import annotations

from collections.abc import Sequence

from crisisgame.engine.chance import happens
from crisisgame.engine.commands import ApplyAction, CounterArgument, FreeformAction, RateAction
from crisisgame.engine.errors import Rejected
from crisisgame.engine.events import (
    Audience,
    Event,
    FreeformApplied,
    FreeformCountered,
    FreeformProposed,
    FreeformRated,
    FreeformSettings,
    Reason,
)
from crisisgame.engine.ids import opaque_id
from crisisgame.engine.injects import effect_outcomes
from crisisgame.engine.state import FreeformState, State, evolve

STEP = 13
"""The step number of a free-form action's outcomes: after the twelve adjudication steps, in the
results review. Not 0 (an inject's), so teams see them only once results are released."""

IMMEDIATE_KINDS = ("intent", "approval", "reputation", "mobilisation", "capability")
"""Inject effects a free-form action may have: those that act at once. Escalations, demands and calls
act at a turn's adjudication, which is over by the review: teams order those."""

FreeformEvent = FreeformProposed | FreeformCountered | FreeformRated | FreeformApplied | FreeformSettings


def _strength(texts: Sequence[str], state: State) -> float:
    rules = state.rules.freeform
    return sum(1.0 if len(t.strip()) >= rules.strong_chars else rules.weak_share for t in texts)


def suggested_chance(state: State, action: FreeformState) -> float:
    """base + weight x (strength for - strength against), within [min, max]; a strong argument counts 1,
    a short one `weak_share` (docs/rules.md, "Free-form actions")."""
    rules = state.rules.freeform
    net = _strength(action.arguments, state) - _strength([text for _, text in action.counters], state)
    chance = rules.base_chance + rules.argument_weight * net
    return round(min(rules.max_chance, max(rules.min_chance, chance)), 4)


def seen_by(action: FreeformState, seat: str) -> bool:
    """Whether `seat` may know of the action at all (the facilitator sees every one)."""
    return action.public or seat in (action.actor, "facilitator")


def _action(state: State, action_id: str, seat: str) -> FreeformState:
    action = state.freeform.get(action_id)
    if action is None or not seen_by(action, seat):
        raise Rejected(f"there is no free-form action '{action_id}'", "no_such_action")
    return action


def propose_events(state: State, c: FreeformAction, now: float) -> list[Event]:
    if state.phase != "orders":
        raise Rejected(f"free-form actions are submitted in the orders phase, not during {state.phase}", "phase")
    limit = state.rules.freeform.max_actions
    if limit == 0:
        raise Rejected("free-form actions are off in this game (the scenario's rules.freeform.max_actions is 0)")
    mine = [a for a in state.freeform.values() if a.actor == c.by and a.turn == state.turn]
    if len(mine) >= limit:
        raise Rejected(f"{c.by} has submitted its {limit} free-form action(s) for this turn (the rules allow {limit})")
    arguments = [a.strip() for a in c.arguments]
    if any(len(a) < 3 for a in arguments) or len(c.what.strip()) < 3 or len(c.intended_effect.strip()) < 3:
        raise Rejected("the action, its intended effect and each argument need at least 3 characters of text")
    aid = opaque_id(state.seed, "f-", str(state.counter + 1))
    return [
        FreeformProposed(
            at=now,
            id=aid,
            turn=state.turn,
            actor=c.by,
            what=c.what.strip(),
            intended_effect=c.intended_effect.strip(),
            arguments=arguments,
            public=c.public,
        )
    ]


def counter_events(state: State, c: CounterArgument, now: float) -> list[Event]:
    action = _action(state, c.action_id, c.by)
    if state.phase != "orders" or action.turn != state.turn:
        raise Rejected("counter-arguments are made during the orders phase of the action's turn", "phase")
    if not state.counter_arguments:
        raise Rejected("the facilitator does not allow counter-arguments in this game", "invalid")
    if action.actor == c.by:
        raise Rejected("a team cannot counter-argue its own action; it argues for it", "invalid")
    if any(who == c.by for who, _ in action.counters):
        raise Rejected(f"{c.by} has already counter-argued action '{action.id}'", "already")
    if len(c.text.strip()) < 3:
        raise Rejected("a counter-argument needs at least 3 characters of text")
    return [FreeformCountered(at=now, id=action.id, turn=state.turn, actor=c.by, text=c.text.strip())]


def _in_review(state: State, doing: str) -> None:
    if state.phase != "results":
        raise Rejected(f"free-form actions are {doing} in the results review, not during {state.phase}", "phase")
    if state.released:
        raise Rejected(f"this turn's results are released; free-form actions are {doing} before release", "phase")


def rate_events(state: State, c: RateAction, now: float) -> list[Event]:
    """Rate (the facilitator's chance, or the suggested one) and roll, with the draw in the reason."""
    _in_review(state, "rated")
    action = _action(state, c.action_id, c.by)
    if action.turn != state.turn:
        raise Rejected(f"action '{action.id}' belongs to turn {action.turn}; only this turn's are rated", "phase")
    if action.rating is not None:
        raise Rejected(f"action '{action.id}' has already been rated and rolled", "already")
    suggested = suggested_chance(state, action)
    chance = suggested if c.chance is None else c.chance
    success, u = happens(state.seed, action.turn, f"freeform|{action.id}", chance)
    source = "the suggested chance" if c.chance is None else "the facilitator's chance"
    who = state.actors[action.actor].name
    verdict = "succeeds" if success else "fails"
    reason = Reason(
        rule="freeform.roll",
        step=STEP,
        explanation=f"{who}'s action \u201c{action.what}\u201d {verdict}: drew {u:.2f} against "
        f"{source} of {chance:.0%} (suggested {suggested:.0%}). Control: {c.reason.strip()}",
        inputs={
            "action": action.id,
            "arguments_for": len(action.arguments),
            "arguments_against": len(action.counters),
            "suggested": suggested,
            "chance": chance,
            "draw": round(u, 6),
        },
    )
    rated = FreeformRated(
        at=now,
        id=action.id,
        turn=action.turn,
        chance=chance,
        suggested=suggested,
        draw=u,
        success=success,
        comment=c.reason.strip(),
        reason=reason,
    )
    return [rated]


def check_apply(state: State, c: ApplyAction) -> FreeformState:
    """The action whose effects `c` applies, if it may be applied now (its effects' names are the caller's)."""
    _in_review(state, "applied")
    action = _action(state, c.action_id, c.by)
    if action.rating is None:
        raise Rejected(f"action '{action.id}' has not been rolled yet: rate it first", "invalid")
    if not action.rating.success:
        raise Rejected(f"action '{action.id}' failed its roll: it has no effects", "invalid")
    if action.applied is not None:
        raise Rejected(f"the effects of action '{action.id}' have already been applied", "already")
    for eff in c.effects:
        if eff.kind not in IMMEDIATE_KINDS:
            raise Rejected(
                f"a free-form action's effects act at once ({', '.join(IMMEDIATE_KINDS)}); "
                f"'{eff.kind}' acts at a turn's adjudication: order it instead",
                "invalid",
            )
    return action


def apply_events(state: State, c: ApplyAction, now: float) -> list[Event]:
    """The effects of a succeeded action: a `FreeformApplied` record, then outcomes as an inject's are made.
    The caller has checked the effects as an ad hoc inject's (actors, issues)."""
    action = check_apply(state, c)
    assert action.rating is not None
    applied = FreeformApplied(at=now, id=action.id, turn=action.turn, effects=list(c.effects), reason=c.reason.strip())
    reason = Reason(
        rule="freeform.effect",
        step=STEP,
        explanation=f"Free-form action \u201c{action.what}\u201d by {state.actors[action.actor].name} succeeded. "
        f"Control: {c.reason.strip()}",
        inputs={"action": action.id, "chance": action.rating.chance, "draw": round(action.rating.draw, 6)},
    )
    audience: Audience = "public" if action.public else [action.actor]
    outcomes = effect_outcomes(state, c.effects, reason, audience, now)
    return [applied, *outcomes]


def awaits_review(state: State, turn: int) -> bool:
    """Whether turn `turn` has free-form actions for the facilitator to rate (results then wait for release)."""
    return any(a.turn == turn for a in state.freeform.values())


def fold(s: State, e: FreeformEvent) -> State:
    """Fold one free-form event into the state (apply.py hands them here)."""
    if isinstance(e, FreeformSettings):
        return evolve(s, counter_arguments=e.counter_arguments)
    if isinstance(e, FreeformProposed):
        action = FreeformState(
            id=e.id,
            actor=e.actor,
            turn=e.turn,
            what=e.what,
            intended_effect=e.intended_effect,
            arguments=tuple(e.arguments),
            public=e.public,
        )
        return evolve(s, freeform={**s.freeform, e.id: action}, counter=s.counter + 1)
    found = s.freeform.get(e.id)
    if found is None:
        from crisisgame.engine.apply import CorruptLog

        raise CorruptLog(f"{e.type} names unknown free-form action {e.id!r}")
    action = found
    if isinstance(e, FreeformCountered):
        action = evolve(action, counters=(*action.counters, (e.actor, e.text)))
    elif isinstance(e, FreeformRated):
        action = evolve(action, rating=e)
    else:
        action = evolve(action, applied=e)
    return evolve(s, freeform={**s.freeform, e.id: action})


__all__ = [
    "IMMEDIATE_KINDS",
    "STEP",
    "FreeformEvent",
    "apply_events",
    "awaits_review",
    "check_apply",
    "counter_events",
    "fold",
    "propose_events",
    "rate_events",
    "seen_by",
    "suggested_chance",
]
