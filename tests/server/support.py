"""What the server's tests share: short scenarios, a real server on 127.0.0.1, and real websocket clients.

Everything here drives the real components: `GameServer` over a real `SqliteStore` file, the
`websockets` server and clients on the loopback interface, scenario files written to `tmp_path`.
Every wait is bounded, so a test that goes wrong fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from crisisgame.engine.apply import fold
from crisisgame.engine.state import State
from crisisgame.scenario.loader import load_scenario
from crisisgame.scenario.model import Phases, Turns
from crisisgame.scenario.writer import dump_scenario
from crisisgame.server.app import Connection, GameServer, Limits
from crisisgame.server.guard import Quotas
from crisisgame.server.protocol import SERVER_ADAPTER
from crisisgame.store.sqlite import SqliteStore
from tests.conftest import MINIMAL, ROOT

TRIO = ROOT / "tests" / "engine" / "trio.yaml"
BALTIC = ROOT / "scenarios" / "baltic.yaml"
WAIT = 10.0
"""The longest any single wait in these tests may take (seconds)."""

Msg = dict[str, Any]
Pred = Callable[[Msg], bool]


def short_scenario(
    directory: Path,
    base: Path = TRIO,
    *,
    count: int = 2,
    briefing: int = 0,
    diplomacy: int = 30,
    orders: int = 30,
    results: int = 0,
    name: str | None = None,
) -> Path:
    """A copy of a real scenario file with short phases (30 s is the shortest diplomacy and orders allow),
    under an id of its own (`<id>-<file stem>`), so it can be uploaded beside the shipped original."""
    sc = load_scenario(base)
    phases = Phases(briefing=briefing, diplomacy=diplomacy, orders=orders, results=results)
    injects = [i for i in sc.injects if i.turn <= count]
    path = directory / (name or f"{base.stem}-short.yaml")
    own_id = f"{sc.id}-{path.stem}"[:40].replace("_", "-").rstrip("-")
    sc = sc.model_copy(update={"id": own_id, "turns": Turns(count=count, phases=phases), "injects": injects})
    path.write_text(dump_scenario(sc), encoding="utf-8")
    return path


UNLIMITED = Quotas.off()
"""Quotas that never bind, for tests of what the server does with more traffic than a class sends."""


class FakeClock:
    """A wall clock the test moves by hand (the room's timer re-reads it every tick)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Running:
    server: GameServer
    store: SqliteStore
    port: int
    task: asyncio.Task[None]

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def token(self) -> str:
        return self.server.facilitator_token


@asynccontextmanager
async def running_server(
    db: Path,
    *,
    limits: Limits | None = None,
    clock: Callable[[], float] | None = None,
    client_dir: Path | None = None,
    bot_pause: float = 0.05,
    quotas: Quotas | None = None,
) -> AsyncIterator[Running]:
    """A `GameServer` on a free port of 127.0.0.1, served by a task of this event loop.

    Bots answer after `bot_pause` (a second in the real server: a human pace; shorter here, so
    games with bots run quickly)."""
    store = SqliteStore(db)
    kwargs: dict[str, Any] = {
        "limits": limits or Limits(),
        "bot_pause": bot_pause,
        "scenarios": db.parent / "scenarios",
    }
    if clock is not None:
        kwargs["clock"] = clock
    if quotas is not None:
        kwargs["quotas"] = quotas
    server = GameServer(store, client_dir, **kwargs)
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.get_running_loop().create_task(server.serve("127.0.0.1", 0, ready=ready.set_result))
    try:
        port = await asyncio.wait_for(asyncio.shield(ready), WAIT)
        yield Running(server, store, port, task)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        store.close()


class Client:
    """A real websocket client that records every message it receives, in order."""

    _ids = itertools.count(1)

    def __init__(self, ws: ClientConnection, label: str = "") -> None:
        self.ws = ws
        self.label = label
        self.messages: list[Msg] = []
        self.closed: ConnectionClosed | None = None
        self._changed = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(cls, url: str, label: str = "", **kwargs: Any) -> Client:
        kwargs.setdefault("max_size", None)  # a view of a long game is larger than the library's 1 MiB default
        ws = await asyncio.wait_for(connect(url, open_timeout=WAIT, **kwargs), WAIT)
        return cls(ws, label)

    async def _read(self) -> None:
        try:
            while True:
                raw = await self.ws.recv()
                self.messages.append(json.loads(raw))
                self._changed.set()
        except ConnectionClosed as exc:
            self.closed = exc
        finally:
            self._changed.set()

    async def send(self, message: Msg | str | bytes) -> None:
        await self.ws.send(message if isinstance(message, str | bytes) else json.dumps(message))

    async def wait(self, pred: Callable[[Msg], bool], since: int = 0, timeout: float = WAIT) -> Msg:
        """The first message from index `since` on that matches `pred` (waiting for it if need be)."""
        async with asyncio.timeout(timeout):
            while True:
                for msg in self.messages[since:]:
                    if pred(msg):
                        return msg
                if self._reader.done():
                    raise AssertionError(f"{self.label}: connection closed ({self.closed}) before the message came")
                self._changed.clear()
                await self._changed.wait()

    async def wait_closed(self, timeout: float = WAIT) -> ConnectionClosed:
        async with asyncio.timeout(timeout):
            await self._reader
        assert self.closed is not None
        return self.closed

    async def request(self, message: Msg, timeout: float = WAIT) -> Msg:
        """Send a message carrying an `id` and wait for the reply, ack or error with that id."""
        since = len(self.messages)
        await self.send(message)
        ident = message["id"]
        return await self.wait(
            lambda m: m.get("id") == ident and m["type"] in ("reply", "ack", "error"), since, timeout
        )

    async def command(self, command: Msg, timeout: float = WAIT) -> Msg:
        """Send a game command; its ack or error."""
        ident = f"{self.label or 'c'}-{next(self._ids)}"
        return await self.request({"type": "command", "id": ident, "command": command}, timeout)

    async def ok(self, command: Msg, timeout: float = WAIT) -> int:
        """Send a command that must be accepted; the seq in its ack."""
        reply = await self.command(command, timeout)
        assert reply["type"] == "ack", f"{self.label}: {command} was refused: {reply}"
        return int(reply["seq"])

    async def sign_in(self, message: Msg, timeout: float = WAIT) -> Msg:
        since = len(self.messages)
        await self.send(message)
        return await self.wait(lambda m: m["type"] in ("welcome", "error"), since, timeout)

    def events(self) -> list[Msg]:
        return [m for m in self.messages if m["type"] == "event"]

    def event_types(self) -> list[str]:
        return [m["event"]["type"] for m in self.events()]

    def last_seq(self) -> int:
        return max(
            (int(m["seq"]) for m in self.messages if m.get("seq") is not None and m["type"] != "error"), default=0
        )

    def latest_view(self) -> Msg:
        views = [m for m in self.messages if m["type"] == "view"]
        assert views, f"{self.label}: no view received"
        latest: Msg = views[-1]["view"]
        return latest

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.gather(self._reader, return_exceptions=True)


def event_at(seq: int) -> Pred:
    """The event message with this seq."""
    return lambda m: m["type"] == "event" and m["seq"] == seq


def congest(conn: Connection, send_buffer: int) -> None:
    """Shrink the server's socket buffer towards one client: a congested link. (On loopback the kernel
    would otherwise buffer megabytes for a client that does not read.)"""
    sock = conn.ws.transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)


