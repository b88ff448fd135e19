"""The retention of command receipts (idempotency keys) in a running server: a game's keys are kept
while it runs, however old, and for `RECEIPTS_KEPT` seconds after it ended, so a command a client may
still send again is never applied twice; then they are retired, and exports still say who sent what."""

from __future__ import annotations

import asyncio
from pathlib import Path

from crisisgame.server.app import PRUNE_EVERY, RECEIPTS_KEPT
from tests.server.support import (
    Client,
    FakeClock,
    create_game,
    facilitator,
    join,
    running_server,
    short_scenario,
    until,
)


async def send(client: Client, ident: str, text: str) -> dict[str, object]:
    """A message command under a fixed id (a retry sends the same id)."""
    command = {"type": "send_message", "channel": "public", "text": text}
    return await client.request({"type": "command", "id": ident, "command": command})


async def test_receipts_outlive_a_game_by_the_retention_window_and_never_a_running_game(tmp_path: Path) -> None:
    clock = FakeClock()
    async with asyncio.timeout(40), running_server(tmp_path / "games.db", clock=clock) as srv:
        store = srv.store
        control = await facilitator(srv)
        scenario = short_scenario(tmp_path)
        ended = await create_game(control, scenario, ["ALPHA", "BETA"])
        running = await create_game(control, scenario, ["ALPHA", "BETA"])
        finisher = await facilitator(srv, ended["game"], "finisher")
        keeper = await facilitator(srv, running["game"], "keeper")
        await finisher.ok({"type": "start"})
        await keeper.ok({"type": "start"})
        ada = await join(srv, ended["codes"]["ALPHA"], "Ada")
        bo = await join(srv, running["codes"]["ALPHA"], "Bo")
        first = await send(ada, "m-1", "before the end")
        kept = await send(bo, "m-1", "in a game that goes on")
        assert first["type"] == kept["type"] == "ack", (first, kept)
        await keeper.ok({"type": "pause"})  # (its clock stops: it runs on, however long the wait)
        await finisher.ok({"type": "end"})

        # Just after the end, a retry of a command sent before it is still recognised.
        again = await send(ada, "m-1", "before the end")
        assert again["type"] == "ack", again
        assert again["repeat"], again
        assert again["seq"] == first["seq"], again
        who = store.receipts(ended["game"])
        assert len(store.receipt_seqs(ended["game"])) == len(who) >= 3  # start, the message, end

        # Within the window nothing is retired; past it, the ended game's keys go at the next pruning.
        clock.advance(RECEIPTS_KEPT - 60)
        srv.server.prune_receipts()
        assert len(store.receipt_seqs(ended["game"])) == len(who)
        clock.advance(PRUNE_EVERY)
        await until(lambda: store.receipt_seqs(ended["game"]) == {}, timeout=10)  # (the heartbeat prunes)
        assert store.receipts(ended["game"]) == who, "who sent each command was lost with the keys"

        # The running game, as old, keeps every key: a retry is still an acknowledged repeat.
        assert len(store.receipt_seqs(running["game"])) >= 3
        retried = await send(bo, "m-1", "in a game that goes on")
        assert retried["type"] == "ack", retried
        assert retried["repeat"], retried
        assert retried["seq"] == kept["seq"], retried
        for c in (control, finisher, keeper, ada, bo):
            await c.close()
