"""Many runs, one table: N seeded bot games of a scenario, and a tidy table of what happened in them.

`run_many` plays run i with seed `seed + i` (every seat a bot, as `crisisgame simulate` does) and
turns each game's event log into rows, one per observation (a war that starts or ends, a fight, a
use of force, an alliance call and each answer to it, an agreement formed, renewed or ended, a
demand, a sanction, a nuclear test). Runs may be played in parallel processes; rows are put back in run order,
so the same scenario, seed and number of runs give the same file byte for byte, whatever `jobs` is.

`COLUMNS` documents every column (the data dictionary of the table); `summarise` prints what an
instructor wants first: how often war broke out (with a Wilson interval), how often calls were
honoured per agreement type, and which alignments formed most often.

Events of other branches are read by type name and attribute (`agreement_ended`, `sanction_imposed`,
`sanction_lifted`, `nuclear_test`, `CallOpened.clause`), so the table works with or without them.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import IO, Any

from crisisgame.engine.events import Event, Outcome
from crisisgame.engine.state import State
from crisisgame.scenario.model import Scenario

Row = dict[str, Any]

COLUMNS: dict[str, str] = {
    "run": "Run number, 0 to N-1.",
    "seed": "The run's game seed: the --seed given plus the run number.",
    "turn": "Turn during which it happened.",
    "kind": "What happened: war_started, war_ended, fight, force, call, call_answer, agreement_formed, "
    "agreement_renewed (a party renewed a fixed-term agreement: one row per agreement and turn, however many "
    "parties ordered it), agreement_ended, demand, sanction, breach (a party withheld the sanctions or aid an "
    "agreement commits it to), nuclear_test, nuclear_threat, intervention, join, spoils.",
    "actor": "Who acted: the attacker (war_started, fight, force), the state joining a war on an ally's side "
    "(war_started by alliance), the caller (call), the guarantor answering (call_answer), the demander, "
    "the sanctioning, testing or threatening state, the state fighting for another without an obligation "
    "(intervention), the state fighting on an attacker's side (join), the state receiving a share of the spoils "
    "(spoils), the party that withheld (breach), the party that renewed (agreement_renewed, the first in "
    "alphabetical order when several ordered it); the parties separated by ';' for agreement rows; for "
    "war_ended the first of the pair in alphabetical order.",
    "target": "Who it was aimed at: the target of force or of a demand, the adversary named in a call, the "
    "caller in a call_answer, the sanctioned state, the state threatened with nuclear weapons, the attacker "
    "fought in an intervention, the state attacked in a join, the state that gave up the spoils; the other "
    "belligerent for war_ended.",
    "agreement": "Agreement id (call, call_answer, agreement_formed, agreement_renewed, agreement_ended, breach; "
    "for sanction the agreement whose sanctions term imposed, ended or withheld it, empty for an order or a "
    "Council resolution).",
    "agreement_type": "Agreement type (defence_pact, security_guarantee, ...) for the agreement rows.",
    "honoured": "call_answer: true if the guarantor honoured the call, false if it abandoned it.",
    "winner": "fight: the side that prevailed; war_ended: the winner of the pair's last fight.",
    "value": "A number: the attacker's chance of prevailing p (fight, war_started by decision or inject), the "
    "demanded position (demand), the agreement's strength (agreement_formed), the term granted in turns "
    "(agreement_renewed), the GDP received in USD bn (spoils).",
    "clause": "The agreement clause a call invokes, when the call event names one.",
    "rung": "Rung of the escalation ladder for force and fights (grey_zone, show_of_force, blockade, "
    "limited_strike, war, nuclear_use); for war_started the rung that began the armed conflict.",
    "detail": "How or why: for war_started 'decision' (a player's force order), 'inject' (scripted) or "
    "'alliance' (an ally joining); for war_ended the rule that ended it, or 'no fighting' (an armed conflict "
    "begun by a limited strike with no strike in a later turn); for agreement_ended the cause; for demand the "
    "issue; for sanction 'imposed' or 'lifted'; for fight the reasons the engine gave for the failure to bargain; "
    "for intervention the state defended; for join the attacker joined.",
}
"""The data dictionary of the runs table: every column and what it holds."""

Z95 = 1.959964
"""Two-sided 95% normal quantile, for the Wilson interval of the war rate."""


# --------------------------------------------------------------------------- one game to rows


def _row(run: int, seed: int, turn: int, kind: str, **fields: Any) -> Row:
    row: Row = dict.fromkeys(COLUMNS, "")
    row.update(run=run, seed=seed, turn=turn, kind=kind)
    for name, value in fields.items():
        if value is None:
            continue
        row[name] = round(value, 6) if isinstance(value, float) else value
    return row


def _str(x: object) -> str | None:
    return x if isinstance(x, str) else None


def rows_of(log: Sequence[Event], run: int, seed: int) -> list[Row]:
    """The table's rows for one game's event log, in log order."""
    rows: list[Row] = []
    types: dict[str, str] = {}
    wars: set[str] = set()
    last_winner: dict[str, str] = {}
    opened: dict[str, tuple[str, str]] = {}
    """Call id -> (caller, agreement), from call_opened events (call ids are opaque)."""
    ended_explicitly = {
        (str(getattr(e, "agreement", "")), int(getattr(e, "turn", 0))) for e in log if str(e.type) == "agreement_ended"
    }
    turn = 0
    for e in log:
        turn = int(getattr(e, "turn", turn))
        kind: str = e.type
        if kind == "game_created":
            scenario = getattr(e, "scenario", {})
            types.update({ag["id"]: ag["type"] for ag in scenario.get("agreements", [])})
        elif kind == "agreement_concluded":
            p = e.proposal  # type: ignore[union-attr]
            types[e.id] = p.type  # type: ignore[union-attr]
            rows.append(
                _row(
                    run,
                    seed,
                    turn,
                    "agreement_formed",
                    actor=";".join(p.parties),
                    agreement=e.id,  # type: ignore[union-attr]
                    agreement_type=p.type,
                    value=float(p.strength),
                )
            )
        elif kind == "agreement_ended":
            ag = str(getattr(e, "agreement", ""))
            parties = getattr(e, "parties", [])
            rows.append(
                _row(
                    run,
                    seed,
                    turn,
                    "agreement_ended",
                    actor=";".join(parties),
                    agreement=ag,
                    agreement_type=types.get(ag),
                    detail=_str(getattr(e, "cause", None)),
                )
            )
        elif kind == "demand_opened":
            rows.append(
                _row(
                    run,
                    seed,
                    turn,
                    "demand",
                    actor=getattr(e, "actor", None),
                    target=getattr(e, "target", None),
                    value=float(getattr(e, "position", 0.0)),
                    detail=getattr(e, "issue", None),
                )
            )
        elif kind == "call_opened":
            ag = str(getattr(e, "agreement", ""))
            opened[str(getattr(e, "id", ""))] = (str(getattr(e, "caller", "")), ag)
            rows.append(
                _row(
                    run,
                    seed,
                    turn,
                    "call",
                    actor=getattr(e, "caller", None),
                    target=getattr(e, "adversary", None),
                    agreement=ag,
                    agreement_type=types.get(ag),
                    clause=_str(getattr(e, "clause", None)),
                    rung=_str(getattr(e, "rung", None)),
                )
            )
        elif kind in ("sanction_imposed", "sanction_lifted"):
            under = _str(getattr(e, "agreement", None))
            rows.append(
                _row(
                    run,
                    seed,
                    turn,
                    "sanction",
                    actor=_str(getattr(e, "actor", None)),
                    target=_str(getattr(e, "target", None)),
                    agreement=under,
                    agreement_type=types.get(under) if under else None,
                    detail=kind.removeprefix("sanction_"),
                )
            )
        elif kind == "nuclear_test":
            rows.append(_row(run, seed, turn, "nuclear_test", actor=_str(getattr(e, "actor", None))))
        elif kind == "orders_submitted":
            for f in e.orders.force:  # type: ignore[union-attr]
                rung = getattr(f, "rung", None) or f.level
                rows.append(_row(run, seed, turn, "force", actor=e.actor, target=f.target, rung=rung))  # type: ignore[union-attr]
        elif isinstance(e, Outcome):
            rows.extend(_outcome_rows(e, run, seed, types, wars, last_winner, ended_explicitly, opened))
    return rows


def _outcome_rows(
    e: Outcome,
    run: int,
    seed: int,
    types: dict[str, str],
    wars: set[str],
    last_winner: dict[str, str],
    ended_explicitly: set[tuple[str, int]],
    opened: dict[str, tuple[str, str]] | None = None,
) -> Iterator[Row]:
    rule, inputs = e.reason.rule, e.reason.inputs
    yield from _skirmish_rows(e, run, seed, wars, last_winner)
    if rule in PARTY_ACTS:
        ag = _str(inputs.get("agreement"))
        term = inputs.get("term")  # (a renewal's; a breach has none)
        yield _row(
            run,
            seed,
            e.turn,
            PARTY_ACTS[rule],
            actor=_str(inputs.get("by")),
            agreement=ag,
            agreement_type=types.get(ag) if ag else None,
            value=int(term) if isinstance(term, (int, float)) else None,
        )
    if rule == "nuclear.test":
        yield _row(run, seed, e.turn, "nuclear_test", actor=_str(inputs.get("actor")))
    if rule == "nuclear.threat":
        yield _row(
            run, seed, e.turn, "nuclear_threat", actor=_str(inputs.get("actor")), target=_str(inputs.get("target"))
        )
    if rule in ("crisis.war", "crisis.strike"):
        attacker, target, winner = _str(inputs.get("attacker")), _str(inputs.get("target")), _str(inputs.get("winner"))
        if attacker and target and winner:
            last_winner["|".join(sorted((attacker, target)))] = winner
        p = inputs.get("p")
        yield _row(
            run,
            seed,
            e.turn,
            "fight",
            actor=attacker,
            target=target,
            winner=winner,
            value=float(p) if isinstance(p, (int, float)) else None,
            rung=_str(inputs.get("rung")) or _str(inputs.get("level")),
            detail=_str(inputs.get("causes")),
        )
        for volunteer in filter(None, str(inputs.get("volunteers") or "").split(", ")):
            yield _row(run, seed, e.turn, "intervention", actor=volunteer, target=attacker, detail=target)
        for joiner in filter(None, str(inputs.get("joined") or "").split(", ")):
            yield _row(run, seed, e.turn, "join", actor=joiner, target=target, detail=attacker)
    if rule == "crisis.spoils":
        loser = _str(inputs.get("target"))
        for winner, gained in sorted(e.reason.terms.items()):
            yield _row(run, seed, e.turn, "spoils", actor=winner, target=loser, value=float(gained))
    joining = next((c.field.removeprefix("answer:") for c in e.changes if c.field.startswith("answer:")), None)
    if rule == "alliance.answer" and joining is not None:
        call = next(c for c in e.changes if c.field.startswith("answer:"))
        caller, agreement = (opened or {}).get(call.key) or _call_parts(call.key)
        yield _row(
            run,
            seed,
            e.turn,
            "call_answer",
            actor=joining,
            target=caller,
            agreement=agreement,
            agreement_type=types.get(agreement or ""),
            honoured="true" if call.value is True else "false",
        )
    for c in e.changes:
        lapsed = c.target == "agreement" and c.field == "active" and c.value is False
        if lapsed and (c.key, e.turn) not in ended_explicitly:
            yield _row(
                run,
                seed,
                e.turn,
                "agreement_ended",
                agreement=c.key,
                agreement_type=types.get(c.key),
                detail="expired" if rule == "agreement.duration" else rule,
            )
        if c.target != "pair" or c.field != "war":
            continue
        a, _, b = c.key.partition("|")
        if c.value is True and c.key in wars:
            wars.discard(STRIKE + c.key)  # a limited strike's armed conflict became a war: already counted
        elif c.value is True and c.key not in wars:
            wars.add(c.key)
            if rule.startswith("crisis."):
                actor, target = _str(inputs.get("attacker")) or a, _str(inputs.get("target")) or b
                how = _str(inputs.get("source")) or "decision"
                p = inputs.get("p")
                yield _row(
                    run,
                    seed,
                    e.turn,
                    "war_started",
                    actor=actor,
                    target=target,
                    value=float(p) if isinstance(p, (int, float)) else None,
                    rung=_str(inputs.get("rung")) or _str(inputs.get("level")),
                    detail=how,
                )
            else:
                actor = joining or a
                yield _row(
                    run, seed, e.turn, "war_started", actor=actor, target=b if actor == a else a, detail="alliance"
                )
        elif c.value is False and c.key in wars:
            wars.discard(c.key)
            yield _row(run, seed, e.turn, "war_ended", actor=a, target=b, winner=last_winner.get(c.key), detail=rule)


PARTY_ACTS = {"agreement.breach": "breach", "agreement.renewed": "agreement_renewed"}
"""Outcomes in which one party acts on an agreement (`by` in its inputs), and their row kinds."""

STRIKE = "strike:"
"""Prefix of a pair in the `wars` set whose armed conflict began with a limited strike (no war flag)."""


def _skirmish_rows(e: Outcome, run: int, seed: int, wars: set[str], last_winner: dict[str, str]) -> Iterator[Row]:
    """An armed conflict begun by a limited strike starts with the first strike between a pair not at war
    (war_started, rung limited_strike) and ends in the first later turn without a strike or war between
    them (war_ended, detail 'no fighting'); it is counted once if it grows into a war."""
    rule, inputs = e.reason.rule, e.reason.inputs
    if rule == "crisis.strike":
        a, b = _str(inputs.get("attacker")), _str(inputs.get("target"))
        if a is None or b is None:
            return
        key = "|".join(sorted((a, b)))
        if key not in wars:
            wars.update({key, STRIKE + key})
            p = inputs.get("p")
            yield _row(
                run,
                seed,
                e.turn,
                "war_started",
                actor=a,
                target=b,
                value=float(p) if isinstance(p, (int, float)) else None,
                rung="limited_strike",
                detail=_str(inputs.get("source")) or "decision",
            )
        last_winner[STRIKE + key] = str(e.turn)
    elif rule == "system.structure":
        for marker in sorted(w for w in wars if w.startswith(STRIKE)):
            key = marker.removeprefix(STRIKE)
            if int(last_winner.get(marker, e.turn)) < e.turn:
                wars.difference_update({key, marker})
                a, _, b = key.partition("|")
                yield _row(
                    run, seed, e.turn, "war_ended", actor=a, target=b, winner=last_winner.get(key), detail="no fighting"
                )


def _call_parts(call_id: str) -> tuple[str | None, str | None]:
    """(caller, agreement) from a call id 'call-<turn>-<agreement>-<caller>-<adversary>'."""
    parts = call_id.split("-")
    if len(parts) < 5:
        return None, None
    return parts[-2], "-".join(parts[2:-2])


# --------------------------------------------------------------------------- many games


GameRows = Callable[[Sequence[Event], State, int, int], list[Row]]
"""What a run contributes to the table, from its log and final state (a module-level function, so
worker processes can receive it): `event_rows` by default, one row per run for the debrief's
distribution."""


def event_rows(log: Sequence[Event], final: State, run: int, seed: int) -> list[Row]:
    return rows_of(log, run, seed)


def play_rows(scenario: Scenario, run: int, seed: int, turns: int | None, per_game: GameRows = event_rows) -> list[Row]:
    """Play one bot game and return its rows (the unit of work of a worker process)."""
    from crisisgame.simulate import play

    game = play(scenario, seed, turns)
    return per_game(game.log, game.state, run, seed)


def _play_job(job: tuple[Scenario, int, int, int | None, GameRows]) -> tuple[int, list[Row]]:
    scenario, run, seed, turns, per_game = job
    return run, play_rows(scenario, run, seed, turns, per_game)


@dataclass
class Progress:
    """A progress bar on a text stream, without dependencies: '[#####.....] 50/100 runs'."""

    total: int
    out: IO[str] | None
    width: int = 30
    done: int = 0
    on_step: Callable[[int, int], None] | None = None
    """Also told (done, total) after every run: the server's progress messages."""

    def step(self) -> None:
        self.done += 1
        if self.on_step is not None:
            self.on_step(self.done, self.total)
        if self.out is None:
            return
        filled = self.width * self.done // self.total if self.total else self.width
        end = "\n" if self.done >= self.total else ""
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\r[{bar}] {self.done}/{self.total} runs{end}")
        self.out.flush()


