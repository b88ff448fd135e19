"""Bad input and abuse: oversized frames, floods, garbage, silent connections, foreign origins, too many
sockets from one address, and a fuzzer throwing random and mutated frames at a live game.

The server must answer every bad message with a structured error (`code`, `message`, `field`), close
what must be closed with the right code, never crash, and never let garbage into a game's log.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import urllib.request
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection as SyncClient
from websockets.sync.client import connect as sync_connect

from crisisgame.engine.commands import FACILITATOR
from crisisgame.engine.state import State
from crisisgame.engine.view import view
from crisisgame.server.app import Limits
from crisisgame.server.protocol import MAX_MESSAGE_BYTES, SERVER_ADAPTER
from tests.server.support import (
    MINIMAL,
    Client,
    FakeClock,
    Msg,
    Running,
    assert_structured,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    stored_state,
    until,
)

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""


async def game_with_team(srv: Running, tmp_path: Path) -> tuple[str, dict[str, str], Client]:
    lobby = await facilitator(srv, label="lobby")
    created = await create_game(lobby, short_scenario(tmp_path, MINIMAL), ["ALPHA", "BETA"])
    alpha = await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
    return created["game"], created["codes"], alpha


async def test_a_frame_over_64_kib_closes_the_connection_with_1009(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        _, _, alpha = await game_with_team(srv, tmp_path)
        text = json.dumps({"type": "command", "id": "big", "command": {"type": "send_message", "text": "x"}})
        fits = text[:-2] + " " * (MAX_MESSAGE_BYTES - len(text)) + text[-2:]
        assert len(fits.encode()) == MAX_MESSAGE_BYTES
        reply = await alpha.request(json.loads(fits) | {"id": "fits"})
        assert reply["type"] == "error"  # answered (the game is in the lobby), not closed
        await alpha.send(fits + " ")
        closed = await alpha.wait_closed()
        assert closed.rcvd is not None
        assert closed.rcvd.code == 1009
        await asyncio.wait_for(asyncio.to_thread(healthz, srv.port), 5)


async def test_a_flood_is_rate_limited_with_a_structured_error(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", limits=Limits(rate=5, burst=10)) as srv:
        _, _, alpha = await game_with_team(srv, tmp_path)
        await asyncio.sleep(2.5)  # the bucket refills after signing in
        for _ in range(40):
            await alpha.send({"type": "ping"})
        await alpha.wait(lambda m: m["type"] == "error")
        await asyncio.sleep(0.3)
        pongs = [m for m in alpha.messages if m["type"] == "pong"]
        limited = [m for m in alpha.messages if m["type"] == "error"]
        assert 10 <= len(pongs) <= 13
        assert len(pongs) + len(limited) == 40
        for error in limited:
            assert_structured(error, "rate_limited")
            assert "5 per second" in error["message"]
        await asyncio.sleep(0.5)  # the bucket refills: the connection is usable again
        assert (await alpha.command({"type": "set_ready"}))["type"] == "error"  # answered, in the lobby


async def test_a_rate_limited_command_is_named_by_its_id_so_the_client_knows_what_to_send_again(
    tmp_path: Path,
) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", limits=Limits(rate=5, burst=10)) as srv:
        _, _, alpha = await game_with_team(srv, tmp_path)
        await asyncio.sleep(2.5)  # the bucket refills after signing in
        since = len(alpha.messages)
        ids = [f"flood-{i}" for i in range(30)]
        for ident in ids:
            command = {"type": "send_message", "channel": "public", "text": ident}
            await alpha.send({"type": "command", "id": ident, "command": command})
        await alpha.send("{not json")  # a dropped message without an id is answered without one
        await alpha.wait(lambda m: m["type"] == "error" and m.get("id") is None, since)
        answers = [m for m in alpha.messages[since:] if m["type"] in ("ack", "error") and m.get("id")]
        assert sorted(m["id"] for m in answers) == sorted(ids)  # one answer per command, each named
        limited = [m["id"] for m in answers if m["type"] == "error" and m["code"] == "rate_limited"]
        assert len(limited) >= 15
        assert limited == [i for i in ids if i in limited]  # in the order they were sent


BAD_MESSAGES: list[tuple[str | bytes, str, str | None]] = [
    ("{not json", "invalid_json", None),
    (b"\xff\xfe\x00garbage", "invalid_json", None),
    ("[" * 30000 + "]" * 30000, "invalid_json", None),  # nested deeper than the parser's recursion
    ('{"type": "ping", "x": NaN}', "invalid_json", None),
    ('{"type": "command", "id": "n", "command": {"type": "set_ready", "ready": Infinity}}', "invalid_json", None),
    ('{"type": "command", "id": "n", "command": {"type": "extend", "seconds": 1e999}}', "invalid_json", None),
    ("[1, 2, 3]", "invalid_message", None),
    ("{}", "invalid_message", "type"),
    ('{"type": "dance"}', "invalid_message", "type"),
    ('{"type": "join", "code": "x", "name": "Ada"}', "invalid_message", "code"),
    ('{"type": "join", "code": "ABCD-1234"}', "invalid_message", "name"),
    ('{"type": "ping", "extra": 1}', "invalid_message", "extra"),
    ('{"type": "command", "id": "c1"}', "invalid_message", "command"),
    ('{"type": "command", "id": "c2", "command": {"type": "warp"}}', "invalid_message", "command.type"),
    ('{"type": "command", "id": "c3", "command": {"channel": "public"}}', "invalid_message", "command.type"),
    (
        '{"type": "command", "id": "c4", "command": {"type": "send_message", "channel": "telepathy", "text": "hi"}}',
        "invalid_message",
        "command.channel",
    ),
    (
        '{"type": "command", "id": "c5", "command": {"type": "submit_orders", "orders": {"mobilisation": 7}}}',
        "invalid_message",
        "command.orders.mobilisation",
    ),
]


async def test_invalid_json_and_invalid_messages_get_structured_errors(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        game, _, alpha = await game_with_team(srv, tmp_path)
        control = await facilitator(srv, game)
        await control.ok({"type": "start"})
        await alpha.wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")
        before = srv.store.games()[0].seq
        for raw, code, field in BAD_MESSAGES:
            since = len(alpha.messages)
            await alpha.send(raw)
            error = await alpha.wait(lambda m: m["type"] == "error", since)
            assert_structured(error, code, field)
            if isinstance(raw, str) and raw.startswith('{"type": "command", "id": "c'):
                assert error["id"] == json.loads(raw)["id"]
            assert alpha.closed is None
        assert srv.store.games()[0].seq == before
        assert (await alpha.command({"type": "set_ready"}))["type"] == "ack"  # the connection still works


async def test_a_connection_that_does_not_sign_in_in_time_is_closed_even_if_it_keeps_talking(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", limits=Limits(sign_in_timeout=0.6)) as srv:
        silent = await Client.connect(srv.url, "silent")
        chatty = await Client.connect(srv.url, "chatty")
        prompt = await Client.connect(srv.url, "prompt")
        welcome = await prompt.sign_in({"type": "facilitate", "token": srv.token})
        assert welcome["type"] == "welcome"
        started = asyncio.get_running_loop().time()
        while chatty.closed is None and asyncio.get_running_loop().time() - started < 3:
            await chatty.send({"type": "ping"})
            await asyncio.sleep(0.1)
        for client in (silent, chatty):
            closed = await client.wait_closed(3)
            assert closed.rcvd is not None
            assert closed.rcvd.code == 1008
        assert asyncio.get_running_loop().time() - started < 2
        assert [m["type"] for m in chatty.messages][:3] == ["pong"] * 3  # answered until the deadline
        await asyncio.sleep(0.8)
        assert prompt.closed is None  # signed in: no deadline
        assert (await prompt.request({"type": "list_games", "id": "g"}))["type"] == "reply"


async def test_the_allowed_origins_setting_rejects_a_foreign_origin(tmp_path: Path) -> None:
    limits = Limits(origins=["https://class.example.edu"], allow_no_origin=False)
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", limits=limits) as srv:
        for origin in ("https://evil.example.com", "https://class.example.edu.evil.com", "null"):
            with pytest.raises(InvalidStatus) as info:
                await Client.connect(srv.url, origin=origin)
            assert info.value.response.status_code == 403
        with pytest.raises(InvalidStatus):
            await Client.connect(srv.url)  # no Origin header at all
        friend = await Client.connect(srv.url, origin="https://class.example.edu")
        assert (await friend.sign_in({"type": "facilitate", "token": srv.token}))["type"] == "welcome"


async def test_connections_per_address_are_capped_even_when_they_arrive_together(tmp_path: Path) -> None:
    limits = Limits(connections_per_address=3)
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", limits=limits) as srv:
        first = [await Client.connect(srv.url, f"c{i}") for i in range(3)]
        with pytest.raises(InvalidStatus) as info:
            await Client.connect(srv.url)
        assert info.value.response.status_code == 429
        await first[0].close()
        await until(lambda: srv.server.per_address.get("127.0.0.1") == 2)
        first[0] = await Client.connect(srv.url, "again")  # a freed place can be taken again
        for c in first:
            await c.close()
        await until(lambda: not srv.server.per_address)

        # Ten at once: those past the cap are turned away (429, or closed at once with 1013).
        results = await asyncio.gather(
            *(Client.connect(srv.url, f"rush{i}") for i in range(10)), return_exceptions=True
        )
        await asyncio.sleep(0.3)
        open_ = [c for c in results if isinstance(c, Client) and c.closed is None]
        assert len(open_) == 3
        for r in results:
            if isinstance(r, Client) and r.closed is not None:
                assert r.closed.rcvd is not None
                assert r.closed.rcvd.code == 1013
            elif not isinstance(r, Client):
                assert isinstance(r, InvalidStatus)
                assert r.response.status_code == 429
        assert srv.server.per_address == {"127.0.0.1": 3}


# --------------------------------------------------------------------------- the fuzzer


def healthz(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        data: dict[str, Any] = json.loads(response.read())
        return data


@dataclass
class Live:
    """A server running in its own thread (so the fuzzer's synchronous client can drive it)."""

    loop: asyncio.AbstractEventLoop
    srv: Running
    game: str
    codes: dict[str, str]
    start_seq: int
    acked: list[int]
    seat: str = "ALPHA"

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def states(self) -> tuple[State, State]:
        """The live room's state and the stored log folded from scratch, read on the server's thread."""

        async def get() -> tuple[State, State]:
            return self.srv.server.rooms[self.game].state, stored_state(self.srv.store, self.game)

        result: tuple[State, State] = self.call(get())
        return result


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("fuzz")
    ready: Future[Live] = Future()
    stop = threading.Event()

    def run() -> None:
        async def main() -> None:
            # A frozen clock and no phase of 0 s: no phase ends by itself, so every change to the log is
            # an acknowledged command.
            limits = Limits(rate=10_000, burst=10_000)
            async with running_server(tmp / "games.db", limits=limits, clock=FakeClock()) as srv:
                lobby = await facilitator(srv, label="lobby")
                created = await create_game(
                    lobby, short_scenario(tmp, MINIMAL, briefing=30, results=30), ["ALPHA", "BETA"]
                )
                control = await facilitator(srv, created["game"])
                await control.ok({"type": "start"})
                await control.ok({"type": "advance"})  # briefing -> diplomacy
                start = srv.server.rooms[created["game"]].state.seq
                ready.set_result(Live(asyncio.get_running_loop(), srv, created["game"], created["codes"], start, []))
                while not stop.is_set():
                    await asyncio.sleep(0.05)

        try:
            asyncio.run(main())
        except BaseException as exc:  # pragma: no cover - reported through the future
            if not ready.done():
                ready.set_exception(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield ready.result(20)
    stop.set()
    thread.join(20)


@pytest.fixture(scope="module")
def fuzz_client(live: Live) -> Iterator[SyncClient]:
    with sync_connect(f"ws://127.0.0.1:{live.srv.port}/ws", open_timeout=10) as ws:
        ws.send(json.dumps({"type": "join", "code": live.codes["ALPHA"], "name": "fuzzer"}))
        assert json.loads(ws.recv(10))["type"] == "welcome"
        yield ws


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=15,
)

TEMPLATES: list[dict[str, Any]] = [
    {"type": "ping"},
    {"type": "join", "code": "@BETA", "name": "Bea"},
    {"type": "join", "code": "@observer", "name": "Obs"},
    {"type": "resume", "token": "0123456789abcdef", "last_seq": 3},
    {"type": "facilitate", "token": "not-the-facilitator-token", "game": "x"},
    {"type": "list_games", "id": "l"},
    {"type": "command", "id": "m", "command": {"type": "send_message", "channel": "public", "text": "hi"}},
    {
        "type": "command",
        "id": "p",
        "command": {"type": "propose", "proposal": {"type": "consultation", "parties": ["ALPHA", "BETA"]}},
    },
    {"type": "command", "id": "a", "command": {"type": "accept", "proposal_id": "p1"}},
    {"type": "command", "id": "w", "command": {"type": "withdraw", "proposal_id": "p2"}},
    {
        "type": "command",
        "id": "o",
        "command": {
            "type": "submit_orders",
            "orders": {"defence_spending": 3.0, "deployments": [{"host": "BETA", "troops": 100}]},
        },
    },
    {"type": "command", "id": "r", "command": {"type": "set_ready", "ready": False}},
    {"type": "command", "id": "x", "command": {"type": "advance"}},
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid message with a few parts replaced, removed or added, at any depth."""
    message = json.loads(json.dumps(draw(st.sampled_from(TEMPLATES))))
    for _ in range(draw(st.integers(0, 3))):
        node = message
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = draw(json_values)
            elif action == "delete" and isinstance(node, dict):
                del node[key]
            elif isinstance(node, dict):
                node[draw(st.text(max_size=10))] = draw(json_values)
            break
    return json.dumps(message)


shares = st.floats(0, 1)
valid_commands = st.one_of(
    st.builds(
        lambda text, channel: (
            {"type": "send_message", "channel": channel, "text": text}
            | ({"to": ["BETA"]} if channel == "private" else {})
        ),
        st.text(min_size=1, max_size=200),
        st.sampled_from(["public", "private"]),
    ),
    st.builds(
        lambda kind, strength, ambiguity, public: {
            "type": "propose",
            "proposal": {
                "type": kind,
                "parties": ["ALPHA", "BETA"],
                "strength": strength,
                "ambiguity": ambiguity,
                "public": public,
            },
        },
        st.sampled_from(["consultation", "defence_pact", "non_aggression", "neutrality"]),
        shares,
        shares,
        st.booleans(),
    ),
    st.builds(
        lambda spending, mobilisation: {
            "type": "submit_orders",
            "orders": {"defence_spending": spending, "mobilisation": mobilisation},
        },
        st.floats(0, 50),
        shares,
    ),
    st.builds(lambda n: {"type": "withdraw", "proposal_id": f"p{n}"}, st.integers(1, 30)),
    st.builds(lambda ready: {"type": "set_ready", "ready": ready}, st.booleans()),
).map(lambda command: json.dumps({"type": "command", "id": "v", "command": command}))

frames = st.one_of(
    valid_commands,
    st.binary(max_size=300),
    st.text(max_size=300),
    json_values.map(json.dumps),
    mutated(),
    mutated(),
    mutated(),
)


SYNC = itertools.count()


def answers_until_sync(ws: SyncClient) -> list[Msg]:
    """Send a marker request and return every message received before its answer.

    The marker is a lobby request (refused to a team with an error carrying its unique id): a `ping`
    would not do, since a fuzzed frame can be a `ping` too and its `pong` would be taken for ours.
    """
    marker = f"sync-{next(SYNC)}"
    ws.send(json.dumps({"type": "members", "id": marker}))
    answers: list[Msg] = []
    while True:
        message = json.loads(ws.recv(10))
        if message.get("id") == marker:
            return answers
        answers.append(message)


def exchange(ws: SyncClient, frame: str | bytes, live: Live) -> list[Msg]:
    """Send a frame: the server's answers to it (everything before the marker's)."""
    if live.seat != "ALPHA":  # a fuzzed join moved the connection: play ALPHA again
        ws.send(json.dumps({"type": "join", "code": live.codes["ALPHA"], "name": "fuzzer"}))
        answers_until_sync(ws)
        live.seat = "ALPHA"
    if isinstance(frame, str):
        for seat, code in live.codes.items():
            frame = frame.replace(f"@{seat}", code)
    ws.send(frame)
    return answers_until_sync(ws)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(frame=frames)
def test_fuzz_random_and_mutated_frames_never_crash_the_server_nor_corrupt_a_game(
    live: Live, fuzz_client: SyncClient, frame: str | bytes
) -> None:
    for message in exchange(fuzz_client, frame, live):
        SERVER_ADAPTER.validate_python(message)  # every answer is a well-formed message
        if message["type"] == "error":
            assert message["code"] != "server_error", (frame, message)
        if message["type"] == "ack" and not message["repeat"]:  # (a repeated id is acknowledged, not applied)
            live.acked.append(message["seq"])
        if message["type"] == "welcome":
            live.seat = message["seat"]


def test_after_the_fuzzer_the_server_is_healthy_and_the_log_replays_to_the_live_state(live: Live) -> None:
    assert healthz(live.srv.port)["status"] == "ok"
    state, stored = live.states()
    assert stored.seq == state.seq
    assert view(stored, FACILITATOR) == view(state, FACILITATOR)
    for seat in ("ALPHA", "BETA", "observer"):
        assert view(stored, seat) == view(state, seat)
    # Nothing but acknowledged commands changed the log (the clock is frozen and there are no bots).
    assert live.acked == sorted(live.acked)
    assert state.seq == (max(live.acked) if live.acked else live.start_seq)
    print(f"fuzz: {len(live.acked)} commands accepted, log at seq {state.seq}")
