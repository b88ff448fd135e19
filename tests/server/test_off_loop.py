"""Slow work runs off the event loop: while a debrief report is written, the catalogue is read or an
ended game is replayed from its log, every other client is still answered at once.

Each test makes the slow step slower on purpose (a CPU-bound pause of `SLOW` seconds, holding the
GIL as real Python work does) while another client pings the server every 50 ms. The server runs
on the test's own event loop, so a step run on the loop would stall the pinging client too: the
measure is the longest time between two answered pings (from the slow request on). Off the loop
it stays near the ping interval; the bound is half of `SLOW`, loose enough for a loaded machine and
still failing if the step ran on the loop (checked by running these tests with `asyncio.to_thread`
replaced by a direct call: each fails).
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import pytest

from crisisgame.server import app, asyncapi, http, lobby
from crisisgame.server.room import Room
from tests.server.support import Client, create_game, facilitator, join, running_server, short_scenario, upload
from tests.server.test_operations import http_get

pytestmark = pytest.mark.timing
"""These tests race the wall clock: `make test` runs them after the parallel run, alone."""

SLOW = 1.5
"""Seconds of CPU the slowed step takes."""
BOUND = SLOW / 2
"""The longest ping round trip allowed while it runs."""
PINGS = 200
"""At most this many pings per measurement (the rate limit allows one every 50 ms for ever)."""


def burn(seconds: float) -> None:
    """Busy Python bytecode for `seconds`: slow work that holds the GIL, unlike a sleep."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def is_pong(t: int, message: dict[str, Any]) -> bool:
    return bool(message["type"] == "pong" and message["t"] == t)


async def worst_ping(client: Client, slow: Awaitable[Any]) -> tuple[float, int, Any]:
    """The longest time between two pongs of `client` (or from the start to the first) while `slow`
    runs, how many pings were answered meanwhile, and what `slow` gave."""
    pending = asyncio.ensure_future(slow)
    last = time.perf_counter()
    worst, sent = 0.0, 0
    await asyncio.sleep(0.05)  # the slow request reaches the server first
    while not pending.done() and sent < PINGS:
        since = len(client.messages)
        await client.send({"type": "ping", "t": sent})
        await client.wait(functools.partial(is_pong, sent), since)
        now = time.perf_counter()
        worst, last = max(worst, now - last), now
        sent += 1
        await asyncio.sleep(0.05)
    return worst, sent, await pending


