"""Server load: many games of many clients through real websockets, against a bare broadcast server.

Targets (server issue), on this 2-core machine, for 100 games × 20 clients (2,000 connections):
- p99 command→broadcast latency <= 100 ms;
- delivered messages per second >= 50% of a bare `websockets` room-broadcast server's;
- <= 150 KiB resident memory per connection (server RSS growth / connections, from /proc VmRSS).

The crisisgame server runs as `python -m crisisgame serve --port 0 --db <tmp>`; the baseline is the
minimal server at the end of this file, run as a subprocess of this script: clients join a room as
a team, and every message is sent with `websockets.broadcast` to the room, or for a group message
to the teams it names (and the sender's), which is the fan-out crisisgame gives the same messages
(a group message reaches its teams only, not the observers). Both servers then deliver the same
messages to the same clients, and the ratio measures what crisisgame adds per delivery: validation,
authorisation, the engine, a durable SQLite write and each seat's view. The bare server runs twice:
without compression (`baseline`), and with crisisgame's own compression policy, per-message deflate
for messages of 1 KiB or more only (`baseline-1k`, `crisisgame.server.compression`); the library's
default, deflating every small message, would handicap it by a quarter of its time. Both get the same clients,
driven by worker processes of their own (multiprocessing, asyncio, many connections each).

The facilitator creates the games (a shipped scenario, every playable actor a team), starts them
and moves them on to diplomacy. Each game has `--clients` clients: students spread over the teams
(several per team) and a few observers. Every student sends `send_message` commands, public or to
a group of two other teams; the text carries a marker with the sender and the send time (the
monotonic clock, which all processes of this machine share), so every client that receives the
`event` measures command→broadcast latency, the sender included.

Two phases, after a warm-up:
- steady: each student sends `--rate` messages per second (open loop; default one every 10 s, a
  very talkative class: 180 commands/s over 100 games); latency and memory targets;
- capacity: each student sends its next message as soon as its own previous one came back (closed
  loop, at most 16 per second, under the server's rate limit); delivered messages per second is
  then what the system can carry, and the throughput target compares it with the baseline's.

The press shape (`--shape press`, e.g. 20 games × 7 clients): each game is one open-loop stream of
public messages, its clients taking turns to send, swept over rising rates (`--rates`, messages
per second per game, then on upward by `--step-factor` per step), one step at a time until a step
misses (or the sweep reaches `--max-rate`, `--max-steps` or `--sweep-budget`, which the report
names: the knee is then a lower bound). A step passes if it kept p99 command→broadcast <= 100 ms
with every message delivered to every client. After the first miss, up to `--bisect` more steps
(default 3, within the same bounds) each try the rate halfway between the highest that passed and
the lowest that missed, so that the knee is not an artefact of the steps' spacing; the knee is the
highest rate that passed below the lowest that missed (the report prints both), and the ratio
compares deliveries per second at the two servers' knees. crisisgame runs with its
per-connection rate limit raised (`serve --rate-limit`, `--server-rate-limit`), as the bare server
has none, so that only the servers' own capacity bounds either sweep.

On this machine the client processes share the cores with the server they measure, which in a
classroom runs on a machine of its own; `--client-nice 10` runs them at a lower priority, so that a
server that needs its core gets it rather than taking turns on it with the load (either server
alike; the default, 0, gives them equal shares, as every figure of record so far).

Every connection comes from the loopback range, one source address per game (127.0.x.y, as one
classroom behind one NAT address): the server allows 200 connections per address.

Usage: .venv/bin/python benchmarks/bench_server_load.py [--games 100] [--clients 20] [--duration 30] ...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

HOST = "127.0.0.1"
MARK = "BENCH|"
P99_TARGET_MS = 100.0
RATIO_TARGET = 0.5
MEMORY_TARGET_KIB = 150.0
PRESS_PER_SENDER = 19.0
"""Press shape: the most a crisisgame sender is asked to send per second (the server allows 20)."""
BISECT_RESOLUTION = 0.03
"""The press sweep's bisection stops once the rate that passed and the one that missed are this close (3%)."""
CLOSED_LOOP_MIN_INTERVAL = 1 / 16
"""Capacity phase: a student sends at most 16 messages per second (the server allows 20)."""
ECHO_TIMEOUT = 5.0
MAX_GAMES, MAX_CLIENTS, MAX_SECONDS = 1000, 150, 600.0
FILLER = "Our delegation proposes talks on the exclusion zone, with observers from both sides present."


# --------------------------------------------------------------------------- what a worker drives


@dataclass(frozen=True)
class Spec:
    """One client: its game, how it signs in, and whether (and to whom) it sends."""

    id: int
    game: str
    code: str
    seat: str
    sender: bool
    partners: tuple[str, ...]
    source: str
    place: int = 0
    """The press shape: this sender's place among its game's senders (they take turns in one stream)."""
    senders: int = 1


@dataclass(frozen=True)
class Timeline:
    """Absolute `time.monotonic()` instants, shared by every process of the machine."""

    warm: float
    steady: float
    steady_end: float
    capacity: float
    capacity_end: float
    stop: float
    steps: tuple[tuple[str, float, float, float], ...] = ()
    """The press shape's sweep: (name, start, end, messages per second per game), one after another."""


