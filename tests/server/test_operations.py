"""Operations: what the person running the server sees. `crisisgame serve` stops cleanly on SIGTERM
(every client closed with 1001, exit 0), fails to start with a message that says why (exit 2), answers
`/healthz` with JSON and serves the browser client's files without letting a path escape its folder.
"""

from __future__ import annotations

import asyncio
import gc
import json
import secrets
import signal
import socket
from pathlib import Path

import pytest

from crisisgame.engine.bibliography import BIBLIOGRAPHY
from crisisgame.server.app import GC_THRESHOLDS, Connection, Limits
from crisisgame.server.room import Room
from crisisgame.store.sqlite import SqliteStore
from tests.server.support import (
    UNLIMITED,
    Client,
    congest,
    create_game,
    facilitator,
    join,
    run_cli,
    running_server,
    short_scenario,
    start_process,
    until,
)


async def http_get(port: int, target: str) -> tuple[int, dict[str, str], bytes]:
    """A raw HTTP/1.1 GET (no client library normalises `..` in the target): status, headers, body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


async def test_sigterm_closes_every_client_with_1001_and_exits_0(tmp_path: Path) -> None:
    async with asyncio.timeout(40):
        server = await start_process(tmp_path / "games.db", tmp_path / "server.log")
        try:
            control = await Client.connect(server.url, "control")
            assert (await control.sign_in({"type": "facilitate", "token": server.token}))["type"] == "welcome"
            created = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
            alpha = await Client.connect(server.url, "ALPHA")
            welcome = await alpha.sign_in({"type": "join", "code": created["codes"]["ALPHA"], "name": "Ada"})
            assert welcome["type"] == "welcome"
            idle = await Client.connect(server.url, "idle")  # connected, not signed in

            server.proc.send_signal(signal.SIGTERM)
            for client in (control, alpha, idle):
                closed = await client.wait_closed(10)
                assert closed.rcvd is not None, client.label
                assert closed.rcvd.code == 1001, (client.label, closed)
            assert await asyncio.wait_for(server.proc.wait(), 15) == 0
        finally:
            if server.proc.returncode is None:
                server.proc.kill()
                await server.proc.wait()
        log = server.log.read_text()
        assert "shut down cleanly" in log
        assert "Traceback" not in log


async def test_a_port_in_use_is_named_and_exits_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = await run_cli(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(tmp_path / "g.db")
        )
    assert code == 2, (out, err)
    assert f"port {port} is in use" in err
    assert "Traceback" not in err


async def test_a_second_server_on_the_same_database_is_refused_until_the_first_is_gone(tmp_path: Path) -> None:
    """Two servers would run the same games from memory and write over each other's turns."""
    db = tmp_path / "games.db"
    async with asyncio.timeout(60):
        first = await start_process(db, tmp_path / "first.log")
        try:
            code, out, err = await run_cli("serve", "--host", "127.0.0.1", "--port", "0", "--db", str(db))
            assert code == 2, (out, err)
            assert f"another crisisgame server (process {first.proc.pid}) is running the games of {db}" in err
            assert "Traceback" not in err
            readers = await run_cli("games", "--db", str(db))  # tools that read the log are not held up
            assert readers[0] == 0, readers
        finally:
            first.proc.kill()  # however the first one ends, the claim ends with it
            await first.proc.wait()
        second = await start_process(db, tmp_path / "second.log")
        second.proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.proc.wait(), 15) == 0


async def test_an_unwritable_database_path_is_a_clear_message_and_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    db = blocker / "games.db"
    code, out, err = await run_cli("serve", "--port", "0", "--db", str(db))
    assert code == 2, (out, err)
    assert "cannot open the database" in err
    assert str(db) in err
    assert "Traceback" not in err
    assert "running" not in out


@pytest.mark.parametrize("rate", ["0", "-5", "nan"])
async def test_a_rate_limit_that_is_no_positive_number_is_refused_before_the_database_opens(
    tmp_path: Path, rate: str
) -> None:
    db = tmp_path / "games.db"
    code, out, err = await run_cli("serve", "--port", "0", "--db", str(db), "--rate-limit", rate)
    assert code == 2, (out, err)
    assert "--rate-limit must be a number above 0" in err
    assert not db.exists()