async def facilitator(srv: Running, game: str | None = None, label: str = "control") -> Client:
    fac = await Client.connect(srv.url, label)
    msg: Msg = {"type": "facilitate", "token": srv.token}
    if game is not None:
        msg["game"] = game
    welcome = await fac.sign_in(msg)
    assert welcome["type"] == "welcome", welcome
    return fac


async def upload(fac: Client, scenario: Path) -> str:
    """Upload a scenario file through the console's request; its catalogue id."""
    text = scenario.read_text(encoding="utf-8")
    reply = await fac.request({"type": "upload_scenario", "id": "upload", "text": text, "name": scenario.name})
    assert reply["type"] == "reply", reply
    assert not reply["data"]["errors"], reply
    return str(reply["data"]["scenario"]["id"])


async def create_game(fac: Client, scenario: Path | str, teams: list[str], seed: int = 7, **extra: Any) -> Msg:
    """Create a game from a catalogue id, or from a scenario file (uploaded first, unless it is shipped)."""
    if isinstance(scenario, Path):
        shipped = scenario.resolve().parent == BALTIC.resolve().parent
        scenario = load_scenario(scenario).id if shipped else await upload(fac, scenario)
    reply = await fac.request(
        {"type": "create_game", "id": "create", "scenario": scenario, "teams": teams, "seed": seed, **extra}
    )
    assert reply["type"] == "reply", reply
    assert "game" in reply["data"], reply
    data: Msg = reply["data"]
    return data