@dataclass
class Tally:
    """What one worker saw; merged across workers by the coordinator."""

    connected: int = 0
    failed: int = 0
    sign_in_seconds: float = 0.0
    sent: Counter[str] = field(default_factory=Counter)
    delivered: Counter[str] = field(default_factory=Counter)
    latency: dict[str, array[float]] = field(default_factory=dict)
    echo: dict[str, array[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)

    def phase_array(self, table: dict[str, array[float]], phase: str) -> array[float]:
        if phase not in table:
            table[phase] = array("d")
        return table[phase]

    def merge(self, other: Tally) -> None:
        self.connected += other.connected
        self.failed += other.failed
        self.sign_in_seconds = max(self.sign_in_seconds, other.sign_in_seconds)
        self.sent.update(other.sent)
        self.delivered.update(other.delivered)
        self.errors.update(other.errors)
        self.closes.update(other.closes)
        for mine, theirs in ((self.latency, other.latency), (self.echo, other.echo)):
            for phase, values in theirs.items():
                self.phase_array(mine, phase).extend(values)


def _phase_of(t: float, tl: Timeline) -> str | None:
    for name, start, end, _ in tl.steps:
        if start <= t < end:
            return name
    if tl.steps:
        return None
    if tl.steady <= t < tl.steady_end:
        return "steady"
    if tl.capacity <= t < tl.capacity_end:
        return "capacity"
    return None


class Bot:
    """One websocket client: signs in, reads everything, and (if a student) sends messages."""

    def __init__(self, spec: Spec, kind: str, tally: Tally) -> None:
        self.spec = spec
        self.kind = kind
        self.tally = tally
        self.ws: ClientConnection | None = None
        self.signed_in = asyncio.Event()
        self.echoed = asyncio.Event()
        self.timeline: Timeline | None = None
        self.counter = 0
        self.reader: asyncio.Task[None] | None = None
        self.closing = False
        self.press = False

    async def open(self, url: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            self.ws = await connect(
                url, local_addr=(self.spec.source, 0), ping_interval=None, open_timeout=60, max_size=2**22
            )
            self.reader = asyncio.get_running_loop().create_task(self._read())
            if self.kind == "crisisgame":
                hello = {"type": "join", "code": self.spec.code, "name": f"Student {self.spec.id}"}
            else:
                hello = {"type": "join", "room": self.spec.game, "team": self.spec.seat}
            await self.ws.send(json.dumps(hello))
            await asyncio.wait_for(self.signed_in.wait(), 60)

    async def _read(self) -> None:
        assert self.ws is not None
        me = self.spec.id
        ready = '{"type":"view"' if self.kind == "crisisgame" else '{"type":"joined"'
        try:
            async for raw in self.ws:
                now = time.monotonic()
                text = raw if isinstance(raw, str) else raw.decode()
                i = text.find(MARK)
                if i < 0:
                    if text.startswith('{"type":"error"'):
                        self.tally.errors[json.loads(text)["code"]] += 1
                    elif not self.signed_in.is_set() and text.startswith(ready):
                        self.signed_in.set()
                    continue
                tl = self.timeline
                if tl is None:
                    continue
                start = i + len(MARK)
                sender_end = text.index("|", start)
                ts_end = text.index("|", sender_end + 1)
                sender = int(text[start:sender_end])
                sent_at = float(text[sender_end + 1 : ts_end])
                tally = self.tally  # (the press shape gives each step a tally of its own)
                received_in = _phase_of(now, tl)
                if received_in is not None:
                    tally.delivered[received_in] += 1
                sent_in = _phase_of(sent_at, tl)
                if sent_in is not None:
                    tally.phase_array(tally.latency, sent_in).append(now - sent_at)
                    if sender == me:
                        tally.phase_array(tally.echo, sent_in).append(now - sent_at)
                if sender == me:
                    self.echoed.set()
        except ConnectionClosed as exc:
            if not self.closing:  # closed by the server, not by us at the end
                self.tally.closes[str(exc.rcvd.code) if exc.rcvd is not None else "no close frame"] += 1

    def _message(self, now: float) -> str:
        self.counter += 1
        text = f"{MARK}{self.spec.id}|{now:.6f}|{self.counter} {FILLER}"
        public = not self.spec.partners or self.counter % 2 == 0 or self.press
        if self.kind == "baseline":
            return json.dumps({"type": "msg", "text": text, **({} if public else {"to": list(self.spec.partners)})})
        command: dict[str, Any] = {"type": "send_message", "channel": "public", "text": text}
        if not public:
            command = {**command, "channel": "group", "to": list(self.spec.partners)}
        return json.dumps({"type": "command", "id": f"c{self.counter}", "command": command})

    async def _send(self, phase: str) -> None:
        assert self.ws is not None
        self.echoed.clear()
        await self.ws.send(self._message(time.monotonic()))
        self.tally.sent[phase] += 1

    async def drive(self, tl: Timeline, rate: float) -> None:
        """Open loop from warm-up to the end of the steady phase, then closed loop for capacity."""
        self.timeline = tl
        if not self.spec.sender or self.ws is None:
            return
        if tl.steps:
            await self.drive_press(tl)
            return
        try:
            interval = 1 / rate
            at = tl.warm + random.uniform(0, interval)
            while at < tl.steady_end:
                await asyncio.sleep(max(0.0, at - time.monotonic()))
                await self._send("steady" if at >= tl.steady else "warm")
                at += interval
            await asyncio.sleep(max(0.0, tl.capacity - time.monotonic()) + random.uniform(0, 0.05))
            while time.monotonic() < tl.capacity_end:
                started = time.monotonic()
                await self._send("capacity")
                try:
                    await asyncio.wait_for(self.echoed.wait(), ECHO_TIMEOUT)
                except TimeoutError:
                    self.tally.errors["echo_timeout"] += 1
                await asyncio.sleep(max(0.0, started + CLOSED_LOOP_MIN_INTERVAL - time.monotonic()))
        except ConnectionClosed:
            pass

    async def drive_press(self, tl: Timeline) -> None:
        """The press shape: each game is one open-loop stream of public messages at the step's rate,
        its senders taking turns (message k of the stream is sent by sender k mod senders)."""
        self.press = True
        assert self.ws is not None
        offset = random.Random(self.spec.game).uniform(0, 1)  # the same for every sender of a game
        try:
            for _, start, end, rate in tl.steps:
                interval = self.spec.senders / rate
                at = start + (offset + self.spec.place) / rate
                while at < end:
                    await asyncio.sleep(max(0.0, at - time.monotonic()))
                    sent_at = time.monotonic()
                    # Counted by when it went, as its deliveries are (a sleep that overran the step's
                    # end would otherwise count a message whose deliveries count nowhere as lost), and
                    # before the send: counted after it, a send still waiting for its write when the
                    # step's tally was read went into a tally already read, and its deliveries showed
                    # as 7 more than were sent ("lost -7", a miss).
                    if (phase := _phase_of(sent_at, tl)) is not None:
                        self.tally.sent[phase] += 1
                    await self.ws.send(self._message(sent_at))
                    at += interval
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.wait([self.reader], timeout=5)


async def _worker(pipe: Pipe, url: str, kind: str, specs: list[Spec], rate: float) -> Tally:
    tally = Tally()
    bots = [Bot(spec, kind, tally) for spec in specs]
    gate = asyncio.Semaphore(32)
    started = time.monotonic()
    outcomes = await asyncio.gather(*(b.open(url, gate) for b in bots), return_exceptions=True)
    tally.sign_in_seconds = time.monotonic() - started
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            tally.failed += 1
            tally.errors[f"connect: {type(outcome).__name__}: {outcome}"[:120]] += 1
        else:
            tally.connected += 1
    pipe.send(("ready", tally.connected, tally.failed))
    loop = asyncio.get_running_loop()
    tl: Timeline | None = await loop.run_in_executor(None, pipe.recv)
    while tl is not None and tl.steps:
        # The press shape: one step of the sweep at a time, each with a tally of its own, reported
        # once its drain is over; the coordinator then sends the next step, or None (the knee is found).
        step = Tally()
        for b in bots:
            b.tally = step
        await asyncio.gather(*(b.drive(tl, rate) for b in bots))
        await asyncio.sleep(max(0.0, tl.stop - time.monotonic()))
        pipe.send(("step", step))
        tl = await loop.run_in_executor(None, pipe.recv)
    if tl is not None:
        await asyncio.gather(*(b.drive(tl, rate) for b in bots))
        await asyncio.sleep(max(0.0, tl.stop - time.monotonic()))
    for b in bots:
        b.tally = tally
    await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
    return tally


def worker_main(pipe: Pipe, url: str, kind: str, specs: list[Spec], rate: float, nice: int = 0) -> None:
    raise_open_files(len(specs) + 100)
    if nice:
        os.nice(nice)  # (`--client-nice`: the load yields the CPU to the server it measures)
    try:
        tally = asyncio.run(_worker(pipe, url, kind, specs, rate))
    except BaseException as exc:  # report, never hang the coordinator
        pipe.send(("failed", repr(exc)))
        raise
    pipe.send(("done", tally))


# --------------------------------------------------------------------------- the coordinator


def raise_open_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every core, every process, the kernel)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A server subprocess: the websocket URL and, for crisisgame, the facilitator token."""

    proc: subprocess.Popen[str]
    url: str
    token: str
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


BASELINES = {"baseline": "none", "baseline-1k": "large"}
"""The bare server's runs and their compression: none at all, or crisisgame's own policy (messages
of 1 KiB or more, `crisisgame.server.compression`). The library default, compressing every small
message, would cost the bare server a quarter of its time for nothing crisisgame pays."""


def start_server(
    kind: str, workdir: Path, profile: str | None = None, sync: str = "normal", rate_limit: float | None = None
) -> Server:
    log = workdir / f"{kind}.log"
    if kind == "crisisgame":
        python = [sys.executable, "-m", "cProfile", "-o", profile] if profile else [sys.executable]
        cmd = [*python, "-m", "crisisgame", "serve", "--host", HOST, "--port", "0", "--no-quotas", "--sync", sync]
        db = workdir / "bench.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)  # (a sweep starts a server per shape)
        cmd += ["--db", str(db)]
        if rate_limit is not None:
            cmd += ["--rate-limit", f"{rate_limit:g}"]
    else:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--baseline-server", BASELINES[kind]]
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
    assert proc.stdout is not None
    url = token = ""
    deadline = time.monotonic() + 60
    while not url:
        line = proc.stdout.readline()
        if not line or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{kind} server did not start: see {log}")
        if found := re.search(r"#facilitator=(\S+)", line):
            token = found.group(1)
        if found := re.search(r"(ws://\S+/ws)", line):
            url = found.group(1)
    return Server(proc, url, token, log)


async def _expect(ws: ClientConnection, wanted: str, ident: str | None = None) -> dict[str, Any]:
    """Read until a message of type `wanted` (with `id` ident, if given); fail on its error."""
    while True:
        try:
            msg: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 60))
        except TimeoutError:
            raise RuntimeError(f"no {wanted} {ident or ''} from the server within 60 s") from None
        if msg["type"] == "error" and (msg.get("id") == ident or msg["code"] == "rate_limited"):
            raise RuntimeError(f"{ident}: {msg}")
        if msg["type"] == wanted and (ident is None or msg.get("id") == ident):
            return msg


class Facilitator:
    """One facilitator connection, paced under the server's rate limit (20 messages per second)."""

    PACE = 1 / 15

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.last = 0.0

    async def ask(self, message: dict[str, Any], wanted: str, ident: str | None = None) -> dict[str, Any]:
        await asyncio.sleep(max(0.0, self.last + self.PACE - time.monotonic()))
        self.last = time.monotonic()
        await self.ws.send(json.dumps(message))
        return await _expect(self.ws, wanted, ident)


async def _setup_some(server: Server, scenario: str, teams: list[str], numbers: range) -> list[dict[str, str]]:
    """Create, start and move on to diplomacy some of the games, over a facilitator connection of their own."""
    codes: list[dict[str, str]] = []
    async with connect(server.url, max_size=2**24, open_timeout=60) as ws:
        fac = Facilitator(ws)
        await fac.ask({"type": "facilitate", "token": server.token}, "welcome")
        for g in numbers:
            create = {"type": "create_game", "id": f"g{g}", "scenario": scenario, "teams": teams, "seed": g}
            data = (await fac.ask(create, "reply", f"g{g}"))["data"]
            await fac.ask({"type": "facilitate", "token": server.token, "game": data["game"]}, "view")
            for step, command in (("start", {"type": "start"}), ("advance", {"type": "advance", "phase": "briefing"})):
                await fac.ask({"type": "command", "id": f"{step}{g}", "command": command}, "ack", f"{step}{g}")
            codes.append({"game": data["game"], **data["codes"]})
    return codes


async def setup_games(server: Server, games: int, scenario: str) -> tuple[list[str], list[dict[str, str]]]:
    """The facilitator creates, starts and moves each game on to diplomacy: the teams and codes."""
    async with connect(server.url, max_size=2**24, open_timeout=60) as ws:
        fac = Facilitator(ws)
        await fac.ask({"type": "facilitate", "token": server.token}, "welcome")
        reply = await fac.ask({"type": "list_scenarios", "id": "s"}, "reply", "s")
    wanted = scenario.replace("_", "-")
    entry = next((s for s in reply["data"]["scenarios"] if s["id"] == wanted), None)
    if entry is None:
        raise SystemExit(f"no shipped scenario {scenario!r}")
    teams = [a["id"] for a in entry["actors"] if a["playable"]]
    consoles = 4  # several facilitator connections, as several facilitators would
    parts = await asyncio.gather(
        *(_setup_some(server, wanted, teams, range(c, games, consoles)) for c in range(consoles))
    )
    codes = sorted((c for part in parts for c in part), key=lambda c: c["game"])
    return teams, codes


def source_address(game: int) -> str:
    return f"127.0.{1 + game // 250}.{1 + game % 250}"


def make_specs(teams: list[str], codes: list[dict[str, str]], clients: int, *, observers: bool = True) -> list[Spec]:
    """Students round-robin over the teams, and (if `observers`) one observer per ten clients (at least one)."""
    rng = random.Random(7)
    watching = max(1, clients // 10) if observers else 0
    specs: list[Spec] = []
    for g, game in enumerate(codes):
        for c in range(clients):
            ident = g * clients + c
            if c >= clients - watching:
                specs.append(Spec(ident, game["game"], game["observer"], "observer", False, (), source_address(g)))
                continue
            seat = teams[c % len(teams)]
            others = [t for t in teams if t != seat]
            partners = tuple(rng.sample(others, 2)) if len(others) >= 2 else ()
            place, senders = c, clients - watching
            specs.append(Spec(ident, game["game"], game[seat], seat, True, partners, source_address(g), place, senders))
    return specs


@dataclass
class Run:
    kind: str
    connections: int = 0
    tally: Tally = field(default_factory=Tally)
    setup_seconds: float = 0.0
    rss_before: int = 0
    rss_ready: int = 0
    rss_steady: int = 0
    rss_peak: int = 0
    rss_at: dict[str, int] = field(default_factory=dict)
    """Server RSS (KiB) at each mark of the timeline."""
    cpu: dict[str, float] = field(default_factory=dict)
    """Server CPU seconds at each mark of the timeline."""
    ours: dict[str, float] = field(default_factory=dict)
    """CPU seconds of every process of the benchmark (server, clients, this one) at each mark."""
    machine: dict[str, float] = field(default_factory=dict)
    """Busy CPU seconds of the whole machine at each mark."""
    log_lines: Counter[str] = field(default_factory=Counter)
    rates: list[float] = field(default_factory=list)
    """The press shape: the rates of the steps run, in order."""
    sweep_end: str = ""
    """The press shape: why the sweep stopped ('failed': a step missed; else the bound it reached)."""
    bisected: int = 0
    """The press shape: steps run after the first miss, between the highest rate that passed and the
    lowest that missed."""

    def per_connection_kib(self, rss: int) -> float:
        return (rss - self.rss_before) / max(1, self.tally.connected)


def press_ceiling(args: argparse.Namespace, kind: str) -> float:
    """The highest rate (messages per second per game) the game's senders may reach: for crisisgame,
    what its per-connection rate limit (`serve --rate-limit`) lets them send; the bare server has none."""
    top = float(args.max_rate)
    if kind != "crisisgame":
        return top
    clients: int = args.clients
    return min(top, PRESS_PER_SENDER / 20.0 * float(args.server_rate_limit) * clients)


def press_rates(args: argparse.Namespace, kind: str) -> Iterator[float]:
    """The sweep's rates: `--rates`, then on upward by `--step-factor` until the ceiling (the caller
    stops at the first step that misses, at `--max-steps`, or when `--sweep-budget` runs out)."""
    ceiling = press_ceiling(args, kind)
    rate = 0.0
    for rate in args.rates:
        if rate > ceiling:
            return
        yield rate
    while (rate := float(round(rate * args.step_factor))) <= ceiling:
        yield rate


def press_step(rate: float, start: float, args: argparse.Namespace) -> Timeline:
    """One step of the press sweep: `step_duration` seconds at `rate` from `start`, then the drain."""
    end = start + args.step_duration
    # (the class shape's marks, unused: the press shape reads its steps)
    return Timeline(start, start, start, start, start, end + args.drain, ((f"r{rate:g}", start, end, rate),))


def step_ok(step: Tally, name: str, clients: int) -> bool:
    """A press step kept p99 command→broadcast <= 100 ms and delivered every message to every client."""
    lat = step.latency.get(name, array("d"))
    delivered = step.sent[name] > 0 and len(lat) == step.sent[name] * clients
    return delivered and percentile(lat, 0.99) * 1000 <= P99_TARGET_MS


def bisect_rate(passed: float, missed: float) -> float | None:
    """The rate halfway between the highest that passed and the lowest that missed, in whole messages
    per second (strictly between the two: they are more than one apart), or None once the two are
    within `BISECT_RESOLUTION` of each other or one message per second."""
    if missed - passed <= max(1.0, passed * BISECT_RESOLUTION):
        return None
    return float(round((passed + missed) / 2))


def run_press(run: Run, server: Server, pipes: list[Pipe], args: argparse.Namespace) -> None:
    """The press sweep, one step at a time: each worker reports a step's tally after its drain, and the
    sweep goes on to the next rate while every step so far passed (`step_ok`), within its bounds; after
    the first step that misses, up to `--bisect` more steps halve the gap between the highest rate that
    passed and the lowest that missed (`bisect_rate`), within the same bounds."""
    began = time.monotonic()
    start = began + 0.5 + args.warmup

    def room_for_a_step() -> str | None:
        """Why no further step may run (a bound of the sweep), or None."""
        if len(run.rates) >= args.max_steps:
            return "max-steps"
        if start + args.step_duration + args.drain - began > args.sweep_budget:
            return "budget"
        return None

    def step_at(rate: float) -> bool:
        nonlocal start
        tl = press_step(rate, start, args)
        name = tl.steps[0][0]
        run.rates.append(rate)
        for pipe in pipes:
            pipe.send(tl)
        for mark, at in ((name, tl.steps[0][1]), (f"{name}_end", tl.steps[0][2])):
            while time.monotonic() < at:
                run.rss_peak = max(run.rss_peak, rss_kib(server.proc.pid))
                time.sleep(min(0.5, max(0.0, at - time.monotonic())))
            run.cpu[mark] = cpu_seconds(server.proc.pid)
            run.rss_at[mark] = rss_kib(server.proc.pid)
        step = Tally()
        for pipe in pipes:
            if not pipe.poll(tl.stop - time.monotonic() + 60):
                raise RuntimeError("a worker did not report a step in time")
            status = pipe.recv()
            if status[0] != "step":
                raise RuntimeError(f"a worker failed: {status}")
            step.merge(status[1])
        run.tally.merge(step)
        ok = step_ok(step, name, args.clients)
        print(f"  {run.kind} {rate:g} msg/s per game: {'ok' if ok else 'missed'}", flush=True)
        start = time.monotonic() + 0.5
        return ok

    passed: float | None = None
    missed: float | None = None
    run.sweep_end = "ceiling"
    for rate in press_rates(args, run.kind):
        if (bound := room_for_a_step()) is not None:
            run.sweep_end = bound
            break
        if not step_at(rate):
            missed = rate
            run.sweep_end = "failed"
            break
        passed = rate
    while missed is not None and passed is not None and run.bisected < args.bisect:
        mid = bisect_rate(passed, missed)
        if mid is None or room_for_a_step() is not None:
            break
        run.bisected += 1
        if step_at(mid):
            passed = mid
        else:
            missed = mid
    for pipe in pipes:
        pipe.send(None)


def make_timeline(args: argparse.Namespace, kind: str) -> Timeline:
    now = time.monotonic() + 0.5
    return Timeline(
        warm=now,
        steady=now + args.warmup,
        steady_end=now + args.warmup + args.duration,
        capacity=now + args.warmup + args.duration + args.drain,
        capacity_end=now + args.warmup + args.duration + args.drain + args.capacity_duration,
        stop=now + args.warmup + args.duration + 2 * args.drain + args.capacity_duration,
    )


def wait_for_quiet(limit: float) -> float:
    """Wait up to `limit` seconds for the machine to be nearly idle; the cores other processes use."""
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy_seconds()
        time.sleep(2.0)
        busy = (machine_busy_seconds() - before) / 2.0
        if busy <= 0.3 or time.monotonic() >= deadline:
            return busy
        time.sleep(3.0)


def run_load(kind: str, args: argparse.Namespace, workdir: Path) -> Run:
    busy = wait_for_quiet(args.quiet_wait)
    print(f"running against {kind} (other processes were using {busy:.2f} cores)...", flush=True)
    run = Run(kind)
    rate_limit = args.server_rate_limit if args.shape == "press" else None
    server = start_server(kind, workdir, args.profile if kind == "crisisgame" else None, args.sync, rate_limit)
    procs: list[mp.process.BaseProcess] = []
    try:
        began = time.monotonic()
        if kind == "crisisgame":
            teams, codes = asyncio.run(setup_games(server, args.games, args.scenario))
        else:
            teams = [f"T{i}" for i in range(7)]
            codes = [{"game": f"room{g}", "observer": "", **dict.fromkeys(teams, "")} for g in range(args.games)]
        run.setup_seconds = time.monotonic() - began
        specs = make_specs(teams, codes, args.clients, observers=args.shape == "class")
        run.connections = len(specs)
        time.sleep(1.0)  # let the bots' first rounds finish before the memory baseline
        run.rss_before = rss_kib(server.proc.pid)

        ctx = mp.get_context("spawn")
        pipes: list[Pipe] = []
        for w in range(args.workers):
            mine = [s for s in specs if (s.id // args.clients) % args.workers == w]
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(
                target=worker_main, args=(theirs, server.url, kind, mine, args.rate, args.client_nice), daemon=True
            )
            proc.start()
            procs.append(proc)
            pipes.append(ours)
        for pipe in pipes:
            if not pipe.poll(args.setup_timeout):
                raise RuntimeError("a worker did not connect its clients in time")
            status = pipe.recv()
            if status[0] != "ready":
                raise RuntimeError(f"a worker failed: {status}")
        time.sleep(1.0)
        run.rss_ready = run.rss_peak = rss_kib(server.proc.pid)

        if args.shape == "press":
            run_press(run, server, pipes, args)
            tl = Timeline(*(time.monotonic(),) * 6)
            marks: dict[str, float] = {}
        else:
            tl = make_timeline(args, kind)
            for pipe in pipes:
                pipe.send(tl)
            marks = {"steady": tl.steady, "steady_end": tl.steady_end, "capacity": tl.capacity, "end": tl.capacity_end}
        pids = [server.proc.pid, os.getpid(), *(p.pid for p in procs if p.pid is not None)]
        for name, at in marks.items():
            while time.monotonic() < at:
                run.rss_peak = max(run.rss_peak, rss_kib(server.proc.pid))
                time.sleep(min(0.5, max(0.0, at - time.monotonic())))
            run.cpu[name] = cpu_seconds(server.proc.pid)
            run.ours[name] = sum(cpu_seconds(pid) for pid in pids)
            run.machine[name] = machine_busy_seconds()
            run.rss_at[name] = rss_kib(server.proc.pid)
            if name == "steady_end":
                run.rss_steady = run.rss_peak = max(run.rss_peak, rss_kib(server.proc.pid))
        run.rss_peak = max(run.rss_peak, rss_kib(server.proc.pid))
        for pipe in pipes:
            if not pipe.poll(tl.stop - time.monotonic() + 60):
                raise RuntimeError("a worker did not report in time")
            status = pipe.recv()
            if status[0] != "done":
                raise RuntimeError(f"a worker failed: {status}")
            run.tally.merge(status[1])
        for worker in procs:
            worker.join(10)
    except BaseException:
        tail = server.log.read_text(errors="replace").splitlines()[-15:]
        print(f"{kind} run failed; the server's log ends with:", *tail, sep="\n  ", file=sys.stderr)
        raise
    finally:
        for worker in procs:
            if worker.is_alive():
                worker.terminate()
        server.stop()
    for line in server.log.read_text(errors="replace").splitlines():
        if " WARNING " in line or " ERROR " in line:
            run.log_lines[re.sub(r"\d+", "N", line.split(": ", 1)[-1])[:100]] += 1
    return run


# --------------------------------------------------------------------------- the report


def percentile(values: array[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(values: array[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:.1f}"


def report(runs: list[Run], args: argparse.Namespace) -> dict[str, Any]:
    phases = {"steady": args.duration, "capacity": args.capacity_duration}
    summary: dict[str, Any] = {}
    for run in runs:
        t = run.tally
        s: dict[str, Any] = {
            "connections": t.connected,
            "failed": t.failed,
            "setup_s": run.setup_seconds,
            "sign_in_s": t.sign_in_seconds,
            "rss_before_mib": run.rss_before / 1024,
            "per_connection_idle_kib": run.per_connection_kib(run.rss_ready),
            "per_connection_steady_kib": run.per_connection_kib(run.rss_steady),
            "per_connection_peak_kib": run.per_connection_kib(run.rss_peak),
            "errors": dict(t.errors),
            "closes": dict(t.closes),
            "server_log": dict(run.log_lines.most_common(5)),
        }
        spans = {"steady": ("steady", "steady_end"), "capacity": ("capacity", "end")}
        for phase, seconds in phases.items():
            lat = t.latency.get(phase, array("d"))
            echo = t.echo.get(phase, array("d"))
            a, b = spans[phase]
            s[phase] = {
                "commands_per_s": t.sent[phase] / seconds,
                "delivered_per_s": t.delivered[phase] / seconds,
                "latency_p50_ms": percentile(lat, 0.5) * 1000,
                "latency_p99_ms": percentile(lat, 0.99) * 1000,
                "latency_max_ms": max(lat, default=float("nan")) * 1000,
                "echo_p50_ms": percentile(echo, 0.5) * 1000,
                "echo_p99_ms": percentile(echo, 0.99) * 1000,
                "server_cpu": (run.cpu[b] - run.cpu[a]) / seconds,
                "server_cpu_ms_per_command": (run.cpu[b] - run.cpu[a]) * 1000 / max(1, t.sent[phase]),
                "server_cpu_us_per_delivery": (run.cpu[b] - run.cpu[a]) * 1e6 / max(1, t.delivered[phase]),
                "delivered_per_cpu_s": t.delivered[phase] / max(1e-9, run.cpu[b] - run.cpu[a]),
                "clients_cpu": (run.ours[b] - run.ours[a] - (run.cpu[b] - run.cpu[a])) / seconds,
                "other_cpu": (run.machine[b] - run.machine[a] - (run.ours[b] - run.ours[a])) / seconds,
            }
        summary[run.kind] = s

    def col(kind: str, fn: Any) -> str:
        return fn(summary[kind]) if kind in summary else "-"

    kinds = [r.kind for r in runs]
    table: list[tuple[str, Any]] = [
        ("connections signed in", lambda s: f"{s['connections']} ({s['failed']} failed)"),
        ("setup: games / sign-in (s)", lambda s: f"{s['setup_s']:.1f} / {s['sign_in_s']:.1f}"),
    ]
    for phase in phases:
        title = f"steady, {args.rate:g} msg/s per student" if phase == "steady" else "capacity (closed loop)"
        table += [
            (f"[{title}, {phases[phase]:g} s]", lambda s: ""),
            ("  commands sent per s", lambda s, p=phase: f"{s[p]['commands_per_s']:.0f}"),
            ("  delivered msgs per s", lambda s, p=phase: f"{s[p]['delivered_per_s']:.0f}"),
            (
                "  latency p50 / p99 / max (ms)",
                lambda s, p=phase: (
                    f"{s[p]['latency_p50_ms']:.1f} / {s[p]['latency_p99_ms']:.1f} / {s[p]['latency_max_ms']:.0f}"
                ),
            ),
            (
                "  sender's echo p50 / p99 (ms)",
                lambda s, p=phase: f"{s[p]['echo_p50_ms']:.1f} / {s[p]['echo_p99_ms']:.1f}",
            ),
            (
                "  server CPU: ms/command, µs/delivery",
                lambda s, p=phase: (
                    f"{s[p]['server_cpu_ms_per_command']:.2f} / {s[p]['server_cpu_us_per_delivery']:.0f}"
                ),
            ),
            (
                "  CPU: server / clients / others (cores)",
                lambda s, p=phase: f"{s[p]['server_cpu']:.2f} / {s[p]['clients_cpu']:.2f} / {s[p]['other_cpu']:.2f}",
            ),
        ]
    table += [
        ("server RSS before clients (MiB)", lambda s: f"{s['rss_before_mib']:.1f}"),
        (
            "RSS growth/conn.: idle/steady/peak (KiB)",
            lambda s: (
                f"{s['per_connection_idle_kib']:.0f} / {s['per_connection_steady_kib']:.0f} / "
                f"{s['per_connection_peak_kib']:.0f}"
            ),
        ),
    ]
    print()
    print(f"{'':40} " + "".join(f"{k:>26}" for k in kinds))
    for label, fn in table:
        print(f"{label:40} " + "".join(f"{col(k, fn):>26}" for k in kinds))
    for kind in kinds:
        s = summary[kind]
        for what in ("errors", "closes", "server_log"):
            if s[what]:
                print(f"{kind} {what}: {s[what]}")
        others = max(s[p]["other_cpu"] for p in phases)
        if others > 0.2:
            print(f"note: other processes used up to {others:.2f} cores during the {kind} run: pessimistic figures")

    if "crisisgame" in summary:
        cg = summary["crisisgame"]
        print()
        p99 = cg["steady"]["latency_p99_ms"]
        print(
            f"target p99 command→broadcast latency <= {P99_TARGET_MS:.0f} ms (steady): {p99:.1f} ms: "
            f"{'met' if p99 <= P99_TARGET_MS else 'MISSED'}"
        )
        for base in (k for k in BASELINES if k in summary):
            b = summary[base]
            ratios = {p: cg[p]["delivered_per_s"] / max(1e-9, b[p]["delivered_per_s"]) for p in phases}
            per_cpu = cg["steady"]["delivered_per_cpu_s"] / max(1e-9, b["steady"]["delivered_per_cpu_s"])
            cg[f"ratio_to_{base}"] = {**ratios, "steady_per_cpu": per_cpu}
            ratio = ratios["capacity"]
            print(
                f"target delivered msgs/s >= {RATIO_TARGET:.0%} of {base} ({BASELINES[base]} compression), capacity: "
                f"{ratio:.0%} ({cg['capacity']['delivered_per_s']:.0f} vs {b['capacity']['delivered_per_s']:.0f}; "
                f"steady: {ratios['steady']:.0%}): {'met' if ratio >= RATIO_TARGET else 'MISSED'}"
            )
            print(
                f"  messages delivered per second of server CPU (steady), which other load on the machine disturbs "
                f"least: {cg['steady']['delivered_per_cpu_s']:.0f} vs {b['steady']['delivered_per_cpu_s']:.0f}: "
                f"{per_cpu:.0%} of {base}'s"
            )
        kib = cg["per_connection_steady_kib"]
        print(
            f"target memory <= {MEMORY_TARGET_KIB:.0f} KiB per connection (RSS growth to the end of the steady phase): "
            f"{kib:.1f} KiB: "
            f"{'met' if kib <= MEMORY_TARGET_KIB else 'MISSED'}"
        )
    return summary


def press_knee(steps: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The knee (the step of the highest rate that passed below every rate that missed, None if the lowest
    rate missed) and the step of the lowest rate that missed (None: no step missed, the knee is a lower bound)."""
    missed = min((st for st in steps if not st["ok"]), key=lambda st: st["rate_per_game"], default=None)
    below = [st for st in steps if st["ok"] and (missed is None or st["rate_per_game"] < missed["rate_per_game"])]
    return max(below, key=lambda st: st["rate_per_game"], default=None), missed


def press_report(runs: list[Run], args: argparse.Namespace) -> dict[str, Any]:
    """The press shape: per step of the sweep, delivered messages per second, p99, losses; the knee is
    the highest rate that kept p99 <= 100 ms with every message delivered below the lowest rate that
    did not (bracketed by bisection after the first miss: `run_press`)."""
    summary: dict[str, Any] = {}
    for run in runs:
        t = run.tally
        steps: list[dict[str, Any]] = []
        for order, rate in enumerate(run.rates):
            name = f"r{rate:g}"
            lat = t.latency.get(name, array("d"))
            expected = t.sent[name] * args.clients  # every message is public: every client of the game gets it
            cpu = run.cpu[f"{name}_end"] - run.cpu[name]
            step = {
                "rate_per_game": rate,
                "bisection": order >= len(run.rates) - run.bisected,
                "sent_per_s": t.sent[name] / args.step_duration,
                "delivered_per_s": len(lat) / args.step_duration,
                "lost": expected - len(lat),
                "p50_ms": percentile(lat, 0.5) * 1000,
                "p99_ms": percentile(lat, 0.99) * 1000,
                "server_cpu_ms_per_command": cpu * 1000 / max(1, t.sent[name]),
                "server_cpu_cores": cpu / args.step_duration,
                "rss_growth_per_connection_kib": (run.rss_at[f"{name}_end"] - run.rss_before) / max(1, t.connected),
            }
            step["ok"] = step["lost"] == 0 and step["p99_ms"] <= P99_TARGET_MS and t.sent[name] > 0
            steps.append(step)
        knee, missed = press_knee(steps)
        summary[run.kind] = {
            "steps": steps,
            "knee": knee,
            "missed": missed,
            "bisection_steps": run.bisected,
            "connections": t.connected,
            "errors": dict(t.errors),
            "sweep_end": run.sweep_end,
        }
        print(f"\n{run.kind}: {t.connected} connections ({t.failed} failed), {args.clients} clients per game")
        print(
            f"  {'msg/s/game':>10} {'sent/s':>8} {'deliv/s':>8} {'lost':>6} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'CPU ms/cmd':>10} {'cores':>6} {'KiB/conn':>8}"
        )
        for st in sorted(steps, key=lambda st: st["rate_per_game"]):
            mark = "  <- knee" if st is knee else "" if st["ok"] else "  x"
            print(
                f"  {st['rate_per_game']:>10g} {st['sent_per_s']:>8.0f} {st['delivered_per_s']:>8.0f} {st['lost']:>6d} "
                f"{st['p50_ms']:>8.1f} {st['p99_ms']:>8.1f} {st['server_cpu_ms_per_command']:>10.2f} "
                f"{st['server_cpu_cores']:>6.2f} {st['rss_growth_per_connection_kib']:>8.0f}"
                f"{' (bisection)' if st['bisection'] else ''}{mark}"
            )
        for what in ("errors",):
            if t.errors:
                print(f"  {what}: {dict(t.errors)}")
    print()
    bounds = {
        "ceiling": "the sweep reached its top rate",
        "max-steps": "the sweep ran --max-steps steps",
        "budget": "the sweep ran out of --sweep-budget",
    }
    for kind, ks in summary.items():
        k, missed = ks["knee"], ks["missed"]
        if k is None:
            print(f"{kind}: no knee (the lowest rate already missed p99 <= {P99_TARGET_MS:.0f} ms or lost messages)")
            continue
        bound = bounds.get(ks["sweep_end"]) if missed is None else None
        where = (
            f" (a lower bound: {bound} before a step missed)"
            if bound
            else f" (passed; {missed['rate_per_game']:g} missed, after {ks['bisection_steps']} bisection steps)"
        )
        print(
            f"{kind}: knee {'>= ' if bound else ''}{k['rate_per_game']:g} msg/s per game{where}, "
            f"{k['delivered_per_s']:.0f} deliveries/s, p99 {k['p99_ms']:.1f} ms, "
            f"{k['server_cpu_ms_per_command']:.3f} ms server CPU per command"
        )
    cg = summary.get("crisisgame")
    for base in (b for b in BASELINES if b in summary):
        if cg is None or cg["knee"] is None or summary[base]["knee"] is None:
            continue
        ratio = cg["knee"]["delivered_per_s"] / max(1e-9, summary[base]["knee"]["delivered_per_s"])
        cg[f"ratio_to_{base}"] = ratio
        caveats = []
        if summary[base]["missed"] is None:
            caveats.append(f"{base}'s knee is a lower bound: the ratio is an upper bound")
        if cg["missed"] is None:
            caveats.append("crisisgame's knee is a lower bound: the ratio is a lower bound")
        print(
            f"target deliveries/s at the knee >= {RATIO_TARGET:.0%} of {base} ({BASELINES[base]} compression): "
            f"{ratio:.0%} ({cg['knee']['delivered_per_s']:.0f} vs {summary[base]['knee']['delivered_per_s']:.0f}; "
            f"server CPU per command {cg['knee']['server_cpu_ms_per_command']:.3f} vs "
            f"{summary[base]['knee']['server_cpu_ms_per_command']:.3f} ms)"
            f"{' (' + '; '.join(caveats) + ')' if caveats else ''}: {'met' if ratio >= RATIO_TARGET else 'MISSED'}"
        )
    return summary


def press_medians(sweeps: list[dict[str, Any]]) -> dict[str, Any]:
    """Each server's median knee over repeated sweeps, and the ratios of the medians. On a machine whose
    latency tail hovers near the target at the knee, one sweep's knee moves by half from run to run; the
    median of several sweeps taken in turns is the figure to compare."""
    medians: dict[str, Any] = {}
    print(f"\nmedian over {len(sweeps)} sweeps (deliveries/s at each sweep's knee; 0: no knee)")
    for kind in sweeps[0]:
        knees = [sw[kind]["knee"] for sw in sweeps]
        delivered = [k["delivered_per_s"] if k else 0.0 for k in knees]
        rates = [k["rate_per_game"] if k else 0.0 for k in knees]
        medians[kind] = {
            "delivered_per_s": statistics.median(delivered),
            "rate_per_game": statistics.median(rates),
            "each_delivered_per_s": delivered,
            "each_rate_per_game": rates,
        }
        print(
            f"  {kind}: knee {statistics.median(rates):g} msg/s per game, {statistics.median(delivered):.0f} "
            f"deliveries/s (each: {', '.join(f'{d:.0f}' for d in delivered)})"
        )
    cg = medians.get("crisisgame")
    for base in (b for b in BASELINES if b in medians):
        if cg is None or medians[base]["delivered_per_s"] <= 0:
            continue
        ratio = cg["delivered_per_s"] / medians[base]["delivered_per_s"]
        each = [sw["crisisgame"].get(f"ratio_to_{base}") for sw in sweeps]
        cg[f"ratio_to_{base}"] = ratio
        print(
            f"target median deliveries/s at the knee >= {RATIO_TARGET:.0%} of {base} ({BASELINES[base]} compression): "
            f"{ratio:.0%} (each sweep: {', '.join('-' if r is None else f'{r:.0%}' for r in each)}): "
            f"{'met' if ratio >= RATIO_TARGET else 'MISSED'}"
        )
    return medians


# --------------------------------------------------------------------------- the baseline server


async def _baseline_server(compression: str) -> None:
    """The bare minimum: join a room as a team; then every message is broadcast to the room, or to the
    teams it is addressed to (`to`) and the sender's. `compression`: 'none', or 'large' for
    crisisgame's policy (per-message deflate for messages of 1 KiB or more, each compressed once)."""
    from crisisgame.server.compression import extensions

    options: dict[str, Any] = (
        {"compression": None} if compression == "none" else {"extensions": extensions(), "compression": None}
    )
    rooms: dict[str, dict[str, set[ServerConnection]]] = {}

    async def handler(ws: ServerConnection) -> None:
        room: dict[str, set[ServerConnection]] | None = None
        team = ""
        try:
            async for raw in ws:
                if room is None:
                    hello = json.loads(raw)
                    room, team = rooms.setdefault(hello["room"], {}), hello["team"]
                    room.setdefault(team, set()).add(ws)
                    await ws.send('{"type":"joined"}')
                    continue
                to = json.loads(raw).get("to")
                teams = room.values() if to is None else [room.get(t, set()) for t in {team, *to}]
                broadcast([c for members in teams for c in members], raw)
        finally:
            if room is not None:
                room[team].discard(ws)

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(handler, HOST, 0, max_size=64 * 1024, ping_interval=20, ping_timeout=20, **options) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"baseline: ws://{HOST}:{port}/ws", flush=True)
        await stop


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--games", type=int, default=100, help="games (default 100)")
    p.add_argument("--clients", type=int, default=20, help="clients per game (default 20)")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of the steady phase (default 30)")
    p.add_argument(
        "--rate", type=float, default=0.1, help="messages per second per student, steady (default 0.1: one every 10 s)"
    )
    p.add_argument("--capacity-duration", type=float, default=10.0, help="seconds of the capacity phase (10)")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds at the steady rate before measuring (3)")
    p.add_argument("--drain", type=float, default=3.0, help="quiet seconds after each phase (3)")
    p.add_argument("--workers", type=int, default=2, help="client processes (default 2)")
    p.add_argument(
        "--client-nice",
        type=int,
        default=0,
        help="niceness of the client processes (default 0: equal shares with the server): on a machine that runs "
        "both, 10 has the clients yield a core the server wants to it, as clients on machines of their own would "
        "(either server alike)",
    )
    p.add_argument("--scenario", default="taiwan_strait", help="shipped scenario (default taiwan_strait)")
    p.add_argument(
        "--only",
        type=lambda v: v.split(","),
        default=["crisisgame", *BASELINES],
        help=f"the servers to run, comma-separated, of crisisgame,{','.join(BASELINES)} (default: all)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="press shape: sweeps per server, taken in turns (crisisgame, the baselines, crisisgame, ...); the "
        "report gives each sweep and the median knee of each server (default 1)",
    )
    p.add_argument(
        "--shape",
        choices=["class", "press"],
        default="class",
        help="class: every student talks (steady, then closed-loop capacity); press: each game one open-loop "
        "stream of public messages, swept over --rates to the knee (default class)",
    )
    p.add_argument(
        "--rates",
        type=lambda v: [float(r) for r in v.split(",")],
        default=[10, 20, 30, 40, 50, 60, 80, 100, 130, 160, 200, 250],
        help="press shape: messages per second per game, in order (default 10,20,...,250)",
    )
    p.add_argument("--step-duration", type=float, default=4.0, help="press shape: seconds per rate (default 4)")
    p.add_argument(
        "--step-factor",
        type=float,
        default=1.25,
        help="press shape: past the last of --rates, each step's rate is the one before times this (default 1.25)",
    )
    p.add_argument(
        "--max-rate", type=float, default=1000.0, help="press shape: the sweep's top rate per game (default 1000)"
    )
    p.add_argument("--max-steps", type=int, default=30, help="press shape: steps per server at most (default 30)")
    p.add_argument(
        "--bisect",
        type=int,
        default=3,
        help="press shape: steps after the first miss that halve the gap between the highest rate that passed and "
        f"the lowest that missed, until they are {BISECT_RESOLUTION * 100:.0f}%% apart (default 3; 0: none)",
    )
    p.add_argument(
        "--sweep-budget",
        type=float,
        default=300.0,
        help="press shape: seconds one server's sweep may take at most (default 300)",
    )
    p.add_argument(
        "--server-rate-limit",
        type=float,
        default=400.0,
        help="press shape: crisisgame's per-connection rate limit (serve --rate-limit; default 400), so that "
        "its senders, like the bare server's, are not held back by it",
    )
    p.add_argument(
        "--sync", choices=["normal", "full"], default="normal", help="crisisgame's SQLite sync level (default normal)"
    )
    p.add_argument("--setup-timeout", type=float, default=300.0, help="seconds to connect every client (300)")
    p.add_argument(
        "--quiet-wait", type=float, default=0.0, help="wait up to this many seconds for an idle machine first (0)"
    )
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument(
        "--profile", metavar="FILE", help="run the crisisgame server under cProfile and write its stats here (slower)"
    )
    p.add_argument("--baseline-server", choices=sorted(set(BASELINES.values())), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not (1 <= args.games <= MAX_GAMES and 2 <= args.clients <= MAX_CLIENTS and 1 <= args.workers <= 16):
        p.error(f"--games 1..{MAX_GAMES}, --clients 2..{MAX_CLIENTS}, --workers 1..16")
    if not (0 < args.rate <= 10):
        p.error("--rate must be in (0, 10] (the server allows 20 messages per second)")
    if not (0 <= args.quiet_wait <= MAX_SECONDS):
        p.error(f"--quiet-wait must be in [0, {MAX_SECONDS:g}]")
    if not args.rates or any(not (0 < r <= 1000) for r in args.rates) or args.rates != sorted(set(args.rates)):
        p.error("--rates must be increasing rates in (0, 1000]")
    if not (0 < args.sweep_budget <= MAX_SECONDS and 1 <= args.max_steps <= 100 and 0 <= args.bisect <= 10):
        p.error(f"--sweep-budget must be in (0, {MAX_SECONDS:g}], --max-steps in 1..100 and --bisect in 0..10")
    if not (1 < args.step_factor <= 4 and args.rates[0] <= args.max_rate <= 10_000 and args.server_rate_limit > 0):
        p.error("--step-factor in (1, 4], --max-rate in [the first rate, 10000], --server-rate-limit above 0")
    unknown = [k for k in args.only if k not in ("crisisgame", *BASELINES)]
    if unknown or not args.only or len(set(args.only)) != len(args.only):
        p.error(f"--only takes distinct servers of crisisgame,{','.join(BASELINES)}, not {','.join(args.only)}")
    if not (1 <= args.repeat <= 9) or (args.repeat > 1 and args.shape != "press"):
        p.error("--repeat must be in 1..9, and above 1 only with --shape press")
    for name in ("duration", "capacity_duration", "warmup", "drain", "step_duration"):
        if not (0 < getattr(args, name) <= MAX_SECONDS):
            p.error(f"--{name.replace('_', '-')} must be in (0, {MAX_SECONDS:g}]")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.baseline_server:
        raise_open_files(2 * MAX_GAMES * MAX_CLIENTS)
        asyncio.run(_baseline_server(args.baseline_server))
        return 0
    raise_open_files(2 * args.games * args.clients + 200)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server and the workers on the way out
    kinds = args.only
    if args.shape == "press":
        print(
            f"server load, press shape: {args.games} games × {args.clients} clients, each game one open-loop stream "
            f"of public messages, {args.step_duration:g} s at each of {', '.join(f'{r:g}' for r in args.rates)} "
            f"msg/s per game (then x{args.step_factor:g} per step; up to {args.bisect} bisection steps after the "
            f"first miss); crisisgame --sync {args.sync}; {os.cpu_count()} cores; client processes at nice "
            f"{args.client_nice}"
        )
    else:
        print(
            f"server load: {args.games} games × {args.clients} clients = {args.games * args.clients} connections, "
            f"{args.workers} client processes, {os.cpu_count()} cores; steady {args.duration:g} s at {args.rate:g} "
            f"msg/s per student (half public, half to a group of two teams), capacity {args.capacity_duration:g} s; "
            f"crisisgame --sync {args.sync}; client processes at nice {args.client_nice}"
        )
    summary: dict[str, Any]
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        if args.shape != "press":
            summary = report([run_load(kind, args, Path(tmp)) for kind in kinds], args)
        else:
            sweeps = []
            for n in range(args.repeat):
                if args.repeat > 1:
                    print(f"\n=== sweep {n + 1} of {args.repeat}")
                sweeps.append(press_report([run_load(kind, args, Path(tmp)) for kind in kinds], args))
            summary = sweeps[0] if args.repeat == 1 else {"sweeps": sweeps, "median": press_medians(sweeps)}
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
