"""Objectives: each scenario objective is a test of the state, so the engine can score it; and the points a
choice puts at stake, which a computer player weighs (`bots.objective_weight`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from crisisgame.engine.state import State
from crisisgame.scenario.model import (
    AvoidAgreement,
    AvoidWar,
    HaveAgreement,
    IssueOutcome,
    KeepApproval,
    KeepReputation,
    LimitThreat,
    Objective,
    SpendAtMost,
)


def met(s: State, actor: str, obj: Objective) -> bool:
    """Whether `actor` meets `obj` in state `s`."""
    st = s.actors[actor]
    if isinstance(obj, HaveAgreement | AvoidAgreement):
        has = any(
            ag.type == obj.type and actor in ag.parties and obj.with_ in ag.parties for ag in s.active_agreements()
        )
        return has if isinstance(obj, HaveAgreement) else not has
    if isinstance(obj, AvoidWar):
        if obj.with_ is None:
            return not any(actor in w.split("|") for w in s.wars)
        return not s.at_war(actor, obj.with_)
    if isinstance(obj, KeepApproval):
        return st.approval >= obj.at_least
    if isinstance(obj, KeepReputation):
        return st.reputation >= obj.at_least
    if isinstance(obj, LimitThreat):
        return s.threat_of(actor, obj.from_) <= obj.at_most
    if isinstance(obj, IssueOutcome):
        position = s.settled.get(obj.issue)
        return position is not None and obj.low <= position <= obj.high
    if isinstance(obj, SpendAtMost):
        return st.defence_spending <= obj.percent_gdp
    raise TypeError(f"unknown objective {obj!r}")


def statuses(s: State, actor: str) -> list[bool]:
    """Whether `actor` meets each of its scenario objectives in state `s`, in the scenario's order: the
    one computation of objective status (a team's view carries it, `Me.objectives_met`; the debrief
    and the score read it), so no reader works it out again."""
    return [met(s, actor, o) for o in s.scenario.actor(actor).objectives]


def scores(s: State) -> dict[str, float]:
    """Points each actor holds now: the sum of the points of the objectives it meets."""
    out: dict[str, float] = {}
    for a in s.scenario.actors:
        out[a.id] = float(sum(o.points for o, ok in zip(a.objectives, statuses(s, a.id), strict=True) if ok))
    return out


def war_points(objectives: Iterable[Objective], against: str) -> int:
    """Points of the `avoid_war` objectives a war with `against` would break: those naming it, and those
    against any war."""
    return sum(o.points for o in objectives if isinstance(o, AvoidWar) and o.with_ in (None, against))


def agreement_points(
    objectives: Iterable[Objective],
    me: str,
    kind: str,
    parties: Collection[str],
    others: Sequence[tuple[str, Collection[str]]] = (),
) -> int:
    """Points an agreement of type `kind` between `parties` wins `me` while it is in force, less the points it
    loses: a `have_agreement` objective it meets, an `avoid_agreement` objective it breaks, each only where none
    of `others` (the type and parties of my other agreements in force) already does (only then does this
    agreement decide the objective)."""
    if me not in parties:
        return 0
    total = 0
    for o in objectives:
        if not isinstance(o, HaveAgreement | AvoidAgreement) or o.type != kind or o.with_ not in parties:
            continue
        if any(t == o.type and me in ps and o.with_ in ps for t, ps in others):
            continue
        total += o.points if isinstance(o, HaveAgreement) else -o.points
    return total


def kept_points(
    objectives: Iterable[Objective], kind: type[KeepApproval | KeepReputation], now: float, then: float
) -> int:
    """Points of the `keep_approval` or `keep_reputation` objectives (`kind`) that a move from `now` to `then`
    decides: those met now and broken then count positive (the move would lose them), those broken now and met
    then negative (it would win them)."""
    total = 0
    for o in objectives:
        if isinstance(o, kind):
            total += o.points * ((now >= o.at_least) - (then >= o.at_least))
    return total
