"""Sanctions and aid terms over the wire (issue 12, item 7): a team proposes an agreement with a sanctions
coalition term and an aid term as JSON, its partner reads the terms back in the event and accepts, and
after adjudication every seat's view shows the terms and which sanctions the agreement imposed; terms that
cannot work are refused with the reason."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.server.support import create_game, facilitator, join, running_server, short_scenario, until

TEAMS = ["ALPHA", "BETA", "GAMMA"]
PROPOSAL = {
    "type": "consultation",
    "parties": ["ALPHA", "GAMMA"],
    "sanctions": [{"target": "BETA", "kind": "embargo"}],
    "aid": [{"donor": "GAMMA", "to": "ALPHA", "value_usd_m": 250}],
}


async def test_a_proposal_with_sanctions_and_aid_terms_round_trips_and_binds(tmp_path: Path) -> None:
    scenario = short_scenario(tmp_path, count=2)
    async with asyncio.timeout(60), running_server(tmp_path / "games.db") as srv:
        lobby = await facilitator(srv, label="lobby")
        created = await create_game(lobby, scenario, TEAMS, seed=11)
        game, codes = created["game"], created["codes"]
        control = await facilitator(srv, game)
        alpha = await join(srv, codes["ALPHA"], "a", "ALPHA")
        beta = await join(srv, codes["BETA"], "b", "BETA")
        gamma = await join(srv, codes["GAMMA"], "g", "GAMMA")
        await control.ok({"type": "start"})
        await alpha.wait(lambda m: m["type"] == "view" and m["view"]["game"]["phase"] == "diplomacy")

        party = dict(PROPOSAL, sanctions=[{"target": "GAMMA"}])
        refused = await alpha.command({"type": "propose", "proposal": party})
        assert refused["type"] == "error"
        assert "the target 'GAMMA' is a party" in refused["message"]
        negative = dict(PROPOSAL, aid=[{"donor": "GAMMA", "to": "ALPHA", "value_usd_m": -5}])
        assert (await alpha.command({"type": "propose", "proposal": negative}))["type"] == "error"

        seq = await alpha.ok({"type": "propose", "proposal": PROPOSAL})
        made = await gamma.wait(lambda m: m["type"] == "event" and m["seq"] == seq)
        sent = made["event"]["proposal"]
        assert sent["sanctions"] == [{"target": "BETA", "kind": "embargo", "by": []}]
        assert sent["aid"] == [{"donor": "GAMMA", "to": "ALPHA", "value_usd_m": 250.0}]
        await gamma.ok({"type": "accept", "proposal_id": made["event"]["id"]})

        room = srv.server.rooms[game]
        for client in (alpha, beta, gamma):
            await client.ok({"type": "set_ready"})
        await until(lambda: room.state.phase == "orders")
        for client in (alpha, beta, gamma):
            await client.ok({"type": "submit_orders", "orders": {}})
        await until(lambda: "UNION" in room.state.orders)
        for client in (alpha, beta, gamma):
            await client.ok({"type": "set_ready"})
        await until(lambda: bool(room.state.sanction_basis))

        def latest_view(m: dict[str, object]) -> bool:
            return m["type"] == "view" and bool(m["view"]["sanction_basis"])  # type: ignore[index]

        seen = (await beta.wait(latest_view))["view"]
        [ag] = [a for a in seen["agreements"] if "sanctions" in a["terms"]]  # empty terms are left out
        assert ag["terms"]["sanctions"] == [{"target": "BETA", "kind": "embargo", "by": []}]
        assert ag["terms"]["aid"] == [{"donor": "GAMMA", "to": "ALPHA", "value_usd_m": 250.0}]
        assert seen["sanction_basis"] == {"ALPHA>BETA": ag["id"], "GAMMA>BETA": ag["id"]}
        assert seen["sanctions"] == {"ALPHA>BETA": "embargo", "GAMMA>BETA": "embargo"}
