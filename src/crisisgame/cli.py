"""`crisisgame`: the command line for facilitators, authors and researchers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from crisisgame.scenario.catalogue import find, shipped
from crisisgame.scenario.loader import ScenarioInvalid, diagnose_file, load_scenario
from crisisgame.scenario.model import Scenario
from crisisgame.scenario.schema import scenario_schema_text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _validate(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.paths:
        diagnosis = diagnose_file(name)
        errors, warnings = diagnosis.errors, diagnosis.warnings
        for problem in [*errors, *warnings]:
            print(problem, file=sys.stderr)
        scenario = diagnosis.scenario
        if diagnosis.failed(strict=args.strict):
            failed += 1
            counted = [_count(len(errors), "error")] if errors else []
            if warnings:
                counted.append(_count(len(warnings), "warning") + (" (refused under --strict)" if args.strict else ""))
            print(f"{name}: {', '.join(counted)}", file=sys.stderr)
        elif scenario is not None:
            playable = sum(a.playable for a in scenario.actors)
            noted = f", {_count(len(warnings), 'warning')}" if warnings else ""
            print(f"{name}: ok ({scenario.meta.title}: {len(scenario.actors)} actors, {playable} playable{noted})")
    return 1 if failed else 0


def _schema(args: argparse.Namespace) -> int:
    text = scenario_schema_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _protocol_schema(args: argparse.Namespace) -> int:
    from crisisgame.server.asyncapi import document_text

    text = document_text(args.format)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _scenarios(args: argparse.Namespace) -> int:
    try:
        entries = shipped()
    except ScenarioInvalid as exc:
        print(f"a shipped scenario is invalid:\n{exc}", file=sys.stderr)
        return 1
    for entry in entries:
        print(entry.line)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from crisisgame.engine.events import event_to_json
    from crisisgame.simulate import final_summary, play, turn_summary

    if args.turns is not None and args.turns < 1:
        print(f"crisisgame: --turns must be at least 1, not {args.turns}", file=sys.stderr)
        return 2
    try:
        scenario = load_scenario(find(args.scenario))
    except (FileNotFoundError, ScenarioInvalid) as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.turns is not None and args.turns > scenario.turns.count:
        print(
            f"crisisgame: --turns {args.turns} is more than the scenario's {scenario.turns.count} turns "
            "(raise turns.count in the file to play more)",
            file=sys.stderr,
        )
        return 2
    if args.runs is not None or args.summary is not None:
        return _simulate_runs(args, scenario)
    game = play(scenario, args.seed, args.turns, on_turn=lambda g: print(turn_summary(g)))
    for line in final_summary(game):
        print(line)
    if args.out:
        with Path(args.out).open("w", encoding="utf-8") as out:
            for event in game.log:
                out.write(event_to_json(event) + "\n")
        print(f"wrote {args.out}")
    return 0


def _simulate_runs(args: argparse.Namespace, scenario: Scenario) -> int:
    """`simulate --runs N`: N seeded bot games, one tidy table, a short summary."""
    from crisisgame import experiments

    if args.out:
        print("crisisgame: --out writes one game's log; with --runs use --summary FILE.csv", file=sys.stderr)
        return 2
    runs = args.runs if args.runs is not None else 1
    jobs = args.jobs if args.jobs is not None else experiments.default_jobs()
    try:
        rows = experiments.run_many(scenario, runs, args.seed, jobs, args.turns, progress=sys.stderr)
    except ValueError as exc:
        print(f"crisisgame: {exc}", file=sys.stderr)
        return 2
    for line in experiments.summarise(rows, runs):
        print(line)
    if args.summary:
        with Path(args.summary).open("w", encoding="utf-8", newline="") as out:
            experiments.write_csv(rows, out)
        print(f"wrote {args.summary} ({len(rows)} rows from {runs} runs)")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import errno
    import logging
    import signal

    from crisisgame.server.app import GameServer, Limits
    from crisisgame.server.guard import Quotas
    from crisisgame.store.base import StoreError
    from crisisgame.store.sqlite import SqliteStore

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.rate_limit > 0:  # (NaN too)
        print("crisisgame: --rate-limit must be a number above 0", file=sys.stderr)
        return 2
    try:
        store = SqliteStore(args.db, sync=args.sync)
    except StoreError as exc:
        print(f"crisisgame: {exc}", file=sys.stderr)
        return 2
    try:
        store.claim()
    except StoreError as exc:
        store.close()
        print(f"crisisgame: {exc}", file=sys.stderr)
        return 2
    client = Path(args.client) if args.client else Path(__file__).resolve().parents[2] / "client"
    origins = [o.strip() for o in args.origins.split(",") if o.strip()] if args.origins else None
    scenarios = Path(args.scenarios) if args.scenarios else Path(args.db).resolve().parent / "scenarios"
    limits = Limits(origins=origins, connections=args.max_connections, rate=args.rate_limit, burst=3 * args.rate_limit)
    server = GameServer(store, client if client.is_dir() else None, limits, scenarios=scenarios)
    if args.no_quotas:
        server.quotas = Quotas.off()

    def ready(port: int) -> None:
        print(f"crisisgame is running: http://{args.host}:{port}/", flush=True)
        print(f"facilitator console: http://{args.host}:{port}/#facilitator={server.facilitator_token}", flush=True)
        print(f"websocket endpoint: ws://{args.host}:{port}/ws   database: {args.db}", flush=True)
        print(f"uploaded scenarios are kept in {scenarios}", flush=True)

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        try:
            await server.serve(args.host, args.port, ready)
        except asyncio.CancelledError:
            logging.getLogger("crisisgame.server").info("shut down cleanly")

    try:
        asyncio.run(main())
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"crisisgame: port {args.port} is in use on {args.host}; choose another with --port", file=sys.stderr)
        else:
            print(f"crisisgame: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crisisgame", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check scenario files and report every error with line and column")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse files with plausibility warnings too (figures out of the range of the real world)",
    )
    p.set_defaults(run=_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of a scenario (for editor autocomplete)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=_schema)

    p = sub.add_parser(
        "protocol-schema", help="print the websocket protocol as JSON Schema or as an AsyncAPI 3 document"
    )
    p.add_argument(
        "--format",
        choices=["json-schema", "asyncapi"],
        default="json-schema",
        help="json-schema: messages, commands and events (default); asyncapi: the /ws channel",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(run=_protocol_schema)

    p = sub.add_parser("scenarios", help="list the shipped scenarios")
    p.set_defaults(run=_scenarios)

    p = sub.add_parser("serve", help="run the game server (websockets, browser client, SQLite event log)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--db", default="crisisgame.db", help="SQLite database file (default crisisgame.db)")
    p.add_argument(
        "--sync",
        choices=["normal", "full"],
        default="normal",
        help="'normal' keeps acknowledged events through a crash of the server; 'full' also through power loss "
        "(slower: a disk flush per commit, which groups the commands that arrive together)",
    )
    p.add_argument("--client", help="folder of the browser client (default: client/ of the checkout)")
    p.add_argument(
        "--origins",
        help="comma-separated Origins allowed to open the websocket besides the server's own pages "
        "(e.g. https://class.example.edu when a proxy serves it under that name)",
    )
    p.add_argument(
        "--scenarios",
        metavar="DIR",
        help="folder of the scenarios facilitators upload (default: scenarios/ beside the database)",
    )
    p.add_argument(
        "--max-connections",
        type=int,
        default=4000,
        metavar="N",
        help="websocket connections the server holds at most, from all addresses (default 4000)",
    )
    p.add_argument(
        "--rate-limit",
        type=float,
        default=20.0,
        metavar="N",
        help="messages per second one connection may send on average, bursts of three times as many "
        "(default 20; raised for load benchmarks only)",
    )
    p.add_argument(
        "--no-quotas",
        action="store_true",
        help="lift the per-student and per-team quotas (for load benchmarks; never for a class)",
    )
    p.set_defaults(run=_serve)

    p = sub.add_parser("simulate", help="play a whole game with bots in every seat and write the event log")
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or the id of a shipped scenario")
    p.add_argument("--turns", type=int, metavar="N", help="stop after N turns (default: the scenario's)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the game's random seed (default 0)")
    p.add_argument("--out", metavar="LOG.jsonl", help="write the event log as JSON lines")
    p.add_argument(
        "--runs", type=int, metavar="N", help="play N games (seeds S, S+1, ...) and summarise them (see --summary)"
    )
    p.add_argument("--jobs", type=int, metavar="J", help="processes playing the runs (default: one per CPU)")
    p.add_argument(
        "--summary",
        metavar="FILE.csv",
        help="write one table of every run's wars, fights, calls, agreements, demands, sanctions and nuclear tests",
    )
    p.set_defaults(run=_simulate)

    from crisisgame.debrief.commands import add_commands

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from crisisgame.debrief.commands import ERRORS

    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except ERRORS as exc:
        print(f"crisisgame: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
