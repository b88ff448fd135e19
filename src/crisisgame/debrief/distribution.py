"""The class against the distribution: where a class's game falls among many bot games from the same start.

Pure functions over rows (one mapping per run, as the many-runs runner writes them to its summary
table, plus one row for the class's game built by `class_row`): for each measure, the class's value,
how the runs spread, and a sentence for the debrief ("War broke out in 12 of 100 bot games; your
class went to war"). `distribution_html` renders the section that leads the summary.

The measures and their column names are data (`MEASURES`), so the section follows the runner's table
without code changes: a binary measure reports the share of runs where it happened, a count the
class's percentile among the runs, a category how often each value came up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Literal

from crisisgame.debrief.history import History
from crisisgame.engine.events import AgreementConcluded, Event, GameEnded, Outcome
from crisisgame.engine.objectives import met
from crisisgame.engine.state import State

Kind = Literal["binary", "count", "share", "category"]


@dataclass(frozen=True)
class MeasureSpec:
    column: str
    kind: Kind
    label: str


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("war", "binary", "war broke out"),
    MeasureSpec("prevailed", "category", "who prevailed (highest score)"),
    MeasureSpec("agreements_formed", "count", "agreements formed"),
    MeasureSpec("agreements_ended", "count", "agreements ended"),
    MeasureSpec("objectives_met", "share", "share of objectives met"),
)
"""What the section compares, by the column each run's row carries."""


@dataclass(frozen=True)
class Placement:
    """One measure: the class's value, the runs' spread, and where the class falls."""

    label: str
    kind: Kind
    class_value: Any
    runs: int
    share: float | None
    """binary: share of runs where it happened; category: share of runs with the class's value;
    count and share: share of runs strictly below the class (its percentile, 0 to 1)."""
    low: float | None
    median: float | None
    high: float | None
    counts: tuple[tuple[str, int], ...]
    sentence: str


def class_row(h: History) -> dict[str, Any]:
    """The class's game as one row of the measures (the same definitions as the bot runs' rows)."""
    return outcome_row(h.log, h.final)


def outcome_row(log: Sequence[Event], final: State) -> dict[str, Any]:
    """One game, human or bot, as one row of the measures, from its log and final state."""
    s = final
    ever_war = any(
        isinstance(e, Outcome) and any(ch.field == "war" and ch.value is True for ch in e.changes) for e in log
    ) or bool(s.wars)
    formed = sum(1 for e in log if isinstance(e, AgreementConcluded))
    ended_events = sum(1 for e in log if str(e.type) == "agreement_ended")  # added by the commit branch
    ended = ended_events or sum(1 for ag in s.agreements.values() if not ag.active)
    game_ended = next((e for e in reversed(log) if isinstance(e, GameEnded)), None)
    scores = game_ended.scores if game_ended is not None else {a: st.score for a, st in s.actors.items()}
    top = max(scores.values(), default=0.0)
    leaders = sorted(a for a, v in scores.items() if v == top and top > 0)
    objectives = [(a.id, o) for a in s.scenario.actors for o in a.objectives]
    share = sum(met(s, a, o) for a, o in objectives) / len(objectives) if objectives else 0.0
    return {
        "war": ever_war,
        "prevailed": ";".join(leaders) or "nobody",
        "agreements_formed": formed,
        "agreements_ended": ended,
        "objectives_met": round(share, 4),
    }


def run_row(log: Sequence[Event], final: State, run: int, seed: int) -> list[dict[str, Any]]:
    """A bot run's single row for the many-runs runner (`experiments.run_many(per_game=run_row)`)."""
    return [{"run": run, "seed": seed, **outcome_row(log, final)}]


def _number(value: Any, column: str) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return 1.0 if value.strip().lower() == "true" else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"column '{column}' holds {value!r}, not a number") from None


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lower = int(pos)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (pos - lower)


def place(spec: MeasureSpec, class_value: Any, runs: Sequence[Mapping[str, Any]]) -> Placement:
    """Where the class falls among `runs` on one measure."""
    if not runs:
        raise ValueError("no runs to compare the class with")
    missing = [n for n, r in enumerate(runs) if spec.column not in r]
    if missing:
        raise ValueError(f"run {missing[0]} has no column '{spec.column}' (it has: {', '.join(sorted(runs[0]))})")
    n = len(runs)
    if spec.kind == "category":
        counts = Counter(str(r[spec.column]) for r in runs)
        share = counts.get(str(class_value), 0) / n
        ranked = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        sentence = (
            f"{spec.label.capitalize()}: in your class {_tie(str(class_value))}; in the bot games "
            + ", ".join(f"{_tie(k)} {v} of {n}" for k, v in ranked[:4])
            + "."
        )
        return Placement(spec.label, spec.kind, class_value, n, share, None, None, None, ranked, sentence)
    values = [_number(r[spec.column], spec.column) for r in runs]
    mine = _number(class_value, spec.column)
    if spec.kind == "binary":
        happened = sum(1 for v in values if v >= 0.5)
        did = "did" if mine >= 0.5 else "did not"
        sentence = f"{spec.label.capitalize()} in {happened} of {n} bot games; in your class it {did}."
        return Placement(spec.label, spec.kind, bool(mine >= 0.5), n, happened / n, None, None, None, (), sentence)
    below = sum(1 for v in values if v < mine) / n
    low, median, high = _quantile(values, 0.1), _quantile(values, 0.5), _quantile(values, 0.9)

    def fmt(x: float) -> str:
        return f"{x:.0%}" if spec.kind == "share" else f"{x:.0f}"

    same = sum(1 for v in values if v == mine) / n
    # Ties said as ties: a class level with every bot game is not "above 0% of them".
    parts = [f"{word} {share:.0%}" for word, share in (("above", below), ("level with", same)) if share > 0]
    if below + same < 1:
        parts.append(f"below {1 - below - same:.0%}")
    sentence = (
        f"{spec.label.capitalize()}: {fmt(mine)} in your class; the bot games ranged {fmt(low)} to {fmt(high)} "
        f"(median {fmt(median)}), so your class was {_listed(parts)} of them."
    )
    return Placement(spec.label, spec.kind, mine, n, below, low, median, high, (), sentence)


def _tie(value: str) -> str:
    """A category value as a reader takes it: 'TUR;USA' (a tie, as the tables write it) is 'TUR and USA (tied)'."""
    names = value.split(";")
    return value if len(names) == 1 else f"{_listed(names)} (tied)"


def _listed(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def distribution(
    class_values: Mapping[str, Any], runs: Sequence[Mapping[str, Any]], measures: Sequence[MeasureSpec] = MEASURES
) -> list[Placement]:
    """Every measure the class row and the runs both carry, placed."""
    return [place(m, class_values[m.column], runs) for m in measures if m.column in class_values]


def distribution_html(placements: Sequence[Placement]) -> str:
    """The section: one row per measure, with a bar showing where the class falls."""
    rows = []
    for p in placements:
        bar = ""
        if p.share is not None:
            bar = (
                f"<span class='dist-bar' role='img' aria-label='{p.share:.0%}'>"
                f"<span style='width:{p.share * 100:.0f}%'></span></span>"
            )
        rows.append(f"<tr><td>{escape(p.label)}</td><td>{bar}</td><td>{escape(p.sentence)}</td></tr>")
    runs = placements[0].runs if placements else 0
    return (
        f"<p class='muted'>{runs} bot games of the same scenario from the same start.</p>"
        "<table class='dist'><tbody>" + "".join(rows) + "</tbody></table>"
    )
