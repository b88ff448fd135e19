"""The debrief's commands: games, replay, debrief, export, import and fork."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from crisisgame.debrief.against import check_runs, distribution_section
from crisisgame.debrief.compare import compare
from crisisgame.debrief.export import GameData, export_games, import_log
from crisisgame.debrief.fork import ForkError, fork, fork_title, read_orders, reopen
from crisisgame.debrief.history import history, load_game, read_log, write_log
from crisisgame.debrief.replay import replay_text
from crisisgame.debrief.report import report_html
from crisisgame.debrief.summary import summarise
from crisisgame.debrief.summary_html import summary_html
from crisisgame.debrief.tables import DICTIONARY, log_id
from crisisgame.engine.apply import CorruptLog, fold
from crisisgame.engine.commands import Orders
from crisisgame.experiments import default_jobs
from crisisgame.store.base import StoreError
from crisisgame.store.codes import new_code
from crisisgame.store.sqlite import SqliteStore


def _store(args: argparse.Namespace, must_exist: bool = True) -> SqliteStore | None:
    path = Path(args.db)
    if must_exist and not path.exists():
        return None
    return SqliteStore(path)


def _fail(message: str) -> int:
    print(f"crisisgame: {message}", file=sys.stderr)
    return 1


def _games(args: argparse.Namespace) -> int:
    store = _store(args)
    if store is None:
        return _fail(f"no database at {args.db} (run `crisisgame serve` or give --db)")
    games = store.games()
    if not games:
        print("no games stored")
    for g in games:
        created = datetime.fromtimestamp(g.created, UTC).strftime("%Y-%m-%d %H:%M")
        print(f"{g.id}  {created}  {g.phase:<9} {g.seq:>6} events  {g.scenario}: {g.title}")
    return 0


def _replay(args: argparse.Namespace) -> int:
    h = history(load_game(args.game, _store(args)))
    for line in replay_text(h, args.turn, reasons=not args.no_reasons, verbose=args.verbose):
        print(line)
    return 0


def _debrief(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.compare:
        a, b = args.compare
        lines = compare(history(load_game(a, store)), history(load_game(b, store)), a, b)
        text = "\n".join(lines) + "\n"
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(text)
        return 0
    if not args.game or not args.out:
        return _fail("debrief needs GAME and --out report.html (or --compare GAME_A GAME_B)")
    if args.full and args.student:
        return _fail("choose --full (the complete record, facilitator only) or --student, not both")
    if args.runs is not None and args.full:
        return _fail("--runs adds the distribution to the summary; the full record (--full) has none")
    if args.runs is not None:
        check_runs(args.runs)
    started = time.perf_counter()
    h = history(load_game(args.game, store))
    out = Path(args.out)
    section = None
    if args.runs is not None:
        print(f"playing {args.runs} bot games from the same start ({args.jobs} processes)", file=sys.stderr)
        section = distribution_section(h, args.runs, args.jobs, progress=sys.stderr)
    if args.full:
        pages = {out: report_html(h)}
    elif args.student:
        pages = {out: summary_html(summarise(h, "student"), distribution=section)}
    else:
        full = out.with_name(f"{out.stem}.full{out.suffix or '.html'}")
        pages = {out: summary_html(summarise(h, "facilitator"), full.name, section), full: report_html(h)}
    for path, html in pages.items():
        path.write_text(html, encoding="utf-8")
    elapsed = time.perf_counter() - started
    print(
        "wrote "
        + " and ".join(f"{p} ({len(html) / 1024:.0f} KiB)" for p, html in pages.items())
        + f" in {elapsed:.2f} s"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.all == bool(args.games):
        return _fail("export needs one or more GAMEs, or --all (every game in the database), not both")
    if args.all:
        if store is None:
            return _fail(f"no database at {args.db} (give --db)")
        names = [g.id for g in store.games()]
        if not names:
            return _fail(f"no games stored in {args.db}")
    else:
        names = args.games
    games = []
    for name in names:
        log = load_game(name, store)
        stored = store is not None and not Path(name).is_file()
        game_id = name if stored else log_id(log)
        members = store.members(name) if stored and store is not None else []
        receipts = store.receipts(name) if stored and store is not None else []
        games.append(GameData(game_id, history(log), members, receipts))
    export_games(games, args.out, args.format)
    print(f"wrote {len(DICTIONARY)} tables of {len(games)} game(s), their logs and the data dictionary to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    store = _store(args, must_exist=False)
    assert store is not None
    game_id = import_log(store, read_log(args.log), time.time())
    print(f"imported {args.log} as game {game_id}")
    return 0


SERVER_FRESH_S = 10.0
"""A server whose heartbeat in the database is younger than this is taken to be running."""


def _server_running(store: SqliteStore) -> float | None:
    """Seconds since the heartbeat of a server that is running on this database, or None."""
    from crisisgame.server.app import ALIVE_SETTING

    last = store.setting(ALIVE_SETTING)
    if last is None:
        return None
    age = time.time() - float(last)
    return age if age < SERVER_FRESH_S else None


def _fork_through_server(args: argparse.Namespace, store: SqliteStore | None) -> int:
    """`fork --reopen --server URL`: the running server makes the fork a live game."""
    import json

    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    if args.replace:
        return _fail("--replace works with the server stopped; through --server the teams give their new orders")
    token = args.token or (store.setting("facilitator_token") if store is not None else None)
    if not token:
        return _fail("give --token (printed by `crisisgame serve`), or --db of the server's database")
    try:
        with connect(args.server, open_timeout=10, max_size=None) as ws:
            ws.send(json.dumps({"type": "facilitate", "token": token}))
            request = {"type": "fork", "id": "cli-fork", "game": args.game, "turn": args.at_turn, "reason": args.reason}
            answer: dict[str, object] = {}
            sent = False
            while answer.get("id") != "cli-fork":
                answer = json.loads(ws.recv(timeout=30))
                if answer.get("type") == "error" and answer.get("id") is None:
                    return _fail(f"the server refused: {answer.get('message')}")
                if answer.get("type") == "welcome" and not sent:
                    ws.send(json.dumps(request))
                    sent = True
    except (OSError, TimeoutError, WebSocketException) as exc:
        return _fail(f"cannot reach the server at {args.server}: {exc}")
    if answer.get("type") == "error":
        return _fail(f"the server refused the fork: {answer.get('message')}")
    data = answer["data"]
    assert isinstance(data, dict)
    print(f"forked game {data['game']} is live in the server: {data['title']}")
    print("join codes: " + ", ".join(f"{k} {v}" for k, v in data["codes"].items()))
    return 0


def _fork(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.reopen and not args.reason:
        return _fail("--reopen needs --reason TEXT (why the game is forked; shown with the fork)")
    if args.server and not args.reopen:
        return _fail("--server goes with --reopen (a fork the teams play on in the running server)")
    if args.server:
        return _fork_through_server(args, store)
    original = load_game(args.game, store)
    replacements: dict[str, Orders] = {}
    for item in args.replace or []:
        actor, sep, path = item.partition("=")
        if not sep or not actor or not path:
            return _fail(f"--replace takes ACTOR=orders.yaml, not '{item}'")
        replacements[actor] = read_orders(path)
    if args.reopen:
        target = store or SqliteStore(args.db)
        running = _server_running(target)
        if running is not None:
            return _fail(
                f"a server is running on {args.db} (its heartbeat is {running:.0f} s old): fork through it with "
                "--server ws://HOST:PORT/ws, or stop it first"
            )
        title = fork_title(fold(original[:1]).scenario.meta.title, args.game, args.at_turn, args.reason)
        # No server keeps time: the fork waits paused with the whole orders phase to play.
        log = reopen(original, args.at_turn, replacements, time.time(), paused=True)
        if args.out:
            write_log(log, args.out)
            print(f"wrote {args.out}")
        game_id = import_log(target, log, time.time(), title=title)
        teams = sorted(fold(log).teams)
        codes = {seat: new_code() for seat in [*teams, "observer"]}
        target.set_codes(game_id, codes)
        print(f"forked game stored as {game_id}: {title}")
        print(f"turn {args.at_turn}'s orders phase waits, paused, with its full length; resume it from the console")
        print("join codes: " + ", ".join(f"{k} {v}" for k, v in codes.items()))
        return 0
    log = fork(original, args.at_turn, replacements)
    if args.out:
        write_log(log, args.out)
        print(f"wrote {args.out}")
    if store is not None or not args.out:
        target = store or SqliteStore(args.db)
        game_id = import_log(target, log, time.time())
        print(f"forked game stored as {game_id}")
    for line in compare(history(original), history(log), "original", "fork"):
        print(line)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default="crisisgame.db", help="SQLite database (default crisisgame.db)")

    p = sub.add_parser("games", help="list the games stored in the database")
    db(p)
    p.set_defaults(run=_games)

    p = sub.add_parser("replay", help="step through a game in the terminal, turn by turn (--verbose: every reason)")
    p.add_argument("game", metavar="GAME", help="a game id in the database, or an event log (.jsonl)")
    p.add_argument("--turn", type=int, help="only this turn")
    p.add_argument(
        "--verbose", action="store_true", help="every message, order and adjudication reason (default: the news)"
    )
    p.add_argument("--no-reasons", action="store_true", help="with --verbose, leave out the adjudication reasons")
    db(p)
    p.set_defaults(run=_replay)

    p = sub.add_parser(
        "debrief",
        help="write the two-page debrief summary (HTML) and the full record beside it, or compare two games",
    )
    p.add_argument("game", metavar="GAME", nargs="?", help="a game id in the database, or an event log (.jsonl)")
    p.add_argument(
        "--out", metavar="FILE", help="where to write the summary (the full record goes to FILE's stem + .full.html)"
    )
    p.add_argument("--full", action="store_true", help="write only the complete record (facilitator only) to FILE")
    p.add_argument("--student", action="store_true", help="write the student edition: no secrets, no private messages")
    p.add_argument("--compare", nargs=2, metavar=("GAME_A", "GAME_B"), help="what diverged between two games, and why")
    p.add_argument(
        "--runs",
        type=int,
        metavar="N",
        help="play N bot games from the same start and show where the class falls among them (the centrepiece)",
    )
    p.add_argument(
        "--jobs", type=int, default=default_jobs(), metavar="J", help="processes for --runs (default: one per core)"
    )
    db(p)
    p.set_defaults(run=_debrief)

    p = sub.add_parser(
        "export", help="tidy tables of one or more games, pooled, for pandas or R, with a data dictionary"
    )
    p.add_argument("games", metavar="GAME", nargs="*", help="game ids in the database, or event logs (.jsonl)")
    p.add_argument("--all", action="store_true", help="every game in the database")
    p.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    p.add_argument("--out", metavar="DIR", required=True)
    db(p)
    p.set_defaults(run=_export)

    p = sub.add_parser("import", help="store a game's event log (.jsonl) from another machine")
    p.add_argument("log", metavar="LOG.jsonl")
    db(p)
    p.set_defaults(run=_import)

    p = sub.add_parser("fork", help="replay a game to turn N with some orders replaced, then play on")
    p.add_argument("game", metavar="GAME")
    p.add_argument("--at-turn", type=int, required=True, metavar="N")
    p.add_argument("--replace", action="append", metavar="ACTOR=orders.yaml", help="orders to use instead (repeat)")
    p.add_argument(
        "--reopen",
        action="store_true",
        help="a live game for the teams: turn N's orders phase again with a fresh clock and new join codes "
        "(stored paused in --db, or live in a running server with --server)",
    )
    p.add_argument("--reason", metavar="TEXT", help="with --reopen: why the game is forked (shown with the fork)")
    p.add_argument("--server", metavar="URL", help="with --reopen: fork in the running server (ws://HOST:PORT/ws)")
    p.add_argument(
        "--token",
        help="with --server: the facilitator token (default: read from --db; an older token that begins "
        "with '-' is written --token=VALUE)",
    )
    p.add_argument("--out", metavar="LOG.jsonl", help="also write the forked log")
    db(p)
    p.set_defaults(run=_fork)


ERRORS = (FileNotFoundError, ValueError, ForkError, CorruptLog, StoreError)
"""What these commands report as a clear error rather than a traceback."""
