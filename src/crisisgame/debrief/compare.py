"""Comparing two games (typically an original and its fork): where they diverged, and why."""

from __future__ import annotations

from crisisgame.debrief.history import History
from crisisgame.engine.events import AgreementConcluded, CallOpened, Event, Outcome, event_to_json

METRICS = ("approval", "reputation", "cinc", "defence_spending", "abandonment_fear", "entrapment_risk", "score")


def first_divergence(a: list[Event], b: list[Event]) -> int | None:
    """The 1-based seq of the first event that differs, or None if one log is a prefix of the other."""
    for seq, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if event_to_json(x) != event_to_json(y):
            return seq
    return None if len(a) == len(b) else min(len(a), len(b)) + 1


def _explanations(h: History, turn: int) -> list[str]:
    try:
        record = h.turn(turn)
    except KeyError:
        return []
    return [e.reason.explanation for e in record.outcomes if isinstance(e, Outcome | AgreementConcluded | CallOpened)]


def compare(a: History, b: History, name_a: str = "A", name_b: str = "B") -> list[str]:
    """A readable account of the differences between two games."""
    lines = [
        f"{name_a}: {len(a.log)} events, {len(a.turns)} turns; {name_b}: {len(b.log)} events, {len(b.turns)} turns"
    ]
    seq = first_divergence(a.log, b.log)
    if seq is None:
        lines.append("The two games are identical, event for event.")
        return lines
    ea = a.log[seq - 1] if seq <= len(a.log) else None
    eb = b.log[seq - 1] if seq <= len(b.log) else None
    turn = getattr(ea, "turn", None) or getattr(eb, "turn", None) or 0
    lines.append(
        f"They diverge at event {seq} (turn {turn}): {name_a} has {ea.type if ea else 'nothing'}, "
        f"{name_b} has {eb.type if eb else 'nothing'}."
    )
    if ea is not None and eb is not None and ea.type == eb.type == "orders_submitted":
        lines.append(f"  {name_a}: {ea.model_dump_json()}")
        lines.append(f"  {name_b}: {eb.model_dump_json()}")
    only_a = [x for x in _explanations(a, turn) if x not in set(_explanations(b, turn))]
    only_b = [x for x in _explanations(b, turn) if x not in set(_explanations(a, turn))]
    if only_a or only_b:
        lines.append(f"What the engine decided differently in turn {turn}:")
        lines.extend(f"  only in {name_a}: {x}" for x in only_a[:25])
        lines.extend(f"  only in {name_b}: {x}" for x in only_b[:25])
    lines.append("At the end of each game:")
    for actor in a.final.actors:
        if actor not in b.final.actors:
            continue
        sa, sb = a.final.actors[actor], b.final.actors[actor]
        diffs = [
            f"{m} {getattr(sa, m):.2f} vs {getattr(sb, m):.2f}"
            for m in METRICS
            if abs(float(getattr(sa, m)) - float(getattr(sb, m))) > 1e-6
        ]
        if sa.behaviour != sb.behaviour:
            diffs.append(f"behaviour {sa.behaviour} vs {sb.behaviour}")
        if diffs:
            lines.append(f"  {actor}: " + "; ".join(diffs))
    wars_a, wars_b = sorted(a.final.wars), sorted(b.final.wars)
    if wars_a != wars_b:
        lines.append(f"  wars: {', '.join(wars_a) or 'none'} vs {', '.join(wars_b) or 'none'}")
    return lines