async def test_a_slow_report_does_not_hold_up_another_games_players(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = lobby.report_page

    def slow_page(*args: Any) -> str:
        burn(SLOW)
        return written(*args)

    monkeypatch.setattr(lobby, "report_page", slow_page)
    async with asyncio.timeout(40), running_server(tmp_path / "games.db") as srv:
        control = await facilitator(srv)
        scenario = short_scenario(tmp_path)
        reported = (await create_game(control, scenario, ["ALPHA", "BETA"]))["game"]
        other = await create_game(control, scenario, ["ALPHA", "BETA"])
        await (await facilitator(srv, other["game"], "other")).ok({"type": "start"})
        alpha = await join(srv, other["codes"]["ALPHA"], "Ada", "ALPHA")
        beta = await join(srv, other["codes"]["BETA"], "Bo", "BETA")

        request = control.request({"type": "report", "id": "r", "game": reported, "edition": "full"}, 30)
        worst, pings, reply = await worst_ping(alpha, request)
        assert worst < BOUND, f"no pong for {worst:.2f} s while the report was written"
        assert pings >= 3, "the pings did not overlap the report"
        assert reply["type"] == "reply", reply
        assert "<html" in reply["data"]["html"].lower()

        # The other game's broadcast goes on too: a message reaches the other team at once.
        since, start = len(beta.messages), time.perf_counter()
        request = control.request({"type": "report", "id": "s", "game": reported, "edition": "summary"}, 30)
        pending = asyncio.ensure_future(request)
        await asyncio.sleep(0.1)
        await alpha.ok({"type": "send_message", "channel": "public", "text": "still here"})
        await beta.wait(lambda m: m["type"] == "event" and m["event"].get("text") == "still here", since)
        delivered = time.perf_counter() - start
        assert not pending.done(), "the report ended before the message was sent: the test measured nothing"
        assert delivered < BOUND, f"a message took {delivered:.2f} s to reach the other team"
        assert (await pending)["type"] == "reply"


async def test_an_ended_game_is_replayed_off_the_loop_once_for_every_simultaneous_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "games.db"
    async with asyncio.timeout(40):
        async with running_server(db) as srv:
            control = await facilitator(srv)
            created = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
            game = created["game"]
            running = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
            ending = await facilitator(srv, game, "ending")
            await ending.ok({"type": "start"})
            await ending.ok({"type": "end"})

        replays: list[str] = []

        class SlowRoom(Room):
            def __init__(self, game_id: str, *args: Any, **kwargs: Any) -> None:
                replays.append(game_id)
                burn(SLOW)
                super().__init__(game_id, *args, **kwargs)

        async with running_server(db) as srv:
            # After start-up (the running game was rebuilt as usual), and put back before the server stops:
            # the server sets `Room.freeze_history` while it serves and restores it on the class it names.
            with monkeypatch.context() as patch:
                patch.setattr(app, "Room", SlowRoom)
                assert game not in srv.server.rooms
                alpha = await join(srv, running["codes"]["ALPHA"], "Ada", "ALPHA")
                first, second = await Client.connect(srv.url, "first"), await Client.connect(srv.url, "second")
                opening = asyncio.gather(
                    first.sign_in({"type": "facilitate", "token": srv.token, "game": game}, 30),
                    second.sign_in({"type": "join", "code": created["codes"]["observer"], "name": "Projector"}, 30),
                )
                worst, pings, welcomes = await worst_ping(alpha, opening)
            assert worst < BOUND, f"no pong for {worst:.2f} s while an ended game was replayed"
            assert pings >= 3, "the pings did not overlap the replay"
            assert [w["type"] for w in welcomes] == ["welcome", "welcome"], welcomes
            assert replays == [game], "two requests for one ended game replayed it twice"
            assert srv.server.rooms[game].state.phase == "ended"


async def test_the_catalogue_is_read_off_the_loop_once_and_again_after_an_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with asyncio.timeout(40), running_server(tmp_path / "games.db") as srv:
        control = await facilitator(srv)
        other = await facilitator(srv, label="other")
        reads: list[float] = []
        entries = srv.server.library.entries

        def slow_entries() -> Any:
            reads.append(time.perf_counter())
            burn(SLOW)
            return entries()

        monkeypatch.setattr(srv.server.library, "entries", slow_entries)
        listing = control.request({"type": "list_scenarios", "id": "l"}, 30)
        worst, pings, listed = await worst_ping(other, listing)
        assert worst < BOUND, f"no pong for {worst:.2f} s while the catalogue was read"
        assert pings >= 3, "the pings did not overlap the catalogue's reading"
        ids = [s["id"] for s in listed["data"]["scenarios"]]
        assert "baltic" in ids

        again = await control.request({"type": "list_scenarios", "id": "l2"})
        assert [s["id"] for s in again["data"]["scenarios"]] == ids
        assert len(reads) == 1, "the catalogue was read again without an upload"

        uploaded = await upload(control, short_scenario(tmp_path))
        after = await control.request({"type": "list_scenarios", "id": "l3"}, 30)
        assert len(reads) == 2
        assert uploaded not in ids
        assert uploaded in [s["id"] for s in after["data"]["scenarios"]]

        # A valid file copied into the folder by hand joins the catalogue too, at the next listing.
        assert srv.server.scenarios is not None
        copied = short_scenario(srv.server.scenarios, name="by-hand.yaml")
        listed = await control.request({"type": "list_scenarios", "id": "l4"}, 30)
        assert len(reads) == 3
        assert "trio-by-hand" in [s["id"] for s in listed["data"]["scenarios"]], copied
        await control.request({"type": "list_scenarios", "id": "l5"}, 30)
        assert len(reads) == 3


async def test_the_protocol_schema_is_made_off_the_loop_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    document_text = asyncapi.document_text

    def slow_document(fmt: str) -> str:
        made.append(fmt)
        burn(SLOW)
        return document_text(fmt)

    monkeypatch.setattr(asyncapi, "document_text", slow_document)
    http.protocol_schema.cache_clear()
    try:
        async with asyncio.timeout(40), running_server(tmp_path / "games.db") as srv:
            other = await facilitator(srv, label="other")
            worst, pings, (status, _, body) = await worst_ping(
                other, http_get(srv.port, "/schema/protocol.schema.json")
            )
            assert worst < BOUND, f"no pong for {worst:.2f} s while the protocol schema was made"
            assert pings >= 3, "the pings did not overlap the making of the schema"
            assert status == 200
            assert {"client", "server"} <= set(json.loads(body))
            assert (await http_get(srv.port, "/schema/protocol.schema.json"))[2] == body
            assert made == ["json-schema"], "the schema was made again for the second page"
    finally:
        http.protocol_schema.cache_clear()  # the next test makes its own