async def join(srv: Running, code: str, name: str, label: str = "") -> Client:
    client = await Client.connect(srv.url, label or name)
    welcome = await client.sign_in({"type": "join", "code": code, "name": name})
    assert welcome["type"] == "welcome", welcome
    return client


def stored_state(store: SqliteStore, game: str) -> State:
    return fold(e for _, e in store.events(game))


@dataclass
class ServerProcess:
    """`crisisgame serve` in a subprocess of its own (stdout parsed for the port and the token)."""

    proc: asyncio.subprocess.Process
    port: int
    token: str
    log: Path

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"


async def start_process(db: Path, log: Path, *args: str) -> ServerProcess:
    """Start `python -m crisisgame serve --port 0 --db DB` and wait until it prints where it listens."""
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "crisisgame",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(db),
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
            cwd=ROOT,
        )
    assert proc.stdout is not None
    port = token = None
    try:
        async with asyncio.timeout(20):
            while port is None or token is None:
                line = (await proc.stdout.readline()).decode()
                if not line:
                    raise AssertionError(f"the server exited ({await proc.wait()}): {log.read_text()[-2000:]}")
                if found := re.search(r"running: http://127\.0\.0\.1:(\d+)/", line):
                    port = int(found.group(1))
                if found := re.search(r"#facilitator=(\S+)", line):
                    token = found.group(1)
    except BaseException:
        proc.kill()
        await proc.wait()
        raise
    return ServerProcess(proc, port, token, log)


async def run_cli(*args: str, timeout: float = 20) -> tuple[int, str, str]:
    """Run `python -m crisisgame ARGS` to its end: exit code, stdout, stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "crisisgame",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def assert_structured(error: Msg, code: str, field: str | None = None) -> None:
    """An `error` message as the protocol has it: this code, a message, this field at fault."""
    assert error["type"] == "error", error
    assert error["code"] == code, error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert error["field"] == field, error
    SERVER_ADAPTER.validate_python(error)


async def until(pred: Callable[[], bool], timeout: float = WAIT, every: float = 0.02) -> None:
    """Poll `pred` until it holds (for server-side facts with no message to wait on)."""
    async with asyncio.timeout(timeout):
        while not pred():
            await asyncio.sleep(every)


__all__ = [
    "BALTIC",
    "MINIMAL",
    "TRIO",
    "UNLIMITED",
    "WAIT",
    "Client",
    "FakeClock",
    "Msg",
    "Pred",
    "Running",
    "ServerProcess",
    "assert_structured",
    "congest",
    "create_game",
    "event_at",
    "facilitator",
    "join",
    "run_cli",
    "running_server",
    "short_scenario",
    "start_process",
    "stored_state",
    "until",
    "upload",
]


class Listener:
    """A room subscriber that keeps what it is sent."""

    def __init__(self, seat: str) -> None:
        self.seat = seat
        self.got: list[bytes] = []

    def deliver_all(self, messages: Sequence[bytes]) -> None:
        self.got.extend(messages)
