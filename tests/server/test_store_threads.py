"""Worker threads read the store through connections of their own: a debrief report, or an ended game
opened from its log, written while a group commit is under way on the event loop shows only what is
committed (the events of that batch are neither durable nor acknowledged yet), and never uses the
connection the group commit writes on.

The race is made certain rather than hoped for: the store's write of the batch holding a marked
message is held open, inside its transaction, until the report in the worker thread has read the log.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from crisisgame.engine.events import MessageSent
from crisisgame.server import lobby
from crisisgame.store.base import Append
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import (
    UNLIMITED,
    WAIT,
    Client,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
)

MARK = "still in the group commit"


async def test_a_report_written_while_a_batch_is_being_committed_holds_none_of_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered, in_batch, read = threading.Event(), threading.Event(), threading.Event()
    written = lobby.report_page

    def report_in_the_middle(*args: Any) -> str:
        """The report of the worker thread, reading the log once the marked batch is half written."""
        entered.set()
        assert in_batch.wait(WAIT), "the marked batch was never written"
        try:
            return written(*args)
        finally:
            read.set()

    async with asyncio.timeout(40), running_server(tmp_path / "games.db") as srv:
        store = srv.store
        appending = store._append_batch

        def held_open(appends: Sequence[Append]) -> None:
            appending(appends)
            if any(isinstance(e, MessageSent) and e.text == MARK for a in appends for e in a.events):
                in_batch.set()  # the batch's rows are in, its transaction still open...
                read.wait(WAIT)  # ...until the report has read the log (or for WAIT seconds)

        monkeypatch.setattr(store, "_append_batch", held_open)
        monkeypatch.setattr(lobby, "report_page", report_in_the_middle)

        control = await facilitator(srv)
        created = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
        game = created["game"]
        await (await facilitator(srv, game, "game")).ok({"type": "start"})
        alpha = await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")

        report = asyncio.ensure_future(
            control.request({"type": "report", "id": "r1", "game": game, "edition": "full"}, 30)
        )
        assert await asyncio.to_thread(entered.wait, WAIT), "the report never reached its worker thread"
        ack = await alpha.command({"type": "send_message", "channel": "public", "text": MARK}, 30)
        reply = await report

        assert in_batch.is_set(), "the marked batch was not written while the report waited"
        assert read.is_set(), "the report did not read the log while the batch was open"
        assert ack["type"] == "ack", ack
        assert reply["type"] == "reply", reply
        assert MARK not in reply["data"]["html"], "the report showed a message that was not yet committed"

        # Once committed (and acknowledged), the report shows it: the report does carry messages.
        in_batch.set()
        again = await control.request({"type": "report", "id": "r2", "game": game, "edition": "full"}, 30)
        assert MARK in again["data"]["html"]


async def test_an_ended_game_is_opened_from_a_connection_of_the_worker_threads_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ended game's replay runs in a worker thread; the store's connection refuses any thread but
    its own (sqlite3's check), so the replay would fail if it read through it."""
    db = tmp_path / "games.db"
    async with asyncio.timeout(40):
        async with running_server(db) as srv:
            control = await facilitator(srv)
            created = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
            game = created["game"]
            ending = await facilitator(srv, game, "ending")
            await ending.ok({"type": "start"})
            await ending.ok({"type": "end"})
        async with running_server(db) as srv:
            assert game not in srv.server.rooms
            threads: list[int] = []
            reader = SqliteStore.reader

            def counted(self: SqliteStore) -> Any:
                threads.append(threading.get_ident())
                return reader(self)

            monkeypatch.setattr(SqliteStore, "reader", counted)
            plenary = await facilitator(srv, game, "plenary")
            assert plenary.latest_view()["game"]["phase"] == "ended"
            assert threads, "the ended game was not read through a reader"
            assert threading.get_ident() not in threads, "the ended game was replayed on the event loop"


def test_the_stores_connection_refuses_other_threads_which_read_through_readers(tmp_path: Path) -> None:
    """Misuse is loud: a worker thread that read through the store's own connection (which a group
    commit may be writing) gets an error, not a half-written batch."""
    store = SqliteStore(tmp_path / "games.db")
    store.create_game("g", "s", "t", 0.0)
    errors: list[BaseException] = []
    seen: list[list[str]] = []

    def worker() -> None:
        try:
            store.games()
        except BaseException as exc:
            errors.append(exc)
        with store.reader() as r:
            seen.append([g.id for g in r.games()])

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(WAIT)
    store.close()
    assert len(errors) == 1
    assert "thread" in str(errors[0])
    assert seen == [["g"]]


async def test_reports_and_ended_games_read_in_threads_while_commands_flow_raise_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Reports written in worker threads (and an ended game opened in one) while two teams send commands
    as fast as they are acknowledged: every command acknowledged, every report answered, nothing logged
    as an error, and the store's log is whole."""
    async with asyncio.timeout(60), running_server(tmp_path / "games.db", quotas=UNLIMITED) as srv:
        control = await facilitator(srv)
        scenario = short_scenario(tmp_path)
        ended = await create_game(control, scenario, ["ALPHA", "BETA"])
        closing = await facilitator(srv, ended["game"], "closing")
        await closing.ok({"type": "start"})
        await closing.ok({"type": "end"})
        srv.server.rooms.pop(ended["game"])  # (opened again from its log, in a worker thread, below)
        created = await create_game(control, scenario, ["ALPHA", "BETA"])
        game = created["game"]
        await (await facilitator(srv, game, "game")).ok({"type": "start"})
        teams = [await join(srv, created["codes"][seat], seat.title(), seat) for seat in ("ALPHA", "BETA")]

        async def talk(client: Client, n: int) -> list[str]:
            return [
                (await client.command({"type": "send_message", "channel": "public", "text": f"{client.label} {i}"}))[
                    "type"
                ]
                for i in range(n)
            ]

        async def reports(n: int) -> list[str]:
            out = []
            for i in range(n):
                reply = await control.request(
                    {"type": "report", "id": f"r{i}", "game": game, "edition": "full" if i % 2 else "summary"}, 30
                )
                out.append(reply["type"])
            return out

        with caplog.at_level(logging.ERROR):
            said, reported, opened = await asyncio.gather(
                asyncio.gather(*(talk(c, 25) for c in teams)),
                reports(8),
                facilitator(srv, ended["game"], "debrief"),
            )
        assert all(kind == "ack" for kinds in said for kind in kinds), said
        assert reported == ["reply"] * 8
        assert opened.latest_view()["game"]["phase"] == "ended"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
        seqs = [seq for seq, _ in srv.store.events(game)]
        assert seqs == list(range(1, len(seqs) + 1))
