"""A phase change late in a long game, in front of a class: how long until every screen has it, and
how long the server stops answering meanwhile.

A phase change sends every seat a fresh view (the whole picture, with the newest history), the
heaviest moment of a session. The game is the Baltic scenario played by bots to the diplomacy of
turn 8 (about 3,500 events; views of about 0.1 MB, 0.8-1.9 MB before they were bounded), stored in
a fresh SQLite file as a paused game with every playable actor a team, and served by `crisisgame
serve`. A class signs in (`--students` over the 8 teams, two plenary screens and the facilitator);
then the facilitator
resumes the clock and ends the phase, one after the other, while a probe connection pings the
server every 10 ms. Printed: the time to sign the class in, and for each phase change the time from
the command to the last client's view, the views' sizes, and the longest the probe waited for a pong.

Targets (issue 14): no event-loop step over 20 ms CPU; the last screen of a 43-client game has the new
phase within 0.2 s.

Under load (`--under-load`): what a phase change does to the other games on the server. One server
holds `--games` background games (default 19 of taiwan_strait, 7 to 20 clients each, one a plenary
screen) and `--synchronised K` phase-changing games (default 1; K > 1: every one changes phase at the
same instant, the synchronised timers of K classes), each a turn-8 Baltic with the class above. The
background games send public messages open loop, `--rate` per second per game (their students take
turns: the press shape of `bench_server_load.py`, whose clients this reuses), throughout. Windows of
`--window` seconds alternate: a quiet one (the baseline), then one in which every phase-changing
game's facilitator ends the phase (diplomacy -> orders -> results, the adjudication -> rollback to
the briefing -> diplomacy, and round again), `--changes` times. Printed, per window and for all quiet
and all phase-change windows together: the background games' command→broadcast latency (p50, p99,
max, the worst game's p99; every client of the game measures it) and lost deliveries, by the window
the message was sent in, and the longest event-loop step (CPU ms); for each phase change, the time to
the last screen of the phase-changing games, the facilitators' acks and the views' sizes; then
`--joins` students join a turn-1 game and a turn-8 one nobody has opened, under the same load, to
compare. Target: the background games' p99 <= 100 ms over the phase-change windows. The longest event-loop
steps are listed with what each ran (a task's coroutine and the lines between which it ran, and the
garbage collector's share: `loop_steps.py`); `--steps FILE` keeps the whole step log. The phase-changing
games' clients run in one process, or in `--class-workers N` (the games dealt round-robin), to tell
whether the clients bound the last-screen time. The figures are
provisional on a shared machine: the last line says how many cores other processes used meanwhile
(`--quiet-wait N` waits up to N seconds for an idle machine first). `--quick` runs a short version
(4 background games, 2 phase changes, under a minute) that exercises every part.

Usage: .venv/bin/python benchmarks/bench_phase_change.py [--students 40] [--turn 8]
       .venv/bin/python benchmarks/bench_phase_change.py --under-load [--synchronised K] [--games 19]
           [--rate 5] [--changes 4] [--window 3] [--joins 40] [--sync normal|full] [--quick] [--json FILE]
           [--class-workers 1] [--steps FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import multiprocessing as mp
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench_server_load import (
    Bot,
    Server,
    Spec,
    Tally,
    Timeline,
    cpu_seconds,
    machine_busy_seconds,
    percentile,
    raise_open_files,
    setup_games,
    source_address,
    wait_for_quiet,
)
from crisisgame.engine.commands import OBSERVER
from crisisgame.engine.events import ClockPaused, Event, GameCreated, PhaseStarted
from crisisgame.scenario.catalogue import find
from crisisgame.scenario.loader import load_scenario
from crisisgame.simulate import play
from crisisgame.store.sqlite import SqliteStore

GAME = "bench0001"
STEP_TARGET_MS = 20.0
"""The longest an event-loop step may take at a phase change (issue 14)."""
VIEW_SEQ = re.compile(r'\{"type":"view","game":"[^"]*","seq":(\d+)')


def baltic_log() -> list[Event]:
    """A whole Baltic game played by bots (seed 3), the log the benchmark's games are cut from."""
    return play(load_scenario(find("baltic")), seed=3).log


def late_game(turn: int, log: list[Event] | None = None) -> tuple[list[Event], list[str]]:
    """The Baltic played by bots up to the diplomacy of `turn`, paused, with every playable actor a team."""
    scenario = load_scenario(find("baltic"))
    log = baltic_log() if log is None else log
    cut = next(
        i for i, e in enumerate(log) if isinstance(e, PhaseStarted) and e.turn == turn and e.phase == "diplomacy"
    )
    teams = [a.id for a in scenario.actors if a.playable]
    created = log[0]
    assert isinstance(created, GameCreated)
    events = [created.model_copy(update={"teams": teams}), *log[1 : cut + 1]]
    events.append(ClockPaused(at=events[-1].at, remaining=600.0))
    return events, teams


def store_game(
    db: Path, events: list[Event], teams: list[str], game: str = GAME, prefix: str = "BNCH"
) -> dict[str, str]:
    """Store a paused game with a join code per team and for the plenary (`prefix`-0000, -0001, ...)."""
    store = SqliteStore(db)
    try:
        store.create_game(game, "baltic", "Baltic (benchmark)", 0.0)
        store.append(game, 0, events, "diplomacy")
        codes = {seat: f"{prefix}-{i:04d}" for i, seat in enumerate([*teams, OBSERVER])}
        store.set_codes(game, codes)
        return codes
    finally:
        store.close()


