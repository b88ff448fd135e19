"""Comparing two games (typically an original and its fork): the first decision at which they differ,
and the consequences that followed, side by side."""

from __future__ import annotations

import textwrap

from crisisgame.debrief.history import History
from crisisgame.engine.commands import Orders
from crisisgame.engine.events import (
    AgreementConcluded,
    Amended,
    CallOpened,
    Event,
    GameCreated,
    InjectReleased,
    MessageSent,
    OrdersSubmitted,
    Outcome,
    ProposalAnswered,
    ProposalMade,
    RolledBack,
    event_to_json,
)
from crisisgame.engine.news import lead_stories, with_names
from crisisgame.engine.state import State

WIDTH = 56
"""Characters per column of the side-by-side account."""
STORIES_PER_TURN = 6


METRICS = ("approval", "reputation", "cinc", "defence_spending", "abandonment_fear", "entrapment_risk", "score")


def first_divergence(a: list[Event], b: list[Event]) -> int | None:
    """The 1-based seq of the first event that differs, or None if one log is a prefix of the other."""
    for seq, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if event_to_json(x) != event_to_json(y):
            return seq
    return None if len(a) == len(b) else min(len(a), len(b)) + 1


DECISIONS = (MessageSent, ProposalMade, ProposalAnswered, OrdersSubmitted, InjectReleased, Amended, RolledBack)
"""Events a person (a team or Control) decided; everything else is bookkeeping or the engine's consequence."""


def decisions(log: list[Event]) -> list[tuple[tuple[int, int, int], int, Event]]:
    """Each decision with a sort key (turn, 0 for diplomacy and Control's acts or 1 for orders, position)
    and its seq. A team's orders count once per turn, as finally submitted, in actor order."""
    out: list[tuple[tuple[int, int, int], int, Event]] = []
    final: dict[tuple[int, str], tuple[int, OrdersSubmitted]] = {}
    turn = 0
    for seq, e in enumerate(log, start=1):
        turn = getattr(e, "turn", turn)
        if isinstance(e, OrdersSubmitted):
            final[(e.turn, e.actor)] = (seq, e)
        elif isinstance(e, DECISIONS):
            out.append(((turn, 0, seq), seq, e))
    actors = sorted({actor for _, actor in final})
    for (t, actor), (seq, e) in final.items():
        out.append(((t, 1, actors.index(actor)), seq, e))
    return sorted(out, key=lambda x: x[0])


def _same(x: Event, y: Event) -> bool:
    """Whether two decisions are the same, whenever they were made (clock times and message ids aside)."""
    return x.model_dump_json(exclude={"at", "id"}) == y.model_dump_json(exclude={"at", "id"})


def first_decision_divergence(a: list[Event], b: list[Event]) -> tuple[int, Event | None, Event | None] | None:
    """The first decision at which two games differ: its seq (in `b`, where `b` has it), and the two
    decisions (None where a game made none there); None if every decision is the same."""
    xs, ys = decisions(a), decisions(b)
    for (_, _, ea), (_, sb, eb) in zip(xs, ys, strict=False):
        if not _same(ea, eb):
            return sb, ea, eb
    if len(xs) == len(ys):
        return None
    if len(xs) > len(ys):
        return xs[len(ys)][1], xs[len(ys)][2], None
    return ys[len(xs)][1], None, ys[len(xs)][2]


def order_phrases(o: Orders) -> list[str]:
    """A team's orders as short phrases (actor ids left for `with_names`)."""
    out = []
    if o.defence_spending is not None:
        out.append(f"defence spending {o.defence_spending:.1f}% of GDP")
    if o.mobilisation is not None:
        out.append(f"mobilisation {o.mobilisation:.0%}")
    out += [f"{f.level.replace('_', ' ')} against {f.target}" for f in o.force]
    out += [f"a {'public' if d.public else 'private'} demand on {d.target} over {d.issue}" for d in o.demands]
    out += [f"{'honour' if c.honour else 'abandon'} call {c.call_id}" for c in o.call_answers]
    out += [f"{'accept' if d.accept else 'resist'} demand {d.demand_id}" for d in o.demand_answers]
    out += [f"{d.troops} troops to {d.host}" for d in o.deployments]
    out += [f"an exercise in {x.host} with {', '.join(x.partners)}" for x in o.exercises]
    out += [f"{a.item} worth ${a.value_usd_m:g}m to {a.to}" for a in o.arms_deliveries]
    out += [f"withdraw from {w}" for w in o.withdrawals]
    out += [f"a statement: \u201c{st.text}\u201d" for st in o.statements]
    if o.alignment:
        out.append(f"alignment with {o.alignment}")
    return out or ["no change"]