def run_many(
    scenario: Scenario,
    runs: int,
    seed: int = 0,
    jobs: int = 1,
    turns: int | None = None,
    progress: IO[str] | None = None,
    per_game: GameRows = event_rows,
    on_step: Callable[[int, int], None] | None = None,
) -> list[Row]:
    """Rows of `runs` games (seeds `seed`, `seed + 1`, ...), in run order, played by `jobs` processes;
    `per_game` turns each game into rows, `on_step` hears (done, total) after each run."""
    if runs < 1:
        raise ValueError(f"--runs must be at least 1, not {runs}")
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, not {jobs}")
    bar = Progress(runs, progress, on_step=on_step)
    results: dict[int, list[Row]] = {}
    work = [(scenario, i, seed + i, turns, per_game) for i in range(runs)]
    if jobs == 1:
        for job in work:
            run, rows = _play_job(job)
            results[run] = rows
            bar.step()
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, runs)) as pool:
            for future in as_completed([pool.submit(_play_job, job) for job in work]):
                run, rows = future.result()
                results[run] = rows
                bar.step()
    return [row for i in range(runs) for row in results[i]]


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def write_csv(rows: Iterable[Row], out: IO[str]) -> None:
    table = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    table.writeheader()
    table.writerows(rows)


def csv_text(rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the printed summary


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (better than p +- z*se near 0 and 1)."""
    if n <= 0:
        raise ValueError("a proportion needs at least one observation")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if k == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if k == n else max(p, min(1.0, centre + half))
    return low, high


def war_runs(rows: Iterable[Row], how: Callable[[str], bool] = lambda _: True) -> set[int]:
    """Runs in which at least one war started (in a way `how` accepts, given the row's detail)."""
    return {int(r["run"]) for r in rows if r["kind"] == "war_started" and how(str(r["detail"]))}


def summarise(rows: Sequence[Row], runs: int, top: int = 5) -> list[str]:
    """A few lines for the room: war rates with 95% intervals, honour rates, frequent alignments."""
    lines = []
    for label, how in (
        ("war (any start)", lambda _: True),
        ("war begun by decision", lambda d: d == "decision"),
    ):
        k = len(war_runs(rows, how))
        low, high = wilson(k, runs)
        lines.append(f"{label}: {k}/{runs} runs = {k / runs:.1%} (95% CI {low:.1%} to {high:.1%})")
    clashes = {int(r["run"]) for r in rows if r["kind"] == "force" and r["rung"] in ("limited_strike", "war")}
    low, high = wilson(len(clashes), runs)
    lines.append(
        f"armed clash ordered (limited strike or war): {len(clashes)}/{runs} runs = {len(clashes) / runs:.1%} "
        f"(95% CI {low:.1%} to {high:.1%})"
    )
    answers: dict[str, list[bool]] = {}
    for r in rows:
        if r["kind"] == "call_answer":
            answers.setdefault(str(r["agreement_type"]) or "unknown", []).append(r["honoured"] == "true")
    if answers:
        total = [x for xs in answers.values() for x in xs]
        parts = [f"{t} {sum(xs)}/{len(xs)} = {sum(xs) / len(xs):.0%}" for t, xs in sorted(answers.items())]
        lines.append(f"calls honoured: {sum(total) / len(total):.0%} of {len(total)} ({'; '.join(parts)})")
    else:
        lines.append("calls honoured: no alliance call was made in any run")
    formed = Counter(
        name
        for _, name in {
            (r["run"], f"{r['agreement_type']} {'+'.join(sorted(r['actor'].split(';')))}")  # parties, in any order
            for r in rows
            if r["kind"] == "agreement_formed"
        }
    )
    if formed:
        common = ", ".join(
            f"{name} ({n} runs)" for name, n in sorted(formed.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        )
        lines.append(f"most frequent alignments: {common}")
    else:
        lines.append("most frequent alignments: no agreement was formed in any run")
    return lines