class Screen:
    """One signed-in client: the seq, arrival time and size of each view it gets, when each of its
    commands was acknowledged, the errors it was sent, and how it was closed."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.views: list[tuple[int, float, int]] = []
        self.acks: dict[str, float] = {}
        self.errors: list[str] = []
        self.closed: str | None = None
        self.viewed = asyncio.Event()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                if not isinstance(raw, str):
                    continue
                if found := VIEW_SEQ.match(raw):  # (parsing a megabyte would slow us)
                    self.views.append((int(found.group(1)), time.perf_counter(), len(raw)))
                    self.viewed.set()
                elif raw.startswith('{"type":"ack"'):
                    self.acks[json.loads(raw)["id"]] = time.perf_counter()
                elif raw.startswith('{"type":"error"'):
                    error = json.loads(raw)
                    self.errors.append(f"{error['code']}: {error['message']}"[:160])
        except ConnectionClosed as exc:
            self.closed = str(exc.rcvd.code) if exc.rcvd is not None else "no close frame"
        else:
            self.closed = "closed"


async def sign_in(url: str, hello: dict[str, Any], source: str | None = None, timeout: float = 60) -> Screen:
    """Connect (from the loopback address `source`, if given), sign in, and wait for the first view."""
    ws = await connect(url, max_size=None, open_timeout=30, local_addr=(source, 0) if source else None)
    await ws.send(json.dumps(hello))
    screen = Screen(ws)
    try:
        await asyncio.wait_for(screen.viewed.wait(), timeout)
    except TimeoutError:
        await ws.close()
        raise RuntimeError(f"no view within {timeout:g} s of signing in ({screen.errors or screen.closed})") from None
    return screen


async def _probe(url: str, token: str, pipe: Pipe) -> None:
    longest = 0.0
    async with connect(url) as ws:
        await ws.send(json.dumps({"type": "facilitate", "token": token}))
        await ws.recv()
        pipe.send("ready")
        while not pipe.poll():
            sent = time.perf_counter()
            await ws.send('{"type":"ping"}')
            while json.loads(await ws.recv())["type"] != "pong":
                pass
            longest = max(longest, time.perf_counter() - sent)
            await asyncio.sleep(0.01)
    pipe.send(longest)


def probe_main(url: str, token: str, pipe: Pipe) -> None:
    """In a process of its own (the class's screens busy this one): ping every 10 ms until told to
    stop, then report the longest wait for a pong, in seconds."""
    asyncio.run(_probe(url, token, pipe))


def step_what(step: dict[str, Any]) -> str:
    """What a logged step ran (`loop_steps.describe`), and the garbage collector's share of it, if it ran."""
    what = str(step["what"])
    if "gc_gen" in step:
        what += f"; of which a generation-{step['gc_gen']} garbage collection {step['gc_ms']:.1f} ms"
    return what


def longest_step(steps: Path, since: float, until: float) -> str:
    """The longest event-loop step the server recorded between two Unix times, as text."""
    found = []
    for line in steps.read_text(encoding="utf-8").splitlines():
        step = json.loads(line)
        if since <= step["at"] <= until:
            found.append(step)
    if not found:
        return "longest event-loop step under 2 ms CPU"
    worst = max(found, key=lambda x: x["cpu_ms"])
    verdict = "met" if worst["cpu_ms"] <= STEP_TARGET_MS else "MISSED"
    return (
        f"longest event-loop step {worst['cpu_ms']:.1f} ms CPU ({worst['wall_ms']:.1f} ms wall, {step_what(worst)}), "
        f"{len(found)} steps over 2 ms; target <= {STEP_TARGET_MS:.0f} ms: {verdict}"
    )


async def session(url: str, token: str, codes: dict[str, str], teams: list[str], students: int, steps: Path) -> None:
    began = time.time()
    started = time.perf_counter()
    hellos = [{"type": "join", "code": codes[teams[i % len(teams)]], "name": f"Student {i}"} for i in range(students)]
    hellos += [{"type": "join", "code": codes[OBSERVER], "name": f"Projector {i}"} for i in range(2)]
    hellos.append({"type": "facilitate", "token": token, "game": GAME})
    screens = await asyncio.gather(*(sign_in(url, h) for h in hellos))
    control = screens[-1]
    print(f"{len(screens)} clients signed in (each with its view) in {time.perf_counter() - started:.2f} s")
    print(f"  sign-in: {longest_step(steps, began, time.time())}")

    loop = asyncio.get_running_loop()
    for label, command in (("resume the clock", {"type": "resume"}), ("end diplomacy", {"type": "advance"})):
        ours, theirs = mp.get_context("spawn").Pipe()
        pinging = mp.get_context("spawn").Process(target=probe_main, args=(url, token, theirs), daemon=True)
        pinging.start()
        assert await loop.run_in_executor(None, ours.recv) == "ready"
        await asyncio.sleep(0.3)
        before = [len(s.views) for s in screens]
        sent_at = time.time()
        sent = time.perf_counter()
        await control.ws.send(json.dumps({"type": "command", "id": label, "command": command}))
        while any(len(s.views) == n for s, n in zip(screens, before, strict=True)):
            await asyncio.sleep(0.002)
        arrived = [s.views[-1] for s in screens]
        await asyncio.sleep(0.3)
        done_at = time.time()
        ours.send("stop")
        stall = await loop.run_in_executor(None, ours.recv)
        pinging.join(10)
        sizes = sorted({size for _, _, size in arrived})
        first, last = (min(t for _, t, _ in arrived) - sent), (max(t for _, t, _ in arrived) - sent)
        print(
            f"{label}: every screen had the new view after {last:.3f} s (the first after {first:.3f} s); "
            f"views {sizes[0] / 1e6:.2f}-{sizes[-1] / 1e6:.2f} MB; longest wait for a pong {stall * 1000:.0f} ms"
        )
        print(f"  {label}: {longest_step(steps, sent_at, done_at)}")
    for s in screens:
        await s.ws.close()


# --------------------------------------------------------------------------- under load (--under-load)

P99_TARGET_MS = 100.0
"""Other games' p99 command→broadcast latency while turn-8 games change phase (issue 14)."""
LAST_SCREEN_TARGET = 0.2
"""Seconds until the last screen of a 43-client game has the new phase (issue 14)."""
LONGEST_LISTED = 6
"""The longest event-loop steps listed, with what each ran (`loop_steps.describe`)."""
CYCLE: tuple[tuple[str, dict[str, Any]], ...] = (
    ("diplomacy -> orders", {"type": "advance"}),
    ("orders -> results (adjudication)", {"type": "advance"}),
    ("results -> briefing (rollback)", {"type": "rollback", "reason": "benchmark: the turn is played again"}),
    ("briefing -> diplomacy", {"type": "advance"}),
)
"""The phase changes of a phase-changing game, in order and round again (a rollback takes the game back to
its turn's briefing, so the turn and the size of its views stay those of `--turn`)."""
LEAD = 0.25
"""Seconds into a window before its phase change (or its joins) begin: messages sent just before count too."""
DRAIN = 3.0
"""Seconds after the last window for the last messages to arrive."""
FULL: dict[str, Any] = {
    "games": 19,
    "min_clients": 7,
    "max_clients": 20,
    "rate": 5.0,
    "students": 40,
    "changes": 4,
    "window": 3.0,
    "gap": 1.5,
    "warmup": 3.0,
    "joins": 40,
}
"""The defaults of `--under-load`."""
QUICK: dict[str, Any] = {**FULL, "games": 4, "max_clients": 10, "students": 10, "changes": 2, "window": 1.5}
QUICK.update(gap=0.75, warmup=1.0, joins=8)
"""The defaults of `--under-load --quick`: a short run (under a minute) that exercises every part."""


@dataclass(frozen=True)
class Table:
    """A stored Baltic game the class process signs clients into: its id, join codes and source address."""

    game: str
    codes: dict[str, str]
    source: str

    @property
    def teams(self) -> list[str]:
        return [seat for seat in self.codes if seat != OBSERVER]


@dataclass(frozen=True)
class Change:
    """At `at` (time.monotonic), every phase-changing game's facilitator sends `command` at once; the
    class process waits for the screens' new views until `until`."""

    label: str
    at: float
    until: float
    command: dict[str, Any]


@dataclass(frozen=True)
class Joins:
    """At `at`, `count` students join `table` at once (each with its own connection)."""

    label: str
    at: float
    until: float
    table: Table
    count: int


@dataclass
class ChangeResult:
    label: str
    last: list[float]
    """Per phase-changing game: seconds from the command to its last screen's new view (inf: one never came)."""
    first: list[float]
    acks: list[float]
    """Per game: seconds from the command to the facilitator's acknowledgement (inf: none came)."""
    missing: int
    """Screens, over every game, without the new view by the deadline."""
    smallest: int
    largest: int
    """The new views' sizes, in bytes."""
    errors: list[str]
    server_cpu: float = math.nan
    """CPU seconds the server process (every thread) used from the command until the last screen had
    its view: what the change cost the server, background games' work in that time included."""
    clients_cpu: float = math.nan
    """CPU seconds the class process(es) used meanwhile, receiving the views."""
    loop_cpu: float = math.nan
    """CPU seconds of the server's main thread meanwhile (its event loop; `server_cpu` less this is its
    worker threads': compression, replays)."""


@dataclass
class JoinResult:
    label: str
    count: int
    seconds: float
    """From the first connection to the last client's view."""
    median: float
    """A join's median time, connection to view."""
    failed: list[str]
    view_bytes: int


async def _sign_in_class(url: str, token: str, table: Table, students: int, gate: asyncio.Semaphore) -> list[Screen]:
    """A class in `table`'s game: `students` over its teams, two plenary screens, then the facilitator (last)."""
    teams = table.teams
    hellos = [
        {"type": "join", "code": table.codes[teams[i % len(teams)]], "name": f"Student {i}"} for i in range(students)
    ]
    hellos += [{"type": "join", "code": table.codes[OBSERVER], "name": f"Projector {i}"} for i in range(2)]
    hellos.append({"type": "facilitate", "token": token, "game": table.game})

    async def one(hello: dict[str, Any]) -> Screen:
        async with gate:
            return await sign_in(url, hello, table.source)

    return list(await asyncio.gather(*(one(h) for h in hellos)))


async def _await_views(groups: list[list[Screen]], before: list[list[int]], until: float, ack: str = "") -> None:
    """Wait until every screen has a view past the count in `before` (and each game's facilitator, the last
    screen of each group, the acknowledgement `ack`, if given), or until `until` (time.monotonic)."""
    pairs = [pair for screens, counts in zip(groups, before, strict=True) for pair in zip(screens, counts, strict=True)]
    while time.monotonic() < until:
        if all(len(s.views) > n for s, n in pairs) and (not ack or all(ack in g[-1].acks for g in groups)):
            return
        await asyncio.sleep(0.005)


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of a process's main thread (Linux: its task of the process's own id)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _change(groups: list[list[Screen]], item: Change, number: int, server_pid: int) -> ChangeResult:
    before = [[len(s.views) for s in screens] for screens in groups]
    ident = f"change{number}"
    payload = json.dumps({"type": "command", "id": ident, "command": item.command})
    server_cpu, clients_cpu, loop_cpu = cpu_seconds(server_pid), time.process_time(), main_thread_cpu(server_pid)
    sent = time.perf_counter()
    await asyncio.gather(*(screens[-1].ws.send(payload) for screens in groups))  # the facilitators, at once
    await _await_views(groups, before, item.until, ident)
    server_cpu, clients_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - clients_cpu
    loop_cpu = main_thread_cpu(server_pid) - loop_cpu
    result = ChangeResult(item.label, [], [], [], 0, 0, 0, [], server_cpu, clients_cpu, loop_cpu)
    sizes: list[int] = []
    for screens, counts in zip(groups, before, strict=True):
        arrived = [s.views[n] for s, n in zip(screens, counts, strict=True) if len(s.views) > n]
        result.missing += len(screens) - len(arrived)
        times = [t - sent for _, t, _ in arrived]
        result.last.append(max(times) if len(arrived) == len(screens) else math.inf)
        result.first.append(min(times, default=math.inf))
        ack = screens[-1].acks.get(ident)
        result.acks.append(ack - sent if ack is not None else math.inf)
        sizes += [size for _, _, size in arrived]
        result.errors += [e for s in screens for e in s.errors]
        for s in screens:
            s.errors.clear()
    result.smallest, result.largest = min(sizes, default=0), max(sizes, default=0)
    return result


