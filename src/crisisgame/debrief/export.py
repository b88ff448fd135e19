"""Exports for research (CSV or JSON lines, with a data dictionary) and import of a game's log."""

from __future__ import annotations

import csv
import json
import secrets
from pathlib import Path

from crisisgame.debrief.history import History, write_log
from crisisgame.debrief.tables import DICTIONARY, tables
from crisisgame.engine.apply import fold
from crisisgame.engine.events import Event
from crisisgame.store.base import EventStore


def export(h: History, out: str | Path, fmt: str) -> list[Path]:
    """Write every table as `fmt` ('csv' or 'jsonl') into `out`, with the log and the data dictionary."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown format '{fmt}': use csv or jsonl")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, rows in tables(h).items():
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
    log = folder / "log.jsonl"
    write_log(h.log, log)
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


def import_log(store: EventStore, events: list[Event], now: float) -> str:
    """Store a game's log (from another machine) as a new game; its id."""
    state = fold(events)  # refuse a log that does not fold before writing anything
    game_id = secrets.token_hex(4)
    store.create_game(game_id, state.scenario.id, state.scenario.meta.title, now)
    store.append(game_id, 0, events, state.phase)
    return game_id