async def test_healthz_answers_json(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        status, headers, body = await http_get(srv.port, "/healthz")
        assert status == 200
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == {"status": "ok", "games": 0}
        control = await facilitator(srv)
        await create_game(control, short_scenario(tmp_path), ["ALPHA"])
        status, _, body = await http_get(srv.port, "/healthz?probe=1")
        assert (status, json.loads(body)) == (200, {"status": "ok", "games": 1})


async def test_static_files_are_served_from_the_client_folder_and_traversal_is_refused(tmp_path: Path) -> None:
    client = tmp_path / "client"
    (client / "js").mkdir(parents=True)
    (client / "index.html").write_text("<!doctype html><title>crisisgame</title>")
    (client / "js" / "app.js").write_text("console.log('hi')")
    (client / "style.css").write_text("body {}")
    (tmp_path / "secret.txt").write_text("SECRET-OUTSIDE-THE-CLIENT")
    (client / "escape").symlink_to(tmp_path / "secret.txt")
    async with asyncio.timeout(20), running_server(tmp_path / "games.db", client_dir=client) as srv:
        status, headers, body = await http_get(srv.port, "/")
        assert (status, body) == (200, b"<!doctype html><title>crisisgame</title>")
        assert headers["content-type"] == "text/html"
        assert headers["x-content-type-options"] == "nosniff"
        status, headers, body = await http_get(srv.port, "/js/app.js?v=3")
        assert (status, headers["content-type"], body) == (200, "text/javascript", b"console.log('hi')")
        status, headers, _ = await http_get(srv.port, "/style.css")
        assert (status, headers["content-type"]) == (200, "text/css")
        for target in (
            "/../secret.txt",
            "/js/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "//" + str(tmp_path / "secret.txt").lstrip("/"),
            "/escape",
            "/nothing-here.html",
            "/" + "a" * 300,
            "/js/" + "b" * 300 + "/c",
        ):
            status, _, body = await http_get(srv.port, target)
            assert status == 404, target
            assert b"SECRET" not in body
        status, _, _ = await http_get(srv.port, "/healthz")
        assert status == 200


@pytest.mark.timing
async def test_shutdown_is_bounded_even_with_a_client_that_stopped_reading(tmp_path: Path) -> None:
    """A closing handshake with a client that never reads cannot finish: the server must not wait forever."""
    limits = Limits(close_timeout=0.5, rate=1000, burst=1000)
    async with asyncio.timeout(30):
        async with running_server(tmp_path / "games.db", limits=limits, quotas=UNLIMITED) as srv:
            control = await facilitator(srv)
            created = await create_game(control, short_scenario(tmp_path), ["ALPHA", "BETA"])
            game = created["game"]
            control = await facilitator(srv, game)
            alpha = await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
            beta = await join(srv, created["codes"]["BETA"], "Bea", "BETA")
            room = srv.server.rooms[game]
            await control.ok({"type": "start"})
            await alpha.wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")
            # BETA's phone stops reading; the link to it is congested.
            beta.ws.transport.pause_reading()
            [server_side] = [s for s in room.subscribers if isinstance(s, Connection) and s.seat == "BETA"]
            congest(server_side, 4096)
            for _i in range(40):
                await alpha.ok({"type": "send_message", "channel": "public", "text": secrets.token_urlsafe(2300)})
            await until(lambda: server_side.ws.transport.get_write_buffer_size() > 0)
            started = asyncio.get_running_loop().time()
            srv.task.cancel()
            await asyncio.gather(srv.task, return_exceptions=True)
            assert asyncio.get_running_loop().time() - started < 5
            closed = await alpha.wait_closed(5)
            assert closed.rcvd is not None
            assert closed.rcvd.code == 1001


async def test_a_game_whose_log_cannot_be_replayed_does_not_keep_the_others_from_starting(tmp_path: Path) -> None:
    db = tmp_path / "games.db"
    async with asyncio.timeout(20):
        async with running_server(db) as srv:
            control = await facilitator(srv)
            good = (await create_game(control, short_scenario(tmp_path), ["ALPHA"]))["game"]
            bad = (await create_game(control, short_scenario(tmp_path), ["BETA"]))["game"]
        store = SqliteStore(db)
        try:  # damage the second game's log: its first event is no longer a game's creation
            store.db.execute(
                "UPDATE events SET body = ? WHERE game_id = ? AND seq = 1",
                ('{"type": "ready_changed", "actor": "X", "ready": true}', bad),
            )
        finally:
            store.close()
        async with running_server(db) as srv:
            assert set(srv.server.rooms) == {good}
            status, _, body = await http_get(srv.port, "/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok", "games": 1})
            control = await facilitator(srv, good)
            assert (await control.command({"type": "start"}))["type"] == "ack"