async def _joins(url: str, item: Joins) -> JoinResult:
    teams = item.table.teams
    hellos = [
        {"type": "join", "code": item.table.codes[teams[i % len(teams)]], "name": f"Latecomer {i}"}
        for i in range(item.count)
    ]
    started = time.perf_counter()

    async def one(hello: dict[str, Any]) -> tuple[Screen, float]:
        screen = await sign_in(url, hello, item.table.source, timeout=max(1.0, item.until - time.monotonic()))
        return screen, time.perf_counter() - started

    outcomes = await asyncio.gather(*(one(h) for h in hellos), return_exceptions=True)
    done = [o for o in outcomes if not isinstance(o, BaseException)]
    failed = [f"{type(o).__name__}: {o}"[:160] for o in outcomes if isinstance(o, BaseException)]
    times = sorted(t for _, t in done)
    await asyncio.gather(*(s.ws.close() for s, _ in done), return_exceptions=True)
    return JoinResult(
        item.label,
        item.count,
        times[-1] if times else math.inf,
        times[len(times) // 2] if times else math.inf,
        failed,
        max((s.views[0][2] for s, _ in done), default=0),
    )


async def _class(pipe: Pipe, url: str, token: str, tables: list[Table], students: int, server_pid: int) -> None:
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(32)
    started = time.perf_counter()
    groups = list(await asyncio.gather(*(_sign_in_class(url, token, t, students, gate) for t in tables)))
    signed_in = time.perf_counter() - started
    # The games are stored paused: the clocks run from here on (a view for every screen, before any window).
    before = [[len(s.views) for s in screens] for screens in groups]
    resume = json.dumps({"type": "command", "id": "resume", "command": {"type": "resume"}})
    await asyncio.gather(*(screens[-1].ws.send(resume) for screens in groups))
    await _await_views(groups, before, time.monotonic() + 60, "resume")
    pipe.send(("ready", sum(map(len, groups)), signed_in))
    plan: list[Change | Joins] = await loop.run_in_executor(None, pipe.recv)
    results: list[ChangeResult | JoinResult] = []
    for number, item in enumerate(plan, 1):
        await asyncio.sleep(max(0.0, item.at - time.monotonic()))
        if isinstance(item, Change):
            results.append(await _change(groups, item, number, server_pid))
        else:
            results.append(await _joins(url, item))
    closes = [s.closed for screens in groups for s in screens if s.closed is not None]
    await asyncio.wait_for(asyncio.gather(*(s.ws.close() for g in groups for s in g), return_exceptions=True), 30)
    pipe.send(("done", results, closes))


def class_main(pipe: Pipe, url: str, token: str, tables: list[Table], students: int, server_pid: int) -> None:
    """In a process of its own: sign the phase-changing games' classes in (`tables`, some of them with
    `--class-workers`), resume their clocks, then run the plan the coordinator sends (phase changes and
    joins, each at its time) and send back the results."""
    raise_open_files(len(tables) * (students + 3) + 400)
    try:
        asyncio.run(_class(pipe, url, token, tables, students, server_pid))
    except BaseException as exc:  # report, never hang the coordinator
        pipe.send(("failed", repr(exc)))
        raise


async def _background(pipe: Pipe, url: str, specs: list[Spec]) -> dict[str, Tally]:
    tallies = {spec.game: Tally() for spec in specs}
    bots = [Bot(spec, "crisisgame", tallies[spec.game]) for spec in specs]
    gate = asyncio.Semaphore(32)
    outcomes = await asyncio.gather(*(b.open(url, gate) for b in bots), return_exceptions=True)
    failed = [f"{type(o).__name__}: {o}"[:160] for o in outcomes if isinstance(o, BaseException)]
    pipe.send(("ready", len(bots) - len(failed), failed[:3]))
    tl: Timeline | None = await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    if tl is not None:
        await asyncio.gather(*(b.drive(tl, 1.0) for b in bots))  # (each step carries its own rate)
        await asyncio.sleep(max(0.0, tl.stop - time.monotonic()))
    await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
    return tallies


def merge_results(parts: list[list[ChangeResult | JoinResult]]) -> list[ChangeResult | JoinResult]:
    """The results of several class processes, each for some of the phase-changing games, as one, in the
    first's order: a phase change's figures per game side by side (each process timed its games from its
    own facilitators' commands, sent at the same planned instant); the joins, which only the first
    process runs, as they are."""
    others = [iter(part) for part in parts[1:]]
    merged: list[ChangeResult | JoinResult] = []
    for first in parts[0]:
        if isinstance(first, JoinResult):
            merged.append(first)
            continue
        changes = [first, *(r for o in others if isinstance(r := next(o), ChangeResult))]
        if len(changes) != len(parts) or any(r.label != first.label for r in changes):
            raise RuntimeError(f"the class processes' results do not line up at {first.label}")
        merged.append(
            ChangeResult(
                first.label,
                [t for r in changes for t in r.last],
                [t for r in changes for t in r.first],
                [t for r in changes for t in r.acks],
                sum(r.missing for r in changes),
                min((r.smallest for r in changes if r.largest), default=0),
                max(r.largest for r in changes),
                [e for r in changes for e in r.errors],
                max(r.server_cpu for r in changes),
                sum(r.clients_cpu for r in changes),
                max(r.loop_cpu for r in changes),
            )
        )
    return merged


def background_main(pipe: Pipe, url: str, specs: list[Spec]) -> None:
    """In a process of its own: the background games' clients (`bench_server_load.Bot`, its press
    shape: each game one open-loop stream of public messages); a tally per game is sent back."""
    raise_open_files(len(specs) + 100)
    try:
        tallies = asyncio.run(_background(pipe, url, specs))
    except BaseException as exc:
        pipe.send(("failed", repr(exc)))
        raise
    pipe.send(("done", tallies))


def background_sizes(games: int, low: int, high: int) -> list[int]:
    """Clients per background game, spread evenly from `low` to `high`."""
    return [low + round((high - low) * g / max(1, games - 1)) for g in range(games)]


def background_specs(teams: list[str], codes: list[dict[str, str]], sizes: list[int]) -> list[Spec]:
    """Each background game's clients: a plenary screen and students round-robin over the teams, who take
    turns sending the game's stream of public messages."""
    specs: list[Spec] = []
    for g, (game, clients) in enumerate(zip(codes, sizes, strict=True)):
        senders = clients - 1
        for c in range(clients):
            ident, source = len(specs), source_address(g)
            if c == senders:
                specs.append(Spec(ident, game["game"], game["observer"], "observer", False, (), source))
            else:
                seat = teams[c % len(teams)]
                specs.append(Spec(ident, game["game"], game[seat], seat, True, (), source, c, senders))
    return specs


def plan_run(
    args: argparse.Namespace, start: float, early: Table, late: Table
) -> tuple[Timeline, list[Change | Joins]]:
    """The windows the background games' latency is read in (a Timeline of press steps, all at `--rate`)
    and the phase changes and joins, each `LEAD` seconds into a window of its own. Quiet windows
    alternate with phase-change windows, a gap of `--gap` seconds after each."""
    steps: list[tuple[str, float, float, float]] = []
    plan: list[Change | Joins] = []
    t = start

    def window(name: str, length: float) -> float:
        nonlocal t
        began, t = t, t + length
        steps.append((name, began, t, args.rate))
        return began

    window("warm", args.warmup)
    for i in range(args.changes):
        window(f"quiet{i + 1}", args.window)
        window(f"gap{i + 1}", args.gap)
        label, command = CYCLE[i % len(CYCLE)]
        plan.append(Change(label, window(f"change{i + 1}", args.window) + LEAD, 0.0, command))
        window(f"settle{i + 1}", args.gap)
    if args.joins:
        for label, table in (("turn 1", early), (f"turn {args.turn}", late)):
            plan.append(Joins(label, window(f"joins {label}", args.window) + LEAD, 0.0, table, args.joins))
            window(f"settle {label}", args.gap)
    stop = t + DRAIN
    plan = [replace(p, until=(plan[i + 1].at - 0.1 if i + 1 < len(plan) else stop)) for i, p in enumerate(plan)]
    return Timeline(start, start, start, start, start, stop, tuple(steps)), plan


def read_steps(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def window_figures(
    tallies: dict[str, Tally],
    sizes: dict[str, int],
    names: list[str],
    steps: list[dict[str, Any]],
    spans: list[tuple[float, float]],
) -> dict[str, Any]:
    """The background games' command→broadcast latency over the windows `names` (by send time): messages
    sent, deliveries lost, p50, p99, max and the worst single game's p99; and the longest event-loop
    step the server logged in `spans` (Unix times)."""
    everything: array[float] = array("d")
    worst_game = 0.0
    sent = lost = 0
    for game, tally in tallies.items():
        mine: array[float] = array("d")
        for name in names:
            mine.extend(tally.latency.get(name, array("d")))
            sent += tally.sent[name]
            lost += tally.sent[name] * sizes[game] - len(tally.latency.get(name, ()))
        everything.extend(mine)
        if mine:
            worst_game = max(worst_game, percentile(mine, 0.99))
    inside = [s for s in steps if any(a <= s["at"] <= b for a, b in spans)]
    worst = max(inside, key=lambda s: s["cpu_ms"], default=None)
    return {
        "sent": sent,
        "lost": lost,
        "p50_ms": percentile(everything, 0.5) * 1000,
        "p99_ms": percentile(everything, 0.99) * 1000,
        "max_ms": max(everything, default=math.nan) * 1000,
        "worst_game_p99_ms": worst_game * 1000,
        "longest_step_cpu_ms": worst["cpu_ms"] if worst else 0.0,
        "longest_step_wall_ms": worst["wall_ms"] if worst else 0.0,
        "longest_step": step_what(worst) if worst else "",
        "steps_over_target": sum(1 for s in inside if s["cpu_ms"] > STEP_TARGET_MS),
    }


def _row(label: str, f: dict[str, Any]) -> str:
    step = f"{f['longest_step_cpu_ms']:.1f} ({f['longest_step']})" if f["longest_step"] else "< 2"
    return (
        f"  {label:<42} {f['sent']:>6d} {f['lost']:>5d} {f['p50_ms']:>7.1f} {f['p99_ms']:>7.1f} {f['max_ms']:>7.1f} "
        f"{f['worst_game_p99_ms']:>8.1f}  {step}"
    )


def _seconds(values: list[float]) -> str:
    worst = max(values, default=math.inf)
    return "never" if math.isinf(worst) else f"{worst:.3f}"


def under_load_report(
    args: argparse.Namespace,
    plan: list[Change | Joins],
    tl: Timeline,
    tallies: dict[str, Tally],
    sizes: dict[str, int],
    results: list[ChangeResult | JoinResult],
    steps: list[dict[str, Any]],
    offset: float,
) -> dict[str, Any]:
    """Print the tables and the verdicts; the figures, for --json."""
    spans = {name: (a + offset, b + offset) for name, a, b, _ in tl.steps}
    quiet = [n for n in spans if n.startswith("quiet")]
    changes = [n for n in spans if n.startswith("change")]
    names = list(spans)
    # From the first phase change to the end of the last one's settling: the phase-change windows, the
    # quiet ones between them and every gap, which hold the tail of a publication that outlasts its window.
    under = names[names.index("change1") : names.index(f"settle{len(changes)}") + 1]

    def figures(names: list[str]) -> dict[str, Any]:
        return window_figures(tallies, sizes, names, steps, [spans[n] for n in names])

    print(
        "\nbackground games' command→broadcast latency, by the window the message was sent in "
        "(ms; every client of the game measures it; 'lost': deliveries that never came):"
    )
    print(
        f"  {'window':<42} {'sent':>6} {'lost':>5} {'p50':>7} {'p99':>7} {'max':>7} {'worst game p99':>8}  "
        "longest loop step, CPU ms"
    )
    summary: dict[str, Any] = {
        "baseline": figures(["quiet1"]),
        "quiet": figures(quiet),
        "changes": figures(changes),
        "under_changes": figures(under),
        "windows": {},
    }
    for name in quiet:
        summary["windows"][name] = f = figures([name])
        print(_row(name, f))
    for name, item in zip(changes, (p for p in plan if isinstance(p, Change)), strict=True):
        summary["windows"][name] = f = figures([name])
        print(_row(f"{name}: {item.label}", f))
    for joining in (p for p in plan if isinstance(p, Joins)):
        name = f"joins {joining.label}"
        summary["windows"][name] = f = figures([name])
        print(_row(f"{joining.count} joins at {joining.label}", f))
    print(_row(f"all {len(quiet)} quiet windows", summary["quiet"]))
    print(_row(f"all {len(changes)} phase-change windows", summary["changes"]))
    print(_row("from the first phase change on, gaps too", summary["under_changes"]))
    print(
        "  (quiet1 comes before any phase change: the baseline; a later quiet window holds the tail of a\n"
        "  publication that outlasted its phase-change window and the gap after it, if there was one)"
    )

    k = args.synchronised
    print(
        f"\nthe {k} phase-changing game{'s' if k > 1 else ''} (turn {args.turn}, {args.students + 3} clients each"
        f"{', every game at the same instant' if k > 1 else ''}): seconds from the command to the new view"
    )
    print(
        f"  {'phase change':<42} {'last screen':>11} {'first':>7} {'ack':>7} {'views MB':>11} {'missing':>7} "
        f"{'server CPU s':>12} {'its loop':>8} {'clients CPU s':>13}"
    )
    summary["phase_changes"] = []
    summary["joins"] = []
    for r in results:
        if isinstance(r, ChangeResult):
            summary["phase_changes"].append(asdict(r))
            mb = f"{r.smallest / 1e6:.2f}-{r.largest / 1e6:.2f}"
            print(
                f"  {r.label:<42} {_seconds(r.last):>11} {min(r.first, default=math.inf):>7.3f} "
                f"{_seconds(r.acks):>7} {mb:>11} {r.missing:>7d} {r.server_cpu:>12.2f} {r.loop_cpu:>8.2f} "
                f"{r.clients_cpu:>13.2f}"
            )
            for error in sorted(set(r.errors))[:3]:
                print(f"    error: {error}")
    print(
        "  (server CPU: the server process's, every thread, from the command to the last screen; its loop: its\n"
        "  main thread's; clients CPU: the class process(es)' meanwhile. One near the last-screen time: that\n"
        "  side was the bound)"
    )
    for r in results:
        if isinstance(r, JoinResult):
            summary["joins"].append(asdict(r))
            print(
                f"  {r.count} students join a game at {r.label}: the last had its view after {r.seconds:.2f} s "
                f"(median join {r.median:.2f} s; views {r.view_bytes / 1e6:.2f} MB)"
                + (f"; {len(r.failed)} failed: {r.failed[0]}" if r.failed else "")
            )
    every = figures(list(spans))
    print()
    p99 = summary["under_changes"]["p99_ms"]
    worst_window = max((summary["windows"][n]["p99_ms"] for n in changes), default=math.nan)
    print(
        f"target other games' p99 <= {P99_TARGET_MS:.0f} ms while {k} turn-{args.turn} game{'s' if k > 1 else ''} "
        f"change phase: {p99:.1f} ms from the first phase change on ({summary['changes']['p99_ms']:.1f} ms over "
        f"the phase-change windows alone, the worst {worst_window:.1f} ms; baseline "
        f"{summary['baseline']['p99_ms']:.1f} ms): {'met' if p99 <= P99_TARGET_MS else 'MISSED'}"
    )
    last = max((t for r in results if isinstance(r, ChangeResult) for t in r.last), default=math.inf)
    print(
        f"target last screen of a {args.students + 3}-client game <= {LAST_SCREEN_TARGET} s: worst {last:.3f} s "
        f"over {len(changes)} phase changes × {k} game{'s' if k > 1 else ''}: "
        f"{'met' if last <= LAST_SCREEN_TARGET else 'MISSED'}"
    )
    print(
        f"target longest event-loop step <= {STEP_TARGET_MS:.0f} ms CPU: {every['longest_step_cpu_ms']:.1f} ms "
        f"({every['longest_step_wall_ms']:.1f} ms wall, {every['longest_step'] or '-'}; {every['steps_over_target']} "
        f"over the target): {'met' if every['longest_step_cpu_ms'] <= STEP_TARGET_MS else 'MISSED'}"
    )
    within = [s for s in steps if any(a <= s["at"] <= b for a, b in spans.values())]
    for step in sorted(within, key=lambda s: -s["cpu_ms"])[:LONGEST_LISTED]:
        print(f"  a step of {step['cpu_ms']:.1f} ms CPU ({step['wall_ms']:.1f} ms wall): {step_what(step)}")
    joins = [r for r in results if isinstance(r, JoinResult)]
    if len(joins) == 2 and not any(r.failed for r in joins):
        ratio = joins[1].seconds / max(1e-9, joins[0].seconds)
        print(
            f"joins late as fast as early: {joins[1].seconds:.2f} s at {joins[1].label} vs "
            f"{joins[0].seconds:.2f} s at {joins[0].label} ({ratio:.1f}×)"
        )
    summary.update(all_windows=every, target_p99_met=p99 <= P99_TARGET_MS, worst_last_screen=last)
    return summary


def under_load(args: argparse.Namespace) -> dict[str, Any]:
    """The phase-change-under-load run: see the module's docstring."""
    if args.quiet_wait:
        print(f"waiting up to {args.quiet_wait:g} s for an idle machine...", flush=True)
        print(f"other processes were using {wait_for_quiet(args.quiet_wait):.2f} cores", flush=True)
    log = baltic_log()
    late, teams = late_game(args.turn, log)
    early, _ = late_game(1, log)
    k = args.synchronised
    sizes_list = background_sizes(args.games, args.min_clients, args.max_clients)
    print(
        f"phase changes under load: {k} turn-{args.turn} Baltic game{'s' if k > 1 else ''} ({len(late)} events, "
        f"{args.students} students, 2 plenary screens and the facilitator each) change phase {args.changes} times"
        f"{', all at the same instant' if k > 1 else ''}, while {args.games} {args.scenario} games "
        f"({args.min_clients}-{args.max_clients} clients, {sum(sizes_list)} in all) each send {args.rate:g} public "
        f"messages/s (open loop); --sync {args.sync}; {os.cpu_count()} cores. Provisional on a shared machine.",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-phase-load-") as tmp:
        db = Path(tmp) / "games.db"
        tables = [
            Table(f"phase{i:02d}", store_game(db, late, teams, f"phase{i:02d}", f"P{i:03d}"), source_address(600 + i))
            for i in range(k)
        ]
        joins_early = Table("joins01", store_game(db, early, teams, "joins01", "J001"), source_address(700))
        joins_late = Table("joins08", store_game(db, late, teams, "joins08", f"J{args.turn:03d}"), source_address(701))
        steps_log = Path(tmp) / "steps.jsonl"
        steps_log.touch()
        extra = ["--no-quotas", "--sync", args.sync]
        procs: list[mp.process.BaseProcess] = []
        with running_server(Path(tmp), db, steps_log, extra) as server:
            began = time.monotonic()
            bg_teams, codes = asyncio.run(setup_games(server, args.games, args.scenario)) if args.games else ([], [])
            print(f"{args.games} background games created in {time.monotonic() - began:.1f} s", flush=True)
            specs = background_specs(bg_teams, codes, sizes_list)
            sizes = {c["game"]: n for c, n in zip(codes, sizes_list, strict=True)}
            number = {c["game"]: g for g, c in enumerate(codes)}
            ctx = mp.get_context("spawn")
            pipes: list[Pipe] = []
            try:
                for w in range(min(args.workers, args.games)):
                    ours, theirs = ctx.Pipe()
                    mine = [s for s in specs if number[s.game] % args.workers == w]
                    procs.append(ctx.Process(target=background_main, args=(theirs, server.url, mine), daemon=True))
                    pipes.append(ours)
                workers = min(args.class_workers, k)
                for w in range(workers):
                    ours, theirs = ctx.Pipe()
                    dealt = tables[w::workers]
                    procs.append(
                        ctx.Process(
                            target=class_main,
                            args=(theirs, server.url, server.token, dealt, args.students, server.proc.pid),
                            daemon=True,
                        )
                    )
                    pipes.append(ours)
                bg = len(pipes) - workers
                for proc in procs:
                    proc.start()
                statuses = [_receive(pipe, args.setup_timeout, "ready") for pipe in pipes]
                print(
                    f"signed in: {sum(s[1] for s in statuses[:bg])} background clients, "
                    f"{sum(s[1] for s in statuses[bg:])} in the phase-changing games (in "
                    f"{max(s[2] for s in statuses[bg:]):.1f} s, {workers} process{'es' if workers > 1 else ''})",
                    flush=True,
                )
                for s in statuses[:bg]:
                    if s[2]:
                        print(f"  background sign-in failures, e.g. {s[2]}")
                tl, plan = plan_run(args, time.monotonic() + 1.0, joins_early, joins_late)
                offset = time.time() - time.monotonic()
                print(f"running {tl.stop - time.monotonic():.0f} s of windows...", flush=True)
                pids = [server.proc.pid, os.getpid(), *(p.pid for p in procs if p.pid is not None)]
                busy, ours_cpu = machine_busy_seconds(), sum(cpu_seconds(pid) for pid in pids)
                for pipe in pipes[:bg]:
                    pipe.send(tl)
                for w, pipe in enumerate(pipes[bg:]):  # (the joins: the first class process only)
                    pipe.send(plan if w == 0 else [p for p in plan if isinstance(p, Change)])
                measured, last = time.monotonic(), tl.steps[-1][2]
                while time.monotonic() < last and not any(pipe.poll() for pipe in pipes):  # (a failure ends it)
                    time.sleep(min(0.5, max(0.0, last - time.monotonic())))
                ours_cpu = sum(cpu_seconds(pid) for pid in pids) - ours_cpu
                others = (machine_busy_seconds() - busy - ours_cpu) / max(1e-9, time.monotonic() - measured)
                finals = [_receive(pipe, tl.stop - time.monotonic() + 120, "done") for pipe in pipes]
            finally:
                for proc in procs:
                    proc.join(10)
                    if proc.is_alive():
                        proc.kill()
        tallies: dict[str, Tally] = {}
        for final in finals[:bg]:
            tallies.update(final[1])
        results = merge_results([final[1] for final in finals[bg:]])
        closes = [c for final in finals[bg:] for c in final[2]]
        summary = under_load_report(args, plan, tl, tallies, sizes, results, read_steps(steps_log), offset)
        if args.steps:
            Path(args.steps).write_text(steps_log.read_text(encoding="utf-8"), encoding="utf-8")
        if closes:
            print(f"phase-changing games' screens closed by the server: {dict(Counter(closes))}")
        print(f"other processes on the machine used about {max(0.0, others):.2f} of its cores meanwhile")
        summary["other_processes_cores"] = others
        return summary


def _receive(pipe: Pipe, timeout: float, wanted: str) -> tuple[Any, ...]:
    if not pipe.poll(max(1.0, timeout)):
        raise RuntimeError(f"a client process did not report '{wanted}' within {timeout:.0f} s")
    status: tuple[Any, ...] = pipe.recv()
    if status[0] != wanted:
        raise RuntimeError(f"a client process failed: {status}")
    return status


@contextlib.contextmanager
def running_server(tmp: Path, db: Path, steps: Path, extra: list[str] = []) -> Iterator[Server]:  # noqa: B006
    """`crisisgame serve` on 127.0.0.1 with the database `db`, through `loop_steps.py` (its event-loop
    steps logged to `steps`), stopped on the way out."""
    runner = str(Path(__file__).with_name("loop_steps.py"))
    cmd = [sys.executable, runner, "serve", "--host", "127.0.0.1", "--port", "0", "--db", str(db), *extra]
    env = {**os.environ, "CRISISGAME_STEP_LOG": str(steps)}
    log = tmp / "server.log"
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    server = Server(proc, "", "", log)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while not (server.url and server.token) and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if found := re.search(r"#facilitator=(\S+)", line):
                server.token = found.group(1)
            if found := re.search(r"(ws://\S+/ws)", line):
                server.url = found.group(1)
        if not (server.url and server.token):
            raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")
        yield server
    finally:
        server.stop()


def _finite(value: Any) -> Any:
    """The figures for JSON: an infinite time (a view or an ack that never came) as null."""
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--students", type=int, help="students per phase-changing game, over its 8 teams (default 40)")
    p.add_argument("--turn", type=int, default=8, help="the turn of the phase-changing games (default 8, the last)")
    load = p.add_argument_group("under load (--under-load)")
    load.add_argument(
        "--under-load",
        action="store_true",
        help="change phase in turn-N games while background games send messages; report their latency",
    )
    load.add_argument("--quick", action="store_true", help="a short run (smaller defaults) that exercises every part")
    load.add_argument(
        "--synchronised",
        type=int,
        default=1,
        metavar="K",
        help="phase-changing games, which all change phase at the same instant (default 1)",
    )
    load.add_argument("--games", type=int, help="background games (default 19; --quick 4)")
    load.add_argument("--min-clients", type=int, help="clients of the smallest background game (default 7)")
    load.add_argument("--max-clients", type=int, help="clients of the largest background game (default 20; --quick 10)")
    load.add_argument("--rate", type=float, help="public messages per second per background game (default 5)")
    load.add_argument("--changes", type=int, help="phase changes (default 4, one turn's round; --quick 2)")
    load.add_argument("--window", type=float, help="seconds of each quiet and phase-change window (default 3)")
    load.add_argument("--gap", type=float, help="seconds between windows, not counted (default 1.5)")
    load.add_argument("--warmup", type=float, help="seconds of load before the first window (default 3)")
    load.add_argument(
        "--joins", type=int, help="students who join at turn 1 and at the late turn, to compare (default 40; 0: none)"
    )
    load.add_argument("--scenario", default="taiwan_strait", help="the background games' scenario (taiwan_strait)")
    load.add_argument("--workers", type=int, default=1, help="processes driving the background clients (default 1)")
    load.add_argument(
        "--class-workers",
        type=int,
        default=1,
        help="processes driving the phase-changing games' clients, the games dealt round-robin (default 1)",
    )
    load.add_argument("--sync", choices=["normal", "full"], default="normal", help="SQLite sync level (normal)")
    load.add_argument("--setup-timeout", type=float, default=300.0, help="seconds to sign every client in (300)")
    load.add_argument(
        "--quiet-wait", type=float, default=0.0, help="wait up to this many seconds for an idle machine first (0)"
    )
    load.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    load.add_argument(
        "--steps", metavar="FILE", help="also keep the server's log of event-loop steps over 2 ms (JSON lines)"
    )
    args = p.parse_args(argv)
    if not args.under_load:
        given = [
            a
            for a in ("quick", "games", "min_clients", "max_clients", "rate", "changes", "joins", "json", "steps")
            if getattr(args, a) not in (None, False)
        ]
        if given or args.synchronised != 1:
            p.error("--quick, --synchronised, --games and the other load options need --under-load")
        args.students = 40 if args.students is None else args.students
    else:
        for name, value in (QUICK if args.quick else FULL).items():
            if getattr(args, name) is None:
                setattr(args, name, value)
    if not (1 <= args.students <= 200 and 2 <= args.turn <= 8):
        p.error("--students 1..200, --turn 2..8")
    if args.under_load:
        if not (1 <= args.synchronised <= 40 and 0 <= args.games <= 100 and 1 <= args.workers <= 8):
            p.error("--synchronised 1..40, --games 0..100, --workers 1..8")
        if not 1 <= args.class_workers <= 8:
            p.error("--class-workers 1..8")
        if not (2 <= args.min_clients <= args.max_clients <= 150):
            p.error("--min-clients and --max-clients: 2 <= min <= max <= 150")
        if not (0 < args.rate <= 100 and 1 <= args.changes <= 12 and 0 <= args.joins <= 150):
            p.error("--rate in (0, 100], --changes 1..12, --joins 0..150")
        if not (0 <= args.quiet_wait <= 600):
            p.error("--quiet-wait must be in [0, 600] seconds")
        for name in ("window", "gap", "warmup"):
            if not (0.2 <= getattr(args, name) <= 60):
                p.error(f"--{name} must be in [0.2, 60] seconds")
        if args.rate / (args.min_clients - 1) > 15:
            p.error("--rate: a sender of the smallest game would exceed 15 messages/s (the server allows 20)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server and the clients on the way out
    if args.under_load:
        raise_open_files(4 * (args.synchronised * (args.students + 3) + args.games * args.max_clients) + 500)
        summary = under_load(args)
        if args.json:
            Path(args.json).write_text(json.dumps(_finite(summary), indent=2) + "\n", encoding="utf-8")
        return 0
    events, teams = late_game(args.turn)
    print(f"the Baltic, diplomacy of turn {args.turn}: {len(events)} events, {len(teams)} teams")
    with tempfile.TemporaryDirectory(prefix="bench-phase-") as tmp:
        db = Path(tmp) / "games.db"
        codes = store_game(db, events, teams)
        steps = Path(tmp) / "steps.jsonl"
        steps.touch()
        with running_server(Path(tmp), db, steps) as server:
            asyncio.run(asyncio.wait_for(session(server.url, server.token, codes, teams, args.students, steps), 120))
    return 0


if __name__ == "__main__":
    sys.exit(main())