def describe(e: Event | None, s: State) -> str:
    """A decision (or an outcome) in a sentence."""
    if e is None:
        return "nothing (the game had ended)"
    if isinstance(e, OrdersSubmitted):
        return with_names(f"{e.actor} ordered " + "; ".join(order_phrases(e.orders)), s)
    if isinstance(e, MessageSent):
        to = "everyone" if e.channel == "public" else ", ".join(e.to)
        return with_names(f"{e.sender} wrote to {to}: \u201c{e.text}\u201d", s)
    if isinstance(e, ProposalMade):
        return with_names(
            f"{e.sender} proposed a {e.proposal.type.replace('_', ' ')} to {', '.join(e.proposal.parties)}", s
        )
    if isinstance(e, InjectReleased):
        return f"Control released the inject \u2018{e.title}\u2019"
    if isinstance(e, Amended):
        return with_names(f"Control amended {e.change.key} {e.change.field} to {e.change.value}: {e.reason}", s)
    if isinstance(e, RolledBack):
        return f"Control rolled back turn {e.turn}: {e.reason}"
    if isinstance(e, ProposalAnswered):
        return with_names(f"{e.actor} {'accepted' if e.accept else 'rejected'} proposal {e.id}", s)
    reason = getattr(e, "reason", None)
    if reason is not None and hasattr(reason, "explanation"):
        return with_names(reason.explanation, s)
    return e.type.replace("_", " ")


def _stories(h: History, turn: int) -> list[str]:
    try:
        record = h.turn(turn)
    except KeyError:
        return []
    return [f"{x.title}: {x.text}" for x in lead_stories([e for _, e in record.events], h.final)]


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
    ca, cb = a.log[0], b.log[0]
    if isinstance(ca, GameCreated) and isinstance(cb, GameCreated):
        if ca.scenario != cb.scenario:
            lines.append("They were made from different scenarios (or versions of one): compare with care.")
        if ca.seed != cb.seed:
            lines.append(f"Their seeds differ ({ca.seed} vs {cb.seed}): chance draws differ from the first turn.")
        if sorted(ca.teams) != sorted(cb.teams):
            lines.append(f"Teams: {', '.join(ca.teams) or 'none'} vs {', '.join(cb.teams) or 'none'}.")
    found = first_decision_divergence(a.log, b.log)
    if found is None:
        turns = sorted({r.turn for r in a.turns} | {r.turn for r in b.turns})
        differing = [t for t in turns if _explanations(a, t) != _explanations(b, t)]
        if not differing:
            lines.append("The two games made the same decisions; bookkeeping aside, they are identical.")
            return lines
        turn = differing[0]
        lines.append(
            f"They made the same decisions; from turn {turn} the engine's chance draws (the seed) made the difference."
        )
    else:
        seq, ea, eb = found
        turn = getattr(ea, "turn", None) or getattr(eb, "turn", None) or 0
        lines.append(
            f"They diverge at event {seq} (turn {turn}): {name_a}: {describe(ea, a.final)}; "
            f"{name_b}: {describe(eb, b.final)}."
        )
    last = max(len(a.turns), len(b.turns))
    lines.append("What followed, turn by turn (news found in one game only):")
    lines.append(f"  {'':4}{name_a[:WIDTH]:<{WIDTH}} | {name_b[:WIDTH]}")
    for t in range(turn, last + 1):
        xs, ys = _stories(a, t), _stories(b, t)
        only_a = [x for x in xs if x not in set(ys)][:STORIES_PER_TURN]
        only_b = [y for y in ys if y not in set(xs)][:STORIES_PER_TURN]
        left = [w for x in only_a for w in textwrap.wrap("- " + x, WIDTH, subsequent_indent="  ")]
        right = [w for y in only_b for w in textwrap.wrap("- " + y, WIDTH, subsequent_indent="  ")]
        for n in range(max(len(left), len(right))):
            mark = f"T{t}" if n == 0 else ""
            l_text = left[n] if n < len(left) else ""
            r_text = right[n] if n < len(right) else ""
            lines.append(f"  {mark:<4}{l_text:<{WIDTH}} | {r_text}".rstrip())
    only_a = [x for x in _explanations(a, turn) if x not in set(_explanations(b, turn))]
    only_b = [x for x in _explanations(b, turn) if x not in set(_explanations(a, turn))]
    if only_a or only_b:
        lines.append(f"What the engine decided differently in turn {turn}:")
        lines.extend(f"  only in {name_a}: {x}" for x in only_a[:10])
        lines.extend(f"  only in {name_b}: {x}" for x in only_b[:10])
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
