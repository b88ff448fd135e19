"""Exports for research (CSV or JSON lines, with a data dictionary) and import of a game's log."""

from __future__ import annotations

import csv
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crisisgame.debrief.history import History, write_log
from crisisgame.debrief.tables import DICTIONARY, Row, log_id, tables
from crisisgame.engine.apply import fold
from crisisgame.engine.events import Event, event_to_json
from crisisgame.store.base import EventStore, Member


@dataclass(frozen=True)
class GameData:
    """One game to export: its id, its history, and the students who held its seats (from the database)."""

    game_id: str
    history: History
    members: Sequence[Member] = ()
    receipts: Sequence[tuple[int, str]] = ()
    """The store's command receipts (seq, member): who sent each message and orders."""


def export(h: History, out: str | Path, fmt: str, game_id: str = "") -> list[Path]:
    """Write one game's tables as `fmt` ('csv' or 'jsonl') into `out`, with its log and the data dictionary."""
    return export_games([GameData(game_id or log_id(h.log), h)], out, fmt)


def export_games(games: Sequence[GameData], out: str | Path, fmt: str) -> list[Path]:
    """Write the pooled tables of several games (one file per table), their logs and the data dictionary.

    A single game's log is written as log.jsonl; several games' logs as logs/<game_id>.jsonl.
    """
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown format '{fmt}': use csv or jsonl")
    if not games:
        raise ValueError("no games to export")
    ids = [g.game_id for g in games]
    if len(set(ids)) != len(ids):
        raise ValueError(f"a game is named twice: {', '.join(sorted({i for i in ids if ids.count(i) > 1}))}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    pooled: dict[str, list[Row]] = {name: [] for name in DICTIONARY}
    for g in games:
        for name, rows in tables(g.history, g.game_id, g.members, g.receipts).items():
            pooled[name].extend(rows)
    written: list[Path] = []
    for name, rows in pooled.items():
        columns = list(DICTIONARY[name])
        path = folder / f"{name}.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as f:
            if fmt == "csv":
                table = csv.DictWriter(f, fieldnames=columns)
                table.writeheader()
                table.writerows(rows)
            else:
                for row in rows:
                    f.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n")
        written.append(path)
    if len(games) == 1:
        log = folder / "log.jsonl"
        write_log(games[0].history.log, log)
        written.append(log)
    else:
        (folder / "logs").mkdir(exist_ok=True)
        for g in games:
            log = folder / "logs" / f"{g.game_id}.jsonl"
            write_log(g.history.log, log)
            written.append(log)
    dictionary = folder / "data_dictionary.csv"
    with dictionary.open("w", encoding="utf-8", newline="") as f:
        lines = csv.writer(f)
        lines.writerow(["table", "column", "description"])
        for name, described in DICTIONARY.items():
            for column, description in described.items():
                lines.writerow([name, column, description])
    written.append(dictionary)
    return written


def dictionary_markdown() -> str:
    """The data dictionary as the Markdown page docs/data_dictionary.md."""
    parts = [
        "# Data dictionary",
        "",
        "`crisisgame export GAME... | --all --format csv|jsonl --out DIR` writes one file per table below (the",
        "rows of every game exported, pooled), each game's event log, and this dictionary as",
        "`data_dictionary.csv`. Every table starts with the same four columns (game, scenario, seed and",
        "whether the row's actor was played by students), so the pooled files load as they are. This page",
        "is generated from `crisisgame.debrief.tables`; a test keeps it in step. The table of many bot",
        "games that `crisisgame simulate --runs` writes is described in [runs_table.md](runs_table.md).",
        "",
    ]
    for name, described in DICTIONARY.items():
        parts += [f"## {name}", "", "| column | meaning |", "| --- | --- |"]
        parts += [f"| `{column}` | {text} |" for column, text in described.items()]
        parts.append("")
    return "\n".join(parts)


class AlreadyStored(ValueError):
    """The log is already in the database: importing it again would make a duplicate game."""


def import_log(store: EventStore, events: list[Event], now: float, title: str | None = None) -> str:
    """Store a game's log (from another machine, or a fork) as a new game; its id. A log already stored
    is refused. `title` names it in the games list (default: the scenario's title)."""
    state = fold(events)  # refuse a log that does not fold before writing anything
    wanted = [event_to_json(e) for e in events]
    for g in store.games():
        if g.seq != len(events):  # cheap test first: a stored copy has as many events
            continue
        if [event_to_json(e) for _, e in store.events(g.id)] == wanted:
            raise AlreadyStored(
                f"this log is already stored as game {g.id}; nothing was imported "
                f"(use `crisisgame debrief {g.id}` or `crisisgame export {g.id}`)"
            )
    game_id = secrets.token_hex(4)
    store.create_game(game_id, state.scenario.id, title or state.scenario.meta.title, now)
    store.append(game_id, 0, events, state.phase)
    return game_id