async def test_the_collector_is_tuned_while_serving_and_restored_after(tmp_path: Path) -> None:
    """A game makes next to no cyclic garbage: serving collects the young generation far less often
    (see `GC_THRESHOLDS`), and an embedding process gets its own settings back when the server stops."""
    before = gc.get_threshold()
    assert before != GC_THRESHOLDS
    async with asyncio.timeout(20), running_server(tmp_path / "games.db"):
        assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_threshold() == before


async def test_a_published_phase_change_takes_the_game_out_of_full_collections_while_serving(tmp_path: Path) -> None:
    """A phase's end adds outcomes that live as long as the game: once its views are out, the server
    freezes what is alive (`Room.freeze_history`), so that later full collections do not scan it all
    again; a process that builds rooms outside a server (tools, tests) is left alone."""
    assert Room.freeze_history is False
    async with asyncio.timeout(30), running_server(tmp_path / "games.db") as srv:
        assert Room.freeze_history is True
        lobby = await facilitator(srv)
        created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
        await join(srv, created["codes"]["ALPHA"], "Ada", "ALPHA")
        control = await facilitator(srv, created["game"])
        await control.ok({"type": "start"})
        room = srv.server.rooms[created["game"]]
        await room.published()
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        await control.ok({"type": "advance"})
        await room.published()
        assert gc.get_freeze_count() > 0
    assert Room.freeze_history is False


async def test_an_ended_game_can_be_opened_after_a_restart_for_the_debrief_and_refuses_commands(
    tmp_path: Path,
) -> None:
    db = tmp_path / "games.db"
    async with asyncio.timeout(30):
        async with running_server(db) as srv:
            lobby = await facilitator(srv)
            created = await create_game(lobby, short_scenario(tmp_path), ["ALPHA", "BETA"])
            game, codes = created["game"], created["codes"]
            alpha = await join(srv, codes["ALPHA"], "Ada", "ALPHA")
            token = next(m for m in alpha.messages if m["type"] == "welcome")["token"]
            control = await facilitator(srv, game)
            await control.ok({"type": "start"})
            await control.ok({"type": "end"})
            final = srv.server.rooms[game].state
            assert final.phase == "ended"

        async with running_server(db) as srv:
            assert game not in srv.server.rooms  # ended games are not rebuilt at start...
            control = await facilitator(srv, game)  # ...but opened when asked for
            view = await control.wait(lambda m: m["type"] == "view")
            assert (view["seq"], view["view"]["game"]["phase"]) == (final.seq, "ended")
            back = await Client.connect(srv.url, "back")
            assert (await back.sign_in({"type": "resume", "token": token}))["type"] == "welcome"
            assert (await back.wait(lambda m: m["type"] == "view"))["view"]["game"]["phase"] == "ended"
            plenary = await join(srv, codes["observer"], "Projector", "observer")
            assert plenary.messages[-1]["view"]["game"]["phase"] == "ended"
            refused = await back.command({"type": "send_message", "channel": "public", "text": "one more thing"})
            assert (refused["type"], refused["code"]) == ("error", "rejected")
            assert srv.server.rooms[game].state.seq == final.seq
            assert srv.store.games()[0].seq == final.seq


async def test_the_bibliography_behind_the_citations_is_served(tmp_path: Path) -> None:
    async with asyncio.timeout(20), running_server(tmp_path / "games.db") as srv:
        status, headers, body = await http_get(srv.port, "/bibliography.json")
    assert (status, headers["content-type"]) == (200, "application/json")
    assert json.loads(body) == BIBLIOGRAPHY


def test_the_facilitator_token_never_reads_as_a_command_line_option(tmp_path: Path) -> None:
    """The token goes on command lines (`crisisgame fork --server ... --token T`): a token beginning with
    '-' was taken for an option (one in 64 base64 tokens did)."""
    from crisisgame.server.app import GameServer
    from crisisgame.store.sqlite import SqliteStore

    for i in range(200):
        store = SqliteStore(tmp_path / f"t{i}.db")
        try:
            token = GameServer(store=store).facilitator_token
        finally:
            store.close()
        assert token[0].isalnum(), token
