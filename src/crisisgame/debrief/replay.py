"""The terminal replay: a game told turn by turn.

Concise by default (the news of each turn: injects, agreements, calls and answers, demands, force,
then one line of state), verbose on request (every message, order and adjudication reason).
"""

from __future__ import annotations

from collections.abc import Iterator

from crisisgame.debrief.history import History, TurnRecord
from crisisgame.engine.news import lead_stories


def turn_text(record: TurnRecord, reasons: bool = True) -> Iterator[str]:
    s = record.state
    yield f"=== Turn {record.turn} ==="
    for inject in record.injects:
        who = "public" if inject.audience == "public" else "for " + ", ".join(inject.audience)
        yield f"  inject ({who}): {inject.title}"
    for m in record.messages:
        to = "all" if m.channel == "public" else ", ".join(m.to)
        yield f"  message {m.channel} {m.sender} -> {to}: {m.text}"
    for o in record.orders:
        given = o.orders.model_dump(exclude_defaults=True)
        yield f"  orders {o.actor}: {given or 'no change'}"
    if reasons:
        for e in record.outcomes:
            yield f"  [{e.reason.step:>2} {e.reason.rule}] {e.reason.explanation}"
    if s is not None:
        yield (
            f"  state: tension {s.system.get('tension', 0.0):.2f}; wars {', '.join(sorted(s.wars)) or 'none'}; "
            f"agreements in force {sum(1 for _ in s.active_agreements())}"
        )
        for aid, a in s.actors.items():
            if a.kind == "state":
                yield (
                    f"    {aid:<6} approval {a.approval:.2f} reputation {a.reputation:.2f} cinc {a.cinc:.3f} "
                    f"spending {a.defence_spending:.1f}% behaviour {a.behaviour.replace('_', ' ')}"
                )


def concise_turn_text(record: TurnRecord, h: History) -> Iterator[str]:
    """One turn as its news: what was released, what the room would be told, and the state in one line."""
    yield f"=== Turn {record.turn} ==="
    for inject in record.injects:
        who = "" if inject.audience == "public" else " (for " + ", ".join(inject.audience) + ")"
        yield f"  news{who}: {inject.title}"
    for story in lead_stories([e for _, e in record.events], h.final):
        yield f"  {story.title}: {story.text}"
    s = record.state
    if s is not None:
        yield (
            f"  tension {s.system.get('tension', 0.0):.2f}; wars {', '.join(sorted(s.wars)) or 'none'}; "
            f"agreements in force {sum(1 for _ in s.active_agreements())}"
        )


def replay_text(h: History, turn: int | None = None, reasons: bool = True, verbose: bool = False) -> Iterator[str]:
    """The game (or one turn of it) as lines of text; a turn the game does not have is a ValueError."""
    if turn is not None and turn not in {r.turn for r in h.turns}:
        last = max((r.turn for r in h.turns), default=0)
        raise ValueError(f"the game has no turn {turn} (it has turns 1 to {last})")
    yield f"{h.scenario_title} (seed {h.final.seed}), {len(h.turns)} turn(s)"
    for record in h.turns:
        if turn is None or record.turn == turn:
            yield from turn_text(record, reasons) if verbose else concise_turn_text(record, h)
    if turn is None and h.ended is not None:
        ranked = sorted(h.ended.scores.items(), key=lambda kv: (-kv[1], kv[0]))
        yield "final scores: " + ", ".join(f"{a} {v:.0f}" for a, v in ranked)
